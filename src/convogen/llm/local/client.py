"""``LocalModelClient``: the model-client protocol on an in-process llama.cpp model."""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from convogen.errors import ConfigError
from convogen.llm.context import overflow_from_llama
from convogen.llm.errors import BadResponseError
from convogen.llm.local.convert import parse_tool_call, to_chat_messages, tools_prompt
from convogen.llm.local.engine import LocalModel, ModelSettings, get_local_model
from convogen.llm.local.grammars import (
    MAX_STRING_CHARS,
    check_options,
    choice_grammar,
    json_object_grammar,
    schema_grammar,
    tool_call_schema,
    tool_or_text_grammar,
)
from convogen.llm.local.model_file import DEFAULT_MODEL_NAME, require_llama_cpp
from convogen.llm.protocol import ClientCapabilities, ModelRequest, ModelResponse, Usage
from convogen.messages import Message

# Request params passed to llama.cpp unchanged.
_SAMPLING = ("temperature", "top_p", "top_k", "min_p", "repeat_penalty", "presence_penalty")
_SAMPLING_MORE = ("frequency_penalty", "logit_bias")
# llama.cpp's own default; a 135M model rambles at OpenAI's default of 1.0.
DEFAULT_TEMPERATURE = 0.2


@dataclass
class _Plan:
    """One request, validated and translated for llama.cpp."""

    messages: list[dict[str, str]]
    sampling: dict[str, Any]
    n: int = 1
    seed: int | None = None
    max_tokens: int | None = None
    mode: str = "text"  # text | json | choice | tool | auto
    grammar: str | None = None
    tool_grammar: str | None = None
    stream: Callable[[str], None] | None = None
    options: list[str] = field(default_factory=list)


