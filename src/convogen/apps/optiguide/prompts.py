"""Prompts for the OptiGuide writer and safeguard, and the script that runs what-if code."""

from __future__ import annotations

WRITER_SYSTEM_MESSAGE = """You help supply-chain planners explore what-if questions.
You are given a question about an optimisation model held in a Python variable `model` with
these fields (all dicts keyed by name, edited in place):
  model.supply[factory], model.production_cost[factory], model.capacity[warehouse],
  model.fixed_cost[warehouse], model.demand[customer], model.cost_fw[factory][warehouse],
  model.cost_wc[warehouse][customer], model.closed (list of warehouses that may not be used),
  model.forced_open (list of warehouses that must be used).
Reply with one ```python block of a few lines that changes `model` to reflect the question.
Do not solve the model, print, import modules or touch files: the caller re-solves it."""

WRITER_PROMPT = """Question: {question}

Current data:
{model_json}
{feedback}"""

RETRY_FEEDBACK = """
Your previous code failed (attempt {attempt}):
{error}
Please send corrected code."""

SAFEGUARD_SYSTEM_MESSAGE = """You review Python code before it runs. The code is only meant
to edit the numbers and lists of an optimisation model held in `model`. Answer with one word:
SAFE if it does only that, or DANGER if it does anything else (files, network, processes,
imports, dynamic code, reaching into the interpreter)."""

SAFEGUARD_PROMPT = """Is this code safe to run?

```python
{code}
```"""

RESULT_MARKER = "OPTIGUIDE_RESULT "

SCRIPT = """import json
from optiguide_model import SupplyChain, solve

with open("model.json") as handle:
    model = SupplyChain.from_json(handle.read())
# ---- what-if code (vetted) ----
{code}
# ---- end of what-if code ----
print({marker!r} + json.dumps(solve(model).to_dict()))
"""
