"""AutoGen 0.2 agent behaviours found missing by running its offline test suite against convogen."""

from __future__ import annotations

import warnings
from typing import Annotated, Any

import pytest
from pydantic import BaseModel

import convogen
from convogen import ConversableAgent, GroupChat, GroupChatManager

SCHEMA = {"name": "lookup", "description": "Look up.", "parameters": {"type": "object"}}


def plain(name: str, reply: Any = "ok", **kwargs: Any) -> ConversableAgent:
    return ConversableAgent(
        name, llm_config=False, human_input_mode="NEVER", default_auto_reply=reply, **kwargs
    )


def with_model(name: str = "agent") -> ConversableAgent:
    return ConversableAgent(name, llm_config=convogen.scripted_llm_config(["hi"]))


def test_match_trigger_refuses_an_unknown_kind_of_trigger_with_value_error() -> None:
    agent, other = plain("a0"), plain("a1")
    with pytest.raises(ValueError):
        agent._match_trigger(1, other)


def test_match_trigger_matches_a_sender_by_name() -> None:
    agent, other = plain("a0"), plain("a1")
    assert agent._match_trigger("a1", other) is True
    assert agent._match_trigger("zz", other) is False


def test_last_message_with_an_agent_never_talked_to_raises_key_error() -> None:
    with pytest.raises(KeyError):
        plain("a0").last_message(plain("stranger"))


def test_generate_reply_without_messages_or_sender_is_an_assertion_error() -> None:
    with pytest.raises(AssertionError):
        plain("a0").generate_reply(messages=None, sender=None)


def test_update_function_signature_keeps_legacy_functions_under_their_own_key() -> None:
    agent = with_model()
    agent.update_function_signature(SCHEMA, is_remove=False)
    assert agent.llm_config and agent.llm_config["functions"] == [SCHEMA]
    agent.update_function_signature("lookup", is_remove=True)
    assert "functions" not in agent.llm_config


def test_registering_a_function_name_twice_warns_that_it_is_overridden() -> None:
    agent = plain("a0")
    agent.register_function({"f": len})
    with pytest.warns(UserWarning, match="Function 'f' is being overridden."):
        agent.register_function({"f": len})


def test_replacing_a_tool_signature_warns_that_it_is_overridden() -> None:
    agent = with_model()
    tool = {"type": "function", "function": SCHEMA}
    agent.update_tool_signature(tool, is_remove=False)
    with pytest.warns(UserWarning, match="Function 'lookup' is being overridden."):
        agent.update_tool_signature(tool, is_remove=False)


def test_first_registration_of_a_function_does_not_warn() -> None:
    agent = with_model()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        agent.update_function_signature(SCHEMA, is_remove=False)


def test_register_for_llm_needs_a_description_or_docstring() -> None:
    agent = with_model()

    def undocumented(x: int) -> int:
        return x

    with pytest.raises(ValueError) as caught:
        agent.register_for_llm()(undocumented)
    assert caught.value.args[0] == "Function description is required, none found."


def test_register_for_llm_on_an_agent_without_llm_config_is_an_assertion_error() -> None:
    agent = ConversableAgent("agent", llm_config=None)
    with pytest.raises(AssertionError, match="agent must have an llm_config"):
        agent.register_for_llm(description="d")(len)


def test_register_for_llm_offers_the_schema_without_the_closed_object_flag() -> None:
    agent = with_model()

    @agent.register_for_llm(description="Run a cell.")
    def run(cell: Annotated[str, "The cell."]) -> str:
        return cell

    assert agent.llm_config
    parameters = agent.llm_config["tools"][0]["function"]["parameters"]
    assert parameters == {
        "type": "object",
        "properties": {"cell": {"type": "string", "description": "The cell."}},
        "required": ["cell"],
    }


def test_function_map_entries_from_register_for_execution_know_their_origin() -> None:
    agent = plain("a0")

    def run(cell: Annotated[str, "The cell."]) -> str:
        return cell

    agent.register_for_execution()(run)
    assert agent.function_map["run"]._origin is run  # type: ignore[attr-defined]


class Money(BaseModel):
    currency: str
    amount: float


