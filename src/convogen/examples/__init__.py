"""Runnable examples shipped with convogen: ``convogen example`` lists and runs them."""
