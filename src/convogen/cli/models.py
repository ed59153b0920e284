"""Which model a command or example talks to: ``--model/--config/--filter/--scripted``.

Shared by every CLI command that calls models and by the examples (run as scripts or through
``convogen example``), so all of them read a config list, the embedded model or a scripted
stand-in the same way.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from convogen.errors import ConfigError

LOCAL = "local"
"""``--model local``: the embedded llama.cpp model (SmolLM2-135M-Instruct by default)."""

DEFAULT_CONFIG = "OAI_CONFIG_LIST"
"""Where ``--config`` reads a config list when given no value: the env var or file of that name."""

MODEL_HELP = "'local' for the embedded model, or a model name picked from the config list."
CONFIG_HELP = "Config list: a JSON file, or an environment variable holding JSON or a file path."
FILTER_HELP = "Keep config entries with KEY=VALUE (VALUE may be a,b); repeatable."
SCRIPTED_HELP = "Use the scripted stand-in model (offline, deterministic)."


@dataclass(frozen=True)
class ModelChoice:
    """The model options of one command line, resolved to an ``llm_config`` on demand."""

    model: str | None = None
    config: str | None = None
    filters: tuple[str, ...] = ()
    scripted: bool = False

    def __post_init__(self) -> None:
        if self.scripted and (self.model or self.config or self.filters):
            raise ConfigError(
                "--scripted", True, "cannot be combined with --model, --config or --filter"
            )
        if self.model == LOCAL and (self.config or self.filters):
            raise ConfigError("--model", LOCAL, "the embedded model takes no --config or --filter")

    @property
    def uses_default(self) -> bool:
        """True when no model option was given (the command keeps its own default)."""
        return not (self.scripted or self.model or self.config or self.filters)

    def llm_config(self) -> dict[str, Any]:
        """The ``llm_config`` chosen by the options; raises ``ConfigError`` when unusable."""
        if self.scripted or self.uses_default:
            raise ConfigError(
                "--model", None, "no model chosen: give --model, --config or --scripted"
            )
        if self.model == LOCAL:
            return local_llm_config()
        return {"config_list": self.config_list()}

    def config_list(self) -> list[dict[str, Any]]:
        """The entries of the config list that pass ``--model`` and every ``--filter``."""
        from convogen.llm.config_list import config_list_from_json

        source = self.config or DEFAULT_CONFIG
        filter_dict = parse_filters(self.filters)
        if self.model:
            filter_dict["model"] = [self.model]
        entries = config_list_from_json(source, filter_dict=filter_dict or None)
        if not entries:
            raise ConfigError(
                "--filter", _describe(filter_dict), f"no entry of the config list {source} matches"
            )
        return entries

    def pick(self, fallback: dict[str, Any]) -> dict[str, Any]:
        """The chosen ``llm_config``, or ``fallback`` (a scripted stand-in) when none was chosen."""
        return fallback if self.scripted or self.uses_default else self.llm_config()

    def picker(self) -> Callable[[dict[str, Any]], dict[str, Any]]:
        """``pick`` with the chosen config resolved once (so every agent shares one check)."""
        if self.scripted or self.uses_default:
            return lambda fallback: fallback
        chosen = self.llm_config()
        return lambda _fallback: chosen


def _describe(filter_dict: dict[str, list[str]]) -> str:
    return ", ".join(f"{k}={','.join(v)}" for k, v in filter_dict.items()) or "(none)"


def parse_filters(filters: Sequence[str]) -> dict[str, list[str]]:
    """``["model=gpt-4o,gpt-4o-mini", "tags=fast"]`` as a ``filter_dict``."""
    parsed: dict[str, list[str]] = {}
    for item in filters:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ConfigError("--filter", item, "must look like KEY=VALUE (e.g. model=gpt-4o)")
        parsed.setdefault(key.strip(), []).extend(v.strip() for v in value.split(",") if v.strip())
    return parsed


LOCAL_N_CTX = 8192


def local_llm_config() -> dict[str, Any]:
    """The embedded model's ``llm_config``, checked to be installed (fails fast otherwise)."""
    from convogen.llm.defaults import DEFAULT_MODEL_ENTRY
    from convogen.llm.local.model_file import require_llama_cpp, resolve_model_path

    require_llama_cpp()
    resolve_model_path(None)
    # The apps' prompts plus a few turns outgrow the library default of 2,048 tokens; SmolLM2
    # was trained with 8,192, and its KV cache at that size is about 190 MB.
    entry = {**DEFAULT_MODEL_ENTRY, "n_ctx": LOCAL_N_CTX}
    return {"config_list": [entry], "max_tokens": 512}


def add_model_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--model/--config/--filter/--scripted`` to an example's argument parser."""
    parser.add_argument("--model", default=None, help=MODEL_HELP)
    parser.add_argument("--config", default=None, metavar="PATH_OR_ENV", help=CONFIG_HELP)
    parser.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        dest="filters",
        help=FILTER_HELP,
    )
    parser.add_argument("--scripted", action="store_true", help=SCRIPTED_HELP)


def example_options(description: str | None, argv: Sequence[str] | None = None) -> dict[str, Any]:
    """Parse an example's command line into ``main`` keyword arguments (``silent``, ``model``)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--silent", action="store_true", help="Print nothing; only run.")
    add_model_arguments(parser)
    args = parser.parse_args(argv)
    choice = ModelChoice(args.model, args.config, tuple(args.filters), args.scripted)
    return {"silent": args.silent, "model": choice}
