"""The board agent's tools: legal moves, UCI and SAN moves, rejections, forfeits, results."""

import chess
import pytest

from convogen import ConfigError
from convogen.apps.chess import ChessBoardAgent, greedy_policy, parse_legal_moves, seeded_policy
from convogen.apps.chess.players import first_move_policy


def test_legal_moves_are_listed_as_uci_and_san() -> None:
    board = ChessBoardAgent()
    listing = board.get_legal_moves()
    assert listing.startswith("Legal moves for white: ")
    pairs = parse_legal_moves(listing)
    assert len(pairs) == 20
    assert ("g1f3", "Nf3") in pairs and ("e2e4", "e4") in pairs


def test_moves_in_uci_and_san_are_played() -> None:
    board = ChessBoardAgent()
    assert board.make_move("e2e4").startswith("Move accepted: e2e4 (e4). Black to move.")
    board.start_turn()
    assert board.make_move("Nc6").startswith("Move accepted: b8c6 (Nc6)")
    assert board.moves == ["e2e4", "b8c6"]
    assert board.san_moves == ["e4", "Nc6"]


def test_illegal_moves_are_rejected_with_a_reason_and_counted() -> None:
    board = ChessBoardAgent(max_illegal_per_turn=3)
    reply = board.make_move("e2e5")
    assert reply.startswith("Illegal move 'e2e5': it is not legal in this position.")
    assert "2 attempt(s) left" in reply and "Legal moves for white" in reply
    assert "neither UCI" in board.make_move("hello")
    assert board.illegal_attempts == 2 and board.moves == []
    assert board.make_move("e4").startswith("Move accepted")
    assert "already moved" in board.make_move("d4")


def test_too_many_illegal_moves_forfeit_the_game() -> None:
    board = ChessBoardAgent(max_illegal_per_turn=2)
    board.make_move("e2e5")
    reply = board.make_move("Ke2")
    assert "No attempts left" in reply and "forfeit" in reply
    assert board.game_over and board.result == "0-1" and board.termination == "forfeit"
    assert board.get_legal_moves().startswith("Game over")


def test_ambiguous_san_is_explained() -> None:
    board = ChessBoardAgent(board=chess.Board("4k3/8/8/8/8/8/4K3/R6R w - - 0 1"))
    assert "ambiguous" in board.make_move("Rd1")


def test_results_of_finished_games() -> None:
    stalemate = ChessBoardAgent(board=chess.Board("7k/5Q2/6K1/8/8/8/8/8 b - - 0 1"))
    assert stalemate.game_over and stalemate.result == "1/2-1/2"
    assert stalemate.termination == "stalemate"
    capped = ChessBoardAgent(max_moves=1)
    capped.make_move("e4")
    assert capped.game_over and capped.result == "*" and capped.termination == "max_moves"
    fresh = ChessBoardAgent()
    assert fresh.status() == "White to move." and fresh.termination == "in_progress"


def test_bad_settings_name_the_field() -> None:
    with pytest.raises(ConfigError, match="max_illegal_per_turn"):
        ChessBoardAgent(max_illegal_per_turn=0)
    with pytest.raises(ConfigError, match="max_moves"):
        ChessBoardAgent(max_moves=0)


def test_policies_are_deterministic() -> None:
    moves = [("a2a3", "a3"), ("d1h5", "Qxh5"), ("e4d5", "exd5"), ("f7f8q", "f8=Q+")]
    assert greedy_policy(moves) == "e4d5"  # the pawn capture before the queen capture
    assert greedy_policy([*moves, ("h5f7", "Qxf7#")]) == "h5f7"
    assert first_move_policy(moves) == "a2a3"
    assert seeded_policy(1)(moves) == seeded_policy(1)(moves)
    with pytest.raises(ValueError, match="moves"):
        greedy_policy([])
