"""Build page: the AlexNet article 「卷积神经网络 (AlexNet)」 checked against the preset. Never a page.

Shown under the AlexNet preset's description, as the worked example does for its own article:
the article's parameter counts next to the ones ``cnnviz.lessons.article_checks`` computes from
the preset, and its conv -> ReLU -> pool -> LRN order next to the paper's.
"""

from __future__ import annotations

import streamlit as st

from cnnviz.lessons import ARTICLE_BLOCK_ORDER, article_checks, block_order
from pages.shared.session import tr

__all__ = ["article_notes"]


def _order(kinds: tuple[str, ...]) -> str:
    return " → ".join(tr(f"build.article.kind.{kind}") for kind in kinds)


def article_notes(preset: str) -> None:
    """For the AlexNet preset: where the article 「卷积神经网络 (AlexNet)」 gets it wrong."""
    if preset != "alexnet2012":
        return
    checks = article_checks()
    with st.expander(tr("build.article.title")):
        st.markdown(tr("build.article.intro", wrong=sum(not c.ok for c in checks)))
        rows = [
            {
                tr("build.article.col_layer"): check.layer,
                tr("build.article.col_article"): f"{check.article:,}",
                tr("build.article.col_correct"): f"{check.correct:,}",
                tr("build.article.col_formula"): check.formula,
                tr("build.article.col_verdict"): tr("build.article.right")
                if check.ok
                else tr("build.article.wrong", missing=f"{check.missing:,}"),
            }
            for check in checks
        ]
        st.dataframe(rows, hide_index=True, width="stretch")
        st.markdown(
            tr(
                "build.article.order",
                article=_order(ARTICLE_BLOCK_ORDER),
                preset=_order(block_order()),
            )
        )
