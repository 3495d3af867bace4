"""``--workers``: articles cleaned and analysed in worker processes, read and stored here."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import _parallel_components  # noqa: F401 - registers the test components here and in the workers
import pytest
from _paths import TESTS

from unspin.analyse.pipeline import Pipeline
from unspin.batch import parallel
from unspin.batch.runner import analyse_inputs, iter_batch
from unspin.store.db import Store

TEXT = """{city} plans a new ferry

{city} officials said on Monday that the warmongering council would run the ferry every {n} minutes.

"We expect four thousand passengers a day," said transport director Jo {city}son.
"""
CITIES = ("Aarhus", "Bergen", "Cork", "Dover", "Esbjerg")


def _folder(tmp_path: Path, crash: str | None = None) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for n, city in enumerate(CITIES):
        text = TEXT.format(city=city, n=10 + n) + ("CRASH-ME\n" if city == crash else "")
        (folder / f"{n}-{city.lower()}.txt").write_text(text, encoding="utf-8")
    (folder / "2b-empty.txt").write_bytes(b"")
    return folder


def _view(analysis) -> list[tuple]:
    return [(f.kind, f.label, f.start, f.end, f.text, f.source) for f in analysis.findings if f.label != "test-pid"]


def test_workers_give_the_same_items_in_the_same_order_and_store_them(tmp_path, monkeypatch):
    folder = _folder(tmp_path)
    pipeline = Pipeline(["nlp", "quotes", "lexicon", "dates", "test_where"])
    one = list(iter_batch([str(folder)], pipeline=pipeline))
    with Store(tmp_path / "x.sqlite") as store:
        two = list(iter_batch([str(folder)], pipeline=pipeline, store=store, workers=2))
        assert store.counts()["analyses"] == 5 and store.counts()["errors"] == 1
        # Everything is stored: the resumed batch starts no worker at all.
        monkeypatch.setattr(parallel, "_Pool", lambda *args: pytest.fail("a worker pool was started"))
        again = analyse_inputs([str(folder)], pipeline=pipeline, store=store, workers=2)
    assert [(Path(i.source).name, i.outcome) for i in two] == [(Path(i.source).name, i.outcome) for i in one]
    assert [i.outcome for i in two] == ["analysed"] * 3 + ["failed"] + ["analysed"] * 2
    for a, b in zip(one, two, strict=False):
        if a.analysis is not None:
            assert _view(a.analysis) == _view(b.analysis) and _view(a.analysis)
            assert b.stored
    pids = {f.attrs["pid"] for i in two if i.analysis for f in i.analysis.findings if f.label == "test-pid"}
    assert pids and os.getpid() not in pids  # the work ran in the workers
    assert again.counts["skipped"] == 5 and again.counts["analysed"] == 0


def test_a_worker_that_dies_fails_only_its_article(tmp_path):
    folder = _folder(tmp_path, crash="Cork")
    pipeline = Pipeline(["lexicon", "test_crash"])
    with Store(tmp_path / "x.sqlite") as store:
        items = list(iter_batch([str(folder)], pipeline=pipeline, store=store, workers=2))
        counts = store.counts()
        recorded = [Path(e.source).name for e in store.list_errors()]
    assert [(Path(i.source).name, i.outcome) for i in items] == [
        ("0-aarhus.txt", "analysed"), ("1-bergen.txt", "analysed"), ("2-cork.txt", "failed"),
        ("2b-empty.txt", "failed"), ("3-dover.txt", "analysed"), ("4-esbjerg.txt", "analysed"),
    ]
    crashed = next(i for i in items if i.source.endswith("cork.txt"))
    assert crashed.error.stage == "analyse" and "worker process died" in crashed.error.reason
    assert counts["analyses"] == 4 and sorted(recorded) == ["2-cork.txt", "2b-empty.txt"]


def test_workers_that_cannot_start_leave_the_batch_to_this_process(tmp_path, caplog):
    folder = _folder(tmp_path)
    with caplog.at_level(logging.WARNING, logger="unspin.batch.parallel"):
        result = analyse_inputs([str(folder)], pipeline=Pipeline(["lexicon", "test_parent_only"]), workers=2)
    assert result.counts["analysed"] == 5 and result.counts["failed"] == 1
    assert "could not start" in caplog.text


PARENT = """
import sys
sys.path.insert(0, {tests!r})
import _parallel_components
from unspin.analyse.pipeline import Pipeline
from unspin.batch.runner import analyse_inputs

