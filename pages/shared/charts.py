"""How every page hands a plotly figure to the browser: the ``config`` of each kind of chart.

Not a page.
"""

from __future__ import annotations

__all__ = ["CHART_CONFIG", "LIVE_CONFIG", "STATIC_CONFIG"]

#: plotly ``config`` for ordinary charts (toolbar kept for zoom and PNG export).
CHART_CONFIG: dict[str, bool] = {"displaylogo": False}
#: charts redrawn every second while training: no toolbar (it would flicker).
LIVE_CONFIG: dict[str, bool] = {"displaylogo": False, "displayModeBar": False}
#: grids of numbers (steppers, diagram, worked example): nothing to zoom.
STATIC_CONFIG: dict[str, bool] = {"displayModeBar": False, "scrollZoom": False}
