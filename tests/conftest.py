"""Shared fixtures: scripted human input, no network anywhere."""

from __future__ import annotations

import pytest

from convogen.agents.io import ScriptedIO


@pytest.fixture
def io() -> ScriptedIO:
    """A scripted IO stream with no queued answers (add them with ``add_answers``)."""
    return ScriptedIO()
