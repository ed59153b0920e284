"""Decision making in a text world with three agents: assistant, executor and grounding agent.

The assistant plans and issues one action per turn; the executor runs it in the environment
and answers with the observation; when the last two actions both failed ("Nothing
happens."), the grounding agent speaks before the assistant's next turn with commonsense
knowledge about the environment. A speaker-selection function drives the group chat.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from convogen.agents.assistant import AssistantAgent
from convogen.agents.conversable import ConversableAgent
from convogen.agents.reply_types import ReplyResult
from convogen.agents.transforms import (
    MessageHistoryLimiter,
    MessageTokenLimiter,
    MessageTransform,
    TransformMessages,
)
from convogen.apps.textworld.env import NOTHING_HAPPENS, TextEnvironment, as_environment
from convogen.apps.textworld.env import episode_won as _episode_won
from convogen.errors import ConfigError
from convogen.groupchat import GroupChat, GroupChatManager
from convogen.messages import Message, content_str
from convogen.results import ChatResult

ASSISTANT_SYSTEM_MESSAGE = """You act in a text-based household environment to complete a task.
Each turn, think briefly, then give exactly one command on its own line as
ACTION: <command>
Commands look like: go to <place>, open <place>, take <object> from <place>,
put <object> in/on <place>, clean <object> with <sinkbasin>, examine <thing>, look, inventory.
You see the result of each command in the next message. Use exact object names (mug 1)."""

GROUNDING_SYSTEM_MESSAGE = """You know how household environments work. When the acting agent's
commands keep failing, explain in one or two sentences what it is missing (where to go,
what to open, what to hold) so that its next command can succeed."""

# Commonsense about the built-in world and ALFWorld alike, by the verb of the failing action.
HINTS = {
    "take": "You can only take an object from the place you are at, the place must be open, "
    "and your hands must be empty: go to the place, open it if it is closed, then "
    "'take <object> from <place>'.",
    "put": "To put an object somewhere you must hold it and stand at that place (open it if "
    "closed): 'put <object> in/on <place>'.",
    "clean": "To clean an object, hold it, go to a sinkbasin, then "
    "'clean <object> with sinkbasin 1'.",
    "heat": "To heat an object, hold it, go to a microwave, then 'heat <object> with microwave 1'.",
    "cool": "To cool an object, hold it, go to a fridge, then 'cool <object> with fridge 1'.",
    "go": "You can only go to places that exist and that you are not already at; 'look' at "
    "the start lists them.",
    "open": "You can only open a closed container at the place you are at: go to it first.",
    "close": "You can only close an open container at the place you are at.",
    "examine": "You can examine the place you are at, or objects you hold or see there.",
}
GENERIC_HINT = "That command is not one the environment understands."


@dataclass
class EpisodeResult:
    """What happened in an episode."""

    success: bool
    steps: int
    actions: list[str] = field(default_factory=list)
    observations: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    chat_result: ChatResult | None = None


@dataclass
class EpisodeState:
    """Shared bookkeeping of the executor, the grounding agent and the speaker selection."""

    env: TextEnvironment
    max_steps: int
    actions: list[str] = field(default_factory=list)
    observations: list[str] = field(default_factory=list)
    hints: list[str] = field(default_factory=list)
    failures_in_a_row: int = 0
    done: bool = False
    success: bool = False

    @property
    def needs_hint(self) -> bool:
        """True while the last two (or more) actions all failed."""
        return self.failures_in_a_row >= 2

    @property
    def finished(self) -> bool:
        """The episode ended, or the step budget is spent."""
        return self.done or len(self.actions) >= self.max_steps


def parse_action(text: str) -> str:
    """The command in a reply: the last 'ACTION: ...' line, else the last non-empty line."""
    matches = re.findall(r"^\s*(?:>\s*)?action\s*:\s*(.+?)\s*$", text, re.I | re.M)
    if matches:
        action = str(matches[-1])
    else:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        action = lines[-1] if lines else ""
    return action.strip().strip("`'\"").rstrip(".").strip()


def commonsense_hint(action: str, admissible: list[str]) -> str:
    """A hint for a failing ``action``: the rule for its verb and the commands that work now."""
    verb = action.split(" ", 1)[0].lower() if action else ""
    rule = HINTS.get(verb, GENERIC_HINT)
    options = ", ".join(admissible) if admissible else "look, inventory"
    return f"Hint: '{action}' failed twice in a row. {rule} Commands available now: {options}."


def make_executor(state: EpisodeState) -> ConversableAgent:
    """The agent that runs each action in the environment and reports the observation."""
    executor = ConversableAgent(
        "executor",
        system_message="",
        llm_config=False,
        human_input_mode="NEVER",
        description="Runs the assistant's action in the environment and reports what happens.",
    )

    def run_action(
        recipient: ConversableAgent,
        messages: list[Message] | None,
        sender: ConversableAgent | None,
        config: Any,
    ) -> ReplyResult:
        last = content_str(messages[-1].get("content")) if messages else ""
        action = parse_action(last)
        observation, reward, done, info = state.env.step(action)
        state.actions.append(action)
        state.observations.append(observation)
        failed = observation.strip() == NOTHING_HAPPENS
        state.failures_in_a_row = state.failures_in_a_row + 1 if failed else 0
        if done:
            state.done = True
            state.success = _episode_won(state.env, reward, done, info)
        return True, observation

    executor.register_reply([ConversableAgent, None], run_action, remove_other_reply_funcs=True)
    return executor


def make_grounding_agent(
    state: EpisodeState, llm_config: dict[str, Any] | Literal[False] = False
) -> ConversableAgent:
    """The agent with commonsense knowledge; rule-based unless given an ``llm_config``."""
    grounding = ConversableAgent(
        "grounding",
        system_message=GROUNDING_SYSTEM_MESSAGE,
        llm_config=llm_config,
        human_input_mode="NEVER",
        description="Gives commonsense hints when the assistant's actions keep failing.",
    )

    def hint(
        recipient: ConversableAgent,
        messages: list[Message] | None,
        sender: ConversableAgent | None,
        config: Any,
    ) -> ReplyResult:
        text = commonsense_hint(state.actions[-1] if state.actions else "", _admissible(state))
        state.hints.append(text)
        return True, text

    if llm_config is False:
        grounding.register_reply([ConversableAgent, None], hint, remove_other_reply_funcs=True)
    else:

        def record(message: Any, **_: Any) -> Any:
            state.hints.append(
                content_str(message.get("content")) if isinstance(message, dict) else str(message)
            )
            return message

        grounding.register_hook("process_message_before_send", record)
    return grounding


def _admissible(state: EpisodeState) -> list[str]:
    try:
        return list(state.env.admissible_commands)
    except (AttributeError, TypeError):  # some wrapped envs do not know their commands
        return []


# Observations and actions are a few lines; a model that rambles is cut to this many tokens.
MESSAGE_TOKENS = 256


def run_episode(
    env: Any,
    llm_config: dict[str, Any],
    max_steps: int = 30,
    *,
    grounding_llm_config: dict[str, Any] | Literal[False] = False,
    silent: bool = True,
    history_messages: int | None = 12,
) -> EpisodeResult:
    """Play one episode of ``env`` (a ``TextEnvironment`` or any reset/step object).

    The assistant sees the first observation (the task) and the last ``history_messages``
    messages, each cut to ``MESSAGE_TOKENS``, so a long episode fits a small model's context
    window (None: everything).
    """
    if isinstance(max_steps, bool) or not isinstance(max_steps, int) or max_steps < 1:
        raise ConfigError("max_steps", max_steps, "must be a positive integer")
    environment = as_environment(env)
    observation, _ = environment.reset()
    state = EpisodeState(environment, max_steps)
    assistant = AssistantAgent(
        "assistant", system_message=ASSISTANT_SYSTEM_MESSAGE, llm_config=llm_config
    )
    if history_messages is not None:
        limiters: list[MessageTransform] = [
            MessageHistoryLimiter(max_messages=history_messages, keep_first_message=True),
            MessageTokenLimiter(max_tokens_per_message=MESSAGE_TOKENS),
        ]
        TransformMessages(transforms=limiters, verbose=False).add_to_agent(assistant)
    executor = make_executor(state)
    grounding = make_grounding_agent(state, grounding_llm_config)

    def next_speaker(last: ConversableAgent, groupchat: GroupChat) -> ConversableAgent | None:
        if last is assistant:
            return executor
        if state.finished:
            return None
        if last is executor and state.needs_hint:
            return grounding
        return assistant

    groupchat = GroupChat(
        agents=[assistant, executor, grounding],
        max_round=4 * max_steps + 2,
        speaker_selection_method=next_speaker,
    )
    manager = GroupChatManager(groupchat, llm_config=False, silent=silent)
    for agent in (assistant, executor, grounding):
        agent.silent = silent
    chat = executor.initiate_chat(manager, message=observation, silent=silent)
    return EpisodeResult(
        success=state.success,
        steps=len(state.actions),
        actions=list(state.actions),
        observations=list(state.observations),
        hints=list(state.hints),
        chat_result=chat,
    )
