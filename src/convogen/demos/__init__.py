"""Runnable demonstrations used by ``convogen demo``."""
