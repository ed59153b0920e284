"""A group chat constrained by a transition graph (0.2 FSM group chat example)."""

import convogen as autogen
from convogen.agentchat import GroupChat, GroupChatManager

config_list = autogen.config_list_from_json("OAI_CONFIG_LIST")
llm_config = {"config_list": config_list, "cache_seed": None}

planner = autogen.AssistantAgent(
    name="Planner", llm_config=llm_config, description="Plans the work."
)
engineer = autogen.AssistantAgent(
    name="Engineer", llm_config=llm_config, description="Writes code."
)
reviewer = autogen.AssistantAgent(
    name="Reviewer", llm_config=llm_config, description="Reviews code."
)
user_proxy = autogen.UserProxyAgent(
    name="Admin",
    human_input_mode="NEVER",
    code_execution_config=False,
    is_termination_msg=lambda m: "TERMINATE" in (m.get("content") or ""),
)
allowed = {
    user_proxy: [planner],
    planner: [engineer],
    engineer: [reviewer],
    reviewer: [planner, user_proxy],
}
groupchat = GroupChat(
    agents=[user_proxy, planner, engineer, reviewer],
    messages=[],
    max_round=6,
    allowed_or_disallowed_speaker_transitions=allowed,
    speaker_transitions_type="allowed",
    speaker_selection_method="auto",
)
manager = GroupChatManager(groupchat=groupchat, llm_config=llm_config)
result = user_proxy.initiate_chat(manager, message="Build a tiny calculator.")
speakers = [m.get("name") for m in groupchat.messages]
print("SPEAKERS", ",".join(str(s) for s in speakers))
print("LAST_SPEAKER", manager.last_speaker.name)
print(
    "STRING_ROUNDTRIP",
    len(manager.messages_from_string(manager.messages_to_string(groupchat.messages))),
)
