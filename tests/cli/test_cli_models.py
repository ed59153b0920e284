"""Model options shared by the commands and the examples: --model, --config, --filter."""

import json
from pathlib import Path

import pytest

from convogen.cli.models import ModelChoice, example_options, parse_filters
from convogen.cli.options import model_choice
from convogen.errors import ConfigError
from convogen.llm.local.model_file import llama_cpp_available


def write_config(tmp_path: Path) -> Path:
    path = tmp_path / "OAI_CONFIG_LIST"
    entries = [
        {"model": "gpt-4o", "api_key": "k1", "tags": ["fast"]},
        {"model": "gpt-4o-mini", "api_key": "k2"},
    ]
    path.write_text(json.dumps(entries))
    return path


def test_no_option_keeps_the_commands_default() -> None:
    fallback = {"config_list": [{"model": "stand-in", "api_type": "scripted", "replies": ["x"]}]}
    assert ModelChoice().pick(fallback) is fallback


def test_scripted_keeps_the_scripted_stand_in() -> None:
    fallback = {"config_list": []}
    assert ModelChoice(scripted=True).pick(fallback) is fallback


def test_scripted_cannot_be_combined_with_a_model() -> None:
    with pytest.raises(ConfigError, match="--scripted"):
        ModelChoice(model="gpt-4o", scripted=True)


def test_model_scripted_is_an_alias_of_the_scripted_flag() -> None:
    assert model_choice("scripted", None, None, False) == ModelChoice(scripted=True)


def test_config_file_entries_are_read_and_filtered(tmp_path: Path) -> None:
    choice = ModelChoice(config=str(write_config(tmp_path)), filters=("tags=fast",))
    assert [e["model"] for e in choice.llm_config()["config_list"]] == ["gpt-4o"]


def test_model_name_picks_its_entries_from_the_config_list(tmp_path: Path) -> None:
    choice = ModelChoice(model="gpt-4o-mini", config=str(write_config(tmp_path)))
    assert [e["model"] for e in choice.config_list()] == ["gpt-4o-mini"]


def test_config_is_read_from_an_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MY_CONFIGS", json.dumps([{"model": "m", "api_key": "k"}]))
    assert ModelChoice(config="MY_CONFIGS").config_list()[0]["model"] == "m"


def test_a_filter_matching_nothing_names_the_filter(tmp_path: Path) -> None:
    choice = ModelChoice(config=str(write_config(tmp_path)), filters=("model=claude",))
    with pytest.raises(ConfigError, match="model=claude"):
        choice.llm_config()


def test_a_filter_must_be_key_equals_value() -> None:
    with pytest.raises(ConfigError, match="KEY=VALUE"):
        parse_filters(["model"])


def test_filter_values_may_list_alternatives() -> None:
    assert parse_filters(["model=a,b", "tags=x"]) == {"model": ["a", "b"], "tags": ["x"]}


def test_the_embedded_model_takes_no_config_list() -> None:
    with pytest.raises(ConfigError, match="--model"):
        ModelChoice(model="local", config="OAI_CONFIG_LIST")


@pytest.mark.skipif(not llama_cpp_available(), reason="llama-cpp-python is not installed")
def test_model_local_is_the_embedded_model() -> None:
    [entry] = ModelChoice(model="local").llm_config()["config_list"]
    assert entry["api_type"] == "local"


def test_examples_parse_the_same_options(tmp_path: Path) -> None:
    options = example_options(None, ["--silent", "--config", "CFG", "--filter", "model=x"])
    assert options == {"silent": True, "model": ModelChoice(None, "CFG", ("model=x",), False)}
