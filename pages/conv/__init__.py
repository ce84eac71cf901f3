"""The conv lesson's page and its widget modules."""
