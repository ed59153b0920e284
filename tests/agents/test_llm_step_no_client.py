"""The LLM reply step answers PASS at once for an agent without a model (no coroutine)."""

from convogen import UserProxyAgent
from convogen.agents.reply_methods import BUILTIN_IMPLS, ClassicReplyMethods
from convogen.agents.reply_types import PASS


def test_llm_step_without_client_passes_without_a_coroutine() -> None:
    user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False)
    step = BUILTIN_IMPLS[ClassicReplyMethods.a_generate_oai_reply]
    assert step(user, [{"role": "user", "content": "hi"}], None, None) is PASS


def test_user_proxy_without_model_still_replies_with_default() -> None:
    user = UserProxyAgent(
        "user", human_input_mode="NEVER", code_execution_config=False, default_auto_reply="d"
    )
    assert user.generate_reply([{"role": "user", "content": "hi"}]) == "d"
