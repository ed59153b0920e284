"""Classic ``autogen.coding.func_with_reqs``: functions with requirements, for executors."""

from convogen.code.functions import (
    Alias,
    FunctionWithRequirements,
    FunctionWithRequirementsStr,
    ImportFromModule,
    P,
    T,
    to_stub,
    with_requirements,
)

__all__ = [
    "Alias",
    "FunctionWithRequirements",
    "FunctionWithRequirementsStr",
    "ImportFromModule",
    "P",
    "T",
    "to_stub",
    "with_requirements",
]
