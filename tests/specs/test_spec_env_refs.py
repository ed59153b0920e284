"""Spec model configs name the environment variable holding a key (``api_key_env``)."""

from __future__ import annotations

import pytest

from convogen.errors import ConfigError
from convogen.specs import AgentSpec
from convogen.specs.models import parse_spec
from convogen.specs.secrets import resolve_env_refs

CONFIG = {"config_list": [{"model": "gpt-4o-mini", "api_key_env": "CONVOGEN_TEST_KEY"}]}


def test_a_reference_resolves_to_the_variable_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONVOGEN_TEST_KEY", "sk-from-env")
    resolved = resolve_env_refs(CONFIG)
    assert resolved["config_list"][0] == {"model": "gpt-4o-mini", "api_key": "sk-from-env"}
    assert CONFIG["config_list"][0]["api_key_env"] == "CONVOGEN_TEST_KEY"  # not changed


def test_a_top_level_model_reference_resolves_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONVOGEN_TEST_KEY", "sk-from-env")
    resolved = resolve_env_refs({"model": "m", "api_key_env": "CONVOGEN_TEST_KEY"})
    assert resolved == {"model": "m", "api_key": "sk-from-env"}


def test_an_unset_variable_is_an_error_naming_the_field(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CONVOGEN_TEST_KEY", raising=False)
    with pytest.raises(ConfigError, match="CONVOGEN_TEST_KEY is not set") as error:
        resolve_env_refs(CONFIG, "agents[coder].llm_config")
    assert error.value.field == "agents[coder].llm_config.config_list[0].api_key_env"


@pytest.mark.parametrize("name", ["sk-abc123", "lower_case", "", "1ABC"])
def test_a_spec_refuses_a_reference_that_is_not_a_variable_name(name: str) -> None:
    with pytest.raises(ValueError, match="api_key_env"):
        AgentSpec(name="a", llm_config={"config_list": [{"model": "m", "api_key_env": name}]})


def test_a_spec_refuses_a_key_and_a_reference_together() -> None:
    entry = {"model": "m", "api_key": "sk-x", "api_key_env": "OPENAI_API_KEY"}
    with pytest.raises(ValueError, match="api_key or api_key_env"):
        AgentSpec(name="a", llm_config={"config_list": [entry]})


def test_a_team_manager_config_may_hold_a_reference() -> None:
    team = parse_spec(
        {
            "name": "t",
            "type": "group_chat",
            "agents": [{"name": "a"}, {"name": "b"}],
            "initiator": "a",
            "manager_llm_config": {"model": "m", "api_key_env": "OPENAI_API_KEY"},
        }
    )
    assert team.manager_llm_config == {"model": "m", "api_key_env": "OPENAI_API_KEY"}
