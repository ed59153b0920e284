"""convogen studio: build agent teams, run them, watch and answer them in a web page."""

from convogen.studio.app import create_app, is_loopback, serve

__all__ = ["create_app", "is_loopback", "serve"]
