"""The /losses explorer and its widget modules."""
