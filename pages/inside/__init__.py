"""The /inside page ("Look inside a trained network") and its widget modules."""
