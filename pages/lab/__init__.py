"""The lab lesson's page and its widget modules."""
