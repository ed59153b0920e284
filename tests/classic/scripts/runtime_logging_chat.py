"""Runtime logging to SQLite, then reading the log (0.2 'agentchat_logging' notebook)."""

import json
import sqlite3
import tempfile

import convogen as autogen

config_list = autogen.config_list_from_json("OAI_CONFIG_LIST")
llm_config = {"config_list": config_list, "temperature": 0.9, "cache_seed": None}
dbname = tempfile.mkdtemp() + "/logs.db"

logging_session_id = autogen.runtime_logging.start(config={"dbname": dbname})
print("Logging session ID: " + str(logging_session_id))

assistant = autogen.AssistantAgent(name="assistant", llm_config=llm_config)
user_proxy = autogen.UserProxyAgent(
    name="user_proxy",
    human_input_mode="NEVER",
    max_consecutive_auto_reply=0,
    code_execution_config=False,
)
user_proxy.initiate_chat(
    assistant,
    message="What is the height of the Eiffel Tower? Only respond with the answer and terminate",
)
autogen.runtime_logging.stop()

con = sqlite3.connect(dbname)
rows = con.execute("SELECT request, response, session_id, cost FROM chat_completions").fetchall()
print("ROWS", len(rows))
request, response, session_id, cost = rows[0]
print("SESSION_MATCH", session_id == logging_session_id)
print("REQUEST_MESSAGES", len(json.loads(request)["messages"]))
print("RESPONSE_TEXT", json.loads(response)["choices"][0]["message"]["content"])
agents = con.execute("SELECT name FROM agents").fetchall()
print("AGENTS", sorted(a[0] for a in agents))
