"""The initialisation explorer page and its widget modules."""
