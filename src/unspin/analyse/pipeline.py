"""The analyse stage: an ``Analysis`` flows through registered components, each adding findings.

Like spaCy's pipeline: components are registered by name, built from a small config, testable
alone, and run in order. Heavy resources (spaCy, ONNX models) load lazily, once per pipeline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Protocol

from unspin.errors import UnspinError
from unspin.types import Analysis, Article


class Component(Protocol):
    """What it needs and gives, each ``parse``, ``sentences``, ``entities`` or a finding kind
    (unspin.kinds): ``requires`` must be added by a component before it; ``reads`` is used when
    present, so whatever adds it must come before it too; ``assigns`` is what it adds.

    A component with heavy resources (a model) may also have ``load()``: it loads them now
    instead of on the first article (``Pipeline.initialize``)."""

    name: str
    version: str
    requires: tuple[str, ...]
    reads: tuple[str, ...]
    assigns: tuple[str, ...]

    def __call__(self, doc: Analysis) -> Analysis: ...


class PipelineOrderError(UnspinError, ValueError):
    """A component would run before a component whose output it reads."""


# What a component may require or assign besides finding kinds.
RECORD_PARTS = ("parse", "sentences", "entities")


def check_order(components: Sequence[Component]) -> None:
    """Fail with a message naming who gives what when a component would run before one whose
    output it needs, or reads (a later one would be silently ignored)."""
    given: set[str] = set()
    for i, comp in enumerate(components):
        for need in (*getattr(comp, "requires", ()), *getattr(comp, "reads", ())):
            if need in given:
                continue
            later = [c.name for c in components[i + 1:] if need in getattr(c, "assigns", ())]
            if later:
                raise PipelineOrderError(f"analyse component {comp.name!r} reads {need!r}, which "
                                         f"{' and '.join(later)} gives after it; put {later[0]} before it")
            if need in getattr(comp, "requires", ()):
                raise PipelineOrderError(f"analyse component {comp.name!r} needs {need!r}, which no component "
                                         f"before it gives; add one that does (e.g. nlp for sentences)")
        given.update(getattr(comp, "assigns", ()))


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


# Order matters: later components read what earlier ones added (checked: ``check_order``).
DEFAULT_COMPONENTS = ["nlp", "quotes", "attribution", "lexicon", "dates", "claims", "declared"]


def _import_builtin_components() -> None:
    # Importing the modules runs their @register decorators.
    import importlib

    for mod in ("nlp", "quotes", "attribution", "lexicon", "dates", "claims", "declared", "models", "narratives", "roles"):
        importlib.import_module(f"unspin.analyse.{mod}")


class Pipeline:
    """Runs components in order over articles. English articles are analysed; others are
    returned with ``status="not_analysed"`` and the reason."""

    def __init__(self, components: Iterable[str] | None = None, **configs: dict) -> None:
        names = list(components) if components is not None else default_component_names()
        self.components: list[Component] = [build_component(n, **configs.get(n, {})) for n in names]
        check_order(self.components)
        # What builds this pipeline again in a worker process: names, configs, and the modules
        # whose import registers the components (a plugin's own component included).
        modules = sorted({_REGISTRY[n].__module__ for n in names})
        self.spec: tuple[list[str], dict[str, dict], list[str]] = (names, configs, modules)

    def initialize(self) -> Pipeline:
        """Load every component's heavy resources now (spaCy, the detectors, the narratives
        model) rather than on the first article: to time or share them (a process that forks
        workers after this gives them the loaded models), or to fail early when one is missing."""
        for comp in self.components:
            load = getattr(comp, "load", None)
            if load is not None:
                load()
        return self

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
        doc._parses = None  # transient: the parse never leaves the pipeline
        return doc

    def pipe(self, articles: Iterable[Article]) -> Iterator[Analysis]:
        for a in articles:
            yield self(a)


def default_component_names() -> list[str]:
    names = list(DEFAULT_COMPONENTS)
    _import_builtin_components()
    for trained in ("models", "narratives", "roles"):  # run by default only where their weights are shipped
        available = getattr(_REGISTRY[trained], "available", None)
        if available is None or available():
            names.append(trained)
    return names
