"""The build lesson's page and its widget modules."""
