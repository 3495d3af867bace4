"""Cost curve of incremental story grouping: articles vs seconds, 1k to 50k articles.

Not part of the test suite; needs ../shared beside the checkout. Writes
``bench/results/grouping_cost.json``.

    .venv/bin/python bench/grouping_cost.py                    # encoder-vector mode, 1k..50k
    .venv/bin/python bench/grouping_cost.py --vectors hashing
    .venv/bin/python bench/grouping_cost.py --separate --sizes 1000 2000 5000

**The corpus.** There are only 446 SemEval-2023 task 3 training articles, so a corpus of N
articles is resampled from them: each synthetic article takes one base article, keeps a random
60-90 % of its paragraphs (in order), drops about 12 % of the words outside named entities
(entity spans and their offsets are kept, so the entity keys stay real), and gets a publication
time drawn uniformly over a fixed 30-day span. Named entities come from spaCy, run once per base
paragraph and cached (``training/grouping/corpus.py``).

**One stream, checkpoints.** The articles arrive in random order (not sorted by date) and one
grouper takes them all; the CPU time spent so far is read at 1k, 2k, 5k, 10k, 20k and 50k. As the
arrival order is random, the first N articles are a uniform sample of the 30 days, so the reading
at N is the cost of grouping an N-article corpus of that span incrementally, and the density
grows with N (33 articles a day at 1k, 1,667 at 50k): the blocking candidates (stories sharing a
rare entity or a distinctive word within the time window) get fuller as N grows, which is where a
quadratic grouper would show. ``--separate`` instead runs each size with a fresh grouper in a
fresh process, articles oldest first (as ``unspin report`` feeds them); it costs the sum of the
sizes rather than the largest.

**What is timed.** Only ``StoryGrouper.add`` calls, each timed on its own and summed: the
near-duplicate check (MinHash signature + LSH query), blocking, scoring and the story update.
Building the synthetic ``Analysis`` records is not timed. ``seconds`` is CPU time of the process
(``time.process_time``, one thread: ``OMP_NUM_THREADS=1``), because the benchmark runs at the
lowest priority on a shared machine where wall time mostly measures waiting for a core;
``wall_seconds`` is recorded too. Vectors, by mode:

- ``encoder`` (default; the shipped configuration uses the MiniLM encoder): the encoder embeds
  each of the 446 *base* articles once (not timed, cached under training/runs/); a synthetic
  article gets its base's vector plus Gaussian noise (cosine to the base about 0.94), handed over
  by a lookup, so the time is grouping only and *excludes* embedding. Embedding costs the same per
  article whatever the corpus size (each article is embedded once, alone); its CPU rate is
  measured separately on a sample of synthetic articles and reported as ``embedding``.
- ``hashing``: the hashing vectors (``unspin.group.vectors.hashing_vectors``) are computed inside
  ``add``, so the time *includes* vectorising each article.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import re
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import compress
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from training.grouping.corpus import Source, build_analysis, load_sources  # noqa: E402
from unspin.group.stories import GroupConfig, StoryGrouper, _vector_text  # noqa: E402
from unspin.group.vectors import TextVectors  # noqa: E402
from unspin.types import Analysis  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "grouping_cost.json"
BASE_VECTORS = ROOT / "training" / "runs" / "grouping_base_vectors.npz"  # git-ignored cache
SIZES = [1000, 2000, 5000, 10000, 20000, 50000]
SPAN_DAYS = 30
T0 = datetime(2022, 3, 1)
KEEP = (0.6, 0.9)  # share of the base article's paragraphs a synthetic article keeps
WORD_DROP = 0.12  # share of non-entity words dropped
# --distinct: resamples of one base share too few word 3-shingles to be linked as rewrites, so
# nearly every article goes through blocking and story scoring (the expensive path)
DISTINCT_KEEP, DISTINCT_WORD_DROP = (0.3, 0.6), 0.4
NOISE = 0.018  # per-dimension sd of the vector noise (384 dims): cosine to the base about 0.94,
# between two resamples of one base about 0.89
_TOKEN = re.compile(r"\S+\s*")


@dataclass(frozen=True)
class Spec:
    """One synthetic article: which base, its own random seed, when it was published."""

    n: int
    base: int
    seed: int
    published: datetime


def specs(n: int, n_bases: int, seed: int = 7) -> list[Spec]:
    """``n`` articles in arrival order: random bases, dates uniform over ``SPAN_DAYS``, not sorted."""
    rng = random.Random(seed)
    span = SPAN_DAYS * 86400
    return [Spec(k, rng.randrange(n_bases), rng.getrandbits(32), T0 + timedelta(seconds=rng.uniform(0, span)))
            for k in range(n)]


class Piece:
    """A base paragraph (or title) cut into whitespace-delimited tokens once, so resampling it
    many times is cheap. A token is protected when a named entity touches it."""

    def __init__(self, text: str, ents: list[tuple[int, int, str]]) -> None:
        self.text = text
        toks = list(_TOKEN.finditer(text))
        self.tokens = [m.group() for m in toks]
        self.starts = np.array([m.start() for m in toks], dtype=np.int64)
        self.lengths = np.array([len(m.group()) for m in toks], dtype=np.int64)
        self.protected = np.zeros(len(toks), dtype=bool)
        self.ents = []  # (start, end, label, index of the token holding the start)
        for s, e, label in ents:
            if not toks or e <= s:
                continue
            first = int(np.searchsorted(self.starts, s, side="right")) - 1
            last = int(np.searchsorted(self.starts, e, side="left")) - 1
            if first < 0:
                continue
            self.protected[first : last + 1] = True
            self.ents.append((s, e, label, first))

    def perturb(self, rng: np.random.Generator) -> tuple[str, list[tuple[int, int, str]]]:
        """Drop about ``WORD_DROP`` of the unprotected tokens; entity offsets follow their token."""
        keep = self.protected | (rng.random(len(self.tokens)) >= WORD_DROP)
        new = "".join(compress(self.tokens, keep)).rstrip()
        kept_len = self.lengths * keep
        new_start = np.cumsum(kept_len) - kept_len  # where each kept token starts in ``new``
        moved = []
        for s, e, label, tok in self.ents:
            # every token an entity touches is kept, so one shift holds for the whole span
            d = int(new_start[tok] - self.starts[tok])
            if new[s + d : e + d] == self.text[s:e]:
                moved.append((s + d, e + d, label))
        return new, moved


class Bases:
    """The base articles, cut into ``Piece`` s on first use."""

    def __init__(self, sources: list[Source]) -> None:
        self.sources = sources
        self._pieces: dict[int, tuple[Piece, list[Piece]]] = {}

    def __len__(self) -> int:
        return len(self.sources)

    def pieces(self, i: int) -> tuple[Piece, list[Piece]]:
        if i not in self._pieces:
            src = self.sources[i]
            self._pieces[i] = (Piece(src.title, src.title_entities),
                               [Piece(p, e) for p, e in zip(src.paragraphs, src.entities, strict=True)])
        return self._pieces[i]


def synthesise(spec: Spec, bases: Bases) -> Analysis:
    """One resampled article: 60-90 % of the base's paragraphs, about 12 % of the words dropped."""
    rng = np.random.default_rng(spec.seed)
    src = bases.sources[spec.base]
    title_piece, para_pieces = bases.pieces(spec.base)
    n = len(para_pieces)
    keep = max(1, round(n * rng.uniform(*KEEP)))
    paras, ents = [], []
    for i in np.sort(rng.choice(n, size=keep, replace=False)):
        p, e = para_pieces[i].perturb(rng)
        if p:
            paras.append(p)
            ents.append(e)
    if not paras:
        paras, ents = [src.paragraphs[0]], [src.entities[0]]
    title, title_ents = title_piece.perturb(rng)
    if not title:
        title, title_ents = src.title, src.title_entities
    return build_analysis(f"{src.id}~{spec.n}", title, paras, ents, spec.published, title_ents=title_ents)