def test_wrap_function_builds_models_from_dicts_and_returns_json() -> None:
    def double(money: Money) -> Money:
        return Money(currency=money.currency, amount=money.amount * 2)

    wrapped = plain("a0")._wrap_function(double)
    assert wrapped(money={"currency": "EUR", "amount": 2}) == '{"currency":"EUR","amount":4.0}'


async def test_wrap_function_keeps_an_async_function_async() -> None:
    async def echo(text: str) -> dict[str, str]:
        return {"text": text}

    wrapped = plain("a0")._wrap_function(echo)
    assert await wrapped(text="hi") == '{"text": "hi"}'


def test_process_carryover_appends_the_carryover_after_context() -> None:
    agent = plain("a0")
    assert agent._process_carryover("Task.", {"carryover": ["one", {"content": "two"}]}) == (
        "Task.\nContext: \none\ntwo"
    )
    assert agent._process_carryover("Task.", {"carryover": None}) == "Task."


def test_handle_carryover_extends_the_content_of_a_dict_message() -> None:
    handled = plain("a0")._handle_carryover({"content": "Task."}, {"carryover": "before"})
    assert handled == {"content": "Task.\nContext: \nbefore"}


def test_append_oai_message_honours_override_role() -> None:
    agent, peer = plain("a0"), plain("a1")
    assert agent._append_oai_message({"content": "x", "override_role": "system"}, "assistant", peer)
    assert agent.chat_messages[peer][-1]["role"] == "system"
    assert "override_role" not in agent.chat_messages[peer][-1]


def test_append_oai_message_refuses_a_message_without_content() -> None:
    agent, peer = plain("a0"), plain("a1")
    assert agent._append_oai_message({"message": "x"}, "user", peer) is False
    assert agent.chat_messages[peer] == []


def test_default_auto_reply_may_be_none() -> None:
    assert plain("a0", reply=None).default_auto_reply == ""


def test_group_chat_counts_mentions_of_each_agent() -> None:
    alice, bob = plain("alice"), plain("bob")
    group = GroupChat(agents=[alice, bob], messages=[])
    assert group._mentioned_agents("alice, bob and alice! bobby", [alice, bob]) == {
        "alice": 2,
        "bob": 1,
    }


def test_a_function_call_no_member_can_execute_is_a_value_error() -> None:
    alice, bob = plain("alice"), plain("bob")
    manager = GroupChatManager(GroupChat(agents=[alice, bob], messages=[]), llm_config=False)
    call = {"function_call": {"name": "missing", "arguments": "{}"}}
    with pytest.raises(ValueError, match="No agent can execute the function missing"):
        alice.initiate_chat(manager, message=call)


def test_invalid_allow_repeat_speaker_uses_the_classic_sentence() -> None:
    with pytest.raises(ValueError) as caught:
        GroupChat(agents=[plain("alice"), plain("bob")], messages=[], allow_repeat_speaker={})  # type: ignore[arg-type]
    assert (
        str(caught.value) == "GroupChat allow_repeat_speaker should be a bool or a list of Agents."
    )


@pytest.mark.parametrize("role", ["", None])
def test_role_for_select_speaker_messages_must_not_be_empty(role: str | None) -> None:
    with pytest.raises(ValueError, match="cannot be empty or None"):
        GroupChat(agents=[plain("alice")], messages=[], role_for_select_speaker_messages=role)  # type: ignore[arg-type]


def test_run_chat_serves_as_the_reply_function_of_any_agent() -> None:
    alice, bob = plain("alice", "from alice"), plain("bob", "from bob")
    group = GroupChat(agents=[alice, bob], messages=[], max_round=2)
    deputy = ConversableAgent("deputy", llm_config=False)
    deputy.register_reply(
        convogen.Agent, GroupChatManager.run_chat, config=group, reset_config=GroupChat.reset
    )
    alice.initiate_chat(deputy, message="hello")
    assert [m["content"] for m in group.messages] == ["hello", "from bob"]


def test_a_manager_chatting_with_itself_ends_when_the_group_ends() -> None:
    alice = plain("alice", "done TERMINATE")
    bob = plain("bob", "bob TERMINATE")
    group = GroupChat(agents=[alice, bob], messages=[], max_round=5, send_introductions=True)
    manager = GroupChatManager(
        group, llm_config=False, is_termination_msg=lambda m: "TERMINATE" in (m["content"] or "")
    )
    manager.initiate_chat(manager, message="start")
    assert [m["content"] for m in alice.chat_messages[manager]][1:] == ["start", "done TERMINATE"]


