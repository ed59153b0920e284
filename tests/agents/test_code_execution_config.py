"""code_execution_config is validated when the agent is built, and read through typed settings."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path
from typing import Any

import pytest

from convogen import ConversableAgent, UserProxyAgent
from convogen.chat_run import chat_run
from convogen.code.config import CodeExecutionConfigView, parse_code_execution_config
from convogen.code.local import LocalCommandLineCodeExecutor
from convogen.code.protocol import CodeBlock, CodeResult
from convogen.errors import CodeExecutionError, ConfigError
from convogen.messages import Message

CODE = "```python\nprint('hi')\n```"


class RecordingExecutor:
    """A hand-made executor that reports one produced file per run."""

    def __init__(self, work_dir: Path) -> None:
        self._work_dir = work_dir
        self.ran: list[CodeBlock] = []

    @property
    def work_dir(self) -> Path:
        return self._work_dir

    def execute_code_blocks(self, code_blocks: list[CodeBlock]) -> CodeResult:
        self.ran.extend(code_blocks)
        return CodeResult(0, "ran", [self._work_dir / f"out{len(self.ran)}.txt"])

    def restart(self) -> None:
        pass


def agent(config: Any) -> ConversableAgent:
    return ConversableAgent(
        "runner", llm_config=False, human_input_mode="NEVER", code_execution_config=config
    )


def test_a_misspelt_key_is_refused_at_construction_with_a_did_you_mean() -> None:
    with pytest.raises(ConfigError, match=r"did you mean 'work_dir'\?") as info:
        UserProxyAgent("user", code_execution_config={"work_dri": "x"})
    assert info.value.field == "code_execution_config['work_dri']"


def test_an_unknown_key_without_a_near_miss_lists_the_known_keys() -> None:
    with pytest.raises(ConfigError, match=r"known keys: .*last_n_messages"):
        agent({"colour": "blue"})


@pytest.mark.parametrize(
    ("config", "field"),
    [
        ({"timeout": "60"}, "timeout"),
        ({"timeout": 0}, "timeout"),
        ({"work_dir": 5}, "work_dir"),
        ({"use_docker": 3}, "use_docker"),
        ({"executor": "kubernetes"}, "executor"),
        ({"executor": 42}, "executor"),
        ({"use_unsafe_local": "yes"}, "use_unsafe_local"),
        ({"last_n_messages": 1.5}, "last_n_messages"),
    ],
)
def test_a_wrong_type_is_refused_at_construction_naming_the_key(
    config: dict[str, Any], field: str
) -> None:
    with pytest.raises(ConfigError) as info:
        agent(config)
    assert info.value.field == field


def test_a_misspelt_executor_name_gets_a_did_you_mean() -> None:
    with pytest.raises(ConfigError, match=r"did you mean 'sandbox'\?"):
        agent({"executor": "sandbx"})


@pytest.mark.parametrize(
    ("config", "field"),
    [
        ({"use_unsafe_local": True, "use_docker": True}, "use_unsafe_local"),
        ({"executor": "sandbox", "use_docker": "python:3"}, "use_docker"),
        ({"executor": "commandline-local", "timeout": 5}, "timeout"),
        ({"commandline-local": {"timeout": 5}}, "code_execution_config['commandline-local']"),
        (
            {"executor": "ipython-embedded", "commandline-local": {}},
            "code_execution_config['commandline-local']",
        ),
    ],
)
def test_impossible_combinations_are_refused_at_construction(
    config: dict[str, Any], field: str
) -> None:
    with pytest.raises(ConfigError) as info:
        agent(config)
    assert info.value.field == field


def test_an_executor_instance_cannot_come_with_a_work_dir(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="executor instance") as info:
        agent({"executor": RecordingExecutor(tmp_path), "work_dir": str(tmp_path)})
    assert info.value.field == "work_dir"


def test_a_system_work_dir_is_refused_before_any_chat() -> None:
    with pytest.raises(ConfigError, match="refused as a work dir"):
        agent({"work_dir": "/etc/convogen-test"})


def test_the_legacy_filename_key_is_refused_with_the_alternative() -> None:
    with pytest.raises(ConfigError, match="# filename: <name>"):
        agent({"filename": "run.py"})


def test_arguments_of_a_classic_executor_are_checked_by_name(tmp_path: Path) -> None:
    config = {"executor": "commandline-local", "commandline-local": {"work_dri": str(tmp_path)}}
    with pytest.raises(ConfigError, match=r"did you mean 'work_dir'\?") as info:
        agent(config)
    assert info.value.field == "code_execution_config['commandline-local']['work_dri']"


def test_the_dict_view_is_a_copy_of_what_was_given() -> None:
    given = {"work_dir": "coding", "last_n_messages": 2}
    runner = agent(given)
    given["last_n_messages"] = 9
    assert runner.code_execution_config == {"work_dir": "coding", "last_n_messages": 2}
    assert isinstance(runner.code_execution_config, dict)


def test_code_execution_off_is_false_and_has_no_executor() -> None:
    runner = agent(False)
    assert runner.code_execution_config is False
    assert runner.code_executor is None


def test_changing_the_dict_view_changes_what_the_reply_scans(tmp_path: Path) -> None:
    executor = RecordingExecutor(tmp_path)
    runner = agent({"executor": executor, "last_n_messages": 1})
    history: list[Message] = [
        {"role": "user", "content": CODE},
        {"role": "user", "content": "no code"},
    ]
    runner.generate_reply(messages=history)
    assert executor.ran == []
    config = runner.code_execution_config
    assert config is not False
    config["last_n_messages"] = 2
    reply = runner.generate_reply(messages=history)
    assert isinstance(reply, str) and reply.startswith("exitcode: 0")
    assert executor.ran == [CodeBlock("print('hi')", "python")]


def test_an_invalid_change_to_the_dict_view_is_refused_and_not_applied() -> None:
    config = agent({"last_n_messages": 1}).code_execution_config
    assert config is not False
    with pytest.raises(ConfigError, match="last_n_messages"):
        config["last_n_messages"] = -1
    with pytest.raises(ConfigError, match="did you mean 'timeout'"):
        config.update(timout=3)
    assert config == {"last_n_messages": 1}


def test_the_dict_view_survives_copy_and_pickle() -> None:
    config = agent({"work_dir": "coding", "last_n_messages": 3}).code_execution_config
    assert isinstance(config, CodeExecutionConfigView)
    for clone in (copy.copy(config), copy.deepcopy(config), pickle.loads(pickle.dumps(config))):
        assert isinstance(clone, CodeExecutionConfigView)
        assert clone == config
        assert clone.settings == config.settings


def test_the_executor_is_built_on_first_use_only(tmp_path: Path) -> None:
    work_dir = tmp_path / "work"
    runner = agent({"executor": "commandline-local", "commandline-local": {"work_dir": work_dir}})
    assert not work_dir.exists()
    executor = runner.code_executor
    assert isinstance(executor, LocalCommandLineCodeExecutor)
    assert work_dir.is_dir()
    assert runner.code_executor is executor


def test_changing_the_work_dir_builds_a_new_executor_but_last_n_does_not(tmp_path: Path) -> None:
    runner = agent({"use_unsafe_local": True, "work_dir": str(tmp_path / "a")})
    first = runner.code_executor
    config = runner.code_execution_config
    assert first is not None and config is not False
    config["last_n_messages"] = 3
    assert runner.code_executor is first
    config["work_dir"] = str(tmp_path / "b")
    second = runner.code_executor
    assert second is not first and second is not None
    assert second.work_dir == (tmp_path / "b").resolve()


def test_produced_files_go_to_the_agent_and_the_chat_run(tmp_path: Path) -> None:
    runner = agent({"executor": RecordingExecutor(tmp_path)})
    with chat_run() as outer, chat_run() as inner:
        runner.generate_reply(messages=[{"role": "user", "content": CODE}])
    assert runner.produced_files == [tmp_path / "out1.txt"]
    assert inner.files == outer.files == [tmp_path / "out1.txt"]


def test_running_code_on_an_agent_with_execution_off_is_a_clear_error() -> None:
    with pytest.raises(CodeExecutionError, match="code_execution_config is False"):
        agent(False).execute_code_blocks([("python", "print(1)")])


def test_settings_carry_the_defaults_and_the_executor_choice() -> None:
    settings = parse_code_execution_config({"use_docker": ["img:1", "img:2"], "timeout": 5})
    assert settings.last_n_messages == "auto"
    assert (settings.executor.name, settings.executor.docker_image) == ("docker", "img:1")
    assert (settings.executor.work_dir, settings.executor.timeout) == ("coding", 5.0)