class BaseVectors:
    """Encoder mode: the base article's MiniLM vector plus noise, looked up by text.

    ``register`` is called (untimed) before each ``add``; ``__call__`` is what the grouper calls."""

    kind = "encoder"
    source = "bench:base-vector+noise"

    def __init__(self, base: np.ndarray) -> None:
        self.base = base
        self._next: dict[str, np.ndarray] = {}

    def register(self, text: str, base: int, seed: int) -> None:
        v = self.base[base] + np.asarray(np.random.default_rng(seed).normal(0.0, NOISE, self.base.shape[1]), np.float32)
        self._next = {text: v / np.linalg.norm(v)}

    def __call__(self, texts):
        return np.stack([self._next[t] for t in texts])


def base_vectors(sources: list[Source]) -> np.ndarray:
    """MiniLM vectors of the whole base articles (what ``StoryGrouper`` would embed), cached."""
    ids = [s.id for s in sources]
    if BASE_VECTORS.exists():
        with np.load(BASE_VECTORS) as z:
            if list(z["ids"]) == ids:
                return z["vectors"]
    vecs = TextVectors(prefer_encoder=True)
    if vecs.kind != "encoder":
        raise SystemExit("encoder mode needs the MiniLM weights (src/unspin/analyse/models/weights/minilm-embed)")
    texts = [
        _vector_text(build_analysis(s.id, s.title, s.paragraphs, s.entities, None, s.title_entities), "encoder")
        for s in sources
    ]
    out = vecs(texts)
    BASE_VECTORS.parent.mkdir(parents=True, exist_ok=True)
    np.savez(BASE_VECTORS, ids=np.array(ids), vectors=out)
    return out


