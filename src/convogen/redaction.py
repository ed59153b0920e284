"""One redaction function for every artefact writer: logs, cassettes, checkpoints, errors, studio.

`redact(value)` returns a copy of a JSON-like value in which every credential is replaced by
``REDACTED``: values under credential-looking keys (``api_key``, ``azure_ad_token``, any header
such as ``Authorization`` or ``api-key`` inside ``extra_headers`` / ``default_headers``), the
password of URLs (``https://user:pass@host``) and credential query parameters (``?token=...``).
`redact_text(text)` scrubs secrets this process has seen (`remember_secret`) out of free text such
as error messages.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

REDACTED = "**********"

# A name is a credential when one of its words (split on _ - . and case) is one of these.
_SECRET_WORDS = frozenset(
    {
        "apikey",
        "key",
        "token",
        "secret",
        "password",
        "passwd",
        "pwd",
        "auth",
        "authorization",
        "credential",
        "credentials",
        "cookie",
        "signature",
        "sas",
        "pat",
    }
)
# Word pairs that name a credential only together ("api key", "access token" are covered above).
_NOT_SECRET_NAMES = frozenset({"key_id", "cache_key", "idempotency_key", "keys", "api_key_env"})
# Values are masked in credential fields whatever their length, but remembered (to scrub them
# from free text) only when this long: a placeholder key such as "test" or "none" must not mask
# ordinary words in every later message. Real API keys are far longer.
_MIN_SECRET_LENGTH = 8
_MIN_URL_SECRET_LENGTH = 8
_URL_WITH_CREDENTIALS = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://[^\s/'\"@]+@[^\s'\"]+")
_URL_WITH_QUERY = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'\"]*\?[^\s'\"]+")

_known_secrets: set[str] = set()
# The same secrets, longest first (a secret containing another is masked whole); rebuilt only
# when one is added, because redact_text runs for every string an artefact writer sees.
_ordered_secrets: tuple[str, ...] = ()
_lock = threading.Lock()


def _words(name: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return [w for w in re.split(r"[^a-zA-Z0-9]+", spaced.lower()) if w]


@functools.lru_cache(maxsize=4096)
def is_secret_name(name: str) -> bool:
    """True when a key, header or variable name looks like it holds a credential."""
    normalized = "_".join(_words(name))
    if normalized in _NOT_SECRET_NAMES:
        return False
    words = _words(name)
    return any(w in _SECRET_WORDS for w in words) or "apikey" in normalized.replace("_", "")


def remember_secret(value: object) -> None:
    """Note a secret value so that `redact_text` removes it wherever it appears later."""
    if not isinstance(value, str) or len(value) < _MIN_SECRET_LENGTH or value == REDACTED:
        return
    # "Bearer <token>" / "Basic <token>": the token alone may show up in text too.
    scheme, _, token = value.partition(" ")
    found = {value}
    if token and scheme.isalpha() and len(token.strip()) >= _MIN_SECRET_LENGTH:
        found.add(token.strip())
    global _ordered_secrets
    with _lock:
        if found <= _known_secrets:
            return
        _known_secrets.update(found)
        _ordered_secrets = tuple(sorted(_known_secrets, key=len, reverse=True))


def _looks_generated(value: str) -> bool:
    """A URL password worth scrubbing from free text: long, or letters mixed with digits.

    URL passwords are often plain words ("convogen", "postgres"); remembering one would mask
    that word in every later log line, file name and module path.
    """
    if len(value) >= 2 * _MIN_URL_SECRET_LENGTH:
        return True
    mixed = any(c.isdigit() for c in value) and any(c.isalpha() for c in value)
    return len(value) >= _MIN_URL_SECRET_LENGTH and mixed


def redact_url(url: str) -> str:
    """The URL without its password and with credential query parameters masked."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        user, _, password = userinfo.partition(":")
        if _looks_generated(password or user):
            remember_secret(password or user)
        netloc = f"{user}:{REDACTED}@{host}" if ":" in userinfo else f"{REDACTED}@{host}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(is_secret_name(k) for k, _ in pairs):
            query = urlencode([(k, REDACTED if is_secret_name(k) else v) for k, v in pairs])
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def redact(value: Any, *, scrub_known: bool = True) -> Any:
    """A copy of ``value`` (dicts, lists, strings, objects left as they are) with secrets masked.

    ``scrub_known=False`` masks only what the value itself shows to be a credential (fields,
    headers, URL passwords), not secrets remembered from elsewhere in the process.
    """
    if isinstance(value, Mapping):
        return {k: _redact_item(k, v, scrub_known) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v, scrub_known=scrub_known) for v in value]
    if isinstance(value, tuple):
        return tuple(redact(v, scrub_known=scrub_known) for v in value)
    if isinstance(value, str):
        return redact_text(value) if scrub_known else _redact_urls(value)
    return value


def _redact_item(key: object, value: Any, scrub_known: bool) -> Any:
    if isinstance(key, str) and is_secret_name(key) and _is_secret_value(value):
        remember_secret(value)
        return REDACTED
    return redact(value, scrub_known=scrub_known)


def _is_secret_value(value: Any) -> bool:
    if value is None or isinstance(value, (bool, int, float)):
        return False
    return not (isinstance(value, (Mapping, list, tuple)) and not value)


def redact_text(text: str, extra_secrets: Iterable[str] = ()) -> str:
    """``text`` with known secrets, URL passwords and credential query parameters masked."""
    secrets: Iterable[str] = _ordered_secrets
    if extra_secrets:
        secrets = sorted({*_ordered_secrets, *extra_secrets}, key=len, reverse=True)
    for secret in secrets:
        if len(secret) >= _MIN_SECRET_LENGTH and secret in text:
            text = text.replace(secret, REDACTED)
    return _redact_urls(text)


def _redact_urls(text: str) -> str:
    if "://" in text:
        text = _URL_WITH_CREDENTIALS.sub(lambda m: redact_url(m.group(0)), text)
        text = _URL_WITH_QUERY.sub(lambda m: redact_url(m.group(0)), text)
    return text


def redact_named(name: str, value: Any) -> Any:
    """``value`` masked as a whole when ``name`` (a key or field path) names a credential."""
    if is_secret_name(_last_part(name)) and _is_secret_value(value):
        if isinstance(value, str):
            remember_secret(value)
        return REDACTED
    return redact(value)


def _last_part(name: str) -> str:
    # "config_list[0]['api_key']" -> "api_key": only the innermost name says what the value is.
    parts = [p for p in re.split(r"[\[\]'\"]+", name) if p and not p.isdigit()]
    return parts[-1] if parts else name


def remember_config_secrets(entry: Mapping[str, Any]) -> None:
    """Note every credential of a config entry (keys, tokens, credential headers)."""
    redact(entry)  # redaction remembers what it masks
