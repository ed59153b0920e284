"""Tools: Python functions offered to models as OpenAI tool schemas and run on their request."""

from convogen.tools.invoke import (
    ToolTarget,
    execute_function_call,
    execute_tool_calls,
    invoke_function,
    invoke_tool,
    result_to_str,
    run_tool,
)
from convogen.tools.outcome import OUTCOME_CODEC, ToolOutcome, is_error_response, tool_response
from convogen.tools.registry import ToolRegistry
from convogen.tools.schema import function_schema
from convogen.tools.texts import CLASSIC_TEXTS, PLAIN_TEXTS, ToolTexts
from convogen.tools.tool import Tool, function_to_tool

__all__ = [
    "CLASSIC_TEXTS",
    "OUTCOME_CODEC",
    "PLAIN_TEXTS",
    "Tool",
    "ToolOutcome",
    "ToolRegistry",
    "ToolTarget",
    "ToolTexts",
    "execute_function_call",
    "execute_tool_calls",
    "function_schema",
    "function_to_tool",
    "invoke_function",
    "invoke_tool",
    "is_error_response",
    "result_to_str",
    "run_tool",
    "tool_response",
]
