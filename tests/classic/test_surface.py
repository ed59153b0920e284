"""Every public module path, name and signature of pyautogen 0.2.35 exists under convogen."""

from __future__ import annotations

import pytest
from classic_surface import load_inventory, module_problems

INVENTORY = load_inventory()


@pytest.mark.parametrize("modname", sorted(INVENTORY))
def test_classic_module_matches_0_2_35(modname: str) -> None:
    problems = module_problems(modname, INVENTORY[modname])
    assert not problems, "\n".join(problems)


def test_inventory_covers_the_classic_surface() -> None:
    assert len(INVENTORY) >= 45
    assert "initiate_chats" in INVENTORY["autogen"]
    assert "ConversableAgent" in INVENTORY["autogen.agentchat.conversable_agent"]
