"""One local Ray instance for the whole session, shut down at the end."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from ray_local import start_local_ray  # sets Ray's environment before Ray is imported

ray = pytest.importorskip("ray", reason="Ray is not installed: pip install 'convogen[ray]'")


@pytest.fixture(scope="session")
def ray_session() -> Iterator[Any]:
    """A running local Ray instance (2 CPUs, loopback)."""
    if not ray.is_initialized():
        start_local_ray()
    yield ray
    ray.shutdown()
