"""Session state of the Initialisation page (``pages/init/page.py``). Not a page.

Widgets ``init_w_<name>`` keep their values across page switches (``pages.shared.widgets``).
``init_job`` is the slot of the symmetry training (``pages.shared.jobs``).
"""

from __future__ import annotations

from typing import Any, Final

__all__ = ["DEFAULTS", "JOB_SLOT", "PAGE"]

PAGE: Final[str] = "init"
JOB_SLOT: Final[str] = "init_job"

#: First-visit values of the page's widgets.
DEFAULTS: Final[dict[str, Any]] = {
    "init_w_kind": "linear",
    "init_w_activation": "tanh",
    "init_w_scheme": "small",
    "init_w_layer": 0,
}
