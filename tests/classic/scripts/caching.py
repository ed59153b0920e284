"""Caching model calls with a disk cache (0.2 'LLM caching' guide)."""

import sys
import tempfile

from convogen import AssistantAgent, UserProxyAgent, config_list_from_json
from convogen.cache import Cache

config_list = config_list_from_json("OAI_CONFIG_LIST")
cache_root = tempfile.mkdtemp()


def run() -> str:
    assistant = AssistantAgent("assistant", llm_config={"config_list": config_list})
    user = UserProxyAgent(
        "user", human_input_mode="NEVER", code_execution_config=False, max_consecutive_auto_reply=0
    )
    with Cache.disk(cache_seed=7, cache_path_root=cache_root) as cache:
        result = user.initiate_chat(
            assistant, message="What is the capital of France?", cache=cache
        )
    return result.chat_history[-1]["content"]


first = run()
second = run()
print("FIRST", first)
print("SECOND", second)
print("SAME", first == second)
sys.stdout.flush()
