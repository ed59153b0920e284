"""Hyperparameter search for ``Completion.tune`` on ``flaml.tune`` (imported only when tuning)."""

from __future__ import annotations

import logging
import math
import random
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from convogen._sync import run_sync
from convogen.errors import ModelClientError

if TYPE_CHECKING:
    from convogen.llm.completion import Completion, EvalFunc

logger = logging.getLogger(__name__)

# Values given as lists for these keys are searched; other list values (stop words,
# tools) are fixed request parameters.
_SEARCHABLE = frozenset({"model", "temperature", "top_p", "max_tokens", "n"})
# Keys whose candidates may be non-JSON (callables, message lists): searched by index.
_BY_INDEX = ("prompt", "messages", "stop")


def _flaml_tune() -> Any:
    with warnings.catch_warnings():
        # flaml warns at import that its AutoML extra is missing; tuning doesn't need it.
        warnings.simplefilter("ignore")
        from flaml import tune
    return tune


def _native(value: Any) -> Any:
    # flaml hands back numpy scalars; requests and cache keys need plain Python values.
    item = getattr(value, "item", None)
    if callable(item) and type(value).__module__ == "numpy":
        return item()
    if isinstance(value, Mapping):
        return {k: _native(v) for k, v in value.items()}
    return value


def _is_candidate_list(key: str, value: Any) -> bool:
    if not isinstance(value, (list, tuple)) or not value:
        return False
    if key == "prompt":
        return True
    # One messages template is itself a list of dicts; candidates are a list of such lists.
    return key in ("messages", "stop") and all(isinstance(v, (list, tuple)) for v in value)


class Tuner:
    """Evaluates candidate configs on data and tracks the dollars spent."""

    def __init__(
        self,
        *,
        completion: type[Completion],
        data: list[Mapping[str, Any]],
        metric: str,
        mode: str,
        eval_func: EvalFunc,
        optimization_budget: float | None,
        allow_format_str_template: bool,
    ) -> None:
        self.completion = completion
        self.data = data
        self.metric = metric
        self.mode = mode
        self.eval_func = eval_func
        self.optimization_budget = optimization_budget
        self.allow_format = allow_format_str_template
        self.spent = 0.0
        self.trials = 0
        self._fixed: dict[str, Any] = {}
        self._candidates: dict[str, list[Any]] = {}
        self._categorical: dict[str, list[Any]] = {}

    def search_space(self, config: Mapping[str, Any]) -> dict[str, Any]:
        """The flaml search space of ``config``; fixed values are kept aside."""
        tune = _flaml_tune()
        space: dict[str, Any] = {}
        for key, value in config.items():
            if isinstance(value, tune.sample.Domain):
                space[key] = value
            elif key in _BY_INDEX and _is_candidate_list(key, value):
                self._candidates[key] = list(value)
                self._categorical[key] = list(range(len(value)))
                space[key] = tune.choice(self._categorical[key])
            elif key in _SEARCHABLE and isinstance(value, (list, tuple)):
                self._categorical[key] = list(value)
                space[key] = tune.choice(list(value))
            else:
                self._fixed[key] = value
        if "temperature" not in config and "top_p" not in config:
            # Tune one of the two, as OpenAI recommends not changing both.
            space["temperature_or_top_p"] = tune.choice(
                [{"temperature": tune.uniform(0, 2)}, {"top_p": tune.uniform(0, 1)}]
            )
        if "max_tokens" not in config:
            space["max_tokens"] = tune.lograndint(50, 1000)
        return space

    def starting_points(self, num_samples: int) -> list[dict[str, Any]] | None:
        """Every combination of the listed candidates, when the sample budget covers them.

        flaml's local search starts from one point and may never move along a categorical
        axis such as the prompt; trying each combination once first avoids that.
        """
        points: list[dict[str, Any]] = [{}]
        for key, values in self._categorical.items():
            points = [{**p, key: v} for p in points for v in values]
        if not self._categorical or (0 < num_samples < len(points)):
            return None
        return points

    def resolve(self, trial: Mapping[str, Any]) -> dict[str, Any]:
        """A request config from a trial: indices become templates, nested choices flatten."""
        resolved = dict(self._fixed)
        for key, value in trial.items():
            if key == "temperature_or_top_p" and isinstance(value, Mapping):
                resolved.update(value)
            elif key in self._candidates:
                resolved[key] = self._candidates[key][int(value)]
            else:
                resolved[key] = value
        return {k: _native(v) for k, v in resolved.items()}

    def _worst(self) -> dict[str, float]:
        worst = math.inf if self.mode == "min" else -math.inf
        return {self.metric: worst, "inference_cost": math.inf, "total_cost": 0.0}

    def evaluate(self, trial: dict[str, Any]) -> dict[str, float]:
        """flaml's evaluation function: average metrics of one trial config over the data."""
        self.trials += 1
        if self.optimization_budget is not None and self.spent >= self.optimization_budget:
            logger.info("optimization budget $%s spent; skipping trial", self.optimization_budget)
            return self._worst()
        config = self.resolve(trial)
        try:
            result = run_sync(
                self.completion.evaluate(
                    self.data, self.eval_func, allow_format_str_template=self.allow_format, **config
                )
            )
        except ModelClientError as exc:
            logger.warning("trial %s failed: %s", self.trials, exc)
            return self._worst()
        self.spent += result["total_cost"]
        return result

    def run(
        self,
        config: Mapping[str, Any],
        *,
        inference_budget: float | None,
        num_samples: int,
        time_budget_s: float | None,
        seed: int,
    ) -> tuple[dict[str, Any], Any]:
        """Run the search; returns the best resolved config and flaml's analysis."""
        tune = _flaml_tune()
        space = self.search_space(config)
        constraints = None
        if inference_budget is not None:
            constraints = [("inference_cost", "<=", inference_budget)]
        # flaml's search draws from the global generators; seeding makes tuning repeatable.
        random.seed(seed)
        try:
            import numpy as np

            np.random.seed(seed)
        except ImportError:  # pragma: no cover - numpy comes with flaml
            pass
        analysis = tune.run(
            self.evaluate,
            config=space,
            metric=self.metric,
            mode=self.mode,
            num_samples=num_samples,
            time_budget_s=time_budget_s,
            metric_constraints=constraints,
            points_to_evaluate=self.starting_points(num_samples),
            verbose=0,
        )
        best = analysis.best_config
        best_config = self.resolve(best) if best else dict(self._fixed)
        best_config.pop("config_list", None)
        return best_config, analysis
