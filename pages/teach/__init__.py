"""Guided lessons, the syllabus and the live class: one teaching folder (the class shows lesson steps)."""
