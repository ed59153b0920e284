"""Group chat time per message with 3, 10 and 50 agents (round robin and LLM 'auto').

The 'auto' selector is a scripted model, so the figures are convogen's own overhead:
relaying each message to every member plus building and resolving the selection prompt.
Run: .venv/bin/python bench/groupchat_speed.py
"""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import Figure, repeat, show, timed

from convogen import ConversableAgent, GroupChat, GroupChatManager
from convogen.llm.scripted import scripted_llm_config

ROUNDS = 200
REPETITIONS = 5


def build(n_agents: int, method: str) -> tuple[ConversableAgent, GroupChatManager]:
    agents = []
    for i in range(n_agents):
        agent = ConversableAgent(
            f"agent{i}", llm_config=False, human_input_mode="NEVER", silent=True
        )
        agent.register_reply(ConversableAgent, lambda *a: (True, "ok"))
        agents.append(agent)
    names = [a.name for a in agents]
    turn = iter(range(10**9))
    selector = scripted_llm_config(lambda messages: names[next(turn) % n_agents])
    groupchat = GroupChat(agents, max_round=ROUNDS, speaker_selection_method=method)
    manager = GroupChatManager(
        groupchat, llm_config=selector if method == "auto" else False, silent=True
    )
    return agents[0], manager


def per_message_ms(n_agents: int, method: str) -> float:
    starter, manager = build(n_agents, method)
    seconds = timed(lambda: starter.initiate_chat(manager, message="go", silent=True))
    return seconds / ROUNDS * 1000


def main() -> None:
    figures = []
    for method in ("round_robin", "auto"):
        for n in (3, 10, 50):
            samples = repeat(partial(per_message_ms, n, method), REPETITIONS)
            figures.append(Figure(f"{method}, {n} agents, per message", "ms", samples))
    show(f"Group chat time per message ({ROUNDS} rounds)", figures)


if __name__ == "__main__":
    main()
