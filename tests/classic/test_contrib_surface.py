"""The contrib agents and capabilities of pyautogen 0.2.35 exist under convogen's contrib paths."""

from __future__ import annotations

import pytest
from classic_surface import load_inventory, module_problems

CONTRIB_INVENTORY = load_inventory("contrib_0_2_35.json")


@pytest.mark.parametrize("modname", sorted(CONTRIB_INVENTORY))
def test_contrib_module_matches_0_2_35(modname: str) -> None:
    problems = module_problems(modname, CONTRIB_INVENTORY[modname])
    assert not problems, "\n".join(problems)
