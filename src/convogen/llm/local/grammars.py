"""GBNF grammars that force the local model's output into a shape: a name, a schema, a tool call.

Schemas are converted with llama.cpp's own JSON-schema converter, with two adjustments made here
so that every complete output parses with ``json.loads`` and stays short:

* its ``char`` rule admits raw control characters (a newline inside a string), which strict JSON
  rejects; it is replaced by a rule that only admits escaped ones;
* strings and arrays without an explicit bound get one (``MAX_STRING_CHARS``/``MAX_ARRAY_ITEMS``),
  so a small model sampling at high temperature cannot run on until the context is full. The
  tightened grammar only accepts a subset of what the original schema accepts.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from convogen.errors import ConfigError

MAX_STRING_CHARS = 64
MAX_ARRAY_ITEMS = 8

_JSON_CHAR_RULE = (
    r'char ::= [^"\\\x00-\x1F\x7F] | "\\" (["\\/bfnrt] | "u" [0-9a-fA-F] [0-9a-fA-F] '
    r"[0-9a-fA-F] [0-9a-fA-F])"
)
_STRING_SHAPERS = ("maxLength", "enum", "const", "pattern", "format")


def gbnf_literal(text: str) -> str:
    """``text`` as a quoted GBNF string literal."""
    out = ['"']
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\x{ord(ch):02X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def check_options(options: object, field: str = "choices") -> list[str]:
    """``options`` as a list of distinct non-empty strings, or ``ConfigError`` naming ``field``."""
    if not isinstance(options, (list, tuple)) or not options:
        raise ConfigError(field, options, "must be a non-empty list of strings")
    for option in options:
        if not isinstance(option, str) or not option:
            raise ConfigError(
                field, options, f"every option must be a non-empty string: {option!r}"
            )
    if len(set(options)) != len(options):
        raise ConfigError(field, options, "options must be distinct")
    return list(options)


def choice_grammar(options: list[str]) -> str:
    """A grammar whose only complete outputs are the strings in ``options``, verbatim."""
    return "root ::= " + " | ".join(gbnf_literal(o) for o in check_options(options))


def bound_schema(schema: Any, max_string: int = MAX_STRING_CHARS) -> Any:
    """A copy of ``schema`` with unbounded strings and arrays given a maximum size."""
    if isinstance(schema, list):
        return [bound_schema(item, max_string) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: bound_schema(value, max_string) for key, value in schema.items()}
    kind = out.get("type")
    if kind == "string" and not any(k in out for k in _STRING_SHAPERS):
        out["maxLength"] = max(max_string, int(out.get("minLength", 0)))
    if kind == "array" and "maxItems" not in out and not isinstance(out.get("items"), list):
        out["maxItems"] = max(MAX_ARRAY_ITEMS, int(out.get("minItems", 0)))
    return out


def schema_grammar(
    schema: dict[str, Any], field: str = "response_format", max_string: int = MAX_STRING_CHARS
) -> str:
    """A grammar for JSON documents that validate against ``schema`` (tightened, see module)."""
    if not isinstance(schema, dict):
        raise ConfigError(field, schema, "the JSON schema must be a dict")
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    try:
        grammar: str = json_schema_to_gbnf(json.dumps(bound_schema(schema, max_string)))
    except (AssertionError, KeyError, TypeError, ValueError) as exc:
        raise ConfigError(
            field, schema, f"cannot turn this JSON schema into a grammar: {exc!r}"
        ) from exc
    grammar = re.sub(r"^char ::= .*$", lambda _: _JSON_CHAR_RULE, grammar, flags=re.MULTILINE)
    # Free-form values ({} or additionalProperties) use the converter's unbounded string rule.
    bounded = f'string ::= "\\"" char{{0,{max_string}}} "\\"" space'
    return re.sub(r"^string ::= .*$", lambda _: bounded, grammar, flags=re.MULTILINE)


def json_object_grammar(max_string: int = MAX_STRING_CHARS) -> str:
    """Any JSON object, two levels deep at most, with bounded strings and member counts."""
    more = MAX_ARRAY_ITEMS - 1
    rules = [
        "root ::= object",
        f'object ::= "{{" space ( member ( "," space member ){{0,{more}}} )? "}}" space',
        'member ::= string ":" space ( inner | list | scalar )',
        f'inner ::= "{{" space ( pair ( "," space pair ){{0,{more}}} )? "}}" space',
        'pair ::= string ":" space ( list | scalar )',
        f'list ::= "[" space ( scalar ( "," space scalar ){{0,{more}}} )? "]" space',
        'scalar ::= string | number | ( "true" | "false" | "null" ) space',
        f'string ::= "\\"" char{{0,{max_string}}} "\\"" space',
        'number ::= "-"? ( "0" | [1-9] [0-9]{0,15} ) ( "." [0-9]{1,16} )? space',
        _JSON_CHAR_RULE,
        'space ::= " "?',
    ]
    return "\n".join(rules)


def _rename_refs(node: Any, renames: dict[str, str]) -> Any:
    if isinstance(node, list):
        return [_rename_refs(item, renames) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _rename_refs(value, renames) for key, value in node.items()}
    ref = out.get("$ref")
    if isinstance(ref, str) and ref in renames:
        out["$ref"] = renames[ref]
    return out


def tool_call_schema(tools: list[dict[str, Any]], only: str | None = None) -> dict[str, Any]:
    """Schema of ``{"name": <tool name>, "arguments": <its parameters>}``, a oneOf over ``tools``.

    Each tool's ``$defs`` move to the top level (renamed per tool), since references inside a
    nested schema resolve against the document root.
    """
    variants: list[dict[str, Any]] = []
    defs: dict[str, Any] = {}
    for index, (name, parameters) in enumerate(tool_signatures(tools)):
        if only is not None and name != only:
            continue
        params = copy.deepcopy(parameters)
        renames: dict[str, str] = {}
        own_defs: dict[str, Any] = {}
        for key in ("$defs", "definitions"):
            for def_name, def_schema in (params.pop(key, None) or {}).items():
                new_name = f"tool{index}-{def_name}"
                renames[f"#/{key}/{def_name}"] = f"#/$defs/{new_name}"
                own_defs[new_name] = def_schema
        params = _rename_refs(params, renames)
        defs.update(_rename_refs(own_defs, renames))
        variants.append(
            {
                "type": "object",
                "properties": {"name": {"const": name}, "arguments": params},
                "required": ["name", "arguments"],
            }
        )
    if not variants:
        raise ConfigError("tool_choice", only, "names no tool among the given tools")
    schema: dict[str, Any] = variants[0] if len(variants) == 1 else {"oneOf": variants}
    if defs:
        schema = {**schema, "$defs": defs}
    return schema


def tool_signatures(tools: object) -> list[tuple[str, dict[str, Any]]]:
    """``(name, parameters schema)`` of each OpenAI-style tool; ``ConfigError`` if malformed."""
    if not isinstance(tools, list) or not tools:
        raise ConfigError("tools", tools, "must be a non-empty list of tool dicts")
    out: list[tuple[str, dict[str, Any]]] = []
    for tool in tools:
        function = tool.get("function") if isinstance(tool, dict) else None
        name = function.get("name") if isinstance(function, dict) else None
        if not isinstance(function, dict) or not isinstance(name, str) or not name:
            raise ConfigError("tools", tool, "each tool needs {'function': {'name': ...}}")
        parameters = function.get("parameters") or {"type": "object", "properties": {}}
        if not isinstance(parameters, dict):
            raise ConfigError(f"tools[{name!r}].parameters", parameters, "must be a JSON schema")
        out.append((name, parameters))
    return out


def tool_or_text_grammar(tool_grammar: str) -> str:
    """Either a valid tool call (the output starts with '{') or free text that doesn't."""
    renamed = re.sub(r"^root ::=", "tool-call ::=", tool_grammar, flags=re.MULTILINE)
    # Free text may not open with '{' or whitespace, so a JSON-looking reply is always a
    # complete, valid tool call.
    return renamed + "\nroot ::= tool-call | free-text\nfree-text ::= [^{ \\t\\n\\r] [^\\x00]*"
