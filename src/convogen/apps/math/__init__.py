"""Math problem solving (MathChat): a user proxy that poses problems, runs code, grades answers."""

from convogen.apps.math.agent import MathUserProxyAgent, build_prompt, has_final_answer
from convogen.apps.math.answers import (
    extract_answer,
    is_equiv,
    last_boxed_only_string,
    normalize_answer,
    remove_boxed,
)
from convogen.apps.math.evaluate import (
    DEMO_PROBLEMS,
    EvalReport,
    MathProblem,
    ProblemOutcome,
    cli_math_eval,
    demo_llm_config,
    evaluate_math,
    load_problems,
    write_problems,
)
from convogen.apps.math.prompts import DEFAULT_REPLY, PROMPTS
from convogen.apps.math.solver import scripted_math_solver
from convogen.apps.math.wolfram import WolframAlphaAPIWrapper

__all__ = [
    "DEFAULT_REPLY",
    "DEMO_PROBLEMS",
    "PROMPTS",
    "EvalReport",
    "MathProblem",
    "MathUserProxyAgent",
    "ProblemOutcome",
    "WolframAlphaAPIWrapper",
    "build_prompt",
    "cli_math_eval",
    "demo_llm_config",
    "evaluate_math",
    "extract_answer",
    "has_final_answer",
    "is_equiv",
    "last_boxed_only_string",
    "load_problems",
    "normalize_answer",
    "remove_boxed",
    "scripted_math_solver",
    "write_problems",
]
