"""Tools: Python functions offered to models as OpenAI tool schemas and run on their request."""

from convogen.tools.invoke import (
    ToolOutcome,
    execute_function_call,
    execute_tool_calls,
    invoke_tool,
    result_to_str,
)
from convogen.tools.registry import ToolRegistry
from convogen.tools.schema import function_schema
from convogen.tools.tool import Tool, function_to_tool

__all__ = [
    "Tool",
    "ToolOutcome",
    "ToolRegistry",
    "execute_function_call",
    "execute_tool_calls",
    "function_schema",
    "function_to_tool",
    "invoke_tool",
    "result_to_str",
]