def _relations(grouper: StoryGrouper) -> dict[str, int]:
    out = {"member": 0, "copy_of": 0, "rewrite_of": 0}
    for story in grouper.stories():
        for m in story.members:
            out[m.relation] = out.get(m.relation, 0) + 1
    return out


def run(sizes: list[int], mode: str, separate_size: int | None = None) -> list[dict]:
    """Feed one stream to one grouper; a row at each size in ``sizes`` (CPU seconds so far).

    With ``separate_size``: a corpus of exactly that size, oldest first, one row."""
    sources = load_sources()
    bases = Bases(sources)
    vectors = BaseVectors(base_vectors(sources)) if mode == "encoder" else TextVectors(prefer_encoder=False)
    grouper = StoryGrouper(GroupConfig(), vectors=vectors)
    n = separate_size or max(sizes)
    stream = specs(n, len(sources))
    if separate_size:
        stream.sort(key=lambda sp: sp.published)
        sizes = [separate_size]
    rss_before = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # imports, corpus, vectors
    rows: list[dict] = []
    cpu = wall = 0.0
    last_n, last_cpu = 0, 0.0
    for k, spec in enumerate(stream, start=1):
        analysis = synthesise(spec, bases)
        if isinstance(vectors, BaseVectors):
            vectors.register(_vector_text(analysis, "encoder"), spec.base, spec.seed)
        c, w = time.process_time(), time.perf_counter()
        grouper.add(analysis)
        cpu += time.process_time() - c
        wall += time.perf_counter() - w
        if k in sizes:
            stories = grouper.stories()
            rows.append({
                "articles": k,
                "seconds": round(cpu, 3),
                "ms_per_article": round(1000 * cpu / k, 3),
                # cost of each article added since the previous row: flat if cost is linear
                "ms_per_article_since_previous": round(1000 * (cpu - last_cpu) / (k - last_n), 3),
                "wall_seconds": round(wall, 3),
                "stories": len(stories),
                "largest_story": max(len(s.members) for s in stories),
                "members_by_relation": _relations(grouper),
                "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "peak_rss_mib_before_grouping": rss_before,
            })
            last_n, last_cpu = k, cpu
            print(mode, json.dumps({key: rows[-1][key] for key in ("articles", "seconds", "ms_per_article_since_previous",
                                                                  "stories", "peak_rss_mib")}),
                  file=sys.stderr, flush=True)
    return rows


def embedding_rate(sample: int = 64) -> dict:
    """MiniLM embedding of synthetic articles (the text ``StoryGrouper`` embeds), one at a time."""
    bases = Bases(load_sources())
    vecs = TextVectors(prefer_encoder=True)
    if vecs.kind != "encoder":
        return {"available": False}
    texts = [_vector_text(synthesise(s, bases), "encoder") for s in specs(sample, len(bases), seed=99)]
    vecs(texts[:2])  # load the model outside the timing
    t = time.process_time()
    vecs(texts)
    secs = time.process_time() - t
    return {"available": True, "texts": sample, "seconds": round(secs, 3), "ms_per_article": round(1000 * secs / sample, 1),
            "note": "each article is embedded once, alone: embedding cost is linear in N"}


