"""Build OpenAI tool JSON schemas from Python function signatures and type hints."""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, create_model
from pydantic.errors import PydanticUserError

from convogen.errors import ConfigError

NAME_PATTERN = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")

# Keys whose values are data (not sub-schemas): a "title" key inside them must be kept.
_DATA_KEYS = frozenset({"default", "examples", "const", "enum"})


@dataclass(frozen=True)
class ParameterSpec:
    """One parameter of a tool function: its name, field in the arguments model, kind, default."""

    name: str
    field: str
    positional_only: bool
    default: Any  # inspect.Parameter.empty when the parameter is required


@dataclass(frozen=True)
class ArgumentsSpec:
    """The validated-arguments model of a function and its JSON schema ("parameters")."""

    model: type[BaseModel]
    parameters: dict[str, Any]
    specs: tuple[ParameterSpec, ...]
    return_annotation: Any  # inspect.Signature.empty when the function has no return hint


def _underlying(func: Callable[..., Any]) -> Any:
    """The object that holds the code of ``func``: partials and decorators are looked through."""
    target: Any = func
    while True:
        target = inspect.unwrap(target)
        if isinstance(target, functools.partial):
            target = target.func
        elif inspect.ismethod(target):
            target = target.__func__
        else:
            return target


def callable_name(func: Callable[..., Any]) -> str:
    """Return the name a tool gets by default: the function's ``__name__``."""
    target = _underlying(func)
    name = getattr(target, "__name__", None)
    return name if isinstance(name, str) else type(target).__name__


def check_tool_name(name: object) -> str:
    """Return ``name`` if it is a valid OpenAI tool name, else raise ``ConfigError``."""
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
        raise ConfigError(
            "tool name",
            name,
            "must be 1-64 characters of letters, digits, '_' or '-' "
            "(pass name=... to choose another name)",
        )
    return name


def describe_function(func: Callable[..., Any], description: str | None = None) -> str:
    """Return ``description`` if given, else the function's cleaned docstring (or "")."""
    if description is not None:
        return description
    # A partial's own __doc__ describes functools.partial, not the tool.
    doc = inspect.getdoc(_underlying(func))
    return doc.strip() if doc else ""


def split_annotated(annotation: Any) -> tuple[Any, str | None]:
    """Split ``Annotated[T, "text", ...]`` into T (other metadata kept) and the text."""
    if get_origin(annotation) is not Annotated:
        return annotation, None
    base, *metadata = get_args(annotation)
    texts = [m for m in metadata if isinstance(m, str)]
    others = [m for m in metadata if not isinstance(m, str)]
    if others:
        # Keep pydantic metadata such as Field(ge=0) so it still constrains the value.
        base = Annotated[(base, *others)]
    return base, (" ".join(texts) if texts else None)


def _signature(func: Callable[..., Any], owner: str) -> inspect.Signature:
    try:
        raw = inspect.signature(func)
    except (ValueError, TypeError) as exc:
        raise ConfigError("function", owner, f"has no inspectable signature: {exc}") from exc
    try:
        # eval_str resolves string annotations (``from __future__ import annotations``).
        return inspect.signature(func, eval_str=True)
    except Exception:
        pass  # some hint failed: resolve the parameters one by one to name the culprit
    target = _underlying(func)
    if not inspect.isfunction(target) and callable(target):
        target = type(target).__call__  # a callable object: its hints live on __call__
    namespace: dict[str, Any] = dict(getattr(target, "__globals__", {}))
    params = []
    for param in raw.parameters.values():
        annotation = param.annotation
        if isinstance(annotation, str):
            try:
                annotation = eval(annotation, namespace)  # what inspect's eval_str does too
            except Exception as exc:
                raise ConfigError(
                    "function",
                    owner,
                    f"the type hint of parameter {param.name!r} cannot be resolved "
                    f"({type(exc).__name__}: {exc})",
                ) from exc
        params.append(param.replace(annotation=annotation))
    # Only the return hint failed (e.g. a TYPE_CHECKING-only import): it is not needed.
    return raw.replace(parameters=params, return_annotation=inspect.Signature.empty)


def _check_schema_type(owner: str, param: str, annotation: Any) -> None:
    """Raise a ConfigError naming ``param`` when pydantic cannot describe its type."""
    try:
        TypeAdapter(annotation).json_schema()
    except (PydanticUserError, TypeError, ValueError, NameError) as exc:
        raise ConfigError(
            "function",
            owner,
            f"parameter {param!r} has a type pydantic cannot turn into a JSON schema: {exc}",
        ) from exc


