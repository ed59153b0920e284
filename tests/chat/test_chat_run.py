"""Each chat owns a ChatRun: its cache, usage, human input, files and stop stay its own."""

from pathlib import Path
from typing import Any

import pytest

from convogen import AssistantAgent, ConversableAgent, GroupChat, GroupChatManager, StopReason
from convogen.agents.io import ScriptedIO
from convogen.chat_run import cache_for_call, chat_run, current_run, record_files
from convogen.llm.cache import Cache
from convogen.llm.cache.backends import InMemoryBackend
from convogen.llm.scripted import scripted_llm_config


class CountingBackend(InMemoryBackend):
    """An in-memory cache backend that counts lookups and writes."""

    def __init__(self) -> None:
        super().__init__()
        self.gets = 0
        self.sets = 0

    def get(self, key: str, default: Any = None) -> Any:
        self.gets += 1
        return super().get(key, default)

    def set(self, key: str, value: Any) -> None:
        self.sets += 1
        super().set(key, value)


def bot(name: str, replies: list[str]) -> AssistantAgent:
    return AssistantAgent(name, llm_config=scripted_llm_config(replies), silent=True)


def proxy(name: str = "user", **kwargs: Any) -> ConversableAgent:
    kwargs.setdefault("human_input_mode", "NEVER")
    return ConversableAgent(name, llm_config=False, silent=True, **kwargs)


def model_calls(*agents: ConversableAgent) -> list[Any]:
    return [r for a in agents if a.client is not None for r in a.client.usage.records]


def total_tokens(result_cost: dict[str, Any], model: str = "scripted") -> int:
    usage = result_cost["usage_including_cached_inference"]
    return int(usage[model]["total_tokens"]) if model in usage else 0


def run_nested_chat_first(helper: ConversableAgent) -> Any:
    """A reply function that runs a nested chat (no cache) once, then lets the LLM reply."""
    done: list[bool] = []

    def reply(recipient: Any, messages: Any, sender: Any, config: Any) -> Any:
        if not done:
            done.append(True)
            recipient.initiate_chat(helper, message="inner question", max_turns=1, silent=True)
        return False, None

    return reply


def test_a_nested_chat_does_not_clear_the_outer_chats_cache() -> None:
    backend = CountingBackend()
    host = bot("host", ["h1", "h2", "h3"])
    helper = bot("helper", ["inner answer"])
    host.register_reply([ConversableAgent, None], run_nested_chat_first(helper))
    result = proxy(default_auto_reply="go on").initiate_chat(
        host, message="start", max_turns=3, cache=Cache(backend)
    )
    assert [m["content"] for m in result.chat_history][-1] == "h3"
    # Every model call of the host went through the outer cache (a miss, then a write),
    # including those after the nested chat; the nested chat, given no cache, used none.
    assert backend.sets == 3
    assert backend.gets == 3
    assert host.client_cache is None and helper.client_cache is None


def test_a_cached_repeat_of_the_outer_chat_makes_no_new_model_calls() -> None:
    cache = Cache(CountingBackend())
    for _ in range(2):
        host = bot("host", ["h1", "h2"])
        helper = bot("helper", ["inner answer"])
        host.register_reply([ConversableAgent, None], run_nested_chat_first(helper))
        proxy(default_auto_reply="go on").initiate_chat(
            host, message="start", max_turns=2, cache=cache
        )
    assert host.client is not None
    assert all(record.cached for record in host.client.usage.records)


def test_the_agents_client_cache_is_a_fallback_outside_a_run_cache() -> None:
    fallback = object()
    assert cache_for_call(fallback) is fallback
    with chat_run():
        assert cache_for_call(fallback) is fallback
    own = object()
    with chat_run(cache=own):
        assert cache_for_call(fallback) is own
        with chat_run():
            assert cache_for_call(None) is None  # a nested run's cache is its own
        assert cache_for_call(fallback) is own


