"""``RetrieveUserProxyAgent`` and ``RetrieveAssistantAgent``: chat grounded in retrieved chunks.

These are the classic ``agentchat.contrib`` retrieve agents (0.2's constructor and
``retrieve_config`` keys); the classic module paths re-export them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from convogen.agents.assistant import AssistantAgent
from convogen.agents.conversable import ConversableAgent
from convogen.agents.reply_types import ReplyResult, Stopped
from convogen.agents.user_proxy import UserProxyAgent
from convogen.apps.retrieval.chunking import Chunk
from convogen.apps.retrieval.prompts import (
    ASSISTANT_SYSTEM_MESSAGE,
    PROMPTS,
    UPDATE_CONTEXT,
    UPDATE_CONTEXT_IN_PROMPT,
)
from convogen.apps.retrieval.retrieve_config import (
    DEFAULT_DB_PATH,
    DEFAULTS,
    build_store,
    check_retrieve_config,
    chunks_for,
    max_tokens_of,
    token_counter,
)
from convogen.apps.retrieval.store import Hit, VectorStore
from convogen.errors import ConfigError
from convogen.messages import Message, content_str
from convogen.results import StopReason

__all__ = [
    "DEFAULTS",
    "DEFAULT_DB_PATH",
    "RetrieveAssistantAgent",
    "RetrieveUserProxyAgent",
    "answer_ends_chat",
    "asks_for_more",
    "check_retrieve_config",
    "format_context",
]


class RetrieveUserProxyAgent(UserProxyAgent):
    """A user proxy that retrieves chunks relevant to a question and sends them with it.

    Start a chat with ``initiate_chat(assistant, message=proxy.message_generator,
    problem="...", search_string="...", n_results=...)``. An answer ends the chat; when the
    assistant replies ``UPDATE CONTEXT`` the next chunks (never ones already sent) are sent
    with the question again, and when none are left the chat stops (``stop_reason="no_reply"``).
    """

    def __init__(
        self,
        name: str = "RetrieveChatAgent",
        human_input_mode: Any = "ALWAYS",
        is_termination_msg: Callable[[Message], bool] | None = None,
        retrieve_config: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        self.retrieve_config = check_retrieve_config(retrieve_config)
        self._given_keys = frozenset(retrieve_config or {})
        super().__init__(
            name=name,
            human_input_mode=human_input_mode,
            is_termination_msg=is_termination_msg or self._answer_ends_chat,
            **kwargs,
        )
        self._store: VectorStore | None = None
        self._indexed = False
        self._count_tokens = token_counter(self.retrieve_config)
        self.problem = ""
        self.search_string = ""
        self.n_results = int(self.retrieve_config["n_results"])
        self.given_ids: list[str] = []
        self.retrieval_log: list[list[Hit]] = []
        self.register_reply(ConversableAgent, _update_context_reply, 2)
        self.register_hook("process_message_before_send", self._expand_update_context)

    get_max_tokens = staticmethod(max_tokens_of)

    @property
    def vector_db(self) -> VectorStore:
        """The store, created (ChromaDB at ``db_path`` by default) and filled on first use."""
        if self._store is None:
            self._store = build_store(self.retrieve_config)
        if not self._indexed:
            self._indexed = True
            self._index(self._store)
        return self._store

    def _index(self, store: VectorStore) -> None:
        cfg = self.retrieve_config
        if cfg["docs_path"] is None:
            if store.count() == 0:
                raise ConfigError(
                    "docs_path",
                    None,
                    f"give docs_path: the collection {cfg['collection_name']!r} is empty",
                )
            return
        if cfg["get_or_create"] and not cfg["overwrite"] and store.count() > 0:
            return  # 0.2: reuse the existing collection as it is
        store.add(chunks_for(cfg, self._given_keys))

    def retrieve(self, problem: str, n_results: int, search_string: str = "") -> list[Hit]:
        """The next ``n_results`` chunks for ``problem`` that were not given yet."""
        hits = self.vector_db.query(
            problem, n_results, exclude_ids=set(self.given_ids), contains=search_string
        )
        threshold = float(self.retrieve_config["distance_threshold"])
        if threshold >= 0:
            hits = [h for h in hits if h.distance <= threshold]
        hits = self._within_budget(hits, int(self.retrieve_config["context_max_tokens"]))
        self.given_ids.extend(h.chunk.id for h in hits)
        self.retrieval_log.append(hits)
        return hits

    def retrieve_docs(self, problem: str, n_results: int = 20, search_string: str = "") -> None:
        """Retrieve the next chunks for ``problem`` (0.2's name); they land in ``retrieval_log``."""
        self.retrieve(problem, n_results, search_string)

    @staticmethod
    def message_generator(
        sender: RetrieveUserProxyAgent, recipient: Any, context: dict[str, Any]
    ) -> str:
        """The first message: the problem with its retrieved context (resets earlier state).

        ``context`` holds ``problem`` and optionally ``n_results`` and ``search_string``
        (only chunks containing it are retrieved).
        """
        problem = context.get("problem")
        if not isinstance(problem, str) or not problem.strip():
            raise ConfigError("problem", problem, "pass the question as initiate_chat(problem=...)")
        search = context.get("search_string", "") or ""
        if not isinstance(search, str):
            raise ConfigError("search_string", search, "must be a str")
        sender.problem = problem
        sender.search_string = search
        sender.n_results = int(context.get("n_results", sender.retrieve_config["n_results"]))
        sender.given_ids = []
        sender.retrieval_log = []
        return sender.build_prompt(problem, sender.retrieve(problem, sender.n_results, search))

    def build_prompt(self, problem: str, hits: list[Hit]) -> str:
        """The prompt for ``task`` (or ``customized_prompt``) filled with ``hits``."""
        template = (
            self.retrieve_config["customized_prompt"] or PROMPTS[self.retrieve_config["task"]]
        )
        return template.format(input_question=problem, input_context=format_context(hits))

    def wants_update(self, text: str) -> bool:
        """True when a reply asks for more context, or lacks the ``customized_answer_prefix``."""
        prefix = self.retrieve_config["customized_answer_prefix"]
        return asks_for_more(text) or bool(prefix and prefix not in text.upper())

    def _answer_ends_chat(self, message: Mapping[str, Any]) -> bool:
        text = content_str(message.get("content"))
        return bool(text) and not self.wants_update(text) and not _has_python(text)

    def _expand_update_context(
        self, sender: Any, message: Any, recipient: Any, silent: bool
    ) -> Any:
        """A human typing ``UPDATE CONTEXT`` sends the question with the next chunks (0.2)."""
        text = message.get("content") if isinstance(message, dict) else message
        if not isinstance(text, str) or text.strip().upper() != UPDATE_CONTEXT or not self.problem:
            return message
        hits = self.retrieve(self.problem, self.n_results, self.search_string)
        prompt = self.build_prompt(self.problem, hits) if hits else "TERMINATE"
        return {**message, "content": prompt} if isinstance(message, dict) else prompt

    def _within_budget(self, hits: list[Hit], budget: int) -> list[Hit]:
        kept: list[Hit] = []
        used = 0
        for hit in hits:
            used += self._count_tokens(hit.chunk.text)
            if kept and used > budget:
                break
            kept.append(hit)
        return kept


def _update_context_reply(
    recipient: ConversableAgent,
    messages: list[Message] | None,
    sender: ConversableAgent | None,
    config: Any,
) -> ReplyResult | Stopped:
    """On ``UPDATE CONTEXT``: ask again with the next chunks, or stop when none are left."""
    proxy = recipient
    if not isinstance(proxy, RetrieveUserProxyAgent) or not messages or not proxy.problem:
        return False, None
    if not proxy.retrieve_config["update_context"]:
        return False, None
    if not proxy.wants_update(content_str(messages[-1].get("content"))):
        return False, None
    hits = proxy.retrieve(proxy.problem, proxy.n_results, proxy.search_string)
    if not hits:
        return Stopped(
            StopReason.NO_REPLY,
            f"no more context for the question (all {len(proxy.given_ids)} chunks given)",
        )
    return True, proxy.build_prompt(proxy.problem, hits)


class RetrieveAssistantAgent(AssistantAgent):
    """An assistant told to answer from the given context or ask for more (``UPDATE CONTEXT``).

    As in 0.2 it replies ``TERMINATE`` to a successful code run and echoes ``UPDATE CONTEXT``
    when a message starts or ends with it.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if len(args) < 2:
            kwargs.setdefault("system_message", ASSISTANT_SYSTEM_MESSAGE)
        super().__init__(*args, **kwargs)
        self.register_reply([ConversableAgent, None], _retrieve_assistant_reply)


def _retrieve_assistant_reply(
    recipient: ConversableAgent,
    messages: list[Message] | None,
    sender: ConversableAgent | None,
    config: Any,
) -> ReplyResult:
    text = content_str(messages[-1].get("content")) if messages else ""
    if "exitcode: 0 (execution succeeded)" in text:
        return True, "TERMINATE"
    if UPDATE_CONTEXT in text[:20].upper() or UPDATE_CONTEXT in text[-20:].upper():
        return True, UPDATE_CONTEXT
    return False, None


def answer_ends_chat(message: Mapping[str, Any]) -> bool:
    """True unless an answer asks for more context or carries Python code (0.2's default)."""
    text = content_str(message.get("content"))
    return bool(text) and not asks_for_more(text) and not _has_python(text)


def _has_python(text: str) -> bool:
    from convogen.code.extract import extract_code

    return any(block.language == "python" for block in extract_code(text))


def asks_for_more(text: str) -> bool:
    """True when a reply asks for more context (0.2: it says UPDATE CONTEXT, not quoting us)."""
    return UPDATE_CONTEXT in text.upper() and UPDATE_CONTEXT_IN_PROMPT not in text


def format_context(hits: list[Hit]) -> str:
    """Numbered passages, each with its source, for the prompt."""
    if not hits:
        return "(no passages found)"
    return "\n\n".join(_format_hit(i, h.chunk) for i, h in enumerate(hits, start=1))


def _format_hit(number: int, chunk: Chunk) -> str:
    source = Path(str(chunk.metadata.get("source", ""))).name or chunk.id
    return f"[{number}] ({source})\n{chunk.text}"
