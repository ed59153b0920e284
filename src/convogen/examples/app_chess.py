"""Conversational chess, offline: two scripted players check every move with a board agent.

Each player's turn is a nested chat with the board agent, which owns the board and offers the
tools get_legal_moves and make_move; an illegal move is rejected with the reason and the
player retries. The accepted move is then passed to the other player. The first game is the
fool's mate with one illegal attempt by white; the second is played to its end by two
deterministic policies.

Run: .venv/bin/convogen example app_chess [--model local | --config OAI_CONFIG_LIST]
(scripted models by default; --silent prints nothing of its own)
"""

from __future__ import annotations

from rich.console import Console

from convogen import scripted_llm_config
from convogen.apps.chess import GameResult, play_game, scripted_chess_player, seeded_policy
from convogen.cli.errors import run_guarded
from convogen.cli.models import ModelChoice, example_options


def show(title: str, game: GameResult, console: Console) -> None:
    console.rule(title)
    console.print(game.pgn_moves(), markup=False)
    console.print(
        f"result {game.result} by {game.termination} after {len(game.moves)} half-moves; "
        f"illegal attempts rejected: {game.illegal_attempts}"
    )
    console.print(f"final position: {game.board_fen}")


def main(silent: bool = False, model: ModelChoice | None = None) -> list[GameResult]:
    """Play the two demo games and return their records."""
    pick = (model or ModelChoice()).picker()
    console = Console(quiet=silent)
    fools_mate = play_game(
        pick(scripted_llm_config(scripted_chess_player(planned_moves=["e2e5", "f3", "g2g4"]))),
        pick(scripted_llm_config(scripted_chess_player(planned_moves=["e7e5", "Qh4#"]))),
        max_moves=20,
    )
    show("Fool's mate (white first tries the illegal e2e5)", fools_mate, console)
    full = play_game(
        pick(scripted_llm_config(scripted_chess_player(seeded_policy(3)))),
        pick(scripted_llm_config(scripted_chess_player(seeded_policy(103)))),
        max_moves=200,
    )
    show("A full game between two seeded policies", full, console)
    return [fools_mate, full]


if __name__ == "__main__":
    run_guarded(lambda: main(**example_options(__doc__)))
