"""Classic ``autogen.agentchat.contrib``: the contributed agents and capabilities of AutoGen 0.2."""
