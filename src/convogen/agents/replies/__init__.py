"""The built-in reply functions; each concern of the reply pipeline in its own module."""