def exponent(rows: list[dict]) -> dict:
    """Least-squares slope of log(seconds) on log(articles), and between neighbouring sizes."""
    xs = np.log([r["articles"] for r in rows])
    ys = np.log([r["seconds"] for r in rows])
    slope = float(np.polyfit(xs, ys, 1)[0]) if len(rows) > 1 else float("nan")
    steps = {
        f"{a['articles']}->{b['articles']}": round(math.log(b["seconds"] / a["seconds"]) / math.log(b["articles"] / a["articles"]), 3)
        for a, b in zip(rows, rows[1:], strict=False)
    }
    return {"fit": round(slope, 3), "steps": steps}


def _child(args: list[str]) -> list[dict]:
    """Run in a fresh process, so that the peak memory is this run's own."""
    proc = subprocess.run([sys.executable, __file__, *args], stdout=subprocess.PIPE, text=True, check=False,
                          env={**os.environ, "OMP_NUM_THREADS": "1"})
    if proc.returncode != 0:
        raise SystemExit(f"run {args} failed")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=SIZES)
    ap.add_argument("--vectors", choices=["encoder", "hashing"], default="encoder")
    ap.add_argument("--separate", action="store_true", help="a fresh grouper per size, oldest first")
    ap.add_argument("--distinct", action="store_true",
                    help="heavier resampling: few articles are near-duplicates, nearly all are scored")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)  # internal: print rows as JSON
    ap.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    sizes = sorted(args.sizes)
    global KEEP, WORD_DROP
    if args.distinct:
        KEEP, WORD_DROP = DISTINCT_KEEP, DISTINCT_WORD_DROP
    if args.child:
        print(json.dumps(run(sizes, args.vectors, args.size)))
        return
    common = ["--child", "--vectors", args.vectors, *(["--distinct"] if args.distinct else [])]
    if args.separate:
        rows = [_child([*common, "--sizes", str(n), "--size", str(n)])[0] for n in sizes]
        design = "separate: a fresh grouper per size, articles oldest first"
    else:
        rows = _child([*common, "--sizes", *map(str, sizes)])
        design = "stream: one grouper, random arrival order, CPU time read at each size"
    entry = {
        "design": design,
        "timed": "CPU seconds (process_time, one thread) in StoryGrouper.add only: near-duplicate check, blocking, "
                 "scoring, story update; "
                 + ("includes vectorising (hashing vectors)" if args.vectors == "hashing"
                    else "excludes embedding (precomputed MiniLM vectors of the base articles plus noise)"),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "rows": rows,
        "exponent": exponent(rows),
        "quadratic_from_first": {r["articles"]: round(rows[0]["seconds"] * (r["articles"] / rows[0]["articles"]) ** 2, 1)
                                 for r in rows},
    }
    if args.vectors == "encoder":
        entry["embedding"] = embedding_rate()
    report = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    report.update({
        "benchmark": "incremental story grouping (StoryGrouper.add) on resampled SemEval-2023 task 3 train articles",
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "processor": platform.processor(),
                    "note": "shared 2-core machine, benchmark at nice 19 beside a model training run"},
        "corpus": {"base_articles": len(load_sources()), "span_days": SPAN_DAYS, "keep_paragraphs": KEEP,
                   "word_drop": WORD_DROP, "vector_noise_sd": NOISE},
        "config": {k: str(v) for k, v in vars(GroupConfig()).items()},
    })
    entry["corpus"] = {"keep_paragraphs": KEEP, "word_drop": WORD_DROP}
    name = args.vectors + ("-distinct" if args.distinct else "") + ("-separate" if args.separate else "")
    report.setdefault("runs", {})[name] = entry
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps({"exponent": entry["exponent"], "embedding": entry.get("embedding")}))
    print("wrote", RESULTS)


if __name__ == "__main__":
    main()
