"""The ``python -m cnnviz`` command line: ``summary`` (a network's table) and ``train``."""

from __future__ import annotations

from cnnviz.cli.main import main

__all__ = ["main"]
