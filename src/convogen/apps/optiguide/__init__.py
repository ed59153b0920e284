"""OptiGuide: what-if questions on a supply-chain optimisation, with a safeguarded code writer."""

from convogen.apps.optiguide.commander import (
    OptiGuideCommander,
    WhatIfAnswer,
    describe,
    parse_verdict,
)
from convogen.apps.optiguide.safety import SafetyReport, check_code
from convogen.apps.optiguide.supply_chain import Solution, SupplyChain, default_model, solve
from convogen.apps.optiguide.team import ask, build_optiguide

__all__ = [
    "OptiGuideCommander",
    "SafetyReport",
    "Solution",
    "SupplyChain",
    "WhatIfAnswer",
    "ask",
    "build_optiguide",
    "check_code",
    "default_model",
    "describe",
    "parse_verdict",
    "solve",
]
