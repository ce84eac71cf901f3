"""The "Beyond classification" lesson: its page and its widget modules."""