def build_arguments(func: Callable[..., Any], *, owner: str | None = None) -> ArgumentsSpec:
    """Build the arguments model and the "parameters" JSON schema of ``func``."""
    owner = owner or getattr(func, "__qualname__", None) or callable_name(func)
    sig = _signature(func, owner)
    fields: dict[str, Any] = {}
    specs: list[ParameterSpec] = []
    for index, param in enumerate(sig.parameters.values()):
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            star = "*" if param.kind is param.VAR_POSITIONAL else "**"
            raise ConfigError(
                "function",
                owner,
                f"parameter {star}{param.name} is not supported in a tool: "
                "tools take named arguments only",
            )
        if param.annotation is param.empty:
            raise ConfigError(
                "function",
                owner,
                f"parameter {param.name!r} has no type hint; annotate it "
                f"(for example `{param.name}: str`) so its JSON schema can be built",
            )
        annotation, text = split_annotated(param.annotation)
        _check_schema_type(owner, param.name, annotation)
        # Fields get neutral names and the real name as alias: parameter names such as
        # "model_config", "json" or "_private" would otherwise clash with BaseModel itself.
        field_name = f"p{index}"
        extra: dict[str, Any] = {"alias": param.name}
        if text is not None:
            extra["description"] = text
        if param.default is not param.empty:
            extra["default"] = param.default
        fields[field_name] = (annotation, Field(**extra))
        specs.append(
            ParameterSpec(
                name=param.name,
                field=field_name,
                positional_only=param.kind is param.POSITIONAL_ONLY,
                default=param.default,
            )
        )
    model: type[BaseModel] = create_model(
        "Arguments",
        # Unknown argument names are reported back to the model instead of being dropped.
        __config__=ConfigDict(extra="forbid"),
        **fields,
    )
    try:
        raw = model.model_json_schema(by_alias=True)
    except (PydanticUserError, TypeError, ValueError) as exc:
        raise ConfigError("function", owner, f"cannot build its JSON schema: {exc}") from exc
    return ArgumentsSpec(
        model=model,
        parameters=_parameters_schema(raw),
        specs=tuple(specs),
        return_annotation=sig.return_annotation,
    )


def _parameters_schema(raw: dict[str, Any]) -> dict[str, Any]:
    """Shape pydantic's model schema as OpenAI "parameters": no titles, always "required"."""
    cleaned = _strip_titles(raw)
    result: dict[str, Any] = {
        "type": "object",
        "properties": cleaned.get("properties", {}),
        "required": cleaned.get("required", []),
    }
    for key, value in cleaned.items():
        if key not in result:
            result[key] = value  # $defs for nested models/enums, additionalProperties
    return result


def _strip_titles(node: Any) -> Any:
    """Drop pydantic's generated "title" keys, which only add noise to the prompt."""
    if isinstance(node, list):
        return [_strip_titles(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "title" and isinstance(value, str):
            # A property *named* "title" maps to a dict, so only schema titles are dropped.
            continue
        out[key] = value if key in _DATA_KEYS else _strip_titles(value)
    return out


def function_schema(
    func: Callable[..., Any], *, name: str | None = None, description: str | None = None
) -> dict[str, Any]:
    """Return the OpenAI tool schema ``{"type": "function", "function": {...}}`` of ``func``."""
    tool_name = check_tool_name(name if name is not None else callable_name(func))
    spec = build_arguments(func)
    return make_tool_schema(tool_name, describe_function(func, description), spec.parameters)


def make_tool_schema(name: str, description: str, parameters: dict[str, Any]) -> dict[str, Any]:
    """Assemble a tool schema from its name, description and parameters schema."""
    return {
        "type": "function",
        "function": {"name": name, "description": description, "parameters": parameters},
    }


def parameter_json_schema(
    name: str, annotation: Any, default: Any = inspect.Parameter.empty
) -> dict[str, Any]:
    """The JSON schema of one parameter: its type's schema, a description, its default."""
    base, text = split_annotated(annotation)
    try:
        schema: dict[str, Any] = _strip_titles(TypeAdapter(base).json_schema())
    except (PydanticUserError, TypeError, ValueError, NameError) as exc:
        raise ConfigError(
            "parameter", name, f"has a type pydantic cannot turn into a JSON schema: {exc}"
        ) from exc
    schema["description"] = text if text is not None else name
    if default is not inspect.Parameter.empty:
        schema["default"] = default
    return schema
