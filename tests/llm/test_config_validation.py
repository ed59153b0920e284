"""Config hardening: legacy keys, misspelt keys, typed fields, and no key in error text."""

from __future__ import annotations

import warnings
from typing import Any

import pytest

from convogen.errors import ConfigError
from convogen.llm.config import validate_config_entry, validate_llm_config

SECRET = "sk-config-secret-0123456789"


def entry(**extra: Any) -> dict[str, Any]:
    return {"model": "gpt-4o", "api_key": SECRET, **extra}


def test_api_base_is_used_as_base_url_with_a_deprecation_warning() -> None:
    with pytest.warns(DeprecationWarning, match="api_base"):
        checked = validate_config_entry(entry(api_base="http://localhost:8000/v1"), 0)
    assert checked["base_url"] == "http://localhost:8000/v1"
    assert "api_base" not in checked


def test_api_base_in_llm_config_reaches_each_entry_as_base_url() -> None:
    with pytest.warns(DeprecationWarning):
        config = validate_llm_config({"config_list": [entry(api_base="http://h:1/v1")]})
    assert config is not None
    assert config["config_list"][0]["base_url"] == "http://h:1/v1"


def test_api_base_and_a_different_base_url_together_are_refused() -> None:
    with pytest.raises(ConfigError, match="both are set"):
        validate_config_entry(entry(api_base="http://a/v1", base_url="http://b/v1"), 0)


def test_misspelt_key_is_refused_with_did_you_mean() -> None:
    with pytest.raises(ConfigError, match="did you mean 'temperature'") as info:
        validate_config_entry(entry(temprature=0.2), 0)
    assert info.value.field == "config_list[0]['temprature']"


def test_misspelt_key_at_llm_config_level_is_refused() -> None:
    with pytest.raises(ConfigError, match="did you mean 'max_tokens'"):
        validate_llm_config({"config_list": [entry()], "max_token": 10})


def test_misspelt_api_key_does_not_show_its_value() -> None:
    with pytest.raises(ConfigError) as info:
        validate_config_entry({"model": "m", "api_kye": SECRET}, 0)
    assert "did you mean 'api_key'" in str(info.value)
    assert SECRET not in str(info.value)


@pytest.mark.parametrize(
    "key",
    [
        "temperature",
        "top_p",
        "max_tokens",
        "seed",
        "response_format",
        "tool_choice",
        "parallel_tool_calls",
        "stream_options",
        "max_completion_tokens",
        "extra_body",
        "extra_query",
        "azure_ad_token_provider",
        "http_client",
        "default_query",
        "top_k",
        "safety_settings",
    ],
)
def test_keys_accepted_by_autogen_0_2_are_accepted(key: str) -> None:
    values = {
        "temperature": 0.5,
        "top_p": 1,
        "max_tokens": 5,
        "seed": 1,
        "parallel_tool_calls": True,
        "max_completion_tokens": 5,
        "extra_body": {},
        "extra_query": {},
        "default_query": {},
    }
    checked = validate_config_entry(entry(**{key: values.get(key, object())}), 0)
    assert key in checked


def test_keys_unlike_any_known_key_pass_through_to_the_request() -> None:
    checked = validate_config_entry(entry(vendor_routing_hint="eu"), 0)
    assert checked["vendor_routing_hint"] == "eu"


def test_custom_client_entries_keep_unknown_keys_untouched() -> None:
    custom = {"model": "m", "model_client_cls": "MyClient", "temprature": 3, "device": "cuda"}
    assert validate_config_entry(custom, 0) == custom


def test_user_registered_api_type_keeps_unknown_keys() -> None:
    custom = {"model": "m", "api_type": "my_vendor", "temprature": 3}
    assert validate_config_entry(custom, 0) == custom


def test_timeout_given_as_text_names_the_field() -> None:
    with pytest.raises(ConfigError) as info:
        validate_config_entry(entry(timeout="30"), 0)
    assert info.value.field == "config_list[0]['timeout']"
    assert "number of seconds > 0" in str(info.value)


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        ("timeout", 0, "> 0"),
        ("max_retries", -1, "integer >= 0"),
        ("max_retries", 1.5, "integer >= 0"),
        ("temperature", "hot", "number"),
        ("temperature", True, "number"),
        ("base_url", "localhost:8000", "http:// or https://"),
        ("base_url", 8000, "URL string"),
        ("api_key", 12345, "string"),
        ("price", [1], "[prompt, completion]"),
        ("tags", "fast", "list of strings"),
        ("n", 0, "integer >= 1"),
        ("stop", 3, "string or a list of strings"),
        ("extra_headers", {"Authorization": 5}, "header names"),
        ("stream", "yes", "True or False"),
    ],
)
def test_each_field_is_type_checked_and_named(key: str, value: Any, problem: str) -> None:
    with pytest.raises(ConfigError, match=problem.replace("[", r"\[")) as info:
        validate_config_entry(entry(**{key: value}), 3)
    assert info.value.field == f"config_list[3][{key!r}]"


def test_optional_fields_may_be_none() -> None:
    checked = validate_config_entry(entry(base_url=None, timeout=None, api_key=None), 0)
    assert checked["base_url"] is None


def test_bad_base_url_error_does_not_show_its_password() -> None:
    with pytest.raises(ConfigError) as info:
        validate_config_entry(entry(base_url="ftp://bob:hunter2-pass@host/v1"), 0)
    assert "hunter2-pass" not in str(info.value)


def test_config_list_given_as_a_dict_does_not_show_the_key() -> None:
    with pytest.raises(ConfigError, match="must be a list of dicts") as info:
        validate_llm_config({"config_list": entry()})
    assert SECRET not in str(info.value)
    assert SECRET not in repr(info.value.value)


def test_config_list_given_as_llm_config_does_not_show_the_key() -> None:
    with pytest.raises(ConfigError, match="'config_list'") as info:
        validate_llm_config([entry()])
    assert SECRET not in str(info.value)


def test_credential_headers_do_not_show_in_config_errors() -> None:
    bad = entry(extra_headers={"Authorization": "Bearer hdr-secret-998877"}, timeout="x")
    with pytest.raises(ConfigError):
        validate_config_entry(bad, 0)
    with pytest.raises(ConfigError) as info:
        validate_llm_config({"config_list": bad})
    assert "hdr-secret-998877" not in str(info.value)


def test_valid_entry_raises_no_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert validate_config_entry(entry(temperature=0, timeout=30), 0)["timeout"] == 30