class LocalModelClient:
    """A model client that runs a GGUF chat model in this process with llama.cpp.

    Config entry keys: ``model_path`` (default: the embedded SmolLM2-135M-Instruct), ``n_ctx``
    (default 2048), ``n_threads`` (default: half the cores). Request params: ``temperature``
    (default 0.2), ``top_p``, ``top_k``, ``min_p``, ``max_tokens``, ``stop``, ``seed``, ``n``,
    ``tools`` with ``tool_choice``, ``response_format`` and ``choices`` (a list of strings the
    reply must be exactly one of). Replies forced into a shape (tool calls, schemas, choices)
    always parse: for them ``max_tokens`` is not a cut-off, the reply runs until its grammar is
    complete, and JSON strings without a ``maxLength`` hold at most ``max_string_chars`` (64).
    """

    # A grammar enforces ``choices`` and JSON schemas during decoding.
    capabilities = ClientCapabilities(constrained_choices=True, json_schema_output=True)

    def __init__(self, config: dict[str, Any] | None = None, **kwargs: Any) -> None:
        entry = {**(config or {}), **kwargs}
        self.settings = ModelSettings.from_entry(entry)
        require_llama_cpp()
        default_name = DEFAULT_MODEL_NAME if entry.get("model_path") is None else None
        self.model: str = str(entry.get("model") or default_name or self.settings.model_path.stem)
        self.stream_output: Callable[[str], None] | None = entry.get("stream_output")

    @property
    def context_window(self) -> int:
        """The context window in tokens: the ``n_ctx`` the model is loaded with."""
        return self.settings.n_ctx

    @property
    def engine(self) -> LocalModel:
        """The shared loaded model (loaded on first use)."""
        return get_local_model(self.settings)

    async def create(self, request: ModelRequest) -> ModelResponse:
        """Complete ``request`` on a worker thread, so the event loop keeps running."""
        plan = self._plan(request)
        return await asyncio.to_thread(self.run_plan, plan)

    def create_sync(self, request: ModelRequest) -> ModelResponse:
        """Blocking twin of ``create`` for threads without an event loop (the HTTP server)."""
        return self.run_plan(self._plan(request))

    # ----------------------------------------------------------------- planning
    def _plan(self, request: ModelRequest) -> _Plan:
        params = dict(request.params)
        sampling: dict[str, Any] = {"temperature": DEFAULT_TEMPERATURE}
        sampling.update({k: params[k] for k in _SAMPLING + _SAMPLING_MORE if k in params})
        if params.get("stop") is not None:
            stop = params["stop"]
            sampling["stop"] = [stop] if isinstance(stop, str) else list(stop)
        plan = _Plan(messages=[], sampling=sampling)
        plan.n = _positive_int(params.get("n", 1), "n")
        max_tokens = params.get("max_tokens", params.get("max_completion_tokens"))
        plan.max_tokens = None if max_tokens is None else _positive_int(max_tokens, "max_tokens")
        seed = params.get("seed")
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
            raise ConfigError("seed", seed, "must be an int")
        plan.seed = seed
        system_extra = self._plan_shape(plan, params)
        plan.messages = to_chat_messages(request.messages, system_extra)
        if params.get("stream") and plan.mode == "text" and plan.n == 1:
            output = params.get("stream_output") or self.stream_output
            if output is None:
                from convogen.llm.streaming import default_stream_output

                output = default_stream_output
            plan.stream = output
        return plan

    def _plan_shape(self, plan: _Plan, params: dict[str, Any]) -> str | None:
        """Set the plan's grammar from choices/tools/response_format; return system-prompt text."""
        if params.get("choices") is not None:
            plan.options = check_options(params["choices"])
            plan.mode, plan.grammar = "choice", choice_grammar(plan.options)
            return None
        max_string = params.get("max_string_chars", MAX_STRING_CHARS)
        _positive_int(max_string, "max_string_chars")
        tools = params.get("tools")
        tool_choice = params.get("tool_choice", "auto" if tools else "none")
        if tools and tool_choice != "none":
            only = _named_tool(tool_choice)
            schema = tool_call_schema(tools, only)
            plan.tool_grammar = schema_grammar(schema, "tools", max_string)
            if tool_choice == "auto":
                plan.mode, plan.grammar = "auto", tool_or_text_grammar(plan.tool_grammar)
                return tools_prompt(tools, None)
            plan.mode, plan.grammar = "tool", plan.tool_grammar
            return tools_prompt(tools, only or "any")
        response_schema = _response_schema(params.get("response_format"))
        if response_schema is None:
            return None
        if response_schema == {"type": "object"}:
            plan.mode, plan.grammar = "json", json_object_grammar(max_string)
        else:
            plan.mode, plan.grammar = "json", schema_grammar(response_schema, max_string=max_string)
        return "Reply with only a JSON object."

    # ---------------------------------------------------------------- running
    def run_plan(self, plan: _Plan) -> ModelResponse:
        """Generate every choice of ``plan`` (blocking; holds the model lock per choice)."""
        engine = self.engine
        choices: list[Message] = []
        raws: list[dict[str, Any]] = []
        prompt_tokens = completion_tokens = 0
        base_seed = plan.seed if plan.seed is not None else random.randrange(2**31)
        for index in range(plan.n):
            seed = base_seed + index
            try:
                if plan.stream is not None:
                    raw = self._stream(engine, plan, seed)
                else:
                    raw = self._generate(engine, plan, plan.grammar, seed)
            except ValueError as exc:
                # llama.cpp says "Requested tokens (N) exceed context window of W": typed here.
                overflow = overflow_from_llama(exc, self.model)
                if overflow is None:
                    raise
                raise overflow from exc
            message, raw = self._finish(engine, plan, raw, seed)
            choices.append(message)
            raws.append(raw)
            usage = raw.get("usage") or {}
            prompt_tokens = int(usage.get("prompt_tokens", prompt_tokens))
            completion_tokens += int(usage.get("completion_tokens", 0))
        return ModelResponse(
            choices=choices,
            model=self.model,
            usage=Usage(prompt_tokens=prompt_tokens, completion_tokens=completion_tokens),
            cost=0.0,
            raw=raws,
        )

    def _generate(
        self, engine: LocalModel, plan: _Plan, grammar: str | None, seed: int
    ) -> dict[str, Any]:
        kwargs: dict[str, Any] = {**plan.sampling, "messages": plan.messages, "seed": seed}
        if grammar is None:
            kwargs["max_tokens"] = plan.max_tokens
        else:
            from llama_cpp import llama_grammar

            kwargs["grammar"] = llama_grammar.LlamaGrammar.from_string(grammar, verbose=False)
            # A cut-off would break the shape the grammar guarantees, and a stop string could
            # occur inside a JSON string: constrained replies run until the grammar completes
            # (at most to the end of the context).
            kwargs["max_tokens"] = plan.max_tokens if plan.mode == "auto" else None
            kwargs.pop("stop", None)
        return engine.chat(**kwargs)

    def _stream(self, engine: LocalModel, plan: _Plan, seed: int) -> dict[str, Any]:
        assert plan.stream is not None
        kwargs = {**plan.sampling, "messages": plan.messages, "seed": seed}
        parts: list[str] = []
        finish: str | None = None
        context: dict[str, int] = {}
        for chunk in engine.chat_stream(context, max_tokens=plan.max_tokens, **kwargs):
            choice = chunk["choices"][0]
            text = choice.get("delta", {}).get("content")
            if text:
                parts.append(text)
                plan.stream(text)
            finish = choice.get("finish_reason") or finish
        content = "".join(parts)
        # Streamed chunks carry no usage: the completion is re-tokenized, and the prompt is what
        # else the context holds (may be off by one: the last sampled token is never evaluated).
        completion = engine.count_tokens(content) if content else 0
        prompt = max(0, context.get("n_tokens", 0) - completion)
        message = {"role": "assistant", "content": content}
        usage = {"prompt_tokens": prompt, "completion_tokens": completion}
        return {"choices": [{"message": message, "finish_reason": finish}], "usage": usage}

    def _finish(
        self, engine: LocalModel, plan: _Plan, raw: dict[str, Any], seed: int
    ) -> tuple[Message, dict[str, Any]]:
        choice = raw["choices"][0]
        text = choice["message"].get("content") or ""
        truncated = choice.get("finish_reason") == "length"
        if plan.mode == "text":
            return cast(Message, {"role": "assistant", "content": text}), raw
        if plan.mode == "auto":
            if not text.lstrip().startswith("{"):
                return cast(Message, {"role": "assistant", "content": text}), raw
            if truncated:
                # The reply had started a tool call when max_tokens cut it: generate the call
                # again without the cut-off, constrained to tool calls only.
                raw = self._generate(engine, _as_tool_plan(plan), plan.tool_grammar, seed)
                return self._finish(engine, _as_tool_plan(plan), raw, seed)
        if truncated:
            raise BadResponseError(
                f"the constrained reply did not finish within the context (n_ctx="
                f"{engine.n_ctx}); raise n_ctx or shorten the messages",
                model=self.model,
                body=text,
            )
        if plan.mode == "choice":
            if text not in plan.options:
                raise BadResponseError(
                    f"reply {text!r} is none of {plan.options}", model=self.model
                )
            return cast(Message, {"role": "assistant", "content": text}), raw
        if plan.mode == "json":
            try:
                json.loads(text)  # the grammar guarantees this; fail loudly if it ever does not
            except ValueError as exc:
                raise BadResponseError(f"reply is not JSON: {exc}", model=self.model) from exc
            return cast(Message, {"role": "assistant", "content": text}), raw
        message = parse_tool_call(text)
        if message is None:
            raise BadResponseError(f"reply is not a tool call: {text[:200]!r}", model=self.model)
        return message, raw


