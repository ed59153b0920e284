"""Sequential chats with carryover (0.2 'chat with multiple agents' tutorial)."""

import convogen

config_list = convogen.config_list_from_json("OAI_CONFIG_LIST")
llm_config = {"config_list": config_list, "cache_seed": None}

number_agent = convogen.ConversableAgent(
    name="Number_Agent",
    system_message="You return me the numbers I give you, one number each line.",
    llm_config=llm_config,
    human_input_mode="NEVER",
)
adder_agent = convogen.ConversableAgent(
    name="Adder_Agent",
    system_message="You add 1 to each number I give you and return me the new numbers.",
    llm_config=llm_config,
    human_input_mode="NEVER",
)
multiplier_agent = convogen.ConversableAgent(
    name="Multiplier_Agent",
    system_message="You multiply each number I give you by 2 and return me the new numbers.",
    llm_config=llm_config,
    human_input_mode="NEVER",
)
chat_results = number_agent.initiate_chats(
    [
        {"recipient": adder_agent, "message": "14", "max_turns": 1, "summary_method": "last_msg"},
        {
            "recipient": multiplier_agent,
            "message": "These are my numbers",
            "max_turns": 1,
            "summary_method": "last_msg",
        },
    ]
)
print("N_RESULTS", len(chat_results))
print("FIRST", chat_results[0].summary)
print("SECOND", chat_results[1].summary)
print("CARRYOVER_SENT", "15" in multiplier_agent.chat_messages[number_agent][0]["content"])
