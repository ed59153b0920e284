"""Whole games: players use the board's tools in nested chats and pass moves to each other."""

import importlib.util
from pathlib import Path
from typing import Any

import chess
import pytest

from convogen import ConfigError, StopReason
from convogen.apps.chess import (
    play_game,
    replay_is_legal,
    scripted_chess_player,
    seeded_policy,
)
from convogen.llm.scripted import scripted_llm_config
from convogen.messages import content_str

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def player(**kwargs: Any) -> dict[str, Any]:
    return scripted_llm_config(scripted_chess_player(**kwargs))


def test_fools_mate_with_a_rejected_illegal_move() -> None:
    game = play_game(
        player(planned_moves=["e2e5", "f2f3", "g4"]),
        player(planned_moves=["e5", "d8h4"]),
        max_moves=20,
    )
    assert game.moves == ["f2f3", "e7e5", "g2g4", "d8h4"]
    assert game.pgn_moves() == "1. f3 e5 2. g4 Qh4#"
    assert (game.result, game.termination, game.illegal_attempts) == ("0-1", "checkmate", 1)
    assert replay_is_legal(game.moves)
    board = chess.Board()
    for move in game.moves:
        board.push_uci(move)
    assert board.is_checkmate() and board.fen() == game.board_fen
    assert game.chat_result is not None
    assert game.chat_result.stop_reason is StopReason.TERMINATION_MESSAGE
    said = [content_str(m.get("content")) for m in game.chat_result.chat_history]
    assert said[1] == "White played f2f3 (f3). Black to move."
    assert said[-1].endswith("Game over: checkmate, result 0-1.")


def test_the_rejection_reaches_the_player_who_retries() -> None:
    seen: list[str] = []
    white_model = scripted_chess_player(planned_moves=["e2e5", "e2e4"])

    def white(messages: list[Any]) -> Any:
        seen.append(content_str(messages[-1].get("content")))
        return white_model(messages)

    game = play_game(scripted_llm_config(white), player(), max_moves=2)
    rejection = next(s for s in seen if s.startswith("Illegal move"))
    assert "'e2e5': it is not legal in this position" in rejection
    assert game.moves[0] == "e2e4" and game.illegal_attempts == 1


@pytest.mark.parametrize("seed", [0, 3])
def test_a_full_game_is_played_to_its_end_with_legal_moves(seed: int) -> None:
    game = play_game(
        player(policy=seeded_policy(seed)), player(policy=seeded_policy(seed + 100)), 300
    )
    assert replay_is_legal(game.moves)
    board = chess.Board()
    for move in game.moves:
        board.push_uci(move)
    outcome = board.outcome(claim_draw=True)
    assert outcome is not None, "the game should end before the cap"
    assert game.result == outcome.result()
    assert game.termination == outcome.termination.name.lower()
    assert game.board_fen == board.fen() and game.illegal_attempts == 0


def test_max_moves_stops_an_unfinished_game() -> None:
    game = play_game(player(), player(), max_moves=5)
    assert len(game.moves) == 5
    assert (game.result, game.termination) == ("*", "max_moves")
    assert replay_is_legal(game.moves)


def test_a_player_who_only_plays_illegal_moves_forfeits() -> None:
    game = play_game(player(planned_moves=["e2e5"] * 5), player(), max_moves=10)
    assert game.moves == []
    assert (game.result, game.termination, game.illegal_attempts) == ("0-1", "forfeit", 3)


def test_a_player_who_never_calls_the_tools_forfeits() -> None:
    talker = scripted_llm_config(lambda messages: "I would rather chat about the weather.")
    game = play_game(player(), talker, max_moves=10)
    assert len(game.moves) == 1
    assert (game.result, game.termination) == ("1-0", "forfeit")


def test_a_game_from_a_position_where_black_moves_first() -> None:
    fen = "k7/8/1K6/8/8/8/8/7R b - - 0 1"
    game = play_game(player(), player(), max_moves=6, start_fen=fen)
    assert replay_is_legal(game.moves, fen)
    assert game.moves[0] == "a8b8"


def test_bad_arguments_name_the_field() -> None:
    with pytest.raises(ConfigError, match="max_moves"):
        play_game(player(), player(), max_moves=0)
    with pytest.raises(ConfigError, match="start_fen"):
        play_game(player(), player(), start_fen="not a fen")


def test_example_runs_to_completion() -> None:
    spec = importlib.util.spec_from_file_location("app_chess", EXAMPLES / "app_chess.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fools_mate, full = module.main(silent=True)
    assert fools_mate.result == "0-1" and fools_mate.illegal_attempts == 1
    assert full.result in ("1-0", "0-1", "1/2-1/2") and replay_is_legal(full.moves)
