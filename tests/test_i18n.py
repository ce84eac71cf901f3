"""Every user-visible string exists in English and Chinese, and pages never bypass the catalog."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from cnnviz.i18n import CATALOG, LANGS, catalog_problems, t
from cnnviz.net import Problem

ROOT = Path(__file__).resolve().parents[1]
UI_FILES = sorted([ROOT / "app.py", *(ROOT / "pages").rglob("*.py")])
SOURCE_FILES = sorted([*UI_FILES, *(ROOT / "cnnviz").rglob("*.py")])

# st.* calls whose first argument (or label/help/placeholder keyword) is shown to the user.
TEXT_CALLS = {
    "title",
    "header",
    "subheader",
    "markdown",
    "write",
    "caption",
    "text",
    "button",
    "selectbox",
    "slider",
    "select_slider",
    "number_input",
    "text_input",
    "text_area",
    "checkbox",
    "radio",
    "toggle",
    "expander",
    "error",
    "warning",
    "info",
    "success",
    "exception",
    "metric",
    "download_button",
    "file_uploader",
    "page_link",
    "multiselect",
    "form_submit_button",
    "toast",
    "progress",
    "spinner",
    "status",
    "popover",
    "segmented_control",
    "pills",
    "link_button",
    "color_picker",
    "date_input",
    "time_input",
    "camera_input",
    "chat_input",
    "tabs",
    "Page",
}
TEXT_KWARGS = {"label", "help", "placeholder", "caption", "title", "text"}
WORD = re.compile(r"[A-Za-z]{3,}")
EXEMPT_MARK = "i18n: ok"


def _literal_text(node: ast.AST) -> str | None:
    """The human text of a literal argument (str, f-string literal parts, list of str)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return " ".join(
            part.value
            for part in node.values
            if isinstance(part, ast.Constant) and isinstance(part.value, str)
        )
    if isinstance(node, (ast.List, ast.Tuple)):
        texts = [_literal_text(elt) for elt in node.elts]
        return " ".join(text for text in texts if text)
    return None


def _untranslated_literals(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in TEXT_CALLS:
            continue
        if EXEMPT_MARK in lines[node.lineno - 1]:
            continue
        args = list(node.args[:1]) + [kw.value for kw in node.keywords if kw.arg in TEXT_KWARGS]
        if node.func.attr == "Page":  # st.Page(path, title=...): only the title is text
            args = [kw.value for kw in node.keywords if kw.arg == "title"]
        for arg in args:
            text = _literal_text(arg)
            if text and WORD.search(text):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {text[:60]!r}")
    return found


def test_catalog_has_every_language_for_every_key() -> None:
    assert catalog_problems() == []
    assert len(CATALOG) > 20
    for key, entry in CATALOG.items():
        assert set(entry) == set(LANGS), key
        assert all(value.strip() for value in entry.values()), key


def test_placeholders_match_between_languages() -> None:
    formatter = string.Formatter()
    for key, entry in CATALOG.items():
        fields = {
            lang: {name for _, name, _, _ in formatter.parse(text) if name}
            for lang, text in entry.items()
        }
        assert fields["en"] == fields["zh"], f"{key}: {fields}"


def test_chinese_entries_are_chinese() -> None:
    """A zh entry that is a copy of the English (and has words) was not translated."""
    untranslated = [
        key
        for key, entry in CATALOG.items()
        if entry["zh"] == entry["en"] and len(WORD.findall(entry["en"])) >= 2
    ]
    assert untranslated == []


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_pass_no_literal_text_to_streamlit(path: Path) -> None:
    assert _untranslated_literals(path) == []


def test_every_literal_key_used_in_the_source_exists() -> None:
    pattern = re.compile(r"""\b(?:tr|t)\(\s*["']([a-z0-9_]+(?:\.[A-Za-z0-9_\-]+)+)["']""")
    missing = []
    for path in SOURCE_FILES:
        for key in pattern.findall(path.read_text(encoding="utf-8")):
            if key not in CATALOG:
                missing.append(f"{path.relative_to(ROOT)}: {key}")
    assert missing == []


def test_t_formats_and_rejects_unknown_keys() -> None:
    assert t("problem.where_layer", "en", number=3) == "Layer 3"
    assert t("problem.where_layer", "zh", number=3) == "第 3 层"
    with pytest.raises(KeyError):
        t("no.such.key")


def test_problem_text_names_layer_and_field_in_both_languages() -> None:
    problem = Problem.make("not_int", layer_index=1, field="stride", value="'x'")
    assert problem.text("en").startswith("Layer 2 (stride): ")
    assert problem.text("zh").startswith("第 2 层 (stride): ")
