"""Conversational chess: two players validate their moves with a board agent, then talk."""

from convogen.apps.chess.board import ChessBoardAgent, color_name
from convogen.apps.chess.game import (
    GameResult,
    connect_players,
    make_player,
    play_game,
    replay_is_legal,
)
from convogen.apps.chess.players import (
    first_move_policy,
    greedy_policy,
    parse_legal_moves,
    scripted_chess_player,
    seeded_policy,
)

__all__ = [
    "ChessBoardAgent",
    "GameResult",
    "color_name",
    "connect_players",
    "first_move_policy",
    "greedy_policy",
    "make_player",
    "parse_legal_moves",
    "play_game",
    "replay_is_legal",
    "scripted_chess_player",
    "seeded_policy",
]
