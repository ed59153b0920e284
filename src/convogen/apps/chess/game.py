"""A conversational chess game: two players, each checking its moves with the board agent.

Each player answers the other through a nested chat: the board agent opens a chat with the
player whose turn it is, the player calls ``get_legal_moves`` and ``make_move`` until a move
is accepted, and the summary of that chat ("white played e4...") is the player's reply to
the opponent, which starts the opponent's nested chat in turn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import chess

from convogen.agents.assistant import AssistantAgent
from convogen.agents.conversable import ConversableAgent
from convogen.agents.registration import register_function
from convogen.apps.chess.board import ChessBoardAgent, color_name
from convogen.errors import ConfigError
from convogen.messages import Message, content_str
from convogen.results import ChatResult

PLAYER_SYSTEM_MESSAGE = """You are playing chess as {color}.
On your turn, call get_legal_moves to see the legal moves, then call make_move with the move
you choose (UCI like e2e4, or SAN like Nf3). If a move is rejected, read the reason and try
another one. Play to win."""

# Messages a nested chat may exchange in one turn: listing, moving, a few retries.
TURN_MESSAGE_LIMIT = 16


@dataclass
class GameResult:
    """The record of a finished (or stopped) game."""

    moves: list[str]
    result: str
    illegal_attempts: int
    board_fen: str
    termination: str = ""
    san_moves: list[str] = field(default_factory=list)
    chat_result: ChatResult | None = None

    def pgn_moves(self) -> str:
        """The moves in SAN with move numbers, like '1. f3 e5 2. g4 Qh4#'."""
        parts = []
        for index, san in enumerate(self.san_moves):
            parts.append(f"{index // 2 + 1}. {san}" if index % 2 == 0 else san)
        return " ".join(parts)


def replay_is_legal(moves: list[str], start_fen: str = chess.STARTING_FEN) -> bool:
    """True when every UCI move is legal in turn on a fresh board from ``start_fen``."""
    board = chess.Board(start_fen)
    for uci in moves:
        try:
            move = chess.Move.from_uci(uci)
        except (chess.InvalidMoveError, ValueError):
            return False
        if move not in board.legal_moves:
            return False
        board.push(move)
    return True


def _turn_message(board: ChessBoardAgent, opponent_said: str) -> str:
    color = color_name(board.board.turn)
    lines = [f"It is your move as {color}."]
    if opponent_said:
        lines.append(f"Your opponent says: {opponent_said}")
    lines.append(f"Position (FEN): {board.board.fen()}")
    lines.append("Call get_legal_moves, then make_move.")
    return "\n".join(lines)


def _turn_summary(board: ChessBoardAgent) -> str:
    board.end_turn_without_move("it ended its turn without a legal move")
    if board.moved_this_turn and board.san_moves:
        mover = color_name(not board.board.turn)
        return f"{mover.capitalize()} played {board.moves[-1]} ({board.san_moves[-1]}). " + (
            board.status()
        )
    return board.status()


def connect_players(
    white: ConversableAgent, black: ConversableAgent, board: ChessBoardAgent
) -> None:
    """Give both players the board's tools and a nested chat with the board for each turn."""
    for function, description in board.tool_functions():
        # The board executes each tool once; both players' models are offered it.
        register_function(function, caller=white, executor=board, description=description)
        black.register_for_llm(description=description)(function)
    for player, opponent in ((white, black), (black, white)):

        def opening(
            recipient: ConversableAgent,
            messages: list[Message] | None,
            sender: ConversableAgent | None,
            config: Any,
        ) -> str:
            board.start_turn()
            said = content_str(messages[-1].get("content")) if messages else ""
            return _turn_message(board, said)

        def summary(sender: Any, recipient: Any, summary_args: Any) -> str:
            return _turn_summary(board)

        player.register_nested_chats(
            [
                {
                    "sender": board,
                    "recipient": player,
                    "message": opening,
                    "summary_method": summary,
                    "max_turns": TURN_MESSAGE_LIMIT // 2,
                    "silent": True,
                }
            ],
            trigger=opponent,
        )


def make_player(
    color: chess.Color, llm_config: dict[str, Any], board: ChessBoardAgent, max_moves: int
) -> AssistantAgent:
    """An LLM-backed player that stops talking once the game is over or it has moved."""

    def is_over(message: Message) -> bool:
        # A tool result after an accepted move ends the player's turn (its nested chat); in
        # the chat between the players only the end of the game ends it.
        return board.game_over or (bool(message.get("tool_responses")) and board.moved_this_turn)

    name = color_name(color)
    return AssistantAgent(
        name,
        system_message=PLAYER_SYSTEM_MESSAGE.format(color=name),
        llm_config=llm_config,
        is_termination_msg=is_over,
        max_consecutive_auto_reply=max_moves + TURN_MESSAGE_LIMIT,
        silent=True,
    )


def play_game(
    white_llm_config: dict[str, Any],
    black_llm_config: dict[str, Any],
    max_moves: int = 100,
    *,
    max_illegal_per_turn: int = 3,
    start_fen: str = chess.STARTING_FEN,
    silent: bool = True,
) -> GameResult:
    """Play until mate, a draw, a forfeit, or ``max_moves`` half-moves; return the record."""
    if isinstance(max_moves, bool) or not isinstance(max_moves, int) or max_moves < 1:
        raise ConfigError("max_moves", max_moves, "must be a positive integer")
    try:
        start = chess.Board(start_fen)
    except ValueError as exc:
        raise ConfigError("start_fen", start_fen, f"not a valid FEN: {exc}") from exc
    board = ChessBoardAgent(
        board=start, max_illegal_per_turn=max_illegal_per_turn, max_moves=max_moves
    )
    white = make_player(chess.WHITE, white_llm_config, board, max_moves)
    black = make_player(chess.BLACK, black_llm_config, board, max_moves)
    connect_players(white, black, board)
    first, second = (black, white) if start.turn == chess.WHITE else (white, black)
    chat = first.initiate_chat(
        second,
        message=f"Let's play chess. You have the {second.name} pieces and the first move.",
        silent=silent,
        summary_method=None,
    )
    return GameResult(
        moves=list(board.moves),
        result=board.result,
        illegal_attempts=board.illegal_attempts,
        board_fen=board.board.fen(),
        termination=board.termination,
        san_moves=list(board.san_moves),
        chat_result=chat,
    )
