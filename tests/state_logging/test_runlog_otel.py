"""OpenTelemetry spans (GenAI conventions) for chats, LLM calls, tools and code."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("opentelemetry.sdk", reason="opentelemetry-sdk is not installed")

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)
from opentelemetry.trace import StatusCode

from convogen import AssistantAgent, UserProxyAgent, register_function
from convogen.interception import JSON_CODEC, effect
from convogen.llm.scripted import scripted_llm_config
from convogen.state.logging import (
    chat_summary,
    disable_tracing,
    enable_tracing,
    list_chats,
    start_logging,
    stop_logging,
)
from convogen.state.logging.otel import gen_ai_system

TOOL_REPLY = {
    "content": None,
    "tool_calls": [
        {"id": "c1", "type": "function", "function": {"name": "add", "arguments": '{"a": 2}'}}
    ],
}


def ends_with_terminate(message: dict[str, Any]) -> bool:
    """The scripts below end their last reply with TERMINATE after some text."""
    return str(message.get("content") or "").rstrip().endswith("TERMINATE")


def add(a: int, b: int = 3) -> int:
    """Add two integers."""
    return a + b


def run_tool_chat() -> Any:
    config = scripted_llm_config(
        [TOOL_REPLY, "5 TERMINATE"], model="scripted-gpt", price=(1.0, 2.0), temperature=0.2
    )
    assistant = AssistantAgent("assistant", llm_config=config, silent=True)
    user = UserProxyAgent(
        "user",
        human_input_mode="NEVER",
        code_execution_config=False,
        silent=True,
        is_termination_msg=ends_with_terminate,
    )
    register_function(add, caller=assistant, executor=user)
    return user.initiate_chat(assistant, message="What is 2 + 3?")


@pytest.fixture
def exporter() -> Iterator[InMemorySpanExporter]:
    memory = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(memory))
    enable_tracing(provider)
    try:
        yield memory
    finally:
        disable_tracing()


def by_name(exporter: InMemorySpanExporter) -> dict[str, list[Any]]:
    spans: dict[str, list[Any]] = {}
    for span in exporter.get_finished_spans():
        spans.setdefault(span.name, []).append(span)
    return spans


def test_chat_llm_and_tool_spans(exporter: InMemorySpanExporter) -> None:
    result = run_tool_chat()
    spans = by_name(exporter)
    (chat,) = spans["invoke_agent assistant"]
    assert chat.attributes["gen_ai.operation.name"] == "invoke_agent"
    assert chat.attributes["gen_ai.agent.name"] == "assistant"
    assert chat.attributes["convogen.chat.id"] == result.chat_id
    assert chat.attributes["convogen.stop_reason"] == "termination_message"
    assert chat.attributes["convogen.cost.total"] == pytest.approx(
        result.cost["usage_including_cached_inference"]["total_cost"]
    )
    llm = spans["chat scripted-gpt"]
    assert len(llm) == 2
    for span in llm:
        attrs = span.attributes
        assert attrs["gen_ai.operation.name"] == "chat"
        assert attrs["gen_ai.system"] == "convogen.scripted"
        assert attrs["gen_ai.request.model"] == attrs["gen_ai.response.model"] == "scripted-gpt"
        assert attrs["gen_ai.request.temperature"] == 0.2
        assert attrs["gen_ai.usage.input_tokens"] > 0 and attrs["gen_ai.usage.output_tokens"] > 0
        assert span.parent is not None and span.parent.span_id == chat.context.span_id
        assert span.context.trace_id == chat.context.trace_id
    (tool,) = spans["execute_tool add"]
    assert tool.attributes["gen_ai.operation.name"] == "execute_tool"
    assert tool.attributes["gen_ai.tool.name"] == "add"
    assert tool.parent is not None and tool.parent.span_id == chat.context.span_id


def test_failed_llm_call_marks_its_span(exporter: InMemorySpanExporter) -> None:
    assistant = AssistantAgent("assistant", llm_config=scripted_llm_config([]), silent=True)
    user = UserProxyAgent(
        "user",
        human_input_mode="NEVER",
        code_execution_config=False,
        silent=True,
        is_termination_msg=ends_with_terminate,
    )
    with pytest.raises(Exception, match="scripted model"):
        user.initiate_chat(assistant, message="hi")
    spans = by_name(exporter)
    (llm,) = spans["chat scripted"]
    assert llm.status.status_code is StatusCode.ERROR
    assert llm.attributes["error.type"] == "ScriptExhaustedError"
    (chat,) = spans["invoke_agent assistant"]
    assert chat.status.status_code is StatusCode.ERROR


def test_nested_chat_spans(exporter: InMemorySpanExporter) -> None:
    inner_bot = AssistantAgent(
        "inner", llm_config=scripted_llm_config(["inner says hi TERMINATE"]), silent=True
    )
    outer_user = UserProxyAgent(
        "outer_user",
        human_input_mode="NEVER",
        code_execution_config=False,
        silent=True,
        is_termination_msg=ends_with_terminate,
    )
    relay = UserProxyAgent(
        "relay",
        human_input_mode="NEVER",
        code_execution_config=False,
        silent=True,
        is_termination_msg=ends_with_terminate,
    )
    relay.register_nested_chats(
        [{"recipient": inner_bot, "max_turns": 1, "summary_method": "last_msg"}],
        trigger=outer_user,
    )
    outer_user.initiate_chat(relay, message="start", max_turns=1)
    spans = by_name(exporter)
    (outer,) = spans["invoke_agent relay"]
    (inner,) = spans["invoke_agent inner"]
    assert inner.parent is not None and inner.parent.span_id == outer.context.span_id
    (llm,) = spans["chat scripted"]
    assert llm.parent is not None and llm.parent.span_id == inner.context.span_id


def test_code_and_human_effects_get_spans(exporter: InMemorySpanExporter) -> None:
    async def effects() -> None:
        async def run_code() -> dict[str, Any]:
            return {"exit_code": 1, "output": "boom", "files": []}

        async def ask() -> str:
            return "yes"

        request = {"agent": "runner", "blocks": [{"code": "exit(1)", "language": "python"}]}
        await effect("code", request, run_code, JSON_CODEC)
        await effect("human", {"agent": "alice", "prompt": "ok?"}, ask, JSON_CODEC)

    asyncio.run(effects())
    spans = by_name(exporter)
    (code,) = spans["execute_code"]
    assert code.attributes["convogen.code.languages"] == ("python",)
    assert code.attributes["convogen.code.exit_code"] == 1
    assert code.attributes["gen_ai.agent.name"] == "runner"
    assert spans["human_input alice"]


def test_start_logging_with_otel_writes_both(tmp_path: Path) -> None:
    memory = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(memory))
    db = tmp_path / "logs.db"
    start_logging(db, otel=True, tracer_provider=provider)
    try:
        result = run_tool_chat()
    finally:
        stop_logging()
    assert chat_summary(db, result.chat_id)["llm_calls"] == 2
    assert len(list_chats(db)) == 1
    names = {span.name for span in memory.get_finished_spans()}
    assert {"invoke_agent assistant", "chat scripted-gpt", "execute_tool add"} <= names
    run_tool_chat()  # tracing ended with the logging session
    assert len(memory.get_finished_spans()) == 4


def test_gen_ai_system_names() -> None:
    assert gen_ai_system({"api_type": "openai", "model": "gpt-4o"}) == "openai"
    assert gen_ai_system({"api_type": "local", "model": "x"}) == "llama_cpp"
    assert gen_ai_system({"api_type": "mistral"}) == "mistral"
    assert gen_ai_system({"model": "scripted"}) == "convogen.scripted"
    assert gen_ai_system({"model": "gpt-4o"}) == "_OTHER"
