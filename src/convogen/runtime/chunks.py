"""Cutting a batch into chunks for worker processes, and shipping each team spec once.

Short chats cost less than a remote call, so a Ray batch sends many jobs per call. The spec of
a team shared by many jobs travels once per batch (keyed by its digest) instead of once per job.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from convogen.errors import ConfigError
from convogen.runtime.jobs import Job
from convogen.specs.models import TeamSpec

# Each worker gets about this many chunks, so a slow chunk does not leave the others idle
# at the end of the batch and results stream back while the batch runs.
CHUNKS_PER_WORKER = 4
# No chunk is larger than this: it bounds the chats a lost worker takes with it and how long
# a finished chat waits before it is checkpointed.
LARGEST_CHUNK = 64


def chunk_size(jobs: int, workers: int) -> int:
    """How many jobs to send per call for ``jobs`` jobs spread over ``workers`` workers."""
    if jobs < 0 or workers < 1:
        raise ConfigError("chunk_size", (jobs, workers), "needs jobs >= 0 and workers >= 1")
    return max(1, min(LARGEST_CHUNK, math.ceil(jobs / (workers * CHUNKS_PER_WORKER))))


def split(ids: Sequence[str], size: int) -> list[list[str]]:
    """``ids`` in consecutive chunks of at most ``size``."""
    if size < 1:
        raise ConfigError("chunk_size", size, "must be a positive integer")
    return [list(ids[start : start + size]) for start in range(0, len(ids), size)]


@dataclass
class Shipment:
    """A batch as plain data: each job's payload, and the team specs they share by key."""

    payloads: dict[str, dict[str, Any]] = field(default_factory=dict)
    specs: dict[str, dict[str, Any]] = field(default_factory=dict)


def ship(jobs: Mapping[str, Job]) -> Shipment:
    """Payloads for ``jobs`` (by id) whose team specs are replaced by a key into ``specs``."""
    shipment = Shipment()
    keys: dict[int, str] = {}  # by the TeamSpec object: a batch usually repeats one spec
    for job_id, job in jobs.items():
        key = None
        if isinstance(job.team, TeamSpec):
            key = keys.get(id(job.team))
            if key is None:
                dumped = job.payload(job_id)["spec"]
                key = spec_key(dumped)
                keys[id(job.team)] = key
                shipment.specs[key] = dumped
        shipment.payloads[job_id] = job.payload(job_id, spec_key=key)
    return shipment


def spec_key(spec: dict[str, Any]) -> str:
    """A key for a dumped spec that is the same in every batch (workers cache parsed specs)."""
    text = json.dumps(spec, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:24]
