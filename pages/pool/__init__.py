"""The pool lesson's page and its widget modules."""
