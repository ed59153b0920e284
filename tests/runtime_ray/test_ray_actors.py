"""Agents hosted as Ray actors take part in a normal group chat run by this process."""

from __future__ import annotations

from typing import Any

from convogen import ConversableAgent, GroupChat, GroupChatManager
from convogen.agents.termination import ends_with_terminate
from convogen.runtime import LocalRuntime, RayRuntime, RemoteAgent, start_agent_actor
from convogen.specs import AgentSpec, TeamSpec


def scripted(replies: list[str]) -> dict[str, Any]:
    return {"config_list": [{"model": "scripted", "api_type": "scripted", "replies": replies}]}


def panel() -> TeamSpec:
    return TeamSpec.model_validate(
        {
            "name": "panel",
            "type": "group_chat",
            "speaker_selection_method": "round_robin",
            "max_round": 8,
            "agents": [
                {"name": "user", "kind": "user_proxy", "human_input_mode": "NEVER"},
                {"name": "planner", "llm_config": scripted(["plan v1", "plan v2"])},
                {"name": "critic", "llm_config": scripted(["too vague", "good. TERMINATE"])},
            ],
            "initiator": "user",
        }
    )


async def test_group_chat_with_actor_agents_matches_in_process(ray_session: Any) -> None:
    local_team = LocalRuntime().group_chat(panel())
    remote_team = RayRuntime(progress=False).group_chat(panel())
    assert all(isinstance(a, RemoteAgent) for a in remote_team.agents.values())
    expected = await local_team.a_run("design a bridge", silent=True)
    got = await remote_team.a_run("design a bridge", silent=True)
    assert local_team.groupchat is not None and remote_team.groupchat is not None
    assert remote_team.groupchat.messages == local_team.groupchat.messages
    assert [m["content"] for m in remote_team.groupchat.messages] == [
        "design a bridge",
        "plan v1",
        "too vague",
        "",
        "plan v2",
        "good. TERMINATE",
    ]
    assert got.chat_history == expected.chat_history
    assert (got.stop_reason, got.stopped_by) == (expected.stop_reason, expected.stopped_by)
    # The actor mirrored every message it was sent, and its model was really used there.
    planner = remote_team.agents["planner"]
    assert isinstance(planner, RemoteAgent)
    usage = planner.get_total_usage()
    assert usage is not None and "scripted" in usage
    for agent in remote_team.agents.values():
        assert isinstance(agent, RemoteAgent)
        agent.shutdown()


async def test_remote_and_local_agents_mix_in_one_group_chat(ray_session: Any) -> None:
    remote = start_agent_actor(AgentSpec(name="oracle", llm_config=scripted(["42 TERMINATE"])))
    asker = ConversableAgent("asker", llm_config=False, human_input_mode="NEVER")
    chat = GroupChat([asker, remote], max_round=3, speaker_selection_method="round_robin")
    manager = GroupChatManager(
        chat, llm_config=False, silent=True, is_termination_msg=ends_with_terminate
    )
    result = await asker.a_initiate_chat(manager, message="the answer?", silent=True)
    assert [m["name"] for m in chat.messages] == ["asker", "oracle"]
    assert result.stop_reason == "termination_message"
    remote.shutdown()


async def test_two_agent_team_with_a_remote_recipient_stops_like_local(ray_session: Any) -> None:
    spec = TeamSpec.model_validate(
        {
            "name": "duo",
            "agents": [
                {
                    "name": "user",
                    "kind": "user_proxy",
                    "human_input_mode": "NEVER",
                    "max_consecutive_auto_reply": 1,
                },
                {"name": "helper", "llm_config": scripted(["one", "two", "three"])},
            ],
            "initiator": "user",
        }
    )
    expected = await LocalRuntime().group_chat(spec).a_run("count", silent=True)
    got = await RayRuntime(progress=False).group_chat(spec).a_run("count", silent=True)
    assert got.chat_history == expected.chat_history
    assert (got.stop_reason, got.stopped_by) == (expected.stop_reason, expected.stopped_by)
    assert got.stop_reason == "max_consecutive_auto_reply"


def test_actor_from_a_factory(ray_session: Any) -> None:
    remote = start_agent_actor("ray_job_factories:echo_agent", params={"word": "pong"})
    user = ConversableAgent("user", llm_config=False, human_input_mode="NEVER")
    assert remote.name == "echo"
    assert remote.generate_reply([{"role": "user", "content": "ping"}], user) == "pong: ping"
    remote.shutdown()
