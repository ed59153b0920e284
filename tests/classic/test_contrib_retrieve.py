"""RetrieveChat at its 0.2 import paths, with 0.2 arguments, against the local test server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from convogen.agentchat.contrib.retrieve_assistant_agent import RetrieveAssistantAgent
from convogen.agentchat.contrib.retrieve_user_proxy_agent import (
    UPDATE_CONTEXT_IN_PROMPT,
    RetrieveUserProxyAgent,
)
from convogen.agentchat.contrib.vectordb.chromadb import ChromaVectorDB
from convogen.llm.test_server import OpenAICompatibleTestServer
from convogen.messages import content_str

MANUAL = """# Zephyr router manual

## Installing
Plug the router into the modem with the blue cable and wait for the white light.

## Resetting
Hold the reset button for ten seconds with a paperclip until the light blinks orange.

## Warranty
The Zephyr router is covered by a warranty of 36 months from the date of purchase.
"""
NOTES = "The office closes at six.\n\nParking is behind the shop; bring a paperclip badge."
ANSWER = "The warranty lasts 36 months."


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "manual.md").write_text(MANUAL)
    (folder / "notes.txt").write_text(NOTES)
    return folder


@pytest.fixture
def server() -> Iterator[OpenAICompatibleTestServer]:
    replies = ["UPDATE CONTEXT", ANSWER, ANSWER, ANSWER]
    with OpenAICompatibleTestServer(replies=replies) as running:
        yield running


def llm_config(server: OpenAICompatibleTestServer) -> dict[str, Any]:
    entry = {"model": "gpt-4", "base_url": server.base_url, "api_key": "test"}
    return {"config_list": [entry], "cache_seed": None}


def chroma_config(docs: Path, tmp_path: Path, **extra: Any) -> dict[str, Any]:
    return {
        "task": "qa",
        "docs_path": str(docs),
        "vector_db": "chroma",
        "db_config": {"path": str(tmp_path / "chroma")},
        "collection_name": "zephyr",
        "get_or_create": True,
        "model": "gpt-4",
        "chunk_token_size": 60,
        **extra,
    }


def test_an_answer_ends_the_chat_after_two_messages(
    docs: Path, tmp_path: Path, server: OpenAICompatibleTestServer
) -> None:
    server.replies = [ANSWER]
    assistant = RetrieveAssistantAgent(
        name="assistant",
        system_message="You are a helpful assistant.",
        llm_config=llm_config(server),
    )
    ragproxyagent = RetrieveUserProxyAgent(
        name="ragproxyagent",
        human_input_mode="NEVER",
        retrieve_config=chroma_config(docs, tmp_path),
    )
    result = ragproxyagent.initiate_chat(
        assistant,
        message=ragproxyagent.message_generator,
        problem="How long is the Zephyr warranty?",
        n_results=2,
        silent=True,
    )
    assert [content_str(m["content"]) for m in result.chat_history][1] == ANSWER
    assert len(result.chat_history) == 2
    assert server.request_count == 1
    assert "36 months" in content_str(result.chat_history[0]["content"])


def test_update_context_sends_the_next_docs(
    docs: Path, tmp_path: Path, server: OpenAICompatibleTestServer
) -> None:
    assistant = RetrieveAssistantAgent(name="assistant", llm_config=llm_config(server))
    ragproxyagent = RetrieveUserProxyAgent(
        name="ragproxyagent",
        human_input_mode="NEVER",
        retrieve_config=chroma_config(docs, tmp_path),
    )
    result = ragproxyagent.initiate_chat(
        assistant,
        message=ragproxyagent.message_generator,
        problem="How long is the Zephyr warranty?",
        n_results=1,
        silent=True,
    )
    texts = [content_str(m["content"]) for m in result.chat_history]
    assert texts[1] == "UPDATE CONTEXT" and texts[3] == ANSWER and len(texts) == 4
    first, second = ragproxyagent.retrieval_log
    assert len(first) == len(second) == 1 and first[0].chunk.id != second[0].chunk.id
    assert second[0].chunk.text in texts[2] and first[0].chunk.text not in texts[2]


@pytest.mark.parametrize("store", ["memory", "chroma"])
def test_search_string_keeps_only_docs_containing_it(
    docs: Path, tmp_path: Path, server: OpenAICompatibleTestServer, store: str
) -> None:
    server.replies = [ANSWER]
    config = chroma_config(docs, tmp_path, vector_db=store)
    if store == "memory":
        del config["db_config"]
    ragproxyagent = RetrieveUserProxyAgent(
        name="ragproxyagent", human_input_mode="NEVER", retrieve_config=config
    )
    assistant = RetrieveAssistantAgent(name="assistant", llm_config=llm_config(server))
    ragproxyagent.initiate_chat(
        assistant,
        message=ragproxyagent.message_generator,
        problem="How do I reset the router?",
        search_string="paperclip",
        n_results=5,
        silent=True,
    )
    hits = ragproxyagent.retrieval_log[0]
    assert len(hits) == 2  # the reset section and the parking note, nothing else
    assert all("paperclip" in hit.chunk.text for hit in hits)


def test_a_vector_db_instance_is_used_as_given(
    docs: Path, tmp_path: Path, server: OpenAICompatibleTestServer
) -> None:
    db = ChromaVectorDB(path=str(tmp_path / "own-chroma"))
    ragproxyagent = RetrieveUserProxyAgent(
        name="ragproxyagent",
        human_input_mode="NEVER",
        retrieve_config=chroma_config(docs, tmp_path, vector_db=db, collection_name="mine"),
    )
    text = ragproxyagent.message_generator(
        ragproxyagent, None, {"problem": "warranty length", "n_results": 1}
    )
    assert "36 months" in text
    stored = db.get_docs_by_ids(None, "mine")
    assert any("36 months" in doc["content"] for doc in stored)


def test_every_0_2_retrieve_config_key_is_accepted(docs: Path, tmp_path: Path) -> None:
    config = chroma_config(docs, tmp_path) | {
        "client": None,
        "new_docs": True,
        "context_max_tokens": 500,
        "chunk_mode": "multi_lines",
        "must_break_at_empty_line": True,
        "embedding_model": "all-MiniLM-L6-v2",
        "embedding_function": None,
        "customized_prompt": None,
        "customized_answer_prefix": "",
        "update_context": True,
        "overwrite": False,
        "custom_token_count_function": lambda text, model: len(text.split()),
        "custom_text_split_function": None,
        "custom_text_types": ["md", "txt"],
        "recursive": True,
        "distance_threshold": -1,
        "n_results": 2,
    }
    proxy = RetrieveUserProxyAgent("ragproxyagent", "NEVER", None, config)
    text = proxy.message_generator(proxy, None, {"problem": "warranty length"})
    assert "36 months" in text and UPDATE_CONTEXT_IN_PROMPT in text


def test_a_reply_quoting_the_prompt_is_not_a_request_for_more(docs: Path, tmp_path: Path) -> None:
    proxy = RetrieveUserProxyAgent("p", retrieve_config=chroma_config(docs, tmp_path))
    assert proxy.wants_update("Sorry. UPDATE CONTEXT please")
    assert not proxy.wants_update(f"You said: {UPDATE_CONTEXT_IN_PROMPT}. The answer is 3.")


def test_an_answer_without_the_customized_prefix_asks_for_more(docs: Path, tmp_path: Path) -> None:
    config = chroma_config(docs, tmp_path, customized_answer_prefix="the answer is")
    proxy = RetrieveUserProxyAgent("p", retrieve_config=config)
    assert proxy.wants_update("I am not sure.")
    assert not proxy.is_termination_msg({"content": "I am not sure."})
    assert proxy.is_termination_msg({"content": "The answer is 36 months."})


def test_the_assistant_ends_after_a_successful_code_run() -> None:
    assistant = RetrieveAssistantAgent("assistant", llm_config=False)
    ok = {"role": "user", "content": "exitcode: 0 (execution succeeded)\nCode output: 3"}
    assert assistant.generate_reply([ok]) == "TERMINATE"
    assert assistant.generate_reply([{"role": "user", "content": "UPDATE CONTEXT"}]) == (
        "UPDATE CONTEXT"
    )


def test_a_given_chromadb_client_holds_the_collection(docs: Path, tmp_path: Path) -> None:
    import chromadb

    client = chromadb.PersistentClient(path=str(tmp_path / "client-db"))
    config = chroma_config(docs, tmp_path, client=client, collection_name="via-client")
    del config["db_config"]
    proxy = RetrieveUserProxyAgent("ragproxyagent", retrieve_config=config)
    text = proxy.message_generator(proxy, None, {"problem": "warranty length", "n_results": 1})
    assert "36 months" in text
    assert client.get_collection("via-client").count() == proxy.vector_db.count() > 0
