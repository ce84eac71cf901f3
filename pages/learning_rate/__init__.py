"""The learning-rate explorer page and its widget modules."""
