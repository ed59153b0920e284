"""Which functions the last message asks for decides who may speak next (func_call_filter)."""

from convogen import ConversableAgent, GroupChat
from convogen.groupchat.selection import eligible_speakers


def quiet(name: str) -> ConversableAgent:
    return ConversableAgent(name, llm_config=False, human_input_mode="NEVER", silent=True)


def group_after(message: dict[str, object]) -> tuple[GroupChat, list[ConversableAgent]]:
    agents = [quiet("a"), quiet("b"), quiet("runner")]
    agents[2].register_function({"lookup": lambda: "found"})
    gc = GroupChat(agents, max_round=3, speaker_selection_method="round_robin")
    gc.append(message, agents[0])  # type: ignore[arg-type]
    return gc, agents


def test_plain_message_leaves_every_member_eligible() -> None:
    gc, agents = group_after({"content": "hello", "tool_calls": None})
    assert eligible_speakers(gc, agents[0]) == agents


def test_empty_tool_calls_still_honour_a_legacy_function_call() -> None:
    call = {"name": "lookup", "arguments": "{}"}
    gc, agents = group_after({"content": None, "tool_calls": [], "function_call": call})
    assert eligible_speakers(gc, agents[0]) == [agents[2]]


def test_tool_calls_pick_the_members_that_can_run_them() -> None:
    call = {"id": "1", "type": "function", "function": {"name": "lookup", "arguments": "{}"}}
    gc, agents = group_after({"content": None, "tool_calls": [call]})
    assert eligible_speakers(gc, agents[0]) == [agents[2]]
