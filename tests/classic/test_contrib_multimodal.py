"""Classic ``MultimodalConversableAgent``: ``<img>`` tags reach the model as image parts."""

from __future__ import annotations

import base64
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from convogen.agentchat import UserProxyAgent
from convogen.agentchat.contrib.multimodal_conversable_agent import (
    DEFAULT_LMM_SYS_MSG,
    MultimodalConversableAgent,
)
from convogen.llm.test_server import OpenAICompatibleTestServer
from convogen.oai import OpenAIWrapper

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def server() -> Iterator[OpenAICompatibleTestServer]:
    with OpenAICompatibleTestServer(lambda body: "A small red square.") as srv:
        yield srv


@pytest.fixture
def red_png(tmp_path: Path) -> Path:
    image = pytest.importorskip("PIL.Image").new("RGB", (3, 3), (255, 0, 0))
    path = tmp_path / "red.png"
    image.save(path)
    return path


def llm_config(server: OpenAICompatibleTestServer) -> dict[str, Any]:
    entry = {"model": "gpt-4o", "base_url": server.base_url, "api_key": "sk-test"}
    return {"config_list": [entry], "cache_seed": None}


def ask(server: OpenAICompatibleTestServer, message: str) -> MultimodalConversableAgent:
    agent = MultimodalConversableAgent(
        "image-explainer", llm_config=llm_config(server), max_consecutive_auto_reply=1, silent=True
    )
    user = UserProxyAgent(
        "user",
        human_input_mode="NEVER",
        code_execution_config=False,
        max_consecutive_auto_reply=0,
        silent=True,
    )
    user.initiate_chat(agent, message=message)
    return agent


def sent_parts(server: OpenAICompatibleTestServer) -> list[dict[str, Any]]:
    parts: list[dict[str, Any]] = server.requests[0]["messages"][-1]["content"]
    return parts


def test_img_tag_for_a_file_reaches_the_model_as_a_png_data_uri(
    server: OpenAICompatibleTestServer, red_png: Path
) -> None:
    ask(server, f"What colour is this? <img {red_png}>")
    image = [p for p in sent_parts(server) if p["type"] == "image_url"]
    assert len(image) == 1
    url = image[0]["image_url"]["url"]
    assert url.startswith("data:image/png;base64,")
    assert base64.b64decode(url.split(",", 1)[1]) == red_png.read_bytes()


def test_text_around_the_tag_is_kept_as_text_parts(
    server: OpenAICompatibleTestServer, red_png: Path
) -> None:
    ask(server, f"Before <img {red_png}> after")
    assert [p["type"] for p in sent_parts(server)] == ["text", "image_url", "text"]
    assert sent_parts(server)[0]["text"] == "Before "
    assert sent_parts(server)[2]["text"] == " after"


def test_img_tag_with_a_url_is_sent_as_that_url(server: OpenAICompatibleTestServer) -> None:
    ask(server, "Describe <img https://example.com/cat.jpg>")
    assert sent_parts(server)[1] == {
        "type": "image_url",
        "image_url": {"url": "https://example.com/cat.jpg"},
    }


def test_received_message_is_stored_with_image_parts(
    server: OpenAICompatibleTestServer, red_png: Path
) -> None:
    agent = ask(server, f"Look: <img {red_png}>")
    stored = next(iter(agent.chat_messages.values()))[0]["content"]
    assert isinstance(stored, list)
    assert stored[1]["type"] == "image_url"


def test_system_message_is_sent_as_content_parts(server: OpenAICompatibleTestServer) -> None:
    ask(server, "hello")
    system = server.requests[0]["messages"][0]
    assert system == {"role": "system", "content": [{"type": "text", "text": DEFAULT_LMM_SYS_MSG}]}


def test_reply_of_the_vision_model_is_the_agents_answer(
    server: OpenAICompatibleTestServer, red_png: Path
) -> None:
    agent = ask(server, f"<img {red_png}>")
    assert agent.last_message()["content"] == "A small red square."  # type: ignore[index]


def test_unreadable_image_is_left_out_with_a_warning(
    server: OpenAICompatibleTestServer, tmp_path: Path
) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        ask(server, f"See <img {tmp_path / 'missing.png'}>")
    assert any("missing.png" in str(w.message) for w in caught)
    assert all(p["type"] == "text" for p in sent_parts(server))


def test_content_parts_pass_through_openai_wrapper_to_the_server(
    server: OpenAICompatibleTestServer,
) -> None:
    client = OpenAIWrapper(**llm_config(server))
    image = {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}
    content = [{"type": "text", "text": "What is it?"}, image]
    response = client.create(messages=[{"role": "user", "content": content}])
    assert response.choices[0].message.content == "A small red square."
    assert server.requests[0]["messages"][0]["content"][1] == image


def test_image_formats_models_do_not_take_are_sent_as_png(
    server: OpenAICompatibleTestServer, tmp_path: Path
) -> None:
    bmp = tmp_path / "red.bmp"
    pytest.importorskip("PIL.Image").new("RGB", (3, 3), (255, 0, 0)).save(bmp)
    ask(server, f"<img {bmp}>")
    url = sent_parts(server)[1]["image_url"]["url"]
    assert base64.b64decode(url.split(",", 1)[1]).startswith(PNG_MAGIC)


def test_a_data_uri_in_a_tag_is_sent_unchanged(server: OpenAICompatibleTestServer) -> None:
    uri = "data:image/png;base64,iVBORw0KGgo="
    ask(server, f"<img {uri}>")
    assert sent_parts(server)[1]["image_url"]["url"] == uri
