"""Classic ``autogen.agentchat.contrib.math_user_proxy_agent`` (MathChat)."""

from convogen.apps.math.agent import MathUserProxyAgent
from convogen.apps.math.prompts import PROMPTS
from convogen.apps.math.wolfram import WolframAlphaAPIWrapper, get_from_dict_or_env
from convogen.code.extract import UNKNOWN

PYDANTIC_V1 = False
"""0.2 reports its pydantic major version here; convogen needs pydantic 2."""

__all__ = [
    "PROMPTS",
    "PYDANTIC_V1",
    "UNKNOWN",
    "MathUserProxyAgent",
    "WolframAlphaAPIWrapper",
    "get_from_dict_or_env",
]
