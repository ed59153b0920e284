"""An assistant writes code and a user proxy runs it (0.2 code-executor tutorial)."""

import os
import tempfile

from convogen import AssistantAgent, UserProxyAgent, config_list_from_json
from convogen.coding import LocalCommandLineCodeExecutor

config_list = config_list_from_json(env_or_file="OAI_CONFIG_LIST")
work_dir = tempfile.mkdtemp()
executor = LocalCommandLineCodeExecutor(timeout=20, work_dir=work_dir)

assistant = AssistantAgent("assistant", llm_config={"config_list": config_list, "cache_seed": None})
code_executor_agent = UserProxyAgent(
    "code_executor_agent",
    human_input_mode="NEVER",
    code_execution_config={"executor": executor},
    is_termination_msg=lambda msg: "TERMINATE" in (msg.get("content") or ""),
)
result = code_executor_agent.initiate_chat(
    assistant, message="Write Python code that prints 6 * 7 and saves it to answer.txt."
)
outputs = [m["content"] for m in result.chat_history if "exitcode" in (m.get("content") or "")]
print("EXECUTED", outputs[0].splitlines()[0] if outputs else None)
print("OUTPUT_HAS_42", any("42" in o for o in outputs))
with open(os.path.join(work_dir, "answer.txt")) as answer:
    print("FILE", answer.read().strip())
