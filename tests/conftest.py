"""Shared fixtures: scripted human input, no network anywhere."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from convogen.agents.io import ScriptedIO


@pytest.fixture
def io() -> ScriptedIO:
    """A scripted IO stream with no queued answers (add them with ``add_answers``)."""
    return ScriptedIO()


@pytest.fixture(autouse=True)
def _restore_convogen_log_level() -> Iterator[None]:
    """Commands run in-process (``--quiet``, ``--verbose``) set the level of the ``convogen``
    logger, as a CLI process should; later tests must see the default again."""
    logger = logging.getLogger("convogen")
    level = logger.level
    yield
    logger.setLevel(level)
