"""Classic ``autogen.agentchat.contrib.capabilities``: composable abilities added to agents."""
