"""Scripted chess players for offline games: they use the board's tools like an LLM would."""

from __future__ import annotations

import itertools
import json
import random
import re
from collections.abc import Callable, Sequence
from typing import Any

from convogen.apps.chess.board import ILLEGAL_PREFIX, LEGAL_MOVES_PREFIX
from convogen.llm.scripted import ReplyFunction
from convogen.messages import Message, content_str

# A policy picks one move from the legal (uci, san) pairs.
Policy = Callable[[list[tuple[str, str]]], str]

_PIECE_VALUE = {"Q": 9, "R": 5, "B": 3, "N": 3}


def parse_legal_moves(text: str) -> list[tuple[str, str]]:
    """The (uci, san) pairs in a ``get_legal_moves`` answer (empty when there are none)."""
    _, marker, listing = text.partition(f"{LEGAL_MOVES_PREFIX} for ")
    if not marker:
        return []
    return re.findall(r"([a-h][1-8][a-h][1-8][qrbn]?) \(([^)]+)\)", listing)


def greedy_policy(moves: list[tuple[str, str]]) -> str:
    """Mate if possible, else the most valuable capture, else a check, else the first move."""
    if not moves:
        raise ValueError("moves=[]: a policy needs at least one legal move")

    def score(pair: tuple[str, str]) -> tuple[int, int, int, int]:
        san = pair[1]
        # Captures by less valuable pieces first: a pawn taking is rarely a blunder.
        capturer = _PIECE_VALUE.get(san[0], 1) if "x" in san else 0
        return (int(san.endswith("#")), int("x" in san), -capturer, int(san.endswith("+")))

    best = max(moves, key=score)
    return best[0]


def seeded_policy(seed: int = 0) -> Policy:
    """Mate or capture when possible, else a pseudo-random move, the same for the same seed."""
    chooser = random.Random(seed)

    def choose(moves: list[tuple[str, str]]) -> str:
        if not moves:
            raise ValueError("moves=[]: a policy needs at least one legal move")
        mates = [uci for uci, san in moves if san.endswith("#")]
        captures = [uci for uci, san in moves if "x" in san]
        return chooser.choice(mates or captures or [uci for uci, _ in moves])

    return choose


def first_move_policy(moves: list[tuple[str, str]]) -> str:
    """The first legal move in UCI order."""
    if not moves:
        raise ValueError("moves=[]: a policy needs at least one legal move")
    return moves[0][0]


def _tool_call(call_id: str, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    return {
        "content": None,
        "tool_calls": [
            {
                "id": call_id,
                "type": "function",
                "function": {"name": name, "arguments": json.dumps(arguments)},
            }
        ],
    }


def scripted_chess_player(
    policy: Policy = greedy_policy, planned_moves: Sequence[str] = ()
) -> ReplyFunction:
    """A reply function that plays through the tools: list moves, then make one.

    ``planned_moves`` are tried first, one per attempt and in order, legal or not (so a test
    can make a player try an illegal move and retry); after them ``policy`` chooses.
    """
    plan = list(planned_moves)
    ids = itertools.count(1)

    def reply(messages: list[Message]) -> str | dict[str, Any]:
        last = messages[-1]
        text = content_str(last.get("content"))
        if last.get("role") == "tool" and text.startswith(LEGAL_MOVES_PREFIX):
            legal = parse_legal_moves(text)
            if not legal and not plan:
                return "I have no legal move."
            move = plan.pop(0) if plan else policy(legal)
            return _tool_call(f"move_{next(ids)}", "make_move", {"move": move})
        if last.get("role") == "tool" and text.startswith(ILLEGAL_PREFIX) and plan:
            # Retry straight away with the next planned move, as a model that read the
            # rejection would.
            return _tool_call(f"move_{next(ids)}", "make_move", {"move": plan.pop(0)})
        if last.get("role") == "tool" and not text.startswith(ILLEGAL_PREFIX):
            return "Done."
        return _tool_call(f"list_{next(ids)}", "get_legal_moves", {})

    return reply
