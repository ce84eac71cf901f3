"""The /activations explorer and its widget modules."""
