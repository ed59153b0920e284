import pytest

from convogen import AssistantAgent, ConfigError, ConversableAgent, UserProxyAgent
from convogen.llm.scripted import scripted_llm_config


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"human_input_mode": "SOMETIMES"}, "human_input_mode"),
        ({"llm_config": "gpt-4"}, "llm_config"),
        ({"llm_config": {"config_list": "gpt-4"}}, "config_list"),
        ({"llm_config": {"config_list": []}}, "config_list"),
        ({"llm_config": {"config_list": [{"api_key": "k"}]}}, "model"),
        ({"llm_config": {"config_list": [{"model": "m", "api_type": "nope"}]}}, "api_type"),
        ({"max_consecutive_auto_reply": -1}, "max_consecutive_auto_reply"),
        ({"max_consecutive_auto_reply": "5"}, "max_consecutive_auto_reply"),
        ({"code_execution_config": "yes"}, "code_execution_config"),
        ({"code_execution_config": {"last_n_messages": -2}}, "last_n_messages"),
        ({"is_termination_msg": "TERMINATE"}, "is_termination_msg"),
        ({"system_message": 5}, "system_message"),
        ({"default_auto_reply": 5}, "default_auto_reply"),
    ],
)
def test_bad_arguments_raise_an_error_naming_them(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ConfigError) as info:
        ConversableAgent("a", **kwargs)  # type: ignore[arg-type]
    assert field in str(info.value)


def test_empty_name_is_rejected() -> None:
    with pytest.raises(ConfigError, match="name"):
        ConversableAgent("  ")


def test_classic_defaults() -> None:
    assistant = AssistantAgent("assistant", llm_config=scripted_llm_config(["x"]))
    user = UserProxyAgent("user")
    assert assistant.human_input_mode == "NEVER"
    assert assistant.code_execution_config is False
    assert "TERMINATE" in assistant.system_message
    assert user.human_input_mode == "ALWAYS"
    assert user.llm_config is False
    assert user.code_execution_config == {}
    assert user.max_consecutive_auto_reply() == 100
    assert "HUMAN" in user.description


def test_description_defaults_to_system_message() -> None:
    agent = ConversableAgent("a", system_message="I count sheep.")
    assert agent.description == "I count sheep."
    agent.update_system_message("I count goats.")
    assert agent.system_message == "I count goats."


def test_assistant_without_model_configuration_fails_clearly_when_it_must_reply(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from convogen.llm.local import model_file

    monkeypatch.setattr(model_file, "llama_cpp_available", lambda: False)
    assistant = AssistantAgent("assistant")
    with pytest.raises(ConfigError, match="llm_config"):
        assistant.generate_reply([{"role": "user", "content": "hi"}])
