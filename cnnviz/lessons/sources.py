"""The bibliography: the five articles cnnviz is built on, cited by their own titles.

Each :class:`Article` has its title (the first line of its file in ``shared/seeds``), a summary
(catalog ``sources.summary.<id>``), the concepts it teaches with the page of the app that explores
each, and the mistakes cnnviz found in it (:mod:`cnnviz.lessons.corrections`). The app cites an
article by its title (:func:`citation`) and links to its entry on the Sources page, whose anchor is
the article's ``id`` (``sources#a003``); it never says "seed 003".

A concept whose own page is still being built records that page as ``future_path`` and links to
the closest page that exists today (``path``); :func:`link_path` switches to the future page as
soon as the app registers it. Moving a concept to another page is a one-line change in
:data:`CONCEPTS`.

Lesson: "Sources"; every page that cites an article.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Final

from cnnviz.lessons.corrections import Correction, corrections_for

__all__ = [
    "ARTICLES",
    "CONCEPTS",
    "Article",
    "Concept",
    "article_by_id",
    "article_for_preset",
    "citation",
    "concepts_by_page",
    "link_path",
    "quote_title",
]


@dataclass(frozen=True)
class Concept:
    """Something an article teaches: catalog ``sources.concept.<key>``, and where to explore it.

    ``path`` is the url_path of the page that explores it today; ``future_path`` the page being
    built for it ("" when ``path`` is its home already).
    """

    key: str
    path: str
    future_path: str = ""

    @property
    def label_key(self) -> str:
        """The catalog key of the concept's name."""
        return f"sources.concept.{self.key}"


#: Every concept the articles teach -> the page that explores it (and the page being built for it).
CONCEPTS: Final[dict[str, Concept]] = {
    concept.key: concept
    for concept in (
        Concept("cnn_layers", "build"),
        Concept("convolution", "conv"),
        Concept("padding_stride", "conv"),
        Concept("output_size", "practice"),
        Concept("parameters", "build"),
        Concept("receptive_field", "inside"),
        Concept("pooling", "pool"),
        Concept("overlapping_pooling", "pool"),
        Concept("pool_backward", "pool"),
        Concept("worked_example", "walkthrough"),
        Concept("classic_cnn", "build"),
        Concept("alexnet", "build"),
        Concept("grouped_conv", "build"),
        Concept("residual", "build"),
        Concept("activations", "activations"),
        Concept("vanishing", "activations"),
        Concept("softmax", "losses"),
        Concept("losses", "losses"),
        Concept("triplet", "losses"),
        Concept("dropout", "regularize"),
        Concept("batch_norm", "regularize"),
        Concept("lrn", "regularize"),
        Concept("regularization", "lab"),
        Concept("overfitting", "lab"),
        Concept("augmentation", "train"),
        Concept("early_stopping", "lab"),
        Concept("ensembles", "lab"),
        Concept("training", "train"),
        Concept("backprop", "optimizers"),
        Concept("optimizers", "optimizers"),
        Concept("learning_rate", "learning-rate"),
        Concept("init", "init"),
        Concept("feature_vis", "inside"),
        Concept("translation", "inside"),
        Concept("cnn_svm", "inside"),
        Concept("pruning", "prune"),
        Concept("distillation", "prune"),
        Concept("segmentation", "beyond"),
        Concept("transfer", "beyond"),
    )
}


@dataclass(frozen=True)
class Article:
    """One source article.

    ``id`` is its anchor on the Sources page (``a000`` ... ``a004``, after its file
    ``shared/seeds/000_*.txt``); ``title`` the first line of the file; ``companion`` the title of
    a piece printed with it ("" if none); ``origin`` and ``summary`` catalog keys; ``presets`` the
    Build page's presets taken from it.
    """

    id: str
    title: str
    companion: str
    concepts: tuple[Concept, ...]
    corrections: tuple[Correction, ...]
    presets: tuple[str, ...] = ()

    @property
    def origin(self) -> str:
        """Catalog key: what kind of text it is and where it comes from."""
        return f"sources.origin.{self.id}"

    @property
    def summary(self) -> str:
        """Catalog key: the one-paragraph summary."""
        return f"sources.summary.{self.id}"


def _article(
    article_id: str, title: str, concepts: str, companion: str = "", presets: tuple[str, ...] = ()
) -> Article:
    return Article(
        id=article_id,
        title=title,
        companion=companion,
        concepts=tuple(CONCEPTS[key] for key in concepts.split()),
        corrections=corrections_for(article_id),
        presets=presets,
    )


#: The five articles in the order of their files (000 ... 004).
ARTICLES: Final[tuple[Article, ...]] = (
    _article(
        "a000",
        "关于卷积神经网络损失函数的改进算法",
        "classic_cnn cnn_layers output_size losses triplet backprop overfitting augmentation "
        "regularization dropout early_stopping ensembles residual segmentation transfer pruning "
        "distillation",
        companion="卷积神经网络的参数剪枝和稀疏化方法",
        presets=("classic-cnn",),
    ),
    _article(
        "a001",
        "深度学习|卷积的平移不变性公式,卷积减少参数的方法",
        "cnn_layers parameters translation receptive_field cnn_svm activations vanishing softmax "
        "losses output_size optimizers augmentation",
        presets=("keras-mnist",),
    ),
    _article(
        "a002",
        "深度学习之卷积神经网络(Convolutional Neural Networks, CNN)",
        "init backprop regularization dropout pool_backward optimizers learning_rate overfitting "
        "feature_vis",
    ),
    _article(
        "a003",
        "[深度学习] 卷积神经网络CNN",
        "cnn_layers convolution padding_stride pooling worked_example softmax training dropout "
        "batch_norm optimizers losses segmentation",
        presets=("cifar-small",),
    ),
    _article(
        "a004",
        "卷积神经网络 (AlexNet)",
        "alexnet activations augmentation overlapping_pooling lrn dropout grouped_conv output_size "
        "parameters batch_norm",
    ),
)


def article_by_id(article_id: str) -> Article:
    """The article whose id is ``article_id``; KeyError for an unknown id."""
    for article in ARTICLES:
        if article.id == article_id:
            return article
    raise KeyError(article_id)


def article_for_preset(preset: str) -> Article | None:
    """The article a Build page preset was taken from, or None."""
    return next((article for article in ARTICLES if preset in article.presets), None)


def quote_title(title: str, lang: str) -> str:
    """A title in the quotation marks of ``lang``: 「...」 in English, 《...》 in Chinese."""
    return f"《{title}》" if lang == "zh" else f"「{title}」"


def citation(article: Article, lang: str) -> str:
    """The article's short citation in ``lang``: its own title, quoted (``「[深度学习] 卷积神经网络CNN」``)."""
    return quote_title(article.title, lang)


def link_path(item: Concept | Correction, registered: Collection[str]) -> str | None:
    """Where a link for ``item`` goes: its future page once the app registers it, else its page.

    ``registered`` holds the url_paths of the app's pages. None when the item names no page.
    """
    if item.future_path and item.future_path in registered:
        return item.future_path
    return item.path


def concepts_by_page(
    article: Article, registered: Collection[str]
) -> tuple[tuple[str, tuple[Concept, ...]], ...]:
    """The article's concepts grouped by the page each links to (:func:`link_path`), pages in
    the order of their first concept: one link per page on the Sources page."""
    groups: dict[str, list[Concept]] = {}
    for concept in article.concepts:
        groups.setdefault(link_path(concept, registered) or "", []).append(concept)
    return tuple((path, tuple(concepts)) for path, concepts in groups.items())
