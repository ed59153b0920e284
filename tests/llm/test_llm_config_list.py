"""Config-list utilities and their errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from convogen.errors import ConfigError
from convogen.llm import (
    config_list_from_dotenv,
    config_list_from_json,
    config_list_from_models,
    filter_config,
    get_config_list,
)

CONFIGS = [
    {"model": "gpt-4o", "api_key": "k1", "tags": ["smart", "paid"]},
    {"model": "gpt-4o-mini", "api_key": "k2", "tags": ["fast", "paid"]},
    {"model": "llama3", "base_url": "http://127.0.0.1:11434/v1", "tags": ["local"]},
]


def test_from_env_var_holding_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OAI_CONFIG_LIST", json.dumps(CONFIGS))
    assert config_list_from_json() == CONFIGS
    fast = config_list_from_json(filter_dict={"tags": ["fast"]})
    assert [c["model"] for c in fast] == ["gpt-4o-mini"]


def test_from_env_var_holding_a_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "configs.json"
    path.write_text(json.dumps(CONFIGS))
    monkeypatch.setenv("MY_CONFIGS", str(path))
    assert config_list_from_json("MY_CONFIGS") == CONFIGS


def test_from_file_in_file_location(tmp_path: Path) -> None:
    (tmp_path / "OAI_CONFIG_LIST").write_text(json.dumps(CONFIGS))
    models = config_list_from_json(file_location=tmp_path, filter_dict={"model": ["llama3"]})
    assert models == [CONFIGS[2]]


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        config_list_from_json("NO_SUCH_LIST", file_location=tmp_path)
    assert info.value.field == "env_or_file"
    assert str(tmp_path / "NO_SUCH_LIST") in str(info.value)


def test_malformed_json_names_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "OAI_CONFIG_LIST"
    path.write_text('[\n  {"model": "gpt-4o",}\n]')
    with pytest.raises(ConfigError) as info:
        config_list_from_json(file_location=tmp_path)
    message = str(info.value)
    assert str(path) in message
    assert "line 2, column" in message


def test_malformed_json_in_env_var(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OAI_CONFIG_LIST", "[{")
    with pytest.raises(ConfigError, match=r"\$OAI_CONFIG_LIST.*line 1, column 3"):
        config_list_from_json()


@pytest.mark.parametrize(
    ("content", "field"),
    [
        ('{"model": "x"}', "must hold a JSON list"),
        ('[{"api_key": "k"}]', "config_list[0]['model']"),
        ('[{"model": "x", "price": [1]}]', "config_list[0]['price']"),
        ('["gpt-4"]', "config_list[0]"),
    ],
)
def test_invalid_entries_name_the_field(tmp_path: Path, content: str, field: str) -> None:
    (tmp_path / "OAI_CONFIG_LIST").write_text(content)
    with pytest.raises(ConfigError) as info:
        config_list_from_json(file_location=tmp_path)
    assert field in str(info.value)
    assert "OAI_CONFIG_LIST" in str(info.value)


def test_filter_config_semantics() -> None:
    assert filter_config(CONFIGS, None) == CONFIGS
    assert filter_config(CONFIGS, {"model": ["gpt-4o", "llama3"]}) == [CONFIGS[0], CONFIGS[2]]
    # List-valued fields match on any overlap.
    assert filter_config(CONFIGS, {"tags": ["paid"]}) == CONFIGS[:2]
    # All keys must match.
    assert filter_config(CONFIGS, {"tags": ["paid"], "model": ["gpt-4o-mini"]}) == [CONFIGS[1]]
    # A missing key only matches when None is accepted.
    assert filter_config(CONFIGS, {"base_url": [None]}) == CONFIGS[:2]
    # A bare string is one accepted value, not a set of characters.
    assert filter_config(CONFIGS, {"model": "llama3"}) == [CONFIGS[2]]
    assert filter_config(CONFIGS, {"tags": ["local"]}, exclude=True) == CONFIGS[:2]
    with pytest.raises(ConfigError, match="filter_dict"):
        filter_config(CONFIGS, ["model"])  # type: ignore[arg-type]


def test_get_config_list() -> None:
    configs = get_config_list(
        ["k1", "", "k2"],
        base_urls=["http://a", None, "http://b"],
        api_type="azure",
        api_version="2024-06-01",
    )
    assert configs == [
        {"api_key": "k1", "base_url": "http://a", "api_type": "azure", "api_version": "2024-06-01"},
        {"api_key": "k2", "base_url": "http://b", "api_type": "azure", "api_version": "2024-06-01"},
    ]
    with pytest.raises(ConfigError, match="base_urls"):
        get_config_list(["k1"], base_urls=["a", "b"])
    with pytest.raises(ConfigError, match="api_keys"):
        get_config_list("k1")


def test_config_list_from_models_copies_key_entries_per_model(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for var in ("OPENAI_API_KEY", "OPENAI_API_BASE", "AZURE_OPENAI_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    (tmp_path / "key_openai.txt").write_text("key-a\nkey-b\n")
    configs = config_list_from_models(tmp_path, model_list=["gpt-4o", "gpt-4o-mini"])
    assert [(c["model"], c["api_key"]) for c in configs] == [
        ("gpt-4o", "key-a"),
        ("gpt-4o", "key-b"),
        ("gpt-4o-mini", "key-a"),
        ("gpt-4o-mini", "key-b"),
    ]


def test_config_list_from_models_reads_the_environment_without_files(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("AZURE_OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("OPENAI_API_KEY", "env-key")
    monkeypatch.setenv("OPENAI_API_BASE", "http://proxy/v1")
    assert config_list_from_models(tmp_path / "nowhere", model_list=["gpt-4o"]) == [
        {"api_key": "env-key", "base_url": "http://proxy/v1", "model": "gpt-4o"}
    ]


def test_config_list_from_models_without_keys_is_empty(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for var in ("OPENAI_API_KEY", "AZURE_OPENAI_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    assert config_list_from_models(tmp_path, model_list=["gpt-4o"]) == []


def test_config_list_from_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "# keys\nexport OPENAI_API_KEY='sk-dot'\nLOCAL_KEY=\"abc\"  \nOTHER=x # comment\n"
    )
    configs = config_list_from_dotenv(
        dotenv,
        {
            "gpt-4o": "OPENAI_API_KEY",
            "llama3": {"api_key_env_var": "LOCAL_KEY", "base_url": "http://127.0.0.1:1/v1"},
            "missing": "NOT_SET_ANYWHERE",
        },
    )
    assert configs == [
        {"model": "gpt-4o", "api_key": "sk-dot"},
        {"model": "llama3", "api_key": "abc", "base_url": "http://127.0.0.1:1/v1"},
    ]
    import os

    assert os.environ["OTHER"] == "x"
    assert config_list_from_dotenv(dotenv, filter_dict={"model": ["gpt-3.5-turbo"]}) == [
        {"model": "gpt-3.5-turbo", "api_key": "sk-dot"}
    ]


def test_dotenv_missing_file_is_a_warning_and_the_environment_is_used(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    absent = tmp_path / "absent.env"
    with caplog.at_level("WARNING"):
        configs = config_list_from_dotenv(absent, filter_dict={"model": ["gpt-4"]})
    assert f"The specified .env file {absent} does not exist." in caplog.text
    assert configs == [{"model": "gpt-4", "api_key": "sk-from-env"}]


def test_dotenv_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.env"
    bad.write_text("GOOD=1\nthis is not an assignment\n")
    with pytest.raises(ConfigError, match=r"bad.env:2"):
        config_list_from_dotenv(bad)
    with pytest.raises(ConfigError, match="api_key_env_var"):
        config_list_from_dotenv(None, {"m": {"base_url": "x"}})
