"""The failover step: which config entries a call tries, in what rounds, and how it fails."""

from __future__ import annotations

from collections.abc import Sequence

from convogen.errors import AllModelsFailedError
from convogen.llm.retry import RetryPolicy


class Failover:
    """One call's pass over the config entries: attempts, errors and the retry rounds.

    A failed entry makes the call move to the next at once; when every entry of a round has
    failed, those with a retryable error and attempts left are tried again after a backoff.
    """

    __slots__ = (
        "_models",
        "_policy",
        "_retries",
        "_round",
        "_rounds_done",
        "active",
        "attempts",
        "errors",
    )

    def __init__(
        self, models: Sequence[str], retries: Sequence[int | None], policy: RetryPolicy
    ) -> None:
        self._models = models
        self._retries = retries
        self._policy = policy
        self._round: list[BaseException] = []
        self._rounds_done = 0
        self.attempts = [0] * len(models)
        self.errors: dict[int, BaseException] = {}
        self.active: Sequence[int] = range(len(models))

    def is_last(self, index: int) -> bool:
        """Whether ``index`` is the last entry tried in this round."""
        return index == self.active[-1]

    def failed(self, index: int, error: BaseException) -> None:
        """Note that entry ``index`` failed with ``error`` (its Retry-After counts)."""
        self.errors[index] = error
        self._round.append(error)

    def rejected(self, index: int, error: BaseException) -> None:
        """Note that entry ``index`` answered but its reply was refused (never retried)."""
        self.errors[index] = error

    async def next_round(self) -> None:
        """Wait before the next round; raise the call's error when no entry may retry."""
        self.active = [i for i in self.active if self._may_retry(i)]
        if not self.active:
            raise self._failure()
        self._rounds_done += 1
        delay = self._policy.delay_for(self._rounds_done, self._round)
        self._round = []
        await self._policy.sleep(delay)

    def _may_retry(self, index: int) -> bool:
        error = self.errors.get(index)
        if error is None or not getattr(error, "retryable", False):
            return False
        entry_retries = self._retries[index]
        max_retries = self._policy.max_retries if entry_retries is None else entry_retries
        return self.attempts[index] <= int(max_retries)

    def _failure(self) -> BaseException:
        ordered = [(self._models[i], self.errors[i]) for i in sorted(self.errors)]
        if len(self._models) == 1:
            return ordered[0][1]
        return AllModelsFailedError(ordered)
