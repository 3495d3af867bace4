"""The analyse stage: an ``Analysis`` flows through registered components, each adding findings.

Like spaCy's pipeline: components are registered by name, built from a small config, testable
alone, and run in order. Heavy resources (spaCy, ONNX models) load lazily, once per pipeline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Protocol

from unspin.types import Analysis, Article


class Component(Protocol):
    name: str
    version: str

    def __call__(self, doc: Analysis) -> Analysis: ...


_REGISTRY: dict[str, Callable[..., Component]] = {}


def register(name: str) -> Callable[[Callable[..., Component]], Callable[..., Component]]:
    """Register a component factory under ``name`` (``@register("quotes")``)."""

    def deco(factory: Callable[..., Component]) -> Callable[..., Component]:
        _REGISTRY[name] = factory
        return factory

    return deco


def registered() -> list[str]:
    _import_builtin_components()
    return sorted(_REGISTRY)


def build_component(name: str, **config) -> Component:
    _import_builtin_components()
    try:
        factory = _REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown analyse component {name!r}; known: {', '.join(sorted(_REGISTRY))}") from None
    return factory(**config)


# Order matters: later components read what earlier ones added (sentences, entities, quotes).
DEFAULT_COMPONENTS = ["nlp", "quotes", "attribution", "lexicon", "dates", "claims", "declared"]


def _import_builtin_components() -> None:
    # Importing the modules runs their @register decorators.
    import importlib

    for mod in ("nlp", "quotes", "attribution", "lexicon", "dates", "claims", "declared", "models", "narratives"):
        try:
            importlib.import_module(f"unspin.analyse.{mod}")
        except ModuleNotFoundError as exc:  # a stage module not written yet / optional
            if exc.name != f"unspin.analyse.{mod}":
                raise


class Pipeline:
    """Runs components in order over articles. English articles are analysed; others are
    returned with ``status="not_analysed"`` and the reason."""

    def __init__(self, components: Iterable[str] | None = None, **configs: dict) -> None:
        names = list(components) if components is not None else default_component_names()
        self.components: list[Component] = [build_component(n, **configs.get(n, {})) for n in names]
        # What builds this pipeline again in a worker process: names, configs, and the modules
        # whose import registers the components (a plugin's own component included).
        modules = sorted({_REGISTRY[n].__module__ for n in names})
        self.spec: tuple[list[str], dict[str, dict], list[str]] = (names, configs, modules)

    def __call__(self, article: Article) -> Analysis:
        doc = Analysis(article=article)
        if article.language and article.language != "en":
            doc.status = "not_analysed"
            doc.status_reason = f"language {article.language!r} is not analysed (English only)"
            return doc
        for comp in self.components:
            doc = comp(doc)
            doc.components.append(f"{comp.name}@{comp.version}")
        for f in doc.findings:
            f.article_id = article.id
        return doc

    def pipe(self, articles: Iterable[Article]) -> Iterator[Analysis]:
        for a in articles:
            yield self(a)


def default_component_names() -> list[str]:
    names = list(DEFAULT_COMPONENTS)
    _import_builtin_components()
    for trained in ("models", "narratives"):  # registered only where their weights are shipped
        if trained in _REGISTRY:
            names.append(trained)
    return names
