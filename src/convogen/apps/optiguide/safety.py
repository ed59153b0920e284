"""A static safety check of what-if code with ``ast``: only plain edits of the model pass."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

# What-if code only edits numbers and lists; these imports are harmless helpers for that.
ALLOWED_IMPORTS = frozenset({"math", "statistics", "itertools", "functools", "copy", "fractions"})
# Builtins that reach the file system, the interpreter, or dynamic code.
FORBIDDEN_CALLS = frozenset(
    {
        "open",
        "eval",
        "exec",
        "compile",
        "__import__",
        "input",
        "breakpoint",
        "exit",
        "quit",
        "globals",
        "locals",
        "vars",
        "getattr",
        "setattr",
        "delattr",
        "memoryview",
        "help",
    }
)
FORBIDDEN_NAMES = frozenset(
    {
        "os",
        "sys",
        "subprocess",
        "socket",
        "shutil",
        "pathlib",
        "Path",
        "importlib",
        "builtins",
        "__builtins__",
        "ctypes",
        "pickle",
        "marshal",
        "urllib",
        "requests",
        "http",
        "httpx",
        "signal",
        "multiprocessing",
        "threading",
        "tempfile",
        "glob",
        "io",
    }
)
# Names the harness relies on to report the optimum; rebinding them could forge the answer.
PROTECTED_NAMES = frozenset({"solve", "json", "print", "SupplyChain", "Solution"})


@dataclass
class SafetyReport:
    """The verdict of the static check: safe or not, and every problem found (with lines)."""

    safe: bool
    issues: list[str] = field(default_factory=list)
    syntax_error: bool = False

    @property
    def verdict(self) -> str:
        """'SAFE' or 'DANGER'."""
        return "SAFE" if self.safe else "DANGER"


class _Checker(ast.NodeVisitor):
    def __init__(self) -> None:
        self.issues: list[str] = []

    def flag(self, node: ast.AST, problem: str) -> None:
        self.issues.append(f"line {getattr(node, 'lineno', '?')}: {problem}")

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name.split(".")[0] not in ALLOWED_IMPORTS:
                self.flag(node, f"imports {alias.name!r} (allowed: {sorted(ALLOWED_IMPORTS)})")
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if node.level or module.split(".")[0] not in ALLOWED_IMPORTS:
            self.flag(node, f"imports from {module or '.'!r} (allowed: {sorted(ALLOWED_IMPORTS)})")
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in FORBIDDEN_NAMES:
            self.flag(node, f"uses {node.id!r}")
        elif node.id in FORBIDDEN_CALLS:
            self.flag(node, f"uses the builtin {node.id!r}")
        elif node.id.startswith("__"):
            self.flag(node, f"uses the dunder name {node.id!r}")
        if isinstance(node.ctx, ast.Store | ast.Del) and node.id in PROTECTED_NAMES:
            self.flag(node, f"rebinds {node.id!r}, which reports the result")
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        # Private and dunder attributes are the usual way out of a restricted namespace
        # (e.g. ().__class__.__base__.__subclasses__()).
        if node.attr.startswith("_"):
            self.flag(node, f"accesses the private attribute {node.attr!r}")
        if node.attr in {"system", "popen", "remove", "unlink", "rmtree", "write_text"}:
            self.flag(node, f"calls {node.attr!r}")
        self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._protect(node, node.name)
        self.generic_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._protect(node, node.name)
        self.generic_visit(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self.flag(node, "defines async code")
        self.generic_visit(node)

    def visit_Global(self, node: ast.Global) -> None:
        self.flag(node, "declares globals")

    def visit_Constant(self, node: ast.Constant) -> None:
        # A string naming a forbidden thing is a hint of obfuscated access (getattr-free
        # tricks need one); flagging it costs nothing for honest model edits.
        if isinstance(node.value, str) and node.value.startswith("__"):
            self.flag(node, f"contains the dunder string {node.value!r}")

    def _protect(self, node: ast.AST, name: str) -> None:
        if name in PROTECTED_NAMES or name in FORBIDDEN_CALLS:
            self.flag(node, f"redefines {name!r}")


def check_code(code: str) -> SafetyReport:
    """Statically vet what-if code; unparsable code is not safe either (nothing unvetted runs)."""
    try:
        tree = ast.parse(code)
    except SyntaxError as exc:
        return SafetyReport(False, [f"line {exc.lineno}: syntax error: {exc.msg}"], True)
    checker = _Checker()
    checker.visit(tree)
    return SafetyReport(not checker.issues, checker.issues)
