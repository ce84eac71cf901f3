"""``python -m cnnviz summary ...`` / ``python -m cnnviz train ...``: see :mod:`cnnviz.cli.main`."""

from __future__ import annotations

from cnnviz.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