def _as_tool_plan(plan: _Plan) -> _Plan:
    return _Plan(
        messages=plan.messages,
        sampling=plan.sampling,
        mode="tool",
        grammar=plan.tool_grammar,
        tool_grammar=plan.tool_grammar,
    )


def _positive_int(value: object, field_name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ConfigError(field_name, value, "must be a positive int")
    return value


def _named_tool(tool_choice: object) -> str | None:
    """The function name a ``tool_choice`` forces, None for 'auto'/'required'."""
    if tool_choice in ("auto", "required", "any"):
        return None
    if isinstance(tool_choice, dict):
        function = tool_choice.get("function")
        name = function.get("name") if isinstance(function, dict) else None
        if isinstance(name, str):
            return name
    raise ConfigError(
        "tool_choice",
        tool_choice,
        "use 'auto', 'required', 'none' or {'type': 'function', 'function': {'name': ...}}",
    )


def _response_schema(response_format: object) -> dict[str, Any] | None:
    """The JSON schema a ``response_format`` asks for; None for plain text."""
    if response_format is None:
        return None
    if isinstance(response_format, type):
        from convogen.llm.structured import is_model_class

        if is_model_class(response_format):
            schema: dict[str, Any] = response_format.model_json_schema()  # type: ignore[attr-defined]
            return schema
    if isinstance(response_format, dict):
        kind = response_format.get("type")
        if kind == "text":
            return None
        if kind == "json_object":
            return {"type": "object"}
        spec = response_format.get("json_schema")
        if (
            kind == "json_schema"
            and isinstance(spec, dict)
            and isinstance(spec.get("schema"), dict)
        ):
            return cast(dict[str, Any], spec["schema"])
    raise ConfigError(
        "response_format",
        response_format,
        "use a pydantic model class, {'type': 'json_object'} or "
        "{'type': 'json_schema', 'json_schema': {'schema': {...}}}",
    )
