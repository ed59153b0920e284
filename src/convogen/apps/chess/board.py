"""The board agent: owns a ``chess.Board``, validates moves and exposes them as tools."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import chess

from convogen.agents.conversable import ConversableAgent
from convogen.errors import ConfigError

LEGAL_MOVES_PREFIX = "Legal moves"
ACCEPTED_PREFIX = "Move accepted"
ILLEGAL_PREFIX = "Illegal move"

NUDGE = (
    "Please make your move with the make_move tool (UCI like e2e4, or SAN like Nf3). "
    "Call get_legal_moves first if you are unsure which moves are legal."
)


def color_name(color: chess.Color) -> str:
    """'white' or 'black'."""
    return "white" if color == chess.WHITE else "black"


class ChessBoardAgent(ConversableAgent):
    """Keeps the game: answers ``get_legal_moves`` and ``make_move`` tool calls from players.

    A player who makes ``max_illegal_per_turn`` illegal attempts in one turn forfeits; every
    rejected attempt is counted in ``illegal_attempts``.
    """

    def __init__(
        self,
        name: str = "board",
        board: chess.Board | None = None,
        max_illegal_per_turn: int = 3,
        max_moves: int | None = None,
        **kwargs: Any,
    ) -> None:
        if isinstance(max_illegal_per_turn, bool) or not isinstance(max_illegal_per_turn, int):
            raise ConfigError("max_illegal_per_turn", max_illegal_per_turn, "must be an int >= 1")
        if max_illegal_per_turn < 1:
            raise ConfigError("max_illegal_per_turn", max_illegal_per_turn, "must be an int >= 1")
        if max_moves is not None and (
            isinstance(max_moves, bool) or not isinstance(max_moves, int) or max_moves < 1
        ):
            raise ConfigError("max_moves", max_moves, "must be a positive integer or None")
        kwargs.setdefault("max_consecutive_auto_reply", 4 * max_illegal_per_turn + 8)
        super().__init__(
            name,
            system_message="",
            llm_config=False,
            human_input_mode="NEVER",
            code_execution_config=False,
            default_auto_reply=NUDGE,
            description="Holds the chess board and checks every move.",
            **kwargs,
        )
        self.board = board if board is not None else chess.Board()
        self.start_fen = self.board.fen()
        self.max_illegal_per_turn = max_illegal_per_turn
        self.max_moves = max_moves
        self.moves: list[str] = []
        self.san_moves: list[str] = []
        self.illegal_attempts = 0
        self.illegal_this_turn = 0
        self.moved_this_turn = False
        self.forfeit: chess.Color | None = None
        self.forfeit_reason = ""

    # ----------------------------------------------------------------- turns
    def start_turn(self) -> None:
        """Reset the per-turn counters before the side to move starts talking."""
        self.illegal_this_turn = 0
        self.moved_this_turn = False

    def end_turn_without_move(self, reason: str) -> None:
        """The side to move did not move when its chat ended: it forfeits."""
        if not self.moved_this_turn and self.forfeit is None and not self.game_over:
            self.forfeit = self.board.turn
            self.forfeit_reason = reason

    @property
    def game_over(self) -> bool:
        """True after mate, a draw, a forfeit, or ``max_moves`` half-moves."""
        if self.forfeit is not None or self.board.outcome(claim_draw=True) is not None:
            return True
        return self.max_moves is not None and len(self.moves) >= self.max_moves

    @property
    def result(self) -> str:
        """PGN result: '1-0', '0-1', '1/2-1/2', or '*' for an unfinished game."""
        if self.forfeit is not None:
            return "0-1" if self.forfeit == chess.WHITE else "1-0"
        outcome = self.board.outcome(claim_draw=True)
        return outcome.result() if outcome is not None else "*"

    @property
    def termination(self) -> str:
        """Why the game ended ('checkmate', 'stalemate', 'forfeit', 'max_moves', ...)."""
        if self.forfeit is not None:
            return "forfeit"
        outcome = self.board.outcome(claim_draw=True)
        if outcome is not None:
            return outcome.termination.name.lower()
        return "max_moves" if self.game_over else "in_progress"

    def status(self) -> str:
        """One line on the position: whose move, check, or how the game ended."""
        if self.game_over:
            ending = self.termination.replace("_", " ")
            detail = f" ({self.forfeit_reason})" if self.forfeit_reason else ""
            return f"Game over: {ending}{detail}, result {self.result}."
        check = " and is in check" if self.board.is_check() else ""
        return f"{color_name(self.board.turn).capitalize()} to move{check}."

    # ----------------------------------------------------------------- tools
    def get_legal_moves(self) -> str:
        """Every legal move in the position, as 'uci (san)' pairs."""
        if self.game_over:
            return self.status()
        moves = sorted(self.board.legal_moves, key=lambda m: m.uci())
        listed = ", ".join(f"{m.uci()} ({self.board.san(m)})" for m in moves)
        return f"{LEGAL_MOVES_PREFIX} for {color_name(self.board.turn)}: {listed}"

    def make_move(self, move: str) -> str:
        """Play ``move`` (UCI or SAN) for the side to move, or explain why it is rejected."""
        if self.game_over:
            return f"{ILLEGAL_PREFIX} {move!r}: {self.status()}"
        if self.moved_this_turn:
            return f"{ILLEGAL_PREFIX} {move!r}: you already moved this turn."
        parsed = self._parse(move.strip())
        if isinstance(parsed, str):
            return self._reject(move, parsed)
        san = self.board.san(parsed)
        self.board.push(parsed)
        self.moves.append(parsed.uci())
        self.san_moves.append(san)
        self.moved_this_turn = True
        return f"{ACCEPTED_PREFIX}: {parsed.uci()} ({san}). {self.status()}"

    def _parse(self, text: str) -> chess.Move | str:
        """The legal move ``text`` names, or the reason it is not one."""
        try:
            move = chess.Move.from_uci(text.lower())
        except (chess.InvalidMoveError, ValueError):
            try:
                return self.board.parse_san(text)
            except chess.IllegalMoveError:
                return "it is not legal in this position"
            except chess.AmbiguousMoveError:
                return "it is ambiguous; give it in UCI (from-square, to-square)"
            except (chess.InvalidMoveError, ValueError):
                return "it is neither UCI (like e2e4) nor SAN (like Nf3)"
        if move not in self.board.legal_moves:
            return "it is not legal in this position"
        return move

    def _reject(self, move: str, reason: str) -> str:
        self.illegal_attempts += 1
        self.illegal_this_turn += 1
        left = self.max_illegal_per_turn - self.illegal_this_turn
        message = f"{ILLEGAL_PREFIX} {move!r}: {reason}."
        if left <= 0:
            self.forfeit = self.board.turn
            self.forfeit_reason = f"{self.max_illegal_per_turn} illegal moves in one turn"
            return f"{message} No attempts left: {self.status()}"
        return f"{message} Try again ({left} attempt(s) left). {self.get_legal_moves()}"

    def tool_functions(self) -> list[tuple[Callable[..., str], str]]:
        """The tool functions with their descriptions, for ``register_function``."""

        def get_legal_moves() -> str:
            return self.get_legal_moves()

        def make_move(
            move: Annotated[str, "the move in UCI (e2e4, e7e8q) or SAN (e4, Nf3, O-O)"],
        ) -> str:
            return self.make_move(move)

        return [
            (get_legal_moves, "List the legal moves in the current position."),
            (make_move, "Play a move for your side; illegal moves are rejected with a reason."),
        ]
