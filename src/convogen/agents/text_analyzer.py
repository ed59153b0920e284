"""``TextAnalyzerAgent``: answers an analysis of a text, following given instructions."""

from __future__ import annotations

from typing import Any, Literal

from convogen._sync import run_sync
from convogen.agents.base import Agent
from convogen.agents.conversable import ConversableAgent
from convogen.agents.reply_types import ReplyResult
from convogen.errors import ChatError, ConfigError
from convogen.messages import Message, content_str

SYSTEM_MESSAGE = """You analyze text as instructed.
You receive a TEXT and analysis INSTRUCTIONS; the instructions are given twice, before and after
the text. Follow them exactly and answer with your analysis in the format they ask for."""


class TextAnalyzerAgent(ConversableAgent):
    """An agent whose reply to (text, instructions) is the model's analysis of the text."""

    def __init__(
        self,
        name: str = "analyzer",
        system_message: str | None = SYSTEM_MESSAGE,
        human_input_mode: Literal["ALWAYS", "NEVER", "TERMINATE"] = "NEVER",
        llm_config: dict[str, Any] | Literal[False] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            name=name,
            system_message=system_message,
            human_input_mode=human_input_mode,
            llm_config=llm_config,
            **kwargs,
        )
        # After the termination check, before tools, code and the plain LLM reply (as in 0.2).
        self.register_reply(Agent, TextAnalyzerAgent._a_analyze_in_reply, position=2)  # type: ignore[arg-type]

    async def _a_analyze_in_reply(
        self,
        messages: list[Message] | None = None,
        sender: ConversableAgent | None = None,
        config: Any = None,
    ) -> ReplyResult:
        """Reply to exactly two messages, the text and then the instructions, with the analysis."""
        history = self._history(messages, sender)
        if len(history) != 2:
            raise ChatError(
                f"{self.name} analyzes exactly two messages (the text, then the instructions); "
                f"the conversation has {len(history)}"
            )
        text, instructions = (content_str(m.get("content")) for m in history)
        return True, await self.a_analyze_text(text, instructions)

    async def a_analyze_text(self, text_to_analyze: str, analysis_instructions: str) -> Any:
        """The model's analysis of ``text_to_analyze`` following ``analysis_instructions``."""
        if self.llm_config is False:
            raise ConfigError("llm_config", False, f"{self.name} needs a model to analyze text")
        instructions = f"# INSTRUCTIONS\n{analysis_instructions}\n"
        prompt = "\n".join([instructions, f"# TEXT\n{text_to_analyze}\n", instructions])
        _, analysis = await self.a_generate_oai_reply([{"role": "user", "content": prompt}])
        return analysis

    def analyze_text(self, text_to_analyze: str, analysis_instructions: str) -> Any:
        """Synchronous twin of ``a_analyze_text``."""
        return run_sync(self.a_analyze_text(text_to_analyze, analysis_instructions))
