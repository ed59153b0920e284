"""Classic ``autogen.function_utils``: tool schemas from type hints, over ``convogen.tools``."""

from __future__ import annotations

import functools
import inspect
import logging
import typing
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar, get_args, get_origin

from pydantic import BaseModel, Field, PydanticUserError, TypeAdapter

from convogen.tools.invoke import result_to_str
from convogen.tools.schema import parameter_json_schema, split_annotated

__all__ = [
    "Function",
    "Parameters",
    "ToolFunction",
    "get_function_schema",
    "load_basemodels_if_needed",
    "serialize_to_str",
]

logger = logging.getLogger("convogen.tools")

T = TypeVar("T")


class Parameters(BaseModel):
    """The "parameters" of a function schema."""

    type: Literal["object"] = "object"
    properties: dict[str, dict[str, Any]]
    required: list[str]


class Function(BaseModel):
    """A function offered to the model: name, description, parameters."""

    description: Annotated[str, Field(description="Description of the function")]
    name: Annotated[str, Field(description="Name of the function")]
    parameters: Annotated[Parameters, Field(description="Parameters of the function")]


class ToolFunction(BaseModel):
    """A tool of type "function"."""

    type: Literal["function"] = "function"
    function: Annotated[Function, Field(description="Function under tool")]


def get_typed_annotation(annotation: Any, globalns: dict[str, Any]) -> Any:
    """The annotation, with a string (forward reference) evaluated in globalns."""
    if isinstance(annotation, str):
        return eval(annotation, globalns)  # what typing's forward-reference evaluation does
    return annotation


def get_typed_signature(call: Callable[..., Any]) -> inspect.Signature:
    """The signature of call with string annotations evaluated."""
    signature = inspect.signature(call)
    globalns = getattr(call, "__globals__", {})
    params = [
        p.replace(annotation=get_typed_annotation(p.annotation, globalns))
        for p in signature.parameters.values()
    ]
    return signature.replace(parameters=params)


def get_typed_return_annotation(call: Callable[..., Any]) -> Any:
    """The evaluated return annotation of call, or None when it has none."""
    annotation = inspect.signature(call).return_annotation
    if annotation is inspect.Signature.empty:
        return None
    return get_typed_annotation(annotation, getattr(call, "__globals__", {}))


def get_param_annotations(typed_signature: inspect.Signature) -> dict[str, Any]:
    """Annotation of each annotated parameter."""
    return {
        name: p.annotation
        for name, p in typed_signature.parameters.items()
        if p.annotation is not inspect.Signature.empty
    }


def get_required_params(typed_signature: inspect.Signature) -> list[str]:
    """Names of the parameters without a default."""
    return [
        n for n, p in typed_signature.parameters.items() if p.default is inspect.Parameter.empty
    ]


def get_default_values(typed_signature: inspect.Signature) -> dict[str, Any]:
    """Default value of each parameter that has one."""
    return {
        n: p.default
        for n, p in typed_signature.parameters.items()
        if p.default is not inspect.Parameter.empty
    }


def get_missing_annotations(
    typed_signature: inspect.Signature, required: list[str]
) -> tuple[set[str], set[str]]:
    """(required parameters without annotation, optional parameters without annotation)."""
    unannotated = {
        n for n, p in typed_signature.parameters.items() if p.annotation is inspect.Signature.empty
    }
    missing = unannotated & set(required)
    return missing, unannotated - missing


def get_parameter_json_schema(k: str, v: Any, default_values: dict[str, Any]) -> dict[str, Any]:
    """JSON schema of parameter k of type v (description from Annotated, else the name).

    As in 0.2 the schema is pydantic's own, titles included (``convogen.tools`` drops them).
    """
    base, text = split_annotated(v)
    try:
        schema: dict[str, Any] = TypeAdapter(base).json_schema()
    except (PydanticUserError, TypeError, ValueError, NameError):
        # The same clear ConfigError the tools room raises for a type without a schema.
        return parameter_json_schema(k, v, default_values.get(k, inspect.Parameter.empty))
    schema["description"] = text if text is not None else k
    if k in default_values:
        schema["default"] = default_values[k]
    return schema


