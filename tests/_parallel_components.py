"""Analyse components for the worker-process tests; the workers import this module by name
(``Pipeline.spec``) to register them, as they would a plugin's."""

from __future__ import annotations

import multiprocessing
import os

from unspin.analyse.pipeline import register
from unspin.types import Analysis, Finding


@register("test_where")
class WhereRan:
    """Records the process that analysed the article, as a finding without a span."""

    name, version = "test_where", "1"

    def __call__(self, doc: Analysis) -> Analysis:
        doc.findings.append(Finding(kind="entity", label="test-pid", confidence=1.0, source="rule:test",
                                    explanation="test", attrs={"pid": os.getpid()}))
        return doc


@register("test_crash")
class CrashOnMarker:
    """Ends its process at once (as a crash in native code would) on an article saying CRASH-ME."""

    name, version = "test_crash", "1"

    def __call__(self, doc: Analysis) -> Analysis:
        if "CRASH-ME" in doc.article.original:
            os._exit(3)
        return doc


@register("test_parent_only")
class ParentOnly:
    """Cannot be built in a child process: worker start-up fails."""

    name, version = "test_parent_only", "1"

    def __init__(self) -> None:
        if multiprocessing.parent_process() is not None:
            raise RuntimeError("refusing to start in a worker")

    def __call__(self, doc: Analysis) -> Analysis:
        return doc


@register("test_slow")
class SlowAndCounted:
    """Takes its time on each article and leaves its process id in ``pid_dir``, so a test can
    watch the workers."""

    name, version = "test_slow", "1"

    def __init__(self, pid_dir: str = "", seconds: float = 0.5) -> None:
        self.seconds = seconds
        if pid_dir:
            with open(os.path.join(pid_dir, str(os.getpid())), "w") as fh:
                fh.write("worker")

    def __call__(self, doc: Analysis) -> Analysis:
        import time

        time.sleep(self.seconds)
        return doc
