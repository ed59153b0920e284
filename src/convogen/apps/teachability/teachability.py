"""``Teachability``: an agent remembers what users teach it, across conversations.

Each message the agent receives is analyzed by a ``TextAnalyzerAgent``: advice for a task and
facts worth remembering are stored as memos; memos related to the message are recalled and
appended to it (only for the reply: the stored history keeps the original text).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from convogen.apps.teachability.memo_store import MemoStore, announce
from convogen.errors import ConfigError
from convogen.messages import content_str

if TYPE_CHECKING:
    from convogen.agents.conversable import ConversableAgent
    from convogen.agents.text_analyzer import TextAnalyzerAgent

ASKS_FOR_TASK = (
    "Does any part of the TEXT ask the agent to perform a task or solve a problem? "
    "Answer with just one word, yes or no."
)
EXTRACT_ADVICE = (
    "Briefly copy any advice from the TEXT that may be useful for a similar but different task "
    "in the future. But if no advice is present, just respond with 'none'."
)
EXTRACT_TASK = (
    "Briefly copy just the task from the TEXT, then stop. "
    "Don't solve it, and don't include any advice."
)
GENERALIZE_TASK = (
    "Summarize very briefly, in general terms, the type of task described in the TEXT. "
    "Leave out details that might not appear in a similar problem."
)
HAS_INFORMATION = (
    "Does the TEXT contain information that could be committed to memory? "
    "Answer with just one word, yes or no."
)
QUESTION_FOR_INFORMATION = (
    "Imagine that the user forgot this information in the TEXT. "
    "How would they ask you for this information? Include no other text in your response."
)
EXTRACT_INFORMATION = (
    "Copy the information from the TEXT that should be committed to memory. Add no explanation."
)
ABILITY_NOTE = (
    "\nYou've been given the special ability to remember user teachings from prior conversations."
)


class Teachability:
    """Gives an agent a memory of user teachings, kept in a vector database on disk."""

    def __init__(
        self,
        verbosity: int | None = 0,
        reset_db: bool | None = False,
        path_to_db_dir: str | None = "./tmp/teachable_agent_db",
        recall_threshold: float | None = 1.5,
        max_num_retrievals: int | None = 10,
        llm_config: dict[str, Any] | bool | None = None,
    ) -> None:
        self.verbosity = verbosity or 0
        self.path_to_db_dir = path_to_db_dir
        self.recall_threshold = 1.5 if recall_threshold is None else recall_threshold
        self.max_num_retrievals = 10 if max_num_retrievals is None else max_num_retrievals
        self.llm_config = llm_config
        self.analyzer: TextAnalyzerAgent | None = None
        self.teachable_agent: ConversableAgent | None = None
        self.memo_store = MemoStore(self.verbosity, reset_db, path_to_db_dir)

    def add_to_agent(self, agent: ConversableAgent) -> None:
        """Make ``agent`` teachable: hook its received messages, note it in its system message."""
        from convogen.agents.text_analyzer import TextAnalyzerAgent

        if self.llm_config is None:
            self.llm_config = agent.llm_config
        if not self.llm_config:
            raise ConfigError(
                "llm_config", self.llm_config, "Teachability needs a model (its own or the agent's)"
            )
        self.teachable_agent = agent
        self.analyzer = TextAnalyzerAgent(llm_config=self.llm_config)  # type: ignore[arg-type]
        agent.register_hook("process_last_received_message", self.process_last_received_message)
        agent.update_system_message(agent.system_message + ABILITY_NOTE)

    def prepopulate_db(self) -> None:
        """Add a few example memos to the database."""
        self.memo_store.prepopulate()

    def process_last_received_message(
        self, text: str | list[dict[str, Any]] | dict[str, Any]
    ) -> str:
        """The message with related memos appended; new teachings in it are stored."""
        content: Any = text.get("content") if isinstance(text, dict) else text
        comment = content if isinstance(content, str) else content_str(content)
        expanded = comment
        if self.memo_store.last_memo_id > 0:
            expanded = self._consider_memo_retrieval(comment)
        self._consider_memo_storage(comment)
        return expanded

    def _consider_memo_storage(self, comment: str) -> None:
        added = False
        if "yes" in self._analyze(comment, ASKS_FOR_TASK).lower():
            advice = self._analyze(comment, EXTRACT_ADVICE)
            if "none" not in advice.lower():
                task = self._analyze(comment, EXTRACT_TASK)
                general_task = self._analyze(task, GENERALIZE_TASK)
                if self.verbosity >= 1:
                    announce("\nREMEMBER THIS TASK-ADVICE PAIR")
                self.memo_store.add_input_output_pair(general_task, advice)
                added = True
        if "yes" in self._analyze(comment, HAS_INFORMATION).lower():
            question = self._analyze(comment, QUESTION_FOR_INFORMATION)
            answer = self._analyze(comment, EXTRACT_INFORMATION)
            if self.verbosity >= 1:
                announce("\nREMEMBER THIS QUESTION-ANSWER PAIR")
            self.memo_store.add_input_output_pair(question, answer)
            added = True
        if added:
            self.memo_store.save_memos()

    def _consider_memo_retrieval(self, comment: str) -> str:
        if self.verbosity >= 1:
            announce("\nLOOK FOR RELEVANT MEMOS, AS QUESTION-ANSWER PAIRS")
        memos = self._retrieve_relevant_memos(comment)
        if "yes" in self._analyze(comment, ASKS_FOR_TASK).lower():
            if self.verbosity >= 1:
                announce("\nLOOK FOR RELEVANT MEMOS, AS TASK-ADVICE PAIRS")
            task = self._analyze(comment, EXTRACT_TASK)
            memos.extend(self._retrieve_relevant_memos(self._analyze(task, GENERALIZE_TASK)))
        unique = list(dict.fromkeys(memos))
        return comment + self._concatenate_memo_texts(unique)

    def _retrieve_relevant_memos(self, input_text: str) -> list[str]:
        memos = self.memo_store.get_related_memos(
            input_text, n_results=self.max_num_retrievals, threshold=self.recall_threshold
        )
        if self.verbosity >= 1 and not memos:
            announce("\nTHE CLOSEST MEMO IS BEYOND THE THRESHOLD:")
            self.memo_store.get_nearest_memo(input_text)
            print()
        return [output_text for _, output_text, _ in memos]

    def _concatenate_memo_texts(self, memo_list: list[str]) -> str:
        if not memo_list:
            return ""
        info = "\n# Memories that might help\n" + "".join(f"- {memo}\n" for memo in memo_list)
        if self.verbosity >= 1:
            announce("\nMEMOS APPENDED TO LAST MESSAGE...\n" + info + "\n")
        return "\n" + info

    def _analyze(self, text_to_analyze: str, analysis_instructions: str) -> str:
        if self.analyzer is None:
            raise ConfigError("agent", None, "call add_to_agent(agent) before using Teachability")
        analysis = self.analyzer.analyze_text(text_to_analyze, analysis_instructions)
        return content_str(analysis) if not isinstance(analysis, str) else analysis
