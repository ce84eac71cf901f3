"""The Sources page and the citations: the five articles by title, every link resolving to a page
registered in app.py, every correction computed and checked against PyTorch, no "seed 00x" text."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from streamlit.testing.v1 import AppTest
from torch import nn

from cnnviz.i18n import CATALOG
from cnnviz.lessons import (
    ARTICLES,
    CONCEPTS,
    SEED003_INPUT,
    Article,
    article_by_id,
    article_for_preset,
    citation,
    concepts_by_page,
    link_path,
    named_kernel,
    quote_title,
    run_walkthrough,
)
from cnnviz.lessons.corrections import (
    HE_EXAMPLE,
    TIE_WINDOW,
    article_tie_gradient,
    he_std,
)
from cnnviz.net import PRESETS

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
# The articles themselves, where this machine has them (beside the main checkout or a worktree).
SEEDS = next(
    (
        p
        for p in (ROOT.parent / "shared" / "seeds", ROOT.parents[1] / "shared" / "seeds")
        if p.is_dir()
    ),
    ROOT / "shared" / "seeds",
)
#: The pages other issues are building, at these url paths (concepts wait for them).
FUTURE_PAGES = {
    "activations",
    "losses",
    "regularize",
    "optimizers",
    "learning-rate",
    "init",
    "inside",
    "prune",
    "beyond",
}
SEED_WORDS = re.compile(r"seed[ -]?(article )?0|种子文章", re.IGNORECASE)
MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")


def _registered_paths() -> set[str]:
    """The url_paths app.py registers: every st.Page's ``url_path``, and "" for the default page."""
    paths = set()
    for node in ast.walk(ast.parse(Path(APP).read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page":
            keywords = {kw.arg: kw.value for kw in node.keywords}
            if "url_path" in keywords:
                value = keywords["url_path"]
                assert isinstance(value, ast.Constant)
                paths.add(str(value.value))
            elif isinstance(keywords.get("default"), ast.Constant):
                paths.add("")
    return paths


REGISTERED = _registered_paths()


def _params(article_id: str, key: str) -> dict[str, object]:
    article = article_by_id(article_id)
    message = next(c.message for c in article.corrections if c.message.key == key)
    return message.param_dict()


# ---- no "seed 00x" anywhere a student reads ----


def test_no_catalog_string_cites_a_seed() -> None:
    offending = [
        f"{key} [{lang}]: {text[:60]!r}"
        for key, entry in CATALOG.items()
        for lang, text in entry.items()
        if SEED_WORDS.search(text)
    ]
    assert offending == []


def test_no_preset_text_cites_a_seed() -> None:
    for net in PRESETS.values():
        assert not SEED_WORDS.search(net.source), net.name
        assert not SEED_WORDS.search(net.description), net.name


def test_the_seed_pattern_catches_what_the_app_used_to_say() -> None:
    for text in ("Classic CNN (seed 000)", "(cnnviz seed 001)", "seed-002 article", "种子文章 003"):
        assert SEED_WORDS.search(text), text
    for text in ("Random seed", "随机种子", "same seed, same run", "seed {seed}"):
        assert not SEED_WORDS.search(text), text


# ---- the bibliography as data ----


def test_five_articles_in_file_order_with_their_titles() -> None:
    assert [article.id for article in ARTICLES] == ["a000", "a001", "a002", "a003", "a004"]
    assert [article.title for article in ARTICLES] == [
        "关于卷积神经网络损失函数的改进算法",
        "深度学习|卷积的平移不变性公式,卷积减少参数的方法",
        "深度学习之卷积神经网络(Convolutional Neural Networks, CNN)",
        "[深度学习] 卷积神经网络CNN",
        "卷积神经网络 (AlexNet)",
    ]
    assert article_by_id("a000").companion == "卷积神经网络的参数剪枝和稀疏化方法"
    assert all(not article.companion for article in ARTICLES[1:])
    with pytest.raises(KeyError):
        article_by_id("seed003")


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source articles are not in this checkout")
@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.id)
def test_each_title_is_at_the_top_of_its_file(article: Article) -> None:
    (path,) = SEEDS.glob(f"{article.id[1:]}_*.txt")
    head = path.read_text(encoding="utf-8")[:400]
    title = article.title.removesuffix(
        " (AlexNet)"
    )  # file 004 says only 卷积神经网络, then AlexNet
    assert title in head
    if article.companion:
        assert article.companion in path.read_text(encoding="utf-8")[:1000]


def test_every_article_has_summary_origin_concepts_and_corrections_in_both_languages() -> None:
    for article in ARTICLES:
        for key in (article.summary, article.origin):
            assert key in CATALOG, key
        assert len(article.concepts) >= 5
        assert len(article.corrections) >= 2
        for concept in article.concepts:
            assert concept.label_key in CATALOG
        for correction in article.corrections:
            for lang in ("en", "zh"):
                assert correction.message.text(lang).strip()
    assert all(f"sources.concept.{key}" in CATALOG for key in CONCEPTS)


def test_citation_is_the_title_in_each_languages_quotation_marks() -> None:
    article = article_by_id("a003")
    assert citation(article, "en") == "「[深度学习] 卷积神经网络CNN」"
    assert citation(article, "zh") == "《[深度学习] 卷积神经网络CNN》"
    assert quote_title("x", "zh") == "《x》"


def test_presets_taken_from_an_article_cite_it_by_title() -> None:
    cited = {preset for article in ARTICLES for preset in article.presets}
    assert cited == {"classic-cnn", "keras-mnist", "cifar-small"}
    for name, net in PRESETS.items():
        article = article_for_preset(name)
        if article is None:
            assert not any(a.title in net.source for a in ARTICLES), name
        else:
            assert citation(article, "en") in net.source, name


# ---- every link goes to a page app.py registers ----


def test_app_registers_the_sources_page_in_the_learn_section() -> None:
    assert {"", "build", "sources", "walkthrough"} <= REGISTERED
    source = Path(APP).read_text(encoding="utf-8")
    learn = source.split('tr("nav.section.learn")')[1].split('tr("nav.section.arith")')[0]
    assert 'url_path="sources"' in learn


def test_every_concept_and_correction_links_to_a_registered_page() -> None:
    for article in ARTICLES:
        for concept in article.concepts:
            assert link_path(concept, REGISTERED) in REGISTERED, concept
        for correction in article.corrections:
            path = link_path(correction, REGISTERED)
            assert path is None or path in REGISTERED, correction.message.key
            assert path is not None or correction.future_path, correction.message.key


def test_future_pages_take_over_as_soon_as_they_are_registered() -> None:
    futures = {c.future_path for c in CONCEPTS.values() if c.future_path}
    assert futures <= FUTURE_PAGES
    assert not futures & REGISTERED, "a page exists now: make it the concept's path"
    later = REGISTERED | FUTURE_PAGES
    for concept in CONCEPTS.values():
        assert link_path(concept, later) == (concept.future_path or concept.path)
    assert CONCEPTS["activations"].path == "activations"  # its page exists now
    assert CONCEPTS["optimizers"].path == "optimizers"
    assert CONCEPTS["receptive_field"].path == "inside"
    assert CONCEPTS["segmentation"].path == "beyond"  # its page exists now
    assert CONCEPTS["transfer"].path == "beyond"  # the Transfer learning tab


def test_concepts_are_grouped_by_the_page_they_link_to() -> None:
    article = article_by_id("a004")
    groups = concepts_by_page(article, REGISTERED)
    assert [path for path, _ in groups] == list(dict.fromkeys(path for path, _ in groups))
    assert sum(len(concepts) for _, concepts in groups) == len(article.concepts)
    regrouped = concepts_by_page(article, REGISTERED | FUTURE_PAGES)
    assert "regularize" in dict(regrouped)  # LRN and dropout move to their own page


# ---- the corrections, each against PyTorch ----


def test_alexnet_parameter_corrections_match_pytorch() -> None:
    conv1 = sum(p.numel() for p in nn.Conv2d(3, 96, 11, stride=4).parameters())
    output = sum(p.numel() for p in nn.Linear(4096, 1000).parameters())
    conv = _params("a004", "sources.mistake.alexnet_conv1")
    assert conv["correct"] == f"{conv1:,}" == "34,944"
    assert conv["said"] == "34,848" and conv["biases"] == "96"
    out = _params("a004", "sources.mistake.alexnet_output")
    assert out["correct"] == f"{output:,}" == "4,097,000"
    assert out["biases"] == "1,000"


def test_alexnet_input_size_correction_matches_pytorch() -> None:
    def size(n: int, padding: int = 0) -> int:
        return int(
            nn.Conv2d(1, 1, 11, stride=4, padding=padding)(torch.zeros(1, 1, n, n)).shape[-1]
        )

    params = _params("a004", "sources.mistake.alexnet_input")
    assert str(params["f224"]).endswith(f"= {size(224)}") and size(224) == 54
    assert str(params["f227"]).endswith(f"= {size(227)}") and params["out227"] == size(227) == 55
    assert str(params["f224p2"]).endswith(f"= {size(224, 2)}") and size(224, 2) == 55
    assert params["q224"] == "53.25" and params["q227"] == "54"


def test_pool_tie_correction_matches_autograd() -> None:
    x = torch.tensor([TIE_WINDOW], dtype=torch.float64, requires_grad=True)  # (1, 2, 2)
    F.max_pool2d(x, 2).sum().backward()
    assert x.grad is not None
    params = _params("a002", "sources.mistake.pool_ties")
    expected = x.grad[0].numpy()
    assert params["correct"] == str(expected.astype(int).tolist())
    assert params["correct_total"] == "1"
    said = article_tie_gradient(np.array(TIE_WINDOW), 1.0)
    assert said.tolist() == [[1, 1], [0, 0]] and params["said_total"] == "2"


def test_he_initialisation_correction_matches_kaiming_normal() -> None:
    in_channels, out_channels, k = HE_EXAMPLE
    generator = torch.Generator().manual_seed(0)
    weights = torch.empty(4096, in_channels, k, k)  # same fan-in, many samples
    nn.init.kaiming_normal_(weights, nonlinearity="relu", generator=generator)
    assert float(weights.std()) == pytest.approx(he_std(in_channels, k), rel=0.01)
    params = _params("a002", "sources.mistake.he_fan_in")
    assert params["fan_in"] == str(in_channels * k * k) == "144"
    assert params["std"] == f"{he_std(in_channels, k):.4f}"
    assert params["weights"] == f"{out_channels * in_channels * k * k:,}"


def test_worked_example_corrections_match_pytorch() -> None:
    x = torch.tensor(SEED003_INPUT, dtype=torch.float64)[None, None]
    kernel = torch.tensor(named_kernel("vertical_edge").values, dtype=torch.float64)[None, None]
    conv1 = F.conv2d(x, kernel, padding=1)[0, 0].numpy()
    cells = _params("a003", "sources.mistake.conv_cells")
    for cell in str(cells["cells"]).split("; "):
        where, values = cell.split(": ")
        row, col = (int(v) for v in where.strip("()").split(", "))
        said, correct = values.split(" → ")
        assert float(correct) == conv1[row, col] != float(said)
    assert cells["count"] == len(str(cells["cells"]).split("; ")) == 6
    walk = run_walkthrough()
    probabilities = torch.softmax(torch.tensor(walk.logits), dim=0).numpy()
    softmax = _params("a003", "sources.mistake.softmax")
    shown = [float(v) for v in str(softmax["correct"]).strip("[]").split(", ")]
    np.testing.assert_allclose(shown, probabilities, atol=1e-6)
    matmul = _params("a003", "sources.mistake.matmul")
    assert float(str(matmul["correct"])) == conv1[1, 1] == -6
    assert float(str(matmul["matmul"])) != conv1[1, 1]


# ---- the page, under AppTest ----


def _page(lang: str, page: str = "pages/sources.py") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _link_target_resolves(target: str, lang: str, anchors: set[str]) -> bool:
    path, _, fragment = target.partition("#")
    path, _, query = path.partition("?")
    path = path.removeprefix("./").removeprefix("/")
    if path == "":
        return fragment in anchors  # an in-page link
    return path in REGISTERED and (not query or f"lang={lang}" in query)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_sources_page_renders_and_every_link_resolves(lang: str) -> None:
    at = _page(lang)
    headings = [(h.value, h.proto.anchor) for h in at.subheader]
    assert [anchor for _, anchor in headings] == [article.id for article in ARTICLES]
    for (text, _), article in zip(headings, ARTICLES, strict=True):
        assert text.replace("\\", "").endswith(article.title)
    page_text = " ".join(m.value for m in at.markdown)
    assert (
        article_by_id("a001").summary and CATALOG[article_by_id("a001").summary][lang] in page_text
    )
    assert "34,944" in page_text and "4,097,000" in page_text
    links = at.get("page_link")
    assert len(links) >= sum(len(a.corrections) for a in ARTICLES)
    for link in links:
        assert link.proto.page in REGISTERED, link.proto.label
    anchors = {article.id for article in ARTICLES}
    targets = [t for m in at.markdown for t in MARKDOWN_LINK.findall(m.value)]
    assert {f"#{article.id}" for article in ARTICLES} <= set(targets)
    assert all(_link_target_resolves(t, lang, anchors) for t in targets), targets
    if lang == "zh":
        assert "《[深度学习] 卷积神经网络CNN》".replace("[", "\\[").replace("]", "\\]") in page_text


@pytest.mark.parametrize(
    ("page", "article_id"),
    [
        ("pages/walkthrough.py", "a003"),
        ("pages/pool/page.py", "a002"),
        ("pages/build/page.py", "a000"),
    ],
)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_citations_on_other_pages_link_to_the_article_entry(
    page: str, article_id: str, lang: str
) -> None:
    at = _page(lang, page)
    if page == "pages/build/page.py":  # pick a preset taken from an article
        next(s for s in at.selectbox if s.key == "build_preset").set_value("classic-cnn").run()
        assert not at.exception, [e.value for e in at.exception]
    if page == "pages/pool/page.py":  # the article's note sits with the backward pass
        at.session_state["pool_pass"] = "backward"
        at.run()
        assert not at.exception, [e.value for e in at.exception]
    texts = [e.value for kind in ("caption", "markdown", "info") for e in at.get(kind)]
    targets = [t for text in texts for t in MARKDOWN_LINK.findall(text)]
    assert f"sources?lang={lang}#{article_id}" in targets
    assert all(_link_target_resolves(t, lang, set()) for t in targets if "sources" in t)
