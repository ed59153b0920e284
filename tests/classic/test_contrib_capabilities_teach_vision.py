"""``Teachability`` and ``VisionCapability`` at their 0.2 paths, with scripted models."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import Any

import pytest

from convogen import scripted_llm_config
from convogen.agentchat import AssistantAgent
from convogen.agentchat.contrib.capabilities.agent_capability import AgentCapability
from convogen.agentchat.contrib.capabilities.vision_capability import (
    DEFAULT_DESCRIPTION_PROMPT,
    VisionCapability,
)
from convogen.errors import ConfigError

FACT = "Remember this: the capital of Zorbia is Quxville."
QUESTION = "What is the capital of Zorbia?"


def echo(messages: list[dict[str, Any]]) -> str:
    """A model that answers with the last message it was shown."""
    return str(messages[-1]["content"])


def analyzer(messages: list[dict[str, Any]]) -> str:
    """A scripted TextAnalyzerAgent model that knows one fact worth remembering."""
    prompt = str(messages[-1]["content"])
    if "perform a task" in prompt:
        return "no"
    if "committed to memory? Answer" in prompt:
        return "yes" if "Quxville" in prompt else "no"
    if "How would they ask" in prompt:
        return QUESTION
    if "Copy the information" in prompt:
        return "The capital of Zorbia is Quxville."
    return "none"


@pytest.fixture
def teachable(tmp_path: Path) -> tuple[AssistantAgent, Any]:
    pytest.importorskip("chromadb")
    from convogen.agentchat.contrib.capabilities.teachability import Teachability

    agent = AssistantAgent("teachable", llm_config=scripted_llm_config(echo))
    teachability = Teachability(
        path_to_db_dir=str(tmp_path / "db"), llm_config=scripted_llm_config(analyzer)
    )
    teachability.add_to_agent(agent)
    return agent, teachability


def test_teachability_stores_a_taught_fact_as_a_memo(teachable: tuple[Any, Any]) -> None:
    agent, teachability = teachable
    agent.generate_reply(messages=[{"role": "user", "content": FACT}])
    memos = list(teachability.memo_store.uid_text_dict.values())
    assert memos == [(QUESTION, "The capital of Zorbia is Quxville.")]


def test_teachability_recalls_the_memo_for_a_related_question(
    teachable: tuple[Any, Any],
) -> None:
    agent, _ = teachable
    agent.generate_reply(messages=[{"role": "user", "content": FACT}])
    reply = agent.generate_reply(messages=[{"role": "user", "content": QUESTION}])
    assert reply.startswith(QUESTION)
    assert "# Memories that might help\n- The capital of Zorbia is Quxville." in reply


def test_teachability_memories_survive_a_new_store_on_the_same_dir(
    teachable: tuple[Any, Any], tmp_path: Path
) -> None:
    from convogen.agentchat.contrib.capabilities.teachability import MemoStore

    agent, _ = teachable
    agent.generate_reply(messages=[{"role": "user", "content": FACT}])
    store = MemoStore(path_to_db_dir=str(tmp_path / "db"))
    related = store.get_related_memos(QUESTION, n_results=3, threshold=1.5)
    assert [output for _, output, _ in related] == ["The capital of Zorbia is Quxville."]


def test_teachability_notes_the_ability_in_the_system_message(
    teachable: tuple[Any, Any],
) -> None:
    agent, _ = teachable
    assert agent.system_message.endswith("remember user teachings from prior conversations.")


def test_memo_store_reset_forgets_everything(tmp_path: Path) -> None:
    pytest.importorskip("chromadb")
    from convogen.agentchat.contrib.capabilities.teachability import MemoStore

    store = MemoStore(path_to_db_dir=str(tmp_path))
    store.prepopulate()
    assert store.last_memo_id == 10
    assert MemoStore(reset=True, path_to_db_dir=str(tmp_path)).uid_text_dict == {}


def test_teachability_needs_a_model(tmp_path: Path) -> None:
    pytest.importorskip("chromadb")
    from convogen.agentchat.contrib.capabilities.teachability import Teachability

    teachability = Teachability(path_to_db_dir=str(tmp_path))
    with pytest.raises(ConfigError, match="llm_config"):
        teachability.add_to_agent(AssistantAgent("a", llm_config=False))


def png_file(path: Path) -> Path:
    """A 1x1 red PNG, written without PIL."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
    path.write_bytes(data + chunk(b"IEND", b""))
    return path


def test_vision_capability_captions_an_image_with_the_lmm(tmp_path: Path) -> None:
    seen: list[Any] = []

    def lmm(messages: list[dict[str, Any]]) -> str:
        seen.append(messages[-1]["content"])
        return "a red square"

    image = png_file(tmp_path / "red.png")
    agent = AssistantAgent("viewer", llm_config=scripted_llm_config(echo))
    VisionCapability(lmm_config=scripted_llm_config(lmm)).add_to_agent(agent)
    reply = agent.generate_reply(messages=[{"role": "user", "content": f"What is <img {image}>?"}])
    assert reply == (
        f"What is <img {image}> in case you can not see, the caption of this image is: "
        "a red square\n?"
    )
    prompt, picture = seen[0]
    assert prompt == {"type": "text", "text": DEFAULT_DESCRIPTION_PROMPT}
    assert picture["image_url"]["url"].startswith("data:image/png;base64,")


def test_vision_capability_takes_image_url_parts() -> None:
    agent = AssistantAgent("viewer", llm_config=scripted_llm_config(echo))
    capability = VisionCapability(lmm_config=scripted_llm_config(["a cat"]))
    content = [
        {"type": "text", "text": "Look: "},
        {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}},
    ]
    capability.add_to_agent(agent)
    assert capability.process_last_received_message(content) == (
        "Look: <img https://example.com/cat.png> in case you can not see, "
        "the caption of this image is: a cat\n"
    )


def test_vision_capability_leaves_text_without_images_alone() -> None:
    capability = VisionCapability(lmm_config=scripted_llm_config([]))
    assert capability.process_last_received_message("just text") == "just text"


def test_vision_capability_notes_the_ability_in_the_system_message() -> None:
    agent = AssistantAgent("viewer", llm_config=False)
    VisionCapability(lmm_config=scripted_llm_config([])).add_to_agent(agent)
    assert agent.system_message.endswith("You've been given the ability to interpret images.")


def test_vision_capability_needs_a_model_or_a_caption_function() -> None:
    with pytest.raises(ConfigError, match="lmm_config"):
        VisionCapability(lmm_config=False)


def test_vision_capability_uses_a_custom_caption_function(tmp_path: Path) -> None:
    pytest.importorskip("PIL")
    image = png_file(tmp_path / "red.png")
    captured: list[Any] = []

    def caption(url: str, pil_image: Any, client: Any) -> str:
        captured.append((url, pil_image.size, client))
        return "custom"

    capability = VisionCapability(lmm_config=False, custom_caption_func=caption)
    out = capability.process_last_received_message(f"<img {image}>")
    assert out.endswith("the caption of this image is: custom\n")
    assert captured == [(str(image), (1, 1), None)]


def test_agent_capability_base_requires_add_to_agent() -> None:
    with pytest.raises(NotImplementedError, match="add_to_agent"):
        AgentCapability().add_to_agent(AssistantAgent("a", llm_config=False))
