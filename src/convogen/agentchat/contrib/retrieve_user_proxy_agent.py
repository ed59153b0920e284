"""Classic ``autogen.agentchat.contrib.retrieve_user_proxy_agent``."""

import os

from convogen.apps.retrieval.agents import RetrieveUserProxyAgent
from convogen.apps.retrieval.prompts import CODE_PROMPT as PROMPT_CODE
from convogen.apps.retrieval.prompts import DEFAULT_PROMPT as PROMPT_DEFAULT
from convogen.apps.retrieval.prompts import QA_PROMPT as PROMPT_QA
from convogen.apps.retrieval.prompts import UPDATE_CONTEXT_IN_PROMPT
from convogen.apps.retrieval.retrieve_config import TEXT_FORMATS

HASH_LENGTH = int(os.environ.get("HASH_LENGTH", 8))
"""0.2's length of content-hash document ids (convogen ids are source + position)."""

__all__ = [
    "HASH_LENGTH",
    "PROMPT_CODE",
    "PROMPT_DEFAULT",
    "PROMPT_QA",
    "TEXT_FORMATS",
    "UPDATE_CONTEXT_IN_PROMPT",
    "RetrieveUserProxyAgent",
]
