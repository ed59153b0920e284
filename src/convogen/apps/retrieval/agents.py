"""``RetrieveUserProxyAgent`` and ``RetrieveAssistantAgent``: chat grounded in retrieved chunks."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from convogen.agents.assistant import AssistantAgent
from convogen.agents.conversable import ConversableAgent
from convogen.agents.reply_types import ReplyResult
from convogen.agents.user_proxy import UserProxyAgent
from convogen.apps.retrieval.chunking import Chunk, chunk_documents
from convogen.apps.retrieval.embedding import Embedder, default_embedder
from convogen.apps.retrieval.prompts import ASSISTANT_SYSTEM_MESSAGE, PROMPTS, UPDATE_CONTEXT
from convogen.apps.retrieval.store import ChromaVectorStore, Hit, VectorStore
from convogen.errors import ConfigError
from convogen.messages import Message, content_str
from convogen.results import StopReason

DEFAULT_DB_PATH = str(Path(tempfile.gettempdir()) / "convogen-chromadb")
DEFAULTS: dict[str, Any] = {
    "task": "default",
    "docs_path": None,
    # MiniLM reads at most 256 word pieces and our estimate counts words, which split into
    # ~1.3 pieces each: 192 keeps a whole chunk inside the model's window.
    "chunk_token_size": 192,
    "n_results": 3,
    "collection_name": "convogen-docs",
    "db_path": DEFAULT_DB_PATH,
    "customized_prompt": None,
    "update_context": True,
    "context_max_tokens": None,
    "embedder": None,
    "vector_db": None,
    "overwrite": False,
}


def check_retrieve_config(config: Mapping[str, Any] | None) -> dict[str, Any]:
    """``retrieve_config`` with defaults filled in; unknown keys and bad values are errors."""
    if config is None:
        config = {}
    if not isinstance(config, Mapping):
        raise ConfigError("retrieve_config", config, "must be a dict")
    for key in config:
        if key not in DEFAULTS:
            raise ConfigError(
                f"retrieve_config[{key!r}]", config[key], f"unknown key; known: {sorted(DEFAULTS)}"
            )
    checked = {**DEFAULTS, **config}
    if checked["task"] not in PROMPTS:
        raise ConfigError("task", checked["task"], f"must be one of {sorted(PROMPTS)}")
    for key in ("n_results", "chunk_token_size"):
        value = checked[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(key, value, "must be a positive int")
    prompt = checked["customized_prompt"]
    if prompt is not None and (
        not isinstance(prompt, str)
        or "{input_question}" not in prompt
        or "{input_context}" not in prompt
    ):
        raise ConfigError(
            "customized_prompt", prompt, "must be a str with {input_question} and {input_context}"
        )
    if checked["embedder"] is not None and not isinstance(checked["embedder"], Embedder):
        raise ConfigError("embedder", checked["embedder"], "must implement the Embedder protocol")
    if checked["vector_db"] is not None and not isinstance(checked["vector_db"], VectorStore):
        raise ConfigError("vector_db", checked["vector_db"], "must implement VectorStore")
    if checked["vector_db"] is None and checked["docs_path"] is None:
        raise ConfigError("docs_path", None, "give docs_path or a populated vector_db")
    return checked


class RetrieveUserProxyAgent(UserProxyAgent):
    """A user proxy that retrieves chunks relevant to a question and sends them with it.

    Start a chat with ``initiate_chat(assistant, message=proxy.message_generator,
    problem="...")``. When the assistant answers ``UPDATE CONTEXT``, the next chunks (never
    ones already sent) are retrieved and the question is asked again; when none are left the
    chat stops with ``stop_reason="no_reply"``.
    """

    def __init__(
        self,
        name: str = "RetrieveChatAgent",
        human_input_mode: Any = "ALWAYS",
        retrieve_config: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("is_termination_msg", answer_ends_chat)
        super().__init__(name=name, human_input_mode=human_input_mode, **kwargs)
        self.retrieve_config = check_retrieve_config(retrieve_config)
        self._store: VectorStore | None = self.retrieve_config["vector_db"]
        self._indexed = False
        self.problem = ""
        self.n_results = int(self.retrieve_config["n_results"])
        self.given_ids: list[str] = []
        self.retrieval_log: list[list[Hit]] = []
        self.register_reply(ConversableAgent, _update_context_reply, 2)

    @property
    def vector_db(self) -> VectorStore:
        """The store, created (ChromaDB at ``db_path``) and filled from ``docs_path`` on use."""
        if self._store is None:
            cfg = self.retrieve_config
            embedder: Embedder = cfg["embedder"] or default_embedder()
            self._store = ChromaVectorStore(
                embedder, cfg["collection_name"], cfg["db_path"], overwrite=cfg["overwrite"]
            )
        if not self._indexed and self.retrieve_config["docs_path"] is not None:
            chunks = chunk_documents(
                self.retrieve_config["docs_path"], self.retrieve_config["chunk_token_size"]
            )
            self._store.add(chunks)
        self._indexed = True
        return self._store

    def retrieve(self, problem: str, n_results: int) -> list[Hit]:
        """The next ``n_results`` chunks for ``problem`` that were not given yet."""
        hits = self.vector_db.query(problem, n_results, exclude_ids=set(self.given_ids))
        budget = self.retrieve_config["context_max_tokens"]
        if budget is not None:
            hits = _within_budget(hits, int(budget))
        self.given_ids.extend(h.chunk.id for h in hits)
        self.retrieval_log.append(hits)
        return hits

    def message_generator(
        self, sender: ConversableAgent, recipient: ConversableAgent, context: dict[str, Any]
    ) -> str:
        """The first message: the problem with its retrieved context (resets earlier state)."""
        problem = context.get("problem")
        if not isinstance(problem, str) or not problem.strip():
            raise ConfigError("problem", problem, "pass the question as initiate_chat(problem=...)")
        self.problem = problem
        self.n_results = int(context.get("n_results", self.retrieve_config["n_results"]))
        self.given_ids = []
        self.retrieval_log = []
        return self.build_prompt(problem, self.retrieve(problem, self.n_results))

    def build_prompt(self, problem: str, hits: list[Hit]) -> str:
        """The prompt for ``task`` (or ``customized_prompt``) filled with ``hits``."""
        template = (
            self.retrieve_config["customized_prompt"] or PROMPTS[self.retrieve_config["task"]]
        )
        return template.format(input_question=problem, input_context=format_context(hits))


def _update_context_reply(
    recipient: ConversableAgent,
    messages: list[Message] | None,
    sender: ConversableAgent | None,
    config: Any,
) -> ReplyResult:
    """On ``UPDATE CONTEXT``: ask again with the next chunks, or stop when none are left."""
    proxy = recipient
    if not isinstance(proxy, RetrieveUserProxyAgent) or not messages or not proxy.problem:
        return False, None
    if not proxy.retrieve_config["update_context"]:
        return False, None
    if not asks_for_more(content_str(messages[-1].get("content"))):
        return False, None
    hits = proxy.retrieve(proxy.problem, proxy.n_results)
    if not hits:
        proxy.note_stop(
            StopReason.NO_REPLY,
            f"no more context for the question (all {len(proxy.given_ids)} chunks given)",
        )
        return True, None
    return True, proxy.build_prompt(proxy.problem, hits)


class RetrieveAssistantAgent(AssistantAgent):
    """An assistant told to answer from the given context or ask for more (``UPDATE CONTEXT``)."""

    def __init__(
        self, name: str, system_message: str = ASSISTANT_SYSTEM_MESSAGE, **kwargs: Any
    ) -> None:
        super().__init__(name=name, system_message=system_message, **kwargs)


def answer_ends_chat(message: Mapping[str, Any]) -> bool:
    """True unless an answer asks for more context or carries Python code (0.2's default)."""
    text = content_str(message.get("content"))
    if not text or asks_for_more(text):
        return False
    from convogen.code.extract import extract_code

    return not any(block.language == "python" for block in extract_code(text))


def asks_for_more(text: str) -> bool:
    """True when a reply is a request for more context (at its start or its end)."""
    normalised = " ".join(text.upper().replace("`", " ").split())
    return normalised.startswith(UPDATE_CONTEXT) or normalised.endswith(UPDATE_CONTEXT)


def format_context(hits: list[Hit]) -> str:
    """Numbered passages, each with its source, for the prompt."""
    if not hits:
        return "(no passages found)"
    return "\n\n".join(_format_hit(i, h.chunk) for i, h in enumerate(hits, start=1))


def _format_hit(number: int, chunk: Chunk) -> str:
    source = Path(str(chunk.metadata.get("source", ""))).name or chunk.id
    return f"[{number}] ({source})\n{chunk.text}"


def _within_budget(hits: list[Hit], budget: int) -> list[Hit]:
    from convogen.apps.retrieval.chunking import count_tokens

    kept: list[Hit] = []
    used = 0
    for hit in hits:
        used += count_tokens(hit.chunk.text)
        if kept and used > budget:
            break
        kept.append(hit)
    return kept