if __name__ == "__main__":
    pipeline = Pipeline(["test_slow"], test_slow={{"pid_dir": {pids!r}}})
    analyse_inputs([{folder!r}], pipeline=pipeline, workers=2)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state != "Z"  # a zombie has exited; whoever adopted it may be slow to reap it


def test_workers_end_when_the_parent_is_killed(tmp_path):
    """Killed with SIGKILL, the parent cannot shut its pool down: the workers notice and exit
    instead of holding their models in memory for ever."""
    import signal
    import subprocess
    import sys
    import time

    folder, pids = tmp_path / "in", tmp_path / "pids"
    folder.mkdir()
    pids.mkdir()
    for n in range(40):
        (folder / f"{n:02d}.txt").write_text(TEXT.format(city=f"Town{n}", n=n), encoding="utf-8")
    script = tmp_path / "parent.py"
    script.write_text(PARENT.format(tests=str(TESTS), pids=str(pids), folder=str(folder)))
    parent = subprocess.Popen([sys.executable, str(script)])
    try:
        deadline = time.monotonic() + 90
        while len(list(pids.iterdir())) < 2 and time.monotonic() < deadline and parent.poll() is None:
            time.sleep(0.2)
        workers = [int(p.name) for p in pids.iterdir()]
        assert len(workers) == 2 and all(_alive(w) for w in workers)
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 20
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(w) for w in workers)


@pytest.mark.parametrize(("articles", "cores", "expected"), [
    (None, 2, 1), (1, 2, 1), (7, 16, 1), (8, 2, 2), (8, 16, 2), (12, 16, 3), (1000, 2, 2), (1000, 16, 4), (1000, 1, 1),
])
def test_auto_workers_use_the_cores_for_batches_only(articles, cores, expected, monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cores)), raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    assert parallel.auto_workers(articles) == expected


def test_workers_come_from_a_forkserver_that_loaded_the_models():
    """Workers are forked from one process that loaded the models, never from this one (which
    may hold threads): they share the models and start without loading them."""
    if "forkserver" not in __import__("multiprocessing").get_all_start_methods():
        pytest.skip("no forkserver on this platform")
    context = parallel.worker_context()
    assert context.get_start_method() == "forkserver"
    with __import__("concurrent.futures").futures.ProcessPoolExecutor(1, mp_context=context) as pool:
        loaded = pool.submit(_loaded_in_worker).result(timeout=120)
    assert loaded == {"spacy": True, "detectors": True}


def _loaded_in_worker() -> dict[str, bool]:
    from unspin.analyse.models.detectors import get_detectors
    from unspin.analyse.nlp import load_spacy

    return {"spacy": load_spacy.cache_info().currsize == 1, "detectors": get_detectors()._loaded}


def _predict_in_child(queue) -> None:
    from unspin.analyse.models.detectors import get_detectors

    pred = get_detectors().predict("A title", ["The minister said the plan was a disgrace and a betrayal."])
    queue.put(len(pred.paragraphs))


def test_detectors_used_here_still_work_in_a_forked_child():
    """A process forked after the detectors ran here inherits their network pool without its
    threads; the child makes its own instead of waiting on threads that do not exist."""
    import multiprocessing

    from unspin.analyse.models.detectors import get_detectors

    detectors = get_detectors()
    if not detectors.available:
        pytest.skip("no detector weights")
    detectors.predict("A title", ["The minister called the plan a disgrace."])  # starts the pool's threads
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_predict_in_child, args=(queue,))
    child.start()
    child.join(60)
    if child.is_alive():
        child.kill()
        pytest.fail("the forked child hung on the inherited thread pool")
    assert child.exitcode == 0 and queue.get(timeout=5) == 1


def test_initialize_loads_every_component_now():
    from unspin.analyse.models.detectors import Detectors
    from unspin.analyse.nlp import load_spacy

    fresh = Detectors()
    if not fresh.available:
        pytest.skip("no detector weights")
    pipeline = Pipeline(["nlp", "models"], models={"detectors": fresh})
    assert not fresh._loaded  # building a pipeline loads nothing heavy
    assert pipeline.initialize() is pipeline
    assert fresh._loaded and load_spacy.cache_info().currsize == 1
