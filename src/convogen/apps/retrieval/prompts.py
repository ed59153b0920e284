"""Prompts of the retrieval-augmented proxy: question answering, code generation, default."""

from __future__ import annotations

UPDATE_CONTEXT = "UPDATE CONTEXT"
UPDATE_CONTEXT_IN_PROMPT = "reply with exactly `UPDATE CONTEXT`"
"""Every prompt says this; a reply quoting it is not a request for more context."""

QA_PROMPT = """You answer questions using only the reference passages below.
If the passages do not contain the answer, reply with exactly `UPDATE CONTEXT` and nothing
else, so that more passages can be fetched. Otherwise give a short, direct answer.

Question: {input_question}

Reference passages:
{input_context}
"""

CODE_PROMPT = """You write code for the task below, guided by the reference material (source
code and documentation excerpts). Put the code in one fenced block with its language.
If the material is not enough to do the task well, reply with exactly `UPDATE CONTEXT` and
nothing else, so that more material can be fetched.

Task: {input_question}

Reference material:
{input_context}
"""

DEFAULT_PROMPT = """Help with the request below. Use the reference material when it is
relevant; you may answer in prose or with code. When the answer depends on material you do
not have, reply with exactly `UPDATE CONTEXT` and nothing else to receive more.

Request: {input_question}

Reference material:
{input_context}
"""

PROMPTS = {"qa": QA_PROMPT, "code": CODE_PROMPT, "default": DEFAULT_PROMPT}

ASSISTANT_SYSTEM_MESSAGE = (
    "You are a careful assistant that answers from the reference material you are given. "
    "When the material does not hold the answer, reply exactly `UPDATE CONTEXT`. "
    "End with TERMINATE once the task is done."
)
