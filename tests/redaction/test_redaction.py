"""The one redaction function masks every credential shape and nothing else."""

from __future__ import annotations

from convogen.errors import ConfigError
from convogen.llm.errors import AuthenticationError
from convogen.redaction import (
    REDACTED,
    is_secret_name,
    redact,
    redact_named,
    redact_text,
    redact_url,
    remember_secret,
)


def test_api_key_and_token_fields_are_masked() -> None:
    out = redact({"model": "m", "api_key": "sk-abcdef", "azure_ad_token": "tok-123456"})
    assert out == {"model": "m", "api_key": REDACTED, "azure_ad_token": REDACTED}


def test_credential_headers_inside_extra_headers_are_masked() -> None:
    entry = {
        "extra_headers": {"Authorization": "Bearer s3cr3t-value", "X-Trace": "abc"},
        "default_headers": {"api-key": "k-998877", "Ocp-Apim-Subscription-Key": "sub-1234"},
    }
    out = redact(entry)
    assert out["extra_headers"] == {"Authorization": REDACTED, "X-Trace": "abc"}
    assert out["default_headers"] == {"api-key": REDACTED, "Ocp-Apim-Subscription-Key": REDACTED}


def test_token_counts_are_not_secrets() -> None:
    for name in ("max_tokens", "prompt_tokens", "completion_tokens", "total_tokens", "keywords"):
        assert not is_secret_name(name), name
    assert redact({"max_tokens": 100}) == {"max_tokens": 100}


def test_url_password_and_credential_query_are_masked() -> None:
    assert (
        redact_url("postgresql://bob:hunter22@db:5432/x")
        == f"postgresql://bob:{REDACTED}@db:5432/x"
    )
    assert "tok-987654" not in redact_url("http://h/p?token=tok-987654&a=1")
    assert "a=1" in redact_url("http://h/p?token=tok-987654&a=1")


def test_masked_values_are_scrubbed_from_later_text() -> None:
    redact({"api_key": "sk-unique-value-42"})
    text = redact_text("request failed with key sk-unique-value-42 at http://u:pw12@h/")
    assert "sk-unique-value-42" not in text
    assert "pw12" not in text


def test_original_value_is_not_modified() -> None:
    entry = {"api_key": "sk-keep-original", "nested": [{"token": "t-000000"}]}
    redact(entry)
    assert entry == {"api_key": "sk-keep-original", "nested": [{"token": "t-000000"}]}


def test_bearer_token_alone_is_scrubbed_from_later_text() -> None:
    redact({"extra_headers": {"Authorization": "Bearer tok-bearer-778899"}})
    assert "tok-bearer-778899" not in redact_text("server said: bad token tok-bearer-778899")


def test_url_password_is_scrubbed_from_later_text() -> None:
    redact_url("http://bob:url-secret-6655@host/v1")
    assert "url-secret-6655" not in redact_text("login failed for url-secret-6655")


def test_short_url_password_is_not_scrubbed_from_ordinary_words() -> None:
    redact_url("http://bob:pass@host/v1")
    assert redact_text("a passing test") == "a passing test"


def test_value_of_a_credential_field_path_is_masked_whole() -> None:
    assert redact_named("config_list[0]['api_key']", "sk-field-123456") == REDACTED
    assert redact_named("config_list[0]['timeout']", "30") == "30"
    assert redact_named("llm_config", {"api_key": "sk-x-123456"}) == {"api_key": REDACTED}


def test_config_error_masks_its_value_and_text() -> None:
    error = ConfigError("llm_config", [{"model": "m", "api_key": "sk-error-112233"}], "bad")
    assert "sk-error-112233" not in str(error)
    assert error.value == [{"model": "m", "api_key": REDACTED}]


def test_config_error_on_a_credential_field_does_not_show_the_value() -> None:
    error = ConfigError("config_list[0]['api_key']", "sk-error-445566", "must be a string")
    assert "sk-error-445566" not in str(error)


def test_model_api_error_masks_a_key_quoted_by_the_provider() -> None:
    remember_secret("sk-quoted-998877")
    error = AuthenticationError("Incorrect API key provided: sk-quoted-998877", status=401)
    assert "sk-quoted-998877" not in str(error)


def test_a_placeholder_key_is_masked_but_not_scrubbed_from_ordinary_text() -> None:
    assert redact({"api_key": "test"}) == {"api_key": REDACTED}
    assert redact_text("pytest ran the test") == "pytest ran the test"


def test_a_plain_word_url_password_is_masked_in_urls_only() -> None:
    url = "postgresql://convogen:convogen@127.0.0.1:5432/db"
    assert redact_url(url) == f"postgresql://convogen:{REDACTED}@127.0.0.1:5432/db"
    module = "convogen.studio.gallery_tools:word_count"
    assert redact_text(module) == module