def get_parameters(
    required: list[str], param_annotations: dict[str, Any], default_values: dict[str, Any]
) -> Parameters:
    """The Parameters model of a function."""
    return Parameters(
        properties={
            k: get_parameter_json_schema(k, v, default_values)
            for k, v in param_annotations.items()
            if v is not inspect.Signature.empty
        },
        required=required,
    )


def get_function_schema(
    f: Callable[..., Any], *, name: str | None = None, description: str
) -> dict[str, Any]:
    """The OpenAI tool schema of f: {"type": "function", "function": {name, description, ...}}."""
    typed_signature = get_typed_signature(f)
    required = get_required_params(typed_signature)
    missing, unannotated_with_default = get_missing_annotations(typed_signature, required)
    fname = getattr(f, "__name__", repr(f))
    # 0.2's exact sentences: its users match them in logs and tests.
    if get_typed_return_annotation(f) is None:
        logger.warning(
            f"The return type of the function '{fname}' is not annotated. Although annotating "
            "it is optional, the function should return either a string, a subclass of "
            "'pydantic.BaseModel'."
        )
    if unannotated_with_default:
        listed = ", ".join(f"'{k}'" for k in sorted(unannotated_with_default))
        logger.warning(
            f"The following parameters of the function '{fname}' with default values are "
            f"not annotated: {listed}."
        )
    if missing:
        listed = ", ".join(f"'{k}'" for k in sorted(missing))
        raise TypeError(
            f"All parameters of the function '{fname}' without default values must be "
            f"annotated. The annotations are missing for the following parameters: {listed}"
        )
    parameters = get_parameters(
        required, get_param_annotations(typed_signature), get_default_values(typed_signature)
    )
    # Like 0.2 this helper only builds the schema; names are checked where tools are offered.
    function = Function(description=description, name=name or fname, parameters=parameters)
    return ToolFunction(function=function).model_dump()


def get_load_param_if_needed_function(
    t: Any,
) -> Callable[[dict[str, Any], type[BaseModel]], BaseModel] | None:
    """A loader turning a dict into the pydantic model t (None when t is not a model)."""
    if get_origin(t) is Annotated:
        return get_load_param_if_needed_function(get_args(t)[0])
    if isinstance(t, type) and issubclass(t, BaseModel):
        return _load_model
    return None


def _load_model(value: dict[str, Any], model: type[BaseModel]) -> BaseModel:
    return model.model_validate(value)


def load_basemodels_if_needed(func: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap func so that dict arguments for pydantic-model parameters become models."""
    annotations = get_param_annotations(get_typed_signature(func))
    loaders = {
        k: loader
        for k, t in annotations.items()
        if (loader := get_load_param_if_needed_function(t)) is not None
    }

    def load(kwargs: dict[str, Any]) -> dict[str, Any]:
        for k, loader in loaders.items():
            if k in kwargs and not isinstance(kwargs[k], BaseModel):
                model = typing.cast(type[BaseModel], _model_type(annotations[k]))
                kwargs[k] = loader(kwargs[k], model)
        return kwargs

    if inspect.iscoroutinefunction(func):

        @functools.wraps(func)
        async def aload(*args: Any, **kwargs: Any) -> Any:
            return await func(*args, **load(kwargs))

        return aload

    @functools.wraps(func)
    def sload(*args: Any, **kwargs: Any) -> Any:
        return func(*args, **load(kwargs))

    return sload


def _model_type(annotation: Any) -> Any:
    return get_args(annotation)[0] if get_origin(annotation) is Annotated else annotation


def serialize_to_str(x: Any) -> str:
    """A tool result as text: str as is, models as JSON, anything else json.dumps'ed."""
    return result_to_str(x)
