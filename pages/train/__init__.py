"""The train lesson's page and its widget modules."""
