"""save_state / load_state: an agent's per-peer state as JSON-safe data, and back."""

import json
from typing import Any

import pytest

from convogen import ConfigError, ConversableAgent


def agent(name: str, **kwargs: Any) -> ConversableAgent:
    kwargs.setdefault("human_input_mode", "NEVER")
    return ConversableAgent(name, llm_config=False, silent=True, **kwargs)


def chatted() -> tuple[ConversableAgent, ConversableAgent]:
    user, bot = agent("user"), agent("bot", default_auto_reply="noted")
    user.initiate_chat(bot, message="hello", max_turns=2)
    return user, bot


def test_saved_state_is_json_safe_and_keyed_by_peer_name() -> None:
    user, bot = chatted()
    state = bot.save_state()
    assert json.loads(json.dumps(state)) == state
    assert state["name"] == "bot"
    contents = [m["content"] for m in state["histories"]["user"]]
    assert contents == ["hello", "noted", "", "noted"]
    assert state["auto_reply_counts"] == {"user": bot.auto_reply_count(user)}


def test_state_without_histories_leaves_them_out() -> None:
    _, bot = chatted()
    assert "histories" not in bot.save_state(histories=False)


def test_loaded_state_restores_histories_and_counters() -> None:
    user, bot = chatted()
    saved = json.loads(json.dumps(bot.save_state()))
    fresh = agent("bot")
    fresh.load_state(saved, peers=[user])
    assert fresh.chat_messages[user] == bot.chat_messages[user]
    assert fresh.auto_reply_count(user) == bot.auto_reply_count(user)
    assert fresh.save_state() == bot.save_state()


def test_loading_a_state_naming_an_unknown_peer_is_an_error() -> None:
    _, bot = chatted()
    with pytest.raises(ConfigError, match="user"):
        agent("bot").load_state(bot.save_state(), peers=[agent("someone")])


@pytest.mark.parametrize(
    ("state", "field"),
    [
        ([], "state"),
        ({"auto_reply_counts": {"user": "three"}}, "auto_reply_counts"),
        ({"histories": {"user": "not a list"}}, "histories"),
        ({"histories": {"user": ["not a dict"]}}, "histories"),
        ({"human_inputs": "typed"}, "human_inputs"),
    ],
)
def test_a_malformed_state_is_an_error_naming_the_field(state: Any, field: str) -> None:
    with pytest.raises(ConfigError, match=field):
        agent("bot").load_state(state, peers=[agent("user")])
