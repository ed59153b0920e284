"""One config entry of a wrapper: its typed entry, its client and what that client can do."""

from __future__ import annotations

from convogen.llm.config import ModelEntry
from convogen.llm.context import context_window_of
from convogen.llm.factory import build_client
from convogen.llm.protocol import (
    NO_CAPABILITIES,
    ClientCapabilities,
    ModelClient,
    ReplayObserver,
    capabilities_of,
    replay_observer_of,
)


class Slot:
    """A config entry and its client: built at once, or when its custom class is registered."""

    __slots__ = (
        "capabilities",
        "client",
        "context_window",
        "entry",
        "model",
        "params",
        "pending_cls",
        "replay_observer",
    )

    def __init__(self, entry: ModelEntry) -> None:
        self.entry = entry
        self.model = entry.model
        self.params = entry.params
        self.pending_cls = entry.model_client_cls
        # The overflow check (llm/context.py); the local client checks its own n_ctx exactly.
        local = entry.api_type == "local"
        self.context_window = None if local else context_window_of(entry.source)
        self.client: ModelClient | None = None
        self.capabilities: ClientCapabilities = NO_CAPABILITIES
        self.replay_observer: ReplayObserver | None = None
        if self.pending_cls is None:
            self.attach(build_client(dict(entry.client_options)))

    def attach(self, client: ModelClient) -> None:
        """Use ``client`` for this entry; its declared capabilities are read once, here."""
        self.client = client
        self.pending_cls = None
        self.capabilities = capabilities_of(client)
        self.replay_observer = replay_observer_of(client)
