"""Applications from the AutoGen paper, built on convogen and runnable offline."""
