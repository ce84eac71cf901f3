"""The /regularize explorer and its widget modules."""
