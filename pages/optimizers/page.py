"""Optimizers on loss surfaces: the same start, nine real ``torch.optim`` optimizers, one race.

The page reads top to bottom as the lesson does: 1. the surface, 2. the race on it (click the
contour to move the start; play, pause and scrub in the chart), 3. one step of one optimizer
written out with the numbers from its state, 4. a learning rate too large and too small on the
bowl, with the threshold 2/lambda_max, 5. two optimizers training the same small CNN on real
images. The parts live in this folder (``race``, ``inspector``, ``step_size``, ``shapes``; cached
computations in ``cache``, session keys in ``state``); every number comes from
``cnnviz.concepts``.
"""

from __future__ import annotations

import streamlit as st

from pages.optimizers.inspector import inspector_ui
from pages.optimizers.race import race_ui, surface_ui
from pages.optimizers.shapes import shapes_ui
from pages.optimizers.state import PAGE, defaults
from pages.optimizers.step_size import step_size_ui
from pages.shared.flash import show_flash
from pages.shared.session import tr, use_router
from pages.shared.widgets import set_defaults

use_router()

set_defaults(defaults())
st.title(tr("opt.title"))
st.markdown(tr("opt.intro"))
show_flash(PAGE)

# 1. The surface the optimizers walk on
st.header(tr("opt.surface.title"))
surface = surface_ui()

# 2. The race: every optimizer from the same start
st.header(tr("opt.race.title"))
result = race_ui(surface)
st.markdown(tr("opt.race.notice"))

# 3. One step, written out with the optimizer's own numbers
st.header(tr("opt.inspect.title"))
inspector_ui(result)

# 4. A learning rate too large, and too small
st.header(tr("opt.ss.title"))
step_size_ui()

# 5. From toy surfaces to real training
st.header(tr("opt.train.title"))
shapes_ui()
