"""The invoke step: one request to one client, as an interceptable effect, within its timeout."""

from __future__ import annotations

from convogen.interception import active_interceptors, effect
from convogen.llm.context import check_fits
from convogen.llm.errors import ModelTimeoutError
from convogen.llm.pipeline.cache_step import RESPONSE_CODEC, describe
from convogen.llm.pipeline.slot import Slot
from convogen.llm.protocol import ModelClient, ModelRequest, ModelResponse


async def invoke(slot: Slot, client: ModelClient, request: ModelRequest) -> ModelResponse:
    """Send ``request`` to ``client`` after the context-window check; recorders see the call."""
    check_fits(slot.model, slot.context_window, request.messages, request.params)
    if not active_interceptors():
        return await call_client(client, request, slot.model)
    return await _intercepted(slot, client, request)


async def _intercepted(slot: Slot, client: ModelClient, request: ModelRequest) -> ModelResponse:
    """The call through the interceptors, which may answer it without the client."""
    called = False

    async def call() -> ModelResponse:
        nonlocal called
        called = True
        return await call_client(client, request, slot.model)

    response = await effect("llm", describe(slot.model, request), call, RESPONSE_CODEC)
    if not called and slot.replay_observer is not None:
        # Answered from a recording or a durable journal: a client that counts its calls (a
        # scripted list of replies) hears of it, so its later replies line up.
        slot.replay_observer.note_replayed(request)
    return response


async def call_client(client: ModelClient, request: ModelRequest, model: str) -> ModelResponse:
    """``client.create(request)``, bounded by a numeric ``timeout`` param when there is one."""
    timeout = request.params.get("timeout")
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool):
        return await client.create(request)
    import asyncio  # here, not at module level: asyncio is costly to import

    try:
        # The SDK enforces the timeout on the HTTP request too; this also bounds clients
        # that don't know about timeouts (custom and local ones).
        return await asyncio.wait_for(client.create(request), timeout)
    except TimeoutError as exc:
        raise ModelTimeoutError(f"no reply within timeout={timeout}s", model=model) from exc
