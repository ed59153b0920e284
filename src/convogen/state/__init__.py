"""State that outlives a run: durable chats, stores, logging, recording and replay."""
