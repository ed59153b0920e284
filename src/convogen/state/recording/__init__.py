"""Record whole runs (every model call, tool call, code run and human input) and replay them."""

from convogen.state.recording.cassette import (
    Cassette,
    CassetteHeader,
    CassetteWriter,
    load_cassette,
)
from convogen.state.recording.cli import cli_diff, cli_replay, render_run
from convogen.state.recording.errors import (
    CassetteError,
    CassetteWarning,
    RecordingError,
    ReplayedError,
    ReplayError,
    ReplayExhaustedError,
    ReplayMismatchError,
)
from convogen.state.recording.recorder import Recorder, record
from convogen.state.recording.replayer import Replayer, replay
from convogen.state.recording.transcript import (
    MessageDiff,
    TranscriptDiff,
    diff_transcripts,
    load_transcript,
    render_diff,
    render_transcript,
    transcript_from_cassette,
)

__all__ = [
    "Cassette",
    "CassetteError",
    "CassetteHeader",
    "CassetteWarning",
    "CassetteWriter",
    "MessageDiff",
    "Recorder",
    "RecordingError",
    "ReplayError",
    "ReplayExhaustedError",
    "ReplayMismatchError",
    "ReplayedError",
    "Replayer",
    "TranscriptDiff",
    "cli_diff",
    "cli_replay",
    "diff_transcripts",
    "load_cassette",
    "load_transcript",
    "record",
    "render_diff",
    "render_run",
    "render_transcript",
    "replay",
    "transcript_from_cassette",
]
