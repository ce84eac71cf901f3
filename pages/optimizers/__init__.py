"""The optimizers explorer page and its widget modules."""
