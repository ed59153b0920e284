"""Code blocks in messages are executed (in the sandbox by default) and results come back."""

from pathlib import Path
from typing import Any

from convogen import AssistantAgent, StopReason, UserProxyAgent
from convogen.agents.termination import ends_with_terminate
from convogen.llm.scripted import scripted_llm_config
from convogen.messages import content_str

PLOT_CODE = """Here is the plot:

```python
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
xs = [x / 10 for x in range(63)]
plt.plot(xs, [__import__("math").sin(x) for x in xs])
plt.savefig("sine.png")
print("saved sine.png")
```"""


def coder(messages: list[Any]) -> str:
    last = content_str(messages[-1].get("content"))
    if "exitcode: 0" in last:
        return "The plot is in sine.png. TERMINATE"
    if "exitcode:" in last:
        return f"It failed: {last} TERMINATE"
    return PLOT_CODE


def test_assistant_code_makes_a_png_in_the_sandbox_and_the_file_comes_back(tmp_path: Path) -> None:
    assistant = AssistantAgent("assistant", llm_config=scripted_llm_config(coder), silent=True)
    user = UserProxyAgent(
        "user",
        is_termination_msg=ends_with_terminate,
        human_input_mode="NEVER",
        code_execution_config={"work_dir": str(tmp_path), "timeout": 60},
        silent=True,
    )
    result = user.initiate_chat(assistant, message="Plot a sine wave.")
    assert result.stop_reason is StopReason.TERMINATION_MESSAGE
    execution = result.chat_history[2]["content"]
    assert execution.startswith("exitcode: 0 (execution succeeded)")
    assert "saved sine.png" in execution
    pngs = [f for f in result.files if f.name == "sine.png"]
    assert pngs, result.files
    assert pngs[0].read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert result.summary == "The plot is in sine.png."


def test_failing_code_reports_the_exit_code(tmp_path: Path) -> None:
    replies = ["```python\nraise SystemExit(3)\n```", "noted TERMINATE"]
    assistant = AssistantAgent("assistant", llm_config=scripted_llm_config(replies), silent=True)
    user = UserProxyAgent(
        "user",
        is_termination_msg=ends_with_terminate,
        human_input_mode="NEVER",
        code_execution_config={"work_dir": str(tmp_path)},
        silent=True,
    )
    result = user.initiate_chat(assistant, message="go")
    assert result.chat_history[2]["content"].startswith("exitcode: 3 (execution failed)")


def test_without_code_execution_code_is_not_run(tmp_path: Path) -> None:
    replies = ["```python\nopen('x.txt', 'w').write('x')\n```", "TERMINATE"]
    assistant = AssistantAgent("assistant", llm_config=scripted_llm_config(replies), silent=True)
    user = UserProxyAgent(
        "user",
        is_termination_msg=ends_with_terminate,
        human_input_mode="NEVER",
        code_execution_config=False,
        default_auto_reply="ok",
        silent=True,
    )
    result = user.initiate_chat(assistant, message="go")
    assert result.chat_history[2]["content"] == "ok"
    assert not (tmp_path / "x.txt").exists()


def test_last_n_messages_limits_what_is_scanned(tmp_path: Path) -> None:
    from convogen import ConversableAgent

    runner = UserProxyAgent(
        "runner",
        is_termination_msg=ends_with_terminate,
        human_input_mode="NEVER",
        code_execution_config={"work_dir": str(tmp_path), "last_n_messages": 2},
        silent=True,
    )
    talker = ConversableAgent("talker", llm_config=False, silent=True)
    talker.send("```python\nprint('old')\n```", runner)
    talker.send("no code here", runner)
    reply = runner.generate_reply(sender=talker)
    assert isinstance(reply, str) and "old" in reply
    talker.send("still none", runner)
    talker.send("nothing", runner)
    assert runner.generate_reply(sender=talker) == ""
