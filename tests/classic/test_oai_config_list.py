"""The classic config-list helpers: ``config_list_from_json`` and friends, as 0.2 behaves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import convogen as autogen

CONFIGS = [{"model": "gpt-4", "api_key": "sk-one"}, {"model": "gpt-4o", "api_key": "sk-two"}]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("OAI_CONFIG_LIST", "OPENAI_API_KEY", "OPENAI_API_BASE", "AZURE_OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("AZURE_OPENAI_API_BASE", raising=False)
    monkeypatch.chdir(tmp_path)


def test_env_var_holding_long_json_is_parsed_not_treated_as_a_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    many = [{"model": f"model-{i}", "api_key": "sk-" + "x" * 40} for i in range(80)]
    text = json.dumps(many)
    assert len(text) > 4096  # longer than any file name may be
    monkeypatch.setenv("OAI_CONFIG_LIST", text)
    assert autogen.config_list_from_json("OAI_CONFIG_LIST") == many


def test_env_var_holding_a_path_reads_that_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "configs.json"
    path.write_text(json.dumps(CONFIGS))
    monkeypatch.setenv("OAI_CONFIG_LIST", str(path))
    assert autogen.config_list_from_json("OAI_CONFIG_LIST") == CONFIGS


def test_without_env_var_the_file_in_file_location_is_read(tmp_path: Path) -> None:
    (tmp_path / "OAI_CONFIG_LIST").write_text(json.dumps(CONFIGS))
    configs = autogen.config_list_from_json(
        "OAI_CONFIG_LIST", file_location=str(tmp_path), filter_dict={"model": ["gpt-4o"]}
    )
    assert configs == [CONFIGS[1]]


def test_empty_env_var_falls_back_to_the_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("OAI_CONFIG_LIST", "")
    (tmp_path / "OAI_CONFIG_LIST").write_text(json.dumps(CONFIGS))
    assert autogen.config_list_from_json("OAI_CONFIG_LIST", file_location=str(tmp_path)) == CONFIGS


def test_dotenv_defaults_to_gpt4_and_gpt35_on_openai_api_key(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("OPENAI_API_KEY=sk-from-dotenv\n")
    configs = autogen.config_list_from_dotenv(str(dotenv))
    assert configs == [
        {"model": "gpt-4", "api_key": "sk-from-dotenv"},
        {"model": "gpt-3.5-turbo", "api_key": "sk-from-dotenv"},
    ]


def test_openai_aoai_reads_key_files_for_both_services(tmp_path: Path) -> None:
    (tmp_path / "key_openai.txt").write_text("sk-openai\n")
    (tmp_path / "key_aoai.txt").write_text("azure-key\n")
    (tmp_path / "base_aoai.txt").write_text("https://example.openai.azure.com\n")
    configs = autogen.config_list_openai_aoai(key_file_path=str(tmp_path))
    assert configs[0] == {"api_key": "sk-openai"}
    assert configs[1]["api_type"] == "azure"
    assert configs[1]["base_url"] == "https://example.openai.azure.com"


def test_gpt4_gpt35_builds_one_entry_per_model_and_key(tmp_path: Path) -> None:
    (tmp_path / "key_openai.txt").write_text("sk-openai\n")
    configs = autogen.config_list_gpt4_gpt35(key_file_path=str(tmp_path), exclude="aoai")
    assert [(c["model"], c["api_key"]) for c in configs] == [
        ("gpt-4", "sk-openai"),
        ("gpt-3.5-turbo", "sk-openai"),
    ]


def test_filter_config_exclude_keeps_the_non_matching_entries() -> None:
    assert autogen.filter_config(CONFIGS, {"model": ["gpt-4"]}, exclude=True) == [CONFIGS[1]]


def test_get_config_list_skips_empty_keys() -> None:
    assert autogen.get_config_list(["sk-a", ""], base_urls=["http://a", "http://b"]) == [
        {"api_key": "sk-a", "base_url": "http://a"}
    ]


def test_openai_utils_key_helpers() -> None:
    from convogen.oai.openai_utils import get_key, is_valid_api_key

    assert get_key({"model": "m", "api_key": "secret"}) == '{"model": "m"}'
    assert is_valid_api_key("sk-" + "a" * 48)
    assert not is_valid_api_key("not-a-key")
