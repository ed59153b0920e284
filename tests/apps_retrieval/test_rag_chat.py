"""RetrieveUserProxyAgent + RetrieveAssistantAgent: Q&A, update context, code mode, config."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from convogen import StopReason, scripted_llm_config
from convogen.apps.retrieval import (
    HashingEmbedder,
    InMemoryVectorStore,
    MiniLMEmbedder,
    RetrieveAssistantAgent,
    RetrieveUserProxyAgent,
    chunk_documents,
    count_tokens,
)
from convogen.errors import ConfigError
from convogen.messages import content_str

MANUAL = """# Zephyr router manual

## Installing
Plug the router into the modem with the blue cable and wait for the white light.

## Resetting
Hold the reset button for ten seconds with a paperclip until the light blinks orange.

## Warranty
The Zephyr router is covered by a warranty of 36 months from the date of purchase.
"""

CLIENT = '''import socket


def connect(host, port, timeout=5):
    """Open a TCP connection to the Zephyr admin API."""
    return socket.create_connection((host, port), timeout=timeout)


def status_url(host):
    """The URL of the router's status page."""
    return f"http://{host}/zephyr/status"
'''


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "manual.md").write_text(MANUAL)
    (folder / "client.py").write_text(CLIENT)
    (folder / "notes.txt").write_text("The office closes at six.\n\nParking is behind the shop.")
    return folder


def _answerer(needle: str, answer: str) -> Any:
    def reply(messages: list[Any]) -> str:
        return answer if needle in content_str(messages[-1].get("content")) else "UPDATE CONTEXT"

    return reply


def test_qa_with_the_real_model_and_persistent_chroma(
    docs: Path, tmp_path: Path, minilm: MiniLMEmbedder
) -> None:
    config = {
        "task": "qa",
        "docs_path": str(docs),
        "chunk_token_size": 60,
        "n_results": 1,
        "collection_name": "zephyr-docs",
        "db_path": str(tmp_path / "chroma"),
        "embedder": minilm,
    }
    proxy = RetrieveUserProxyAgent("ragproxy", human_input_mode="NEVER", retrieve_config=config)
    assistant = RetrieveAssistantAgent(
        "assistant",
        llm_config=scripted_llm_config(_answerer("36 months", "36 months. TERMINATE")),
    )
    result = proxy.initiate_chat(
        assistant,
        message=proxy.message_generator,
        problem="How long is the Zephyr router warranty?",
        silent=True,
    )
    assert result.stop_reason is StopReason.TERMINATION_MESSAGE
    assert result.summary == "36 months."
    first_hit = proxy.retrieval_log[0][0].chunk
    assert first_hit.text.startswith("## Warranty")
    assert first_hit.metadata["source"] == str((docs / "manual.md").resolve())
    prompt = content_str(result.chat_history[0]["content"])
    assert "Question: How long is the Zephyr router warranty?" in prompt
    assert "UPDATE CONTEXT" in prompt and "(manual.md)" in prompt
    # The collection persists: a second agent reuses it without duplicating chunks.
    count = proxy.vector_db.count()
    again = RetrieveUserProxyAgent("again", human_input_mode="NEVER", retrieve_config=config)
    assert again.vector_db.count() == count == len(chunk_documents(docs, 60))
    assert (tmp_path / "chroma" / "chroma.sqlite3").is_file()


def test_update_context_sends_the_next_chunks_until_the_answer_is_found(docs: Path) -> None:
    store = InMemoryVectorStore(HashingEmbedder())
    store.add(chunk_documents(docs, 60))
    proxy = RetrieveUserProxyAgent(
        "ragproxy",
        human_input_mode="NEVER",
        retrieve_config={"task": "qa", "vector_db": store, "n_results": 2},
    )
    assistant = RetrieveAssistantAgent(
        "assistant",
        llm_config=scripted_llm_config(_answerer("six", "It closes at six. TERMINATE")),
    )
    result = proxy.initiate_chat(
        assistant, message=proxy.message_generator, problem="Zephyr router warranty?", silent=True
    )
    assert result.summary == "It closes at six."
    rounds = [[h.chunk.id for h in hits] for hits in proxy.retrieval_log]
    assert len(rounds) >= 2 and all(len(r) == 2 for r in rounds[:-1])
    assert len(proxy.given_ids) == len(set(proxy.given_ids))  # nothing sent twice
    prompts = [content_str(m["content"]) for m in result.chat_history if m["name"] == "ragproxy"]
    assert len(prompts) == len(rounds) and "office closes at six" in prompts[-1]
    assert all("office closes at six" not in p for p in prompts[:-1])


def test_the_chat_stops_when_no_context_is_left(docs: Path) -> None:
    store = InMemoryVectorStore(HashingEmbedder())
    chunks = chunk_documents(docs, 60)
    store.add(chunks)
    proxy = RetrieveUserProxyAgent(
        "ragproxy",
        human_input_mode="NEVER",
        retrieve_config={"vector_db": store, "n_results": 3},
    )
    assistant = RetrieveAssistantAgent(
        "assistant", llm_config=scripted_llm_config(["UPDATE CONTEXT"], on_exhausted="repeat_last")
    )
    result = proxy.initiate_chat(
        assistant, message=proxy.message_generator, problem="What is the meaning of life?"
    )
    assert result.stop_reason is StopReason.NO_REPLY
    assert "no more context" in (result.stop_detail or "")
    assert sorted(proxy.given_ids) == sorted(c.id for c in chunks)


def test_update_context_can_be_switched_off(docs: Path) -> None:
    store = InMemoryVectorStore(HashingEmbedder())
    store.add(chunk_documents(docs, 60))
    proxy = RetrieveUserProxyAgent(
        "ragproxy",
        human_input_mode="NEVER",
        max_consecutive_auto_reply=0,
        retrieve_config={"vector_db": store, "update_context": False},
    )
    assistant = RetrieveAssistantAgent(
        "assistant", llm_config=scripted_llm_config(["UPDATE CONTEXT"])
    )
    proxy.initiate_chat(assistant, message=proxy.message_generator, problem="warranty?")
    assert len(proxy.retrieval_log) == 1


def test_code_mode_retrieves_code_and_runs_the_answer(docs: Path, tmp_path: Path) -> None:
    store = InMemoryVectorStore(HashingEmbedder())
    store.add(chunk_documents(docs, 80))
    proxy = RetrieveUserProxyAgent(
        "ragproxy",
        human_input_mode="NEVER",
        code_execution_config={"work_dir": str(tmp_path / "work")},
        retrieve_config={"task": "code", "vector_db": store, "n_results": 1},
    )

    def coder(messages: list[Any]) -> str:
        last = content_str(messages[-1].get("content"))
        if "exitcode: 0" in last:
            return "The URL is printed above. TERMINATE"
        assert "def status_url(host)" in last  # the retrieved definition is in the prompt
        return '```python\nhost = "10.0.0.1"\nprint(f"http://{host}/zephyr/status")\n```'

    assistant = RetrieveAssistantAgent("assistant", llm_config=scripted_llm_config(coder))
    result = proxy.initiate_chat(
        assistant,
        message=proxy.message_generator,
        problem="Print the status_url of the router at host 10.0.0.1",
        silent=True,
    )
    assert content_str(result.chat_history[0]["content"]).startswith("You write code")
    assert proxy.retrieval_log[0][0].chunk.metadata["kind"] == "code"
    outputs = [content_str(m["content"]) for m in result.chat_history]
    assert any("http://10.0.0.1/zephyr/status" in o for o in outputs)
    assert result.stop_reason is StopReason.TERMINATION_MESSAGE


def test_a_customized_prompt_is_used(docs: Path) -> None:
    store = InMemoryVectorStore(HashingEmbedder())
    store.add(chunk_documents(docs, 60))
    prompt = "Q={input_question}\nC={input_context}"
    proxy = RetrieveUserProxyAgent(
        "p", retrieve_config={"vector_db": store, "customized_prompt": prompt, "n_results": 1}
    )
    text = proxy.message_generator(proxy, proxy, {"problem": "parking"})
    assert text.startswith("Q=parking\nC=[1] (notes.txt)")


@pytest.mark.parametrize(
    ("config", "field"),
    [
        ({"docs_path": "x", "tsk": "qa"}, "retrieve_config['tsk']"),
        ({"docs_path": "x", "task": "poetry"}, "task"),
        ({"docs_path": "x", "n_results": 0}, "n_results"),
        ({"docs_path": "x", "vector_db": "pinecone"}, "vector_db"),
        ({"docs_path": "x", "custom_token_count_function": 3}, "custom_token_count_function"),
        ({"docs_path": "x", "customized_prompt": "no slots"}, "customized_prompt"),
        ({"docs_path": "x", "embedder": object()}, "embedder"),
    ],
)
def test_bad_retrieve_configs_name_the_field(config: dict[str, Any], field: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(f"invalid {field}=")):
        RetrieveUserProxyAgent("p", retrieve_config=config)


def test_without_docs_path_an_empty_collection_is_an_error_naming_docs_path() -> None:
    proxy = RetrieveUserProxyAgent("p", retrieve_config={"vector_db": "memory"})
    with pytest.raises(ConfigError, match=re.escape("invalid docs_path=")):
        proxy.message_generator(proxy, proxy, {"problem": "anything?"})


def test_a_problem_is_required(docs: Path) -> None:
    proxy = RetrieveUserProxyAgent("p", retrieve_config={"docs_path": str(docs)})
    with pytest.raises(ConfigError, match="problem"):
        proxy.message_generator(proxy, proxy, {})


def test_context_max_tokens_limits_the_passages(docs: Path) -> None:
    store = InMemoryVectorStore(HashingEmbedder())
    store.add(chunk_documents(docs, 30))
    proxy = RetrieveUserProxyAgent(
        "p", retrieve_config={"vector_db": store, "n_results": 5, "context_max_tokens": 25}
    )
    proxy.message_generator(proxy, proxy, {"problem": "router light"})
    kept = proxy.retrieval_log[0]
    assert 1 <= len(kept) < 5
    assert len(kept) == 1 or sum(count_tokens(h.chunk.text) for h in kept) <= 25


def _memory_proxy(docs: Path, **config: Any) -> RetrieveUserProxyAgent:
    return RetrieveUserProxyAgent(
        "p",
        human_input_mode="NEVER",
        retrieve_config={"docs_path": str(docs), "vector_db": "memory", **config},
    )


def test_chunk_mode_one_line_makes_a_chunk_of_each_line_until_the_rest_fits(docs: Path) -> None:
    proxy = _memory_proxy(
        docs, chunk_mode="one_line", chunk_token_size=20, n_results=50, custom_text_types=["md"]
    )
    proxy.message_generator(proxy, None, {"problem": "router"})
    texts = [hit.chunk.text for hit in proxy.retrieval_log[0]]
    assert "# Zephyr router manual" in texts and "## Installing" in texts
    assert all(text.count("\n") <= 2 for text in texts)


def test_a_distance_threshold_drops_far_chunks(docs: Path) -> None:
    proxy = _memory_proxy(docs, distance_threshold=0.0)
    text = proxy.message_generator(proxy, None, {"problem": "How long is the warranty?"})
    assert proxy.retrieval_log == [[]] and "(no passages found)" in text


def test_a_typed_update_context_is_sent_as_the_question_with_the_next_chunks(docs: Path) -> None:
    proxy = _memory_proxy(docs, n_results=1)
    first = proxy.message_generator(proxy, None, {"problem": "How long is the warranty?"})
    assistant = RetrieveAssistantAgent("assistant", llm_config=False)
    proxy.send("UPDATE CONTEXT", assistant, request_reply=False, silent=True)
    sent = content_str(proxy.chat_messages[assistant][-1]["content"])
    assert sent != first and sent.startswith("Help with the request below")
    assert len(proxy.retrieval_log) == 2 and len(set(proxy.given_ids)) == 2
