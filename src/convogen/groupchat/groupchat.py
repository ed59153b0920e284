"""``GroupChat``: the agents of a group conversation, its transcript and its selection rules."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from convogen._sync import run_sync
from convogen.errors import (
    AgentNameConflictError,
    ClassicConfigError,
    ConfigError,
    NoEligibleSpeakerError,
    UndefinedNextAgentError,
)
from convogen.events import SpeakerSelected, SpeakerSelection
from convogen.groupchat.transitions import Graph, build_allowed_graph, full_graph
from convogen.interception import emit, has_sinks
from convogen.messages import Message, content_str

if TYPE_CHECKING:
    from convogen.agents.conversable import ConversableAgent
    from convogen.llm.wrapper import OpenAIWrapper

_NAME = attrgetter("name")

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
DEFAULT_AUTO_MULTIPLE = (
    "Your answer named several participants. Name exactly one: the participant the "
    "conversation hands over to, or else the first one you named. Write the name exactly as "
    "listed in {agentlist}, with no explanation."
)
DEFAULT_AUTO_NONE = (
    "Your answer named none of the participants. Name exactly one participant from "
    "{agentlist}, written exactly as listed, with no explanation."
)


@dataclass
class GroupChat:
    """A group of agents talking in turns; the manager picks who speaks next.

    The fields up to ``role_for_select_speaker_messages`` are AutoGen 0.2's, in its order.
    ``admin_name`` names the member who takes the turn when Ctrl-C interrupts a reply (a resumed
    transcript may also hold its messages); ``enable_clear_history`` lets a reply carry the
    command "clear history [agent] [number to keep]" (see ``clear_history``).
    ``select_speaker_transform_messages`` (a callable, or an object with ``apply_transform``)
    rewrites the messages the "auto" selector reads; ``select_speaker_auto_llm_config`` gives
    the selector its own model (default: the manager's); ``seed`` makes "random" repeatable.
    """

    agents: list[ConversableAgent]
    messages: list[Message] = field(default_factory=list)
    max_round: int = 10
    admin_name: str = "Admin"
    func_call_filter: bool = True
    speaker_selection_method: str | Callable[..., Any] = "auto"
    max_retries_for_selecting_speaker: int = 2
    allow_repeat_speaker: bool | list[ConversableAgent] | None = None
    allowed_or_disallowed_speaker_transitions: dict[Any, list[Any]] | None = None
    speaker_transitions_type: str | None = None
    enable_clear_history: bool = False
    send_introductions: bool = False
    select_speaker_message_template: str = DEFAULT_SELECT_SPEAKER_MESSAGE
    select_speaker_prompt_template: str | None = DEFAULT_SELECT_SPEAKER_PROMPT
    select_speaker_auto_multiple_template: str = DEFAULT_AUTO_MULTIPLE
    select_speaker_auto_none_template: str = DEFAULT_AUTO_NONE
    select_speaker_auto_verbose: bool = False
    role_for_select_speaker_messages: str = "system"
    select_speaker_transform_messages: Any = None
    select_speaker_auto_llm_config: dict[str, Any] | Literal[False] | None = None
    selection_log: list[SpeakerSelection] = field(default_factory=list)
    seed: int | None = None
    structured_selection: bool = True

    DEFAULT_INTRO_MSG: ClassVar[str] = (
        "Hello everyone. This group chat brings together the following participants:"
    )

    def __post_init__(self) -> None:
        self._check_members()
        self._check_selection()
        self._check_templates()
        self._check_repeat()
        self.allowed_graph: Graph | None = build_allowed_graph(
            self.agents,
            self.allowed_or_disallowed_speaker_transitions,
            self.speaker_transitions_type,
        )
        if isinstance(self.speaker_transitions_type, str):
            self.speaker_transitions_type = self.speaker_transitions_type.lower()
        self._by_name = {a.name: a for a in self.agents}
        self._index = {a: i for i, a in enumerate(self.agents)}
        self._selector_agent: ConversableAgent | None = None
        self._names: tuple[list[ConversableAgent], tuple[str, ...]] | None = None
        self.random = random.Random(self.seed)

    def _check_members(self) -> None:
        from convogen.agents.conversable import ConversableAgent

        if not isinstance(self.agents, list) or not self.agents:
            raise ConfigError("agents", self.agents, "a group chat needs a non-empty list")
        for agent in self.agents:
            if not isinstance(agent, ConversableAgent):
                raise ConfigError("agents", agent, "every member must be a ConversableAgent")
        names = [a.name for a in self.agents]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise AgentNameConflictError(
                f"agent names in a group chat must be unique; repeated: {duplicates}"
            )
        if not isinstance(self.messages, list):
            raise ConfigError("messages", self.messages, "must be a list of messages")
        if isinstance(self.max_round, bool) or not isinstance(self.max_round, int):
            raise ConfigError("max_round", self.max_round, "must be a positive integer")
        if self.max_round < 1:
            raise ConfigError("max_round", self.max_round, "must be a positive integer")

    def _check_selection(self) -> None:
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
        if not isinstance(self.select_speaker_auto_verbose, bool):
            raise ConfigError(
                "select_speaker_auto_verbose", self.select_speaker_auto_verbose, "must be a bool"
            )
        transform = self.select_speaker_transform_messages
        if transform is not None and not (
            callable(transform) or hasattr(transform, "apply_transform")
        ):
            raise ConfigError(
                "select_speaker_transform_messages",
                transform,
                "must be a callable or have an apply_transform(messages) method",
            )
        config = self.select_speaker_auto_llm_config
        if config is not None and config is not False and not isinstance(config, dict):
            raise ConfigError("select_speaker_auto_llm_config", config, "must be a dict or False")

    def _check_templates(self) -> None:
        if not self.role_for_select_speaker_messages:
            raise ConfigError(
                "role_for_select_speaker_messages",
                self.role_for_select_speaker_messages,
                "role_for_select_speaker_messages cannot be empty or None.",
            )
        if self.role_for_select_speaker_messages not in ("system", "user", "assistant"):
            raise ConfigError(
                "role_for_select_speaker_messages",
                self.role_for_select_speaker_messages,
                "use system, user or assistant",
            )
        if self.select_speaker_prompt_template == "":
            self.select_speaker_prompt_template = None
        required = (
            "select_speaker_message_template",
            "select_speaker_auto_multiple_template",
            "select_speaker_auto_none_template",
        )
        for name in (*required, "select_speaker_prompt_template"):
            template = getattr(self, name)
            if template is None and name not in required:
                continue
            if not isinstance(template, str) or not template:
                raise ConfigError(name, template, "must be a non-empty string")

    def _check_repeat(self) -> None:
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
            if self.allowed_or_disallowed_speaker_transitions is None:
                self.allow_repeat_speaker = True
        elif isinstance(self.allow_repeat_speaker, list):
            for agent in self.allow_repeat_speaker:
                if agent not in self.agents:
                    raise ConfigError(
                        "allow_repeat_speaker", getattr(agent, "name", agent), "not a member"
                    )
        elif not isinstance(self.allow_repeat_speaker, bool):
            raise ClassicConfigError(
                "allow_repeat_speaker",
                self.allow_repeat_speaker,
                "GroupChat allow_repeat_speaker should be a bool or a list of Agents.",
            )

    # --------------------------------------------------------------- agents
    @property
    def agent_names(self) -> list[str]:
        """The names of the members, in member order."""
        return [a.name for a in self.agents]

    @property
    def allowed_speaker_transitions_dict(self) -> Graph:
        """Who may speak after whom, as a dict from agent to agents (0.2's view of the rules)."""
        if self.allowed_graph is not None:
            return self.allowed_graph
        repeat = self.allow_repeat_speaker
        return full_graph(self.agents, True if repeat is None else repeat)

    def agent_by_name(
        self, name: str, recursive: bool = False, raise_on_name_conflict: bool = False
    ) -> ConversableAgent | None:
        """The agent called ``name`` (None if none); ``recursive`` also searches nested groups."""
        if not recursive:
            return self._by_name.get(name)
        found = [a for a in self.nested_agents() if a.name == name]
        if raise_on_name_conflict and len(found) > 1:
            raise AgentNameConflictError(
                f"{len(found)} agents in nested group chats are named {name!r}"
            )
        return found[0] if found else None

    def nested_agents(self) -> list[ConversableAgent]:
        """The members, then the members of every group chat a member manages, depth first."""
        from convogen.groupchat.manager import GroupChatManager

        agents = list(self.agents)
        for agent in self.agents:
            if isinstance(agent, GroupChatManager):
                agents.extend(agent.groupchat.nested_agents())
        return agents

    def next_agent(
        self, agent: ConversableAgent, agents: Sequence[ConversableAgent] | None = None
    ) -> ConversableAgent:
        """The agent after ``agent`` in member order, among ``agents`` (default: all)."""
        pool = self.agents if agents is None else agents
        count = len(self.agents)
        if count and pool == self.agents:  # the common case needs no set: every member may follow
            return self.agents[(self._index.get(agent, -1) + 1) % count]
        allowed = set(pool)
        if not allowed or not allowed <= set(self.agents):
            raise UndefinedNextAgentError(
                f"next_agent needs a non-empty subset of the members {self.agent_names}; got "
                f"{[getattr(a, 'name', a) for a in pool]}"
            )
        start = self._index.get(agent, -1)
        for step in range(1, count + 1):
            candidate = self.agents[(start + step) % count]
            if candidate in allowed:
                return candidate
        raise UndefinedNextAgentError()  # unreachable: ``allowed`` holds a member

    def _mentioned_agents(
        self, message_content: str | list[Any], agents: Sequence[ConversableAgent] | None
    ) -> dict[str, int]:
        """0.2's helper: how often each agent's name is mentioned in ``message_content``."""
        from convogen.groupchat.names import mentioned_names
        from convogen.messages import content_str

        members = self.agents if agents is None else agents
        return mentioned_names(content_str(message_content), [a.name for a in members])

    def _member_descriptions(self, agents: Sequence[ConversableAgent]) -> str:
        return "\n".join(f"{a.name}: {a.description}".strip() for a in agents)

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

    def introductions_msg(self, agents: Sequence[ConversableAgent] | None = None) -> str:
        """The message introducing the members (default: all) to each other."""
        agents = self.agents if agents is None else agents
        return f"{self.DEFAULT_INTRO_MSG}\n\n{self._member_descriptions(agents)}"

    # ------------------------------------------------------------ selection
    def manual_select_speaker(
        self, agents: Sequence[ConversableAgent] | None = None
    ) -> ConversableAgent | None:
        """Ask a person (default IO stream) to pick; None when they defer or keep failing."""
        from convogen.agents.io import get_default_io
        from convogen.groupchat.selection import a_ask_person

        stream = get_default_io()

        async def ask(prompt: str) -> str:
            return stream.input(prompt)

        pool = list(self.agents if agents is None else agents)
        return run_sync(a_ask_person(pool, ask, stream))

    def random_select_speaker(
        self, agents: Sequence[ConversableAgent] | None = None
    ) -> ConversableAgent:
        """A random member of ``agents`` (default: all), from this chat's seeded generator."""
        return self.random.choice(list(self.agents if agents is None else agents))

    def select_speaker(
        self, last_speaker: ConversableAgent, selector: ConversableAgent
    ) -> ConversableAgent:
        """The next speaker after ``last_speaker``, chosen by this chat's method."""
        return run_sync(self.a_select_speaker(last_speaker, selector))

    async def a_select_speaker(
        self, last_speaker: ConversableAgent, selector: ConversableAgent
    ) -> ConversableAgent:
        """Async twin of ``select_speaker``; raises NoEligibleSpeaker when the chat must end."""
        from convogen.groupchat.selection import a_select_speaker

        agent = await a_select_speaker(self, last_speaker, selector)
        if agent is None:
            raise NoEligibleSpeakerError("the custom speaker selection function returned None")
        return agent

    async def a_auto_select_speaker(
        self,
        last_speaker: ConversableAgent,
        selector: ConversableAgent,
        messages: list[Message] | None,
        agents: list[ConversableAgent] | None,
    ) -> ConversableAgent:
        """Let the selector's model pick among ``agents`` (default: all), reading ``messages``."""
        from convogen.groupchat.llm_selection import a_llm_select

        candidates = self.agents if agents is None else agents
        agent, reason = await a_llm_select(self, last_speaker, candidates, selector, messages)
        self.record(agent, "auto", reason, candidates)
        return agent

    def selector_client(self, selector: ConversableAgent) -> OpenAIWrapper | None:
        """The model that answers "auto" selection: ``select_speaker_auto_llm_config``'s or
        the selector's."""
        if self.select_speaker_auto_llm_config is None:
            return selector.get_llm_client()
        if self._selector_agent is None:
            from convogen.agents.conversable import ConversableAgent

            self._selector_agent = ConversableAgent(
                "speaker_selection_agent",
                llm_config=self.select_speaker_auto_llm_config,
                human_input_mode="NEVER",
                io_stream=selector.io,
            )
        return self._selector_agent.get_llm_client()

    def transform_selection_messages(self, messages: list[Message]) -> list[Message]:
        """Apply ``select_speaker_transform_messages`` (if any) to the selector's messages."""
        transform = self.select_speaker_transform_messages
        if transform is None:
            return messages
        apply = getattr(transform, "apply_transform", None)
        result = apply(messages) if apply is not None else transform(messages)
        if not isinstance(result, list):
            raise ConfigError(
                "select_speaker_transform_messages", transform, "must return a list of messages"
            )
        return result

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
        """Log one speaker choice and announce it as a ``speaker_selected`` event."""
        members = self.member_names()
        selection = SpeakerSelection(
            round=len(self.messages),
            speaker=speaker.name,
            method=method,
            reason=reason,
            candidates=members if candidates == self.agents else tuple(map(_NAME, candidates)),
        )
        self.selection_log.append(selection)
        if has_sinks():
            emit(SpeakerSelected(members, selection))

    def member_names(self) -> tuple[str, ...]:
        """The members' names, in member order (kept until ``agents`` changes)."""
        names = self._names
        if names is None or names[0] != self.agents:
            names = (list(self.agents), tuple(map(_NAME, self.agents)))
            self._names = names
        return names[1]
