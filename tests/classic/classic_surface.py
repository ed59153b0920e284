"""Compare convogen's classic module paths with the committed pyautogen 0.2.35 inventory."""

from __future__ import annotations

import importlib
import inspect
import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"

POSITIONAL = ("POSITIONAL_ONLY", "POSITIONAL_OR_KEYWORD")


def load_inventory(filename: str = "autogen_0_2_35.json") -> dict[str, dict[str, Any]]:
    """A committed 0.2.35 inventory (see scripts/classic_inventory.py): module -> name -> shape."""
    data: dict[str, dict[str, Any]] = json.loads((DATA / filename).read_text())
    return data


def classic_to_convogen(modname: str) -> str:
    """`autogen.x.y` -> `convogen.x.y`."""
    return "convogen" + modname[len("autogen") :]


def _params(obj: Any) -> list[inspect.Parameter] | None:
    try:
        return list(inspect.signature(obj).parameters.values())
    except (TypeError, ValueError):
        return None


def param_problems(where: str, expected: list[dict[str, Any]], obj: Any) -> list[str]:
    """Why a call written for 0.2's signature would not work on `obj` (empty when compatible)."""
    actual = _params(obj)
    if actual is None:
        return [f"{where}: signature cannot be inspected"]
    by_name = {p.name: p for p in actual}
    kinds = {p.kind.name for p in actual}
    positional = [p.name for p in actual if p.kind.name in POSITIONAL]
    problems: list[str] = []
    expected_positional = [e["name"] for e in expected if e["kind"] in POSITIONAL]
    for e in expected:
        name, kind = e["name"], e["kind"]
        if kind in ("VAR_POSITIONAL", "VAR_KEYWORD"):
            if kind not in kinds:
                problems.append(f"{where}: lacks {'*' if kind == 'VAR_POSITIONAL' else '**'}{name}")
            continue
        p = by_name.get(name)
        if p is None:
            if kind == "KEYWORD_ONLY" and "VAR_KEYWORD" in kinds:
                continue
            problems.append(f"{where}: lacks parameter {name!r}")
            continue
        if kind in POSITIONAL:
            index = expected_positional.index(name)
            if index >= len(positional) or positional[index] != name:
                problems.append(f"{where}: parameter {name!r} is not at position {index}")
        elif p.kind.name not in ("KEYWORD_ONLY", "POSITIONAL_OR_KEYWORD"):
            problems.append(f"{where}: parameter {name!r} cannot be passed by keyword")
        if e["default"] and p.default is inspect.Parameter.empty:
            problems.append(f"{where}: parameter {name!r} is required (0.2 has a default)")
    known = {e["name"] for e in expected}
    for p in actual:
        extra_required = p.default is inspect.Parameter.empty and p.kind.name not in (
            "VAR_POSITIONAL",
            "VAR_KEYWORD",
        )
        if p.name not in known and extra_required:
            problems.append(f"{where}: extra required parameter {p.name!r}")
    return problems


def member_problems(where: str, members: dict[str, Any], cls: type) -> list[str]:
    """Methods, properties and attributes of a 0.2 class that the convogen class lacks or breaks."""
    problems: list[str] = []
    for name, shape in sorted(members.items()):
        if name == "__init__":
            continue
        if not hasattr(cls, name):
            problems.append(f"{where}.{name}: missing {shape['kind']}")
            continue
        if shape["kind"] != "method":
            continue
        member = getattr(cls, name)
        if not callable(member):
            problems.append(f"{where}.{name}: not callable")
            continue
        if shape["async"] != inspect.iscoroutinefunction(member):
            problems.append(
                f"{where}.{name}: async is {not shape['async']}, 0.2 has {shape['async']}"
            )
        if shape["params"] is not None:
            problems.extend(param_problems(f"{where}.{name}", shape["params"], member))
    return problems


def name_problems(modname: str, name: str, shape: dict[str, Any], mod: Any) -> list[str]:
    """Everything wrong with one classic name in one convogen module."""
    where = f"{modname}.{name}"
    if not hasattr(mod, name):
        return [f"{where}: missing {shape['kind']}"]
    obj = getattr(mod, name)
    kind = shape["kind"]
    if kind == "module":
        return [] if inspect.ismodule(obj) else [f"{where}: is not a module"]
    if kind == "class":
        if not inspect.isclass(obj):
            return [f"{where}: is not a class"]
        problems = member_problems(where, shape["members"], obj)
        if shape["params"] is not None:
            problems.extend(param_problems(f"{where}()", shape["params"], obj))
        return problems
    if kind == "function":
        if not callable(obj):
            return [f"{where}: is not callable"]
        problems = []
        if shape["async"] != inspect.iscoroutinefunction(obj):
            problems.append(f"{where}: async differs from 0.2")
        if shape["params"] is not None:
            problems.extend(param_problems(where, shape["params"], obj))
        return problems
    return []


def module_problems(modname: str, names: dict[str, Any]) -> list[str]:
    """Everything wrong with one classic module path."""
    target = classic_to_convogen(modname)
    try:
        mod = importlib.import_module(target)
    except ImportError as exc:
        return [f"{target}: cannot be imported ({exc})"]
    problems: list[str] = []
    for name, shape in sorted(names.items()):
        problems.extend(name_problems(target, name, shape, mod))
    return problems
