"""Classic ``autogen.agentchat.contrib.text_analyzer_agent``."""

from convogen.agents.text_analyzer import SYSTEM_MESSAGE as system_message
from convogen.agents.text_analyzer import TextAnalyzerAgent

__all__ = ["TextAnalyzerAgent", "system_message"]
