"""``GroupChat``: the agents of a group conversation, its transcript and its selection rules."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from convogen.errors import ConfigError
from convogen.groupchat.transitions import Graph, build_allowed_graph
from convogen.interception import emit
from convogen.messages import Message, content_str

if TYPE_CHECKING:
    from convogen.agents.conversable import ConversableAgent

SELECTION_METHODS = ("auto", "round_robin", "random", "manual")

DEFAULT_SELECT_SPEAKER_MESSAGE = (
    "You choose who speaks next in a conversation between these participants:\n{roles}\n\n"
    "Read the conversation, then answer with the name of the participant from {agentlist} "
    "who should speak next. Answer with the name only."
)
DEFAULT_SELECT_SPEAKER_PROMPT = (
    "Given the conversation above, who speaks next? Choose one of {agentlist} and answer "
    "with the name only."
)
DEFAULT_INTRODUCTION = "Hello everyone. These are the participants of this group chat:\n\n{roles}"


@dataclass(frozen=True)
class SpeakerSelection:
    """One speaker choice: who, by which method, why, and among whom."""

    round: int
    speaker: str
    method: str
    reason: str
    candidates: tuple[str, ...]


@dataclass
class GroupChat:
    """A group of agents talking in turns; the manager picks who speaks next."""

    agents: list[ConversableAgent]
    messages: list[Message] = field(default_factory=list)
    max_round: int = 10
    admin_name: str = "Admin"
    func_call_filter: bool = True
    speaker_selection_method: str | Callable[..., Any] = "auto"
    allow_repeat_speaker: bool | list[ConversableAgent] | None = None
    allowed_or_disallowed_speaker_transitions: dict[Any, list[Any]] | None = None
    speaker_transitions_type: str | None = None
    enable_clear_history: bool = False
    send_introductions: bool = False
    select_speaker_message_template: str = DEFAULT_SELECT_SPEAKER_MESSAGE
    select_speaker_prompt_template: str | None = DEFAULT_SELECT_SPEAKER_PROMPT
    max_retries_for_selecting_speaker: int = 2
    role_for_select_speaker_messages: str = "system"
    selection_log: list[SpeakerSelection] = field(default_factory=list)
    seed: int | None = None
    structured_selection: bool = True

    def __post_init__(self) -> None:
        from convogen.agents.conversable import ConversableAgent

        if not isinstance(self.agents, list) or not self.agents:
            raise ConfigError("agents", self.agents, "a group chat needs a non-empty list")
        for agent in self.agents:
            if not isinstance(agent, ConversableAgent):
                raise ConfigError("agents", agent, "every member must be a ConversableAgent")
        names = [a.name for a in self.agents]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ConfigError("agents", duplicates, "agent names in a group chat must be unique")
        if isinstance(self.max_round, bool) or not isinstance(self.max_round, int):
            raise ConfigError("max_round", self.max_round, "must be a positive integer")
        if self.max_round < 1:
            raise ConfigError("max_round", self.max_round, "must be a positive integer")
        method = self.speaker_selection_method
        if not callable(method) and (
            not isinstance(method, str) or method.lower() not in SELECTION_METHODS
        ):
            raise ConfigError(
                "speaker_selection_method", method, f"use one of {SELECTION_METHODS} or a callable"
            )
        if isinstance(method, str):
            self.speaker_selection_method = method.lower()
        retries = self.max_retries_for_selecting_speaker
        if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
            raise ConfigError("max_retries_for_selecting_speaker", retries, "must be an int >= 0")
        if self.role_for_select_speaker_messages not in ("system", "user", "assistant"):
            raise ConfigError(
                "role_for_select_speaker_messages",
                self.role_for_select_speaker_messages,
                "use system, user or assistant",
            )
        for template_field in ("select_speaker_message_template", "select_speaker_prompt_template"):
            template = getattr(self, template_field)
            if template is not None and not isinstance(template, str):
                raise ConfigError(template_field, template, "must be a string")
        if (
            self.allowed_or_disallowed_speaker_transitions is not None
            and self.allow_repeat_speaker is not None
        ):
            raise ConfigError(
                "allow_repeat_speaker",
                self.allow_repeat_speaker,
                "leave it unset when a transition graph is given (self-loops decide repeats)",
            )
        if self.allow_repeat_speaker is None:
            self.allow_repeat_speaker = True
        elif isinstance(self.allow_repeat_speaker, list):
            for agent in self.allow_repeat_speaker:
                if agent not in self.agents:
                    raise ConfigError(
                        "allow_repeat_speaker", getattr(agent, "name", agent), "not a member"
                    )
        elif not isinstance(self.allow_repeat_speaker, bool):
            raise ConfigError(
                "allow_repeat_speaker", self.allow_repeat_speaker, "must be a bool or agent list"
            )
        self.allowed_graph: Graph | None = build_allowed_graph(
            self.agents,
            self.allowed_or_disallowed_speaker_transitions,
            self.speaker_transitions_type,
        )
        self._by_name = {a.name: a for a in self.agents}
        self._index = {a: i for i, a in enumerate(self.agents)}
        self.random = random.Random(self.seed)

    # --------------------------------------------------------------- agents
    @property
    def agent_names(self) -> list[str]:
        return [a.name for a in self.agents]

    def agent_by_name(self, name: str) -> ConversableAgent | None:
        """The member called ``name`` (None if there is none)."""
        return self._by_name.get(name)

    def next_agent(
        self, agent: ConversableAgent, agents: Sequence[ConversableAgent] | None = None
    ) -> ConversableAgent:
        """The agent after ``agent`` in member order, among ``agents`` (default: all)."""
        pool = self.agents if agents is None else agents
        if not pool:
            raise ConfigError("agents", [], "no agent to choose from")
        allowed = set(pool)
        start = self._index.get(agent, -1)
        count = len(self.agents)
        for step in range(1, count + 1):
            candidate = self.agents[(start + step) % count]
            if candidate in allowed:
                return candidate
        return pool[0]

    def _member_descriptions(self, agents: Sequence[ConversableAgent]) -> str:
        return "\n".join(f"{a.name}: {a.description}" for a in agents)

    def select_speaker_msg(self, agents: Sequence[ConversableAgent] | None = None) -> str:
        """The system message of the speaker selector."""
        agents = self.agents if agents is None else agents
        return self.select_speaker_message_template.format(
            roles=self._member_descriptions(agents), agentlist=[a.name for a in agents]
        )

    def select_speaker_prompt(self, agents: Sequence[ConversableAgent] | None = None) -> str | None:
        """The final instruction after the transcript (None: no extra prompt)."""
        if self.select_speaker_prompt_template is None:
            return None
        agents = self.agents if agents is None else agents
        return self.select_speaker_prompt_template.format(agentlist=[a.name for a in agents])

    def introductions_msg(self) -> str:
        """The message introducing the members to each other."""
        return DEFAULT_INTRODUCTION.format(roles=self._member_descriptions(self.agents))

    # ------------------------------------------------------------ transcript
    def append(self, message: Message, speaker: ConversableAgent) -> None:
        """Add ``message`` said by ``speaker`` to the transcript."""
        entry: dict[str, Any] = dict(message)
        if entry.get("role") != "function":
            entry["name"] = speaker.name
            entry["role"] = "user"
        if isinstance(entry.get("content"), list):
            entry["content"] = content_str(entry["content"])
        self.messages.append(entry)  # type: ignore[arg-type]

    def reset(self) -> None:
        """Forget the transcript and the selection log."""
        self.messages.clear()
        self.selection_log.clear()

    def record(
        self, speaker: ConversableAgent, method: str, reason: str, candidates: Sequence[Any]
    ) -> None:
        selection = SpeakerSelection(
            round=len(self.messages),
            speaker=speaker.name,
            method=method,
            reason=reason,
            candidates=tuple(c.name for c in candidates),
        )
        self.selection_log.append(selection)
        emit("speaker_selected", groupchat=self, selection=selection)