def test_a_nested_chats_usage_counts_in_the_outer_result() -> None:
    host = bot("host", ["h1"])
    helper = bot("helper", ["inner answer"])
    host.register_reply([ConversableAgent, None], run_nested_chat_first(helper))
    result = proxy().initiate_chat(host, message="start", max_turns=1)
    calls = model_calls(host, helper)
    assert len(calls) == 2
    expected = sum(r.prompt_tokens + r.completion_tokens for r in calls)
    assert total_tokens(result.cost) == expected
    inner = host.last_chat_result
    assert inner is not None
    assert total_tokens(inner.cost) == sum(
        r.prompt_tokens + r.completion_tokens for r in model_calls(helper)
    )


def test_files_produced_in_a_nested_chat_appear_in_the_outer_result() -> None:
    helper = proxy("helper")
    plot = Path("plot.png")

    def produce(recipient: Any, messages: Any, sender: Any, config: Any) -> Any:
        record_files([plot])  # what the code-execution reply records for executed code
        return True, "made a plot"

    helper.register_reply([ConversableAgent, None], produce)
    inner_results: list[Any] = []

    def nested(recipient: Any, messages: Any, sender: Any, config: Any) -> Any:
        inner_results.append(recipient.initiate_chat(helper, message="plot it", max_turns=1))
        return True, "done"

    host = proxy("host")
    host.register_reply([ConversableAgent, None], nested)
    outer = proxy().initiate_chat(host, message="start", max_turns=1)
    assert inner_results[0].files == [plot]
    assert outer.files == [plot]


def test_human_input_of_a_nested_chat_is_in_both_results() -> None:
    io = ScriptedIO(["typed inside"])
    person = proxy("person", human_input_mode="ALWAYS", io_stream=io)
    helper = bot("helper", ["inner answer", "again"])
    results: list[Any] = []

    def nested(recipient: Any, messages: Any, sender: Any, config: Any) -> Any:
        results.append(person.initiate_chat(helper, message="inner question", max_turns=2))
        return True, "done"

    host = proxy("host")
    host.register_reply([ConversableAgent, None], nested)
    outer = proxy().initiate_chat(host, message="start", max_turns=1)
    assert results[0].human_input == ["typed inside"]
    assert outer.human_input == ["typed inside"]


def test_a_group_chats_result_counts_the_speakers_model_calls() -> None:
    alice, bob = bot("alice", ["a1", "a2"]), bot("bob", ["b1", "b2"])
    group = GroupChat(
        [alice, bob], messages=[], max_round=5, speaker_selection_method="round_robin"
    )
    manager = GroupChatManager(group, llm_config=False, silent=True)
    result = proxy().initiate_chat(manager, message="topic")
    calls = model_calls(alice, bob)
    assert len(calls) == 4
    assert total_tokens(result.cost) == sum(r.prompt_tokens + r.completion_tokens for r in calls)
    assert result.stop_reason is StopReason.MAX_ROUND
    assert result.stopped_by == "chat_manager"


def test_each_chat_has_its_own_run_and_none_is_left_current() -> None:
    host = bot("host", ["h1"])
    seen: list[Any] = []

    def spy(recipient: Any, messages: Any, sender: Any, config: Any) -> Any:
        seen.append(current_run())
        return False, None

    host.register_reply([ConversableAgent, None], spy)
    first = proxy().initiate_chat(host, message="one", max_turns=1)
    host.client.usage.records.clear()  # type: ignore[union-attr]
    second = proxy().initiate_chat(bot("host2", ["x"]), message="two", max_turns=1)
    assert seen[0] is not None and seen[0].chat_id == first.chat_id
    assert first.chat_id != second.chat_id
    assert current_run() is None


@pytest.mark.asyncio
async def test_an_async_chat_builds_its_result_from_its_run() -> None:
    host = bot("host", ["h1 TERMINATE"])
    result = await proxy(
        is_termination_msg=lambda m: "TERMINATE" in str(m.get("content"))
    ).a_initiate_chat(host, message="q")
    assert result.stop_reason is StopReason.TERMINATION_MESSAGE
    assert total_tokens(result.cost) > 0
