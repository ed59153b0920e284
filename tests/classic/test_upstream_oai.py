"""Classic model-client and config helpers behave as AutoGen 0.2's upstream tests expect."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from convogen import OpenAIWrapper, config_list_from_json, get_config_list
from convogen.errors import ConfigError
from convogen.oai.client_utils import should_hide_tools, validate_parameter


class _EmptyClient:
    def __init__(self, config: dict[str, Any]) -> None:
        self.model = config["model"]

    def create(self, params: dict[str, Any]) -> Any:
        return SimpleNamespace(choices=[], model=self.model)

    def message_retrieval(self, response: Any) -> list[str]:
        return []

    def cost(self, response: Any) -> float:
        return 0.0

    @staticmethod
    def get_usage(response: Any) -> dict[str, Any]:
        return {}


def test_a_classic_client_may_answer_with_no_choices() -> None:
    client = OpenAIWrapper(
        config_list=[{"model": "m", "model_client_cls": "_EmptyClient"}], cache_seed=None
    )
    client.register_model_client(model_client_cls=_EmptyClient)
    response = client.create(messages=[{"role": "user", "content": "hi"}])
    assert list(response.choices) == []


def test_a_missing_config_list_is_file_not_found_and_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_SUCH_LIST", raising=False)
    with pytest.raises(FileNotFoundError) as caught:
        config_list_from_json("NO_SUCH_LIST", file_location=tmp_path)
    assert isinstance(caught.value, ConfigError)


def test_an_unknown_hide_tools_mode_is_a_type_error_and_a_config_error() -> None:
    with pytest.raises(TypeError) as caught:
        should_hide_tools([], [], "sometimes")
    assert isinstance(caught.value, ConfigError)


def test_allowed_values_that_are_not_a_list_are_a_type_error() -> None:
    with pytest.raises(TypeError, match="allowed_values"):
        validate_parameter({}, "p", str, True, None, None, "not a list")  # type: ignore[arg-type]


def test_keys_and_urls_of_different_lengths_fail_with_0_2s_assertion_message() -> None:
    with pytest.raises(AssertionError) as caught:
        get_config_list(["k1", "k2"], ["https://a.example"])
    assert str(caught.value) == "The length of api_keys must match the length of base_urls"
    assert isinstance(caught.value, ConfigError)
