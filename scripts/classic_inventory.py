"""Write the inventory of pyautogen 0.2.35's public surface, for tests/classic/test_surface.py.

Run it in a scratch venv that has pyautogen==0.2.35 (never a dependency of convogen):
    python scripts/classic_inventory.py > tests/classic/data/autogen_0_2_35.json
    python scripts/classic_inventory.py --contrib > tests/classic/data/contrib_0_2_35.json
"""

from __future__ import annotations

import importlib
import inspect
import json
import sys
from typing import Any

MODULES = [
    "autogen",
    "autogen.agentchat",
    "autogen.agentchat.agent",
    "autogen.agentchat.assistant_agent",
    "autogen.agentchat.chat",
    "autogen.agentchat.conversable_agent",
    "autogen.agentchat.groupchat",
    "autogen.agentchat.user_proxy_agent",
    "autogen.agentchat.utils",
    "autogen.oai",
    "autogen.oai.client",
    "autogen.oai.client_utils",
    "autogen.oai.completion",
    "autogen.oai.openai_utils",
    "autogen.cache",
    "autogen.cache.abstract_cache_base",
    "autogen.cache.cache",
    "autogen.cache.cache_factory",
    "autogen.cache.disk_cache",
    "autogen.cache.in_memory_cache",
    "autogen.cache.redis_cache",
    "autogen.coding",
    "autogen.coding.base",
    "autogen.coding.docker_commandline_code_executor",
    "autogen.coding.factory",
    "autogen.coding.func_with_reqs",
    "autogen.coding.jupyter",
    "autogen.coding.local_commandline_code_executor",
    "autogen.coding.markdown_code_extractor",
    "autogen.coding.utils",
    "autogen.code_utils",
    "autogen.exception_utils",
    "autogen.function_utils",
    "autogen.graph_utils",
    "autogen.io",
    "autogen.io.base",
    "autogen.io.console",
    "autogen.logger",
    "autogen.logger.base_logger",
    "autogen.logger.file_logger",
    "autogen.logger.logger_factory",
    "autogen.logger.logger_utils",
    "autogen.logger.sqlite_logger",
    "autogen.retrieve_utils",
    "autogen.runtime_logging",
    "autogen.token_count_utils",
    "autogen.types",
    "autogen.version",
]
CONTRIB = "autogen.agentchat.contrib."
CONTRIB_MODULES = [
    CONTRIB + name
    for name in (
        "agent_builder",
        "capabilities",
        "capabilities.agent_capability",
        "capabilities.teachability",
        "capabilities.text_compressors",
        "capabilities.transform_messages",
        "capabilities.transforms",
        "capabilities.transforms_util",
        "capabilities.vision_capability",
        "img_utils",
        "math_user_proxy_agent",
        "multimodal_conversable_agent",
        "retrieve_assistant_agent",
        "retrieve_user_proxy_agent",
        "society_of_mind_agent",
        "text_analyzer_agent",
        "vectordb",
        "vectordb.base",
        "vectordb.chromadb",
        "vectordb.utils",
    )
]


def describe_params(obj: Any) -> list[dict[str, Any]] | None:
    """Parameters of a callable: name, kind, whether it has a default."""
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    return [
        {"name": p.name, "kind": p.kind.name, "default": p.default is not inspect.Parameter.empty}
        for p in sig.parameters.values()
    ]


def describe_class(cls: type) -> dict[str, Any]:
    """Public methods (with parameters) and other public attributes a class defines or inherits."""
    members: dict[str, Any] = {}
    for name in dir(cls):
        if name.startswith("_") and name != "__init__":
            continue
        owner = next((k for k in cls.__mro__ if name in vars(k)), None)
        if owner is None or not owner.__module__.startswith("autogen"):
            continue  # inherited from outside autogen (object, BaseModel, Exception, ...)
        raw = inspect.getattr_static(cls, name)
        if isinstance(raw, property):
            members[name] = {"kind": "property"}
        elif isinstance(raw, (staticmethod, classmethod)) or inspect.isfunction(raw):
            func = getattr(cls, name)
            members[name] = {
                "kind": "method",
                "async": inspect.iscoroutinefunction(func),
                "params": describe_params(func),
            }
        elif name != "__init__":
            members[name] = {"kind": "attribute"}
    return members


def own_names(mod: Any) -> list[str]:
    """Names a module defines itself or lists in __all__ (not names it merely imports)."""
    listed = set(getattr(mod, "__all__", []))
    if mod.__name__ == "autogen":  # the top level: everything a script can reach as autogen.X
        listed |= {n for n in vars(mod) if not n.startswith("_")} | {"__version__"}
    names = set(listed)
    for name, obj in vars(mod).items():
        if name.startswith("_"):
            continue
        home = getattr(obj, "__module__", None)
        if inspect.ismodule(obj):
            if obj.__name__.startswith(mod.__name__ + "."):
                names.add(name)
            continue
        if inspect.isclass(obj) or inspect.isfunction(obj):
            if home == mod.__name__:
                names.add(name)
        elif not callable(obj) and name not in {"logger", "annotations", "TYPE_CHECKING"}:
            names.add(name)
    return sorted(names)


def describe(obj: Any) -> dict[str, Any]:
    """One name: its kind and its shape."""
    if inspect.ismodule(obj):
        return {"kind": "module"}
    if inspect.isclass(obj):
        return {"kind": "class", "params": describe_params(obj), "members": describe_class(obj)}
    if callable(obj):
        return {
            "kind": "function",
            "async": inspect.iscoroutinefunction(obj),
            "params": describe_params(obj),
        }
    return {"kind": "value", "type": type(obj).__name__}


def main() -> None:
    """Print the inventory as JSON (`--contrib`: the contrib agents and capabilities)."""
    inventory: dict[str, Any] = {}
    for modname in CONTRIB_MODULES if "--contrib" in sys.argv else MODULES:
        mod = importlib.import_module(modname)
        inventory[modname] = {
            n: describe(getattr(mod, n)) for n in own_names(mod) if hasattr(mod, n)
        }
    json.dump(inventory, sys.stdout, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