def _tool_call(call_id: str, name: str) -> dict[str, Any]:
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": "{}"}}


def test_every_tool_call_gets_a_response_and_unknown_ones_an_error() -> None:
    agent = plain("executor", function_map={"ping": lambda: "pong"})
    calls = [_tool_call("c1", "ping"), _tool_call("c2", "nope")]
    reply = agent.generate_reply([{"role": "assistant", "content": None, "tool_calls": calls}])
    assert isinstance(reply, dict)
    assert reply["tool_responses"] == [
        {"tool_call_id": "c1", "role": "tool", "content": "pong"},
        {
            "tool_call_id": "c2",
            "role": "tool",
            "content": "Error: Function nope not found.",
            "is_error": True,  # convogen's addition; model clients do not send it
        },
    ]
    assert reply["content"] == "pong\n\nError: Function nope not found."


def test_an_agent_executing_none_of_the_tool_calls_does_not_answer_them() -> None:
    agent = plain("bystander", reply="fallback")
    message = {"role": "assistant", "content": None, "tool_calls": [_tool_call("c1", "nope")]}
    assert agent.generate_reply([message]) == "fallback"


class Anonymous(convogen.Agent):
    """A classic ``Agent`` subclass that never sets its name."""

    def receive(
        self, message: Any, sender: Any, request_reply: Any = None, silent: Any = False
    ) -> None:
        self.got = message


def test_a_message_from_an_agent_without_a_name_is_still_shown() -> None:
    agent, stranger = plain("a0"), Anonymous()
    agent.receive("hello", stranger, request_reply=False)
    assert agent.chat_messages[stranger][-1]["content"] == "hello"


def test_a_function_call_to_an_unknown_function_is_answered_with_an_error() -> None:
    message = {
        "role": "assistant",
        "content": None,
        "function_call": {"name": "gone", "arguments": "{}"},
    }
    assert plain("a0").generate_function_call_reply([message]) == (
        True,
        {"name": "gone", "role": "function", "content": "Error: Function gone not found."},
    )


def test_arguments_that_are_not_json_get_the_classic_error_text() -> None:
    agent = plain("a0", function_map={"ping": lambda: "pong"})
    message = {
        "role": "assistant",
        "content": None,
        "function_call": {"name": "ping", "arguments": "{,}"},
    }
    _, reply = agent.generate_function_call_reply([message])
    assert isinstance(reply, dict)
    assert reply["content"].startswith("Error: Expecting property name")
    assert reply["content"].endswith("\n The argument must be in JSON format.")


def test_an_exception_in_a_function_reads_as_error_and_its_message() -> None:
    def explode() -> str:
        raise RuntimeError("boom")

    agent = plain("a0", function_map={"explode": explode})
    calls = [_tool_call("c1", "explode")]
    reply = agent.generate_reply([{"role": "assistant", "content": None, "tool_calls": calls}])
    assert isinstance(reply, dict)
    assert reply["tool_responses"][0]["content"] == "Error: boom"


def test_format_json_str_escapes_newlines_inside_strings_and_drops_the_rest() -> None:
    raw = '{\n"code": "x=3\nprint(x)"\n}'
    assert plain("a0")._format_json_str(raw) == '{"code": "x=3\\nprint(x)"}'


def test_a_function_call_whose_strings_hold_raw_newlines_still_runs() -> None:
    agent = plain("a0", function_map={"echo": lambda text: text})
    call = {"name": "echo", "arguments": '{"text": "a\nb"}'}
    assert agent.execute_function(call)[1]["content"] == "a\nb"


def test_a_callable_content_is_filled_in_from_the_message_context() -> None:
    sender, receiver = plain("a0"), plain("a1")
    message = {"content": lambda ctx: f"hello {ctx['name']}", "context": {"name": "there"}}
    sender.send(message, receiver, request_reply=False)
    assert receiver.chat_messages[sender][-1]["content"] == "hello there"
