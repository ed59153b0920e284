"""User functions offered to executed code as an importable module, with their requirements."""

from __future__ import annotations

import ast
import functools
import inspect
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, ParamSpec, TypeVar

T = TypeVar("T")
P = ParamSpec("P")


@dataclass
class Alias:
    """``import name as alias``."""

    name: str
    alias: str


@dataclass
class ImportFromModule:
    """``from module import a, b as c``."""

    module: str
    imports: list[str | Alias]


Import = str | ImportFromModule | Alias


def import_line(item: Import) -> str:
    """The Python import statement for one requirement."""
    if isinstance(item, str):
        return f"import {item}"
    if isinstance(item, Alias):
        return f"import {item.name} as {item.alias}"
    names = [n if isinstance(n, str) else f"{n.name} as {n.alias}" for n in item.imports]
    return f"from {item.module} import {', '.join(names)}"


class FunctionWithRequirementsStr:
    """A function given as source text, with the packages and imports it needs."""

    def __init__(
        self,
        func: str,
        python_packages: Sequence[str] | None = None,
        global_imports: Sequence[Import] | None = None,
    ) -> None:
        if not isinstance(func, str):
            raise ValueError(f"func must be the source of one function, got {type(func).__name__}")
        self.func = func
        self.python_packages = list(python_packages or [])
        self.global_imports = list(global_imports or [])
        self._compiled_func = _compile_one_function(func)
        self._func_name = self._compiled_func.__name__

    @property
    def name(self) -> str:
        """The function's name."""
        return self._func_name

    @property
    def compiled(self) -> Callable[..., Any]:
        """The function object compiled from the source (for signatures and docstrings)."""
        return self._compiled_func

    def __call__(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError(
            f"{self._func_name!r} is given as source text; it runs only inside the executor"
        )


def _compile_one_function(source: str) -> Callable[..., Any]:
    """Compile source that must define exactly one top-level function; return it."""
    try:
        tree = ast.parse(textwrap.dedent(source))
    except SyntaxError as exc:
        raise ValueError(f"Could not compile function: {exc}") from exc
    defs = [n for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    if len(defs) != 1:
        raise ValueError(f"The string must contain exactly one function, found {len(defs)}")
    namespace: dict[str, Any] = {}
    try:
        exec(compile(tree, f"<function {defs[0].name}>", "exec"), namespace)
    except Exception as exc:
        raise ValueError(f"Could not compile function: {exc}") from exc
    func: Callable[..., Any] = namespace[defs[0].name]
    return func


@dataclass
class FunctionWithRequirements(Generic[T, P]):
    """A Python function with the packages and imports its code needs."""

    func: Callable[P, T]
    python_packages: list[str] = field(default_factory=list)
    global_imports: list[Import] = field(default_factory=list)

    @classmethod
    def from_callable(
        cls,
        func: Callable[P, T],
        python_packages: Sequence[str] | None = None,
        global_imports: Sequence[Import] | None = None,
    ) -> FunctionWithRequirements[T, P]:
        """Wrap a function object."""
        return cls(func, list(python_packages or []), list(global_imports or []))

    @staticmethod
    def from_str(
        func: str,
        python_packages: Sequence[str] | None = None,
        global_imports: Sequence[Import] | None = None,
    ) -> FunctionWithRequirementsStr:
        """Wrap a function given as source text."""
        return FunctionWithRequirementsStr(func, python_packages, global_imports)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> T:
        return self.func(*args, **kwargs)


def with_requirements(
    python_packages: Sequence[str] | None = None,
    global_imports: Sequence[Import] | None = None,
) -> Callable[[Callable[P, T]], FunctionWithRequirements[T, P]]:
    """Decorator: attach required packages and imports to a function."""

    def wrap(func: Callable[P, T]) -> FunctionWithRequirements[T, P]:
        wrapped = FunctionWithRequirements.from_callable(func, python_packages, global_imports)
        functools.update_wrapper(wrapped, func)
        return wrapped

    return wrap


UserFunction = FunctionWithRequirements[Any, Any] | Callable[..., Any] | FunctionWithRequirementsStr


def function_source(func: UserFunction) -> str:
    """The source of a user function, without decorator lines."""
    if isinstance(func, FunctionWithRequirementsStr):
        return textwrap.dedent(func.func)
    target = func.func if isinstance(func, FunctionWithRequirements) else func
    try:
        source = textwrap.dedent(inspect.getsource(target))
    except (OSError, TypeError) as exc:
        raise ValueError(f"cannot read the source of function {target!r}: {exc}") from exc
    lines = source.splitlines(keepends=True)
    while lines and lines[0].lstrip().startswith("@"):
        lines.pop(0)  # decorators such as @with_requirements do not exist in the module
    return "".join(lines)


def functions_module_source(funcs: Sequence[UserFunction]) -> str:
    """The text of the module that defines every user function, imports first."""
    imports: list[str] = []
    for func in funcs:
        if isinstance(func, FunctionWithRequirements | FunctionWithRequirementsStr):
            for item in func.global_imports:
                line = import_line(item)
                if line not in imports:
                    imports.append(line)
    parts = ["\n".join(imports), *(function_source(f) for f in funcs)]
    return "\n\n".join(p.rstrip("\n") for p in parts if p) + "\n"


def required_packages(funcs: Sequence[UserFunction]) -> list[str]:
    """The distinct pip requirements of the functions, in first-seen order."""
    found: list[str] = []
    for func in funcs:
        if isinstance(func, FunctionWithRequirements | FunctionWithRequirementsStr):
            found.extend(p for p in func.python_packages if p not in found)
    return found


def to_stub(func: UserFunction) -> str:
    """A stub of the function: its signature, its docstring and ``...``."""
    if isinstance(func, FunctionWithRequirementsStr):
        func = func.compiled
    target = func.func if isinstance(func, FunctionWithRequirements) else func
    name = getattr(target, "__name__", type(target).__name__)
    text = f"def {name}{_signature_text(target)}:\n"
    doc = target.__doc__
    if doc:
        text += textwrap.indent('"""' + textwrap.dedent(doc) + '"""', "    ") + "\n"
    return text + "    ..."


def _signature_text(func: Callable[..., Any]) -> str:
    """The signature as source, string annotations resolved where possible."""
    try:
        return str(inspect.signature(func, eval_str=True))
    except Exception:
        return str(inspect.signature(func))  # a hint that cannot be resolved stays quoted
