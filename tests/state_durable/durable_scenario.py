"""A deterministic durable chat used in-process and by the SIGKILL child process.

The assistant's scripted model calls ``record_step`` once per step (steps 0..STEPS-1), then
finishes. The tool writes 'start N' and 'end N' lines to a side-effect log, so tests can count
how often each step really ran.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Annotated, Any

from convogen import AssistantAgent, UserProxyAgent, register_function
from convogen.agents.termination import ends_with_terminate
from convogen.llm.scripted import scripted_llm_config
from convogen.messages import content_str

STEPS = 8


def build(log_path: Path, step_delay: float = 0.0) -> tuple[UserProxyAgent, AssistantAgent]:
    """Fresh agents for one (re-)execution of the scenario."""

    def record_step(step: Annotated[int, "step number"]) -> str:
        """Record that a step ran."""
        with log_path.open("a") as log:
            log.write(f"start {step}\n")
            log.flush()
            os.fsync(log.fileno())
            if step_delay:
                time.sleep(step_delay)
            log.write(f"end {step}\n")
            log.flush()
            os.fsync(log.fileno())
        return f"step {step} ok"

    def model(messages: list[Any]) -> Any:
        done = sum(
            1 for m in messages if "ok" in content_str(m.get("content")) and m.get("role") == "tool"
        )
        if done >= STEPS:
            return f"All {STEPS} steps done. TERMINATE"
        arguments = json.dumps({"step": done})
        call = {
            "id": f"call_{done}",
            "type": "function",
            "function": {"name": "record_step", "arguments": arguments},
        }
        return {"content": None, "tool_calls": [call]}

    assistant = AssistantAgent("worker", llm_config=scripted_llm_config(model), silent=True)
    user = UserProxyAgent(
        "boss",
        human_input_mode="NEVER",
        code_execution_config=False,
        silent=True,
        max_consecutive_auto_reply=50,
        is_termination_msg=ends_with_terminate,
    )
    register_function(record_step, caller=assistant, executor=user)
    return user, assistant


def main() -> None:
    """Child process: run (or resume) the durable chat, print DONE when finished."""
    from convogen.state.durable import run_durable

    store_url, run_id, log_path = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    user, assistant = build(log_path, step_delay=0.05)
    print("READY", flush=True)
    result = run_durable(
        store_url,
        run_id,
        lambda: user.a_initiate_chat(assistant, message="go"),
        idempotent_tools=["record_step"],  # a step cut off by SIGKILL may run again
    )
    print("DONE", result.stop_reason, flush=True)


if __name__ == "__main__":
    main()
