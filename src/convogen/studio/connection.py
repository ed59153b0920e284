"""'Test connection' for a library model: one tiny request through convogen's OpenAIWrapper."""

from __future__ import annotations

import time
from typing import Any

from convogen.messages import Message
from convogen.redaction import redact_text
from convogen.specs.secrets import resolve_env_refs
from convogen.studio.definitions import ModelDef

PING: list[Message] = [{"role": "user", "content": "Reply with the single word OK."}]
TIMEOUT_S = 20


def one_line(exc: BaseException) -> str:
    """An error as one line: its type and the first line of its message, secrets masked."""
    text = str(exc).strip().splitlines()
    return redact_text(f"{type(exc).__name__}: {text[0] if text else '(no message)'}")


async def check_model(model: ModelDef) -> dict[str, Any]:
    """Whether ``model`` answers: ok, its reply and the seconds it took, or a one-line error."""
    started = time.monotonic()
    try:
        config = resolve_env_refs(model.llm_config(), f"models[{model.name}]")
        entry = dict(config["config_list"][0])
        if model.api_type == "local":
            import convogen.llm.local  # noqa: F401  (registers api_type 'local')
        else:
            entry.update(max_retries=0, timeout=TIMEOUT_S)
        from convogen.llm.wrapper import OpenAIWrapper

        wrapper = OpenAIWrapper(config_list=[entry], cache_seed=None)
        response = await wrapper.a_create(messages=PING, max_tokens=8)
    except Exception as exc:  # every failure is the answer here, shown as one line
        return {"ok": False, "model": model.name, "error": one_line(exc)}
    return {
        "ok": True,
        "model": model.name,
        "reply": redact_text(response.text or ""),
        "seconds": round(time.monotonic() - started, 3),
    }
