"""The Build page's U-Net exports (pages/build/unet_export.py) under AppTest: the code, the JSON,
the share link, and taking a ``?unet=`` link (good, bad; English and Chinese)."""

from __future__ import annotations

import base64
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from cnnviz.i18n import t
from cnnviz.net import UNetSpec, decode_unet_link, encode_unet_link, unet_code, unet_to_json


def _exports_script() -> None:
    """Draws the exports of the U-Net in session_state["spec"]."""
    import streamlit as st

    from pages.build.unet_export import unet_exports

    unet_exports(st.session_state["spec"])


def _link_script() -> None:
    """Takes the ?unet= link, keeps what it returned, shows the flash messages."""
    import streamlit as st

    from pages.build.unet_export import take_unet_link
    from pages.shared.flash import show_flash

    st.session_state["taken"] = take_unet_link()
    show_flash("build")


def _run(
    script: Callable[[], None],
    *,
    lang: str = "en",
    query: dict[str, str] | None = None,
    **state: object,
) -> AppTest:
    at = AppTest.from_function(script, default_timeout=60)
    at.session_state["lang"] = lang
    for key, value in state.items():
        at.session_state[key] = value
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_exports_show_the_code_the_json_and_the_link(lang: str) -> None:
    spec = UNetSpec(depth=3, image_size=24, skips=False)
    at = _run(_exports_script, lang=lang, spec=spec)
    assert at.subheader[0].value == t("unet_export.title", lang)
    assert [tab.label for tab in at.tabs] == [
        t("unet_export.tab_code", lang),
        t("unet_export.tab_json", lang),
        t("unet_export.tab_share", lang),
    ]
    code, document, link = (block.value for block in at.code)
    assert code == unet_code(spec).rstrip("\n")  # st.code drops the final newline
    assert document == unet_to_json(spec)
    parts = urlsplit(link)
    assert parts.path == "/build"
    query = parse_qs(parts.query)
    assert query["lang"] == [lang]
    assert decode_unet_link(query["unet"][0]) == spec
    downloads = at.get("download_button")
    assert len(downloads) == 2


def test_a_size_that_does_not_fit_shows_no_code_but_keeps_the_json_and_link() -> None:
    spec = UNetSpec(image_size=30, depth=2)
    at = _run(_exports_script, spec=spec)
    assert [i.value for i in at.info] == [t("unet_export.no_code")]
    document, link = (block.value for block in at.code)
    assert document == unet_to_json(spec)
    assert "unet=" + encode_unet_link(spec) in link


def test_a_good_link_returns_the_spec_once_and_clears_the_parameter() -> None:
    spec = UNetSpec(depth=1, image_size=20, base_channels=4, num_classes=3)
    at = _run(_link_script, query={"unet": encode_unet_link(spec)})
    assert at.session_state["taken"] == spec
    assert "unet" not in at.query_params
    assert [s.value for s in at.success] == [t("unet_export.link_restored")]
    at.run()  # a rerun (or a reload) does not apply the link again
    assert at.session_state["taken"] is None
    assert not at.success


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_bad_link_flashes_what_is_wrong_and_returns_nothing(lang: str) -> None:
    at = _run(_link_script, lang=lang, query={"unet": "not*a*token"})
    assert at.session_state["taken"] is None
    assert "unet" not in at.query_params
    assert [e.value for e in at.error] == [
        t("unet_export.link_bad", lang),
        t("problem.bad_unet_token", lang),
    ]


def test_a_link_whose_document_is_out_of_range_names_the_field() -> None:
    good = encode_unet_link(UNetSpec())
    document = unet_to_json(UNetSpec(), indent=None).replace('"depth":2', '"depth":9')
    token = base64.urlsafe_b64encode(document.encode()).decode().rstrip("=")
    assert token != good
    at = _run(_link_script, lang="zh", query={"unet": token})
    assert at.session_state["taken"] is None
    errors = [e.value for e in at.error]
    assert errors[:2] == [t("unet_export.link_bad", "zh"), t("problem.bad_unet_token", "zh")]
    assert errors[2] == "depth: " + t("problem.out_of_range", "zh", value=9, minimum=1, maximum=4)


def test_no_link_no_message() -> None:
    at = _run(_link_script)
    assert at.session_state["taken"] is None
    assert not at.error and not at.success
