"""A labelled story-grouping set where the answer is known by construction.

Labels (``gold`` = story label, ``dup`` = expected near-duplicate link):
- **split stories** (from SemEval-2023 training articles with >= 6 paragraphs): the first half of
  an article and its second half become two articles of one story — same event, no shared text,
  so only story grouping (not dedupe) can join them; plus a syndicated copy of the first half
  (same text with a credit line: ``copy_of``) and a light rewrite of the second half (a quarter
  of its paragraphs dropped, two swapped: ``rewrite_of``). Dates within 18 hours of each other.
- **distractors**: the other SemEval articles, whole, each its own story (caveat: several are on
  the same wider war; a grouper that joins two of them is counted wrong even if a person might
  call it one story, so precision here is a lower bound).
- **hand-labelled groups**: ``hand_groups.json`` — short articles written for this project on
  three invented events (one group each), plus the two seed articles as one story when
  ../shared/seeds is present.
Dates spread uniformly over ``days`` days; ``split`` alternates tune/test by group.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from training.grouping.corpus import ROOT, Source, build_analysis, load_sources
from unspin.types import Analysis

HAND = Path(__file__).with_name("hand_groups.json")
SEEDS = ROOT / ".." / "shared" / "seeds"
T0 = datetime(2022, 3, 1)


@dataclass
class Item:
    analysis: Analysis
    gold: str  # story label
    kind: str  # half_a | half_b | copy | rewrite | distractor | hand | seed
    split: str  # tune | test
    dup_of: str | None = None  # expected near-duplicate link: the article id it copies/rewrites
    dup_relation: str | None = None


def build(seed: int = 13, n_split: int = 120, days: int = 60, dated: bool = True) -> list[Item]:
    rng = random.Random(seed)
    sources = load_sources()
    long = [s for s in sources if len(s.paragraphs) >= 6]
    rng.shuffle(long)
    chosen = long[:n_split]
    chosen_ids = {s.id for s in chosen}
    items: list[Item] = []

    def when(base: datetime) -> datetime | None:
        return base if dated else None

    for g, src in enumerate(chosen):
        split = "tune" if g % 2 == 0 else "test"
        d0 = T0 + timedelta(days=rng.uniform(0, days))
        label = f"split:{src.id}"
        half = len(src.paragraphs) // 2
        a = _part(f"{src.id}-a", src.title, src, 0, half, when(d0))
        b_title_idx = half
        b = _part(f"{src.id}-b", src.paragraphs[b_title_idx], src, half + 1, len(src.paragraphs), when(d0 + _hours(rng)),
                  title_ents=src.entities[b_title_idx])
        copy = _part(f"{src.id}-a-copy", src.title, src, 0, half, when(d0 + _hours(rng)), credit=True)
        keep = list(range(half + 1, len(src.paragraphs)))
        drop = set(rng.sample(keep[1:], k=max(1, len(keep) // 4))) if len(keep) > 2 else set()
        kept = [i for i in keep if i not in drop]
        if len(kept) >= 3:
            kept[1], kept[2] = kept[2], kept[1]
        rewrite = _from_indices(f"{src.id}-b-rewrite", src.paragraphs[b_title_idx], src, kept, when(d0 + _hours(rng)),
                                title_ents=src.entities[b_title_idx])
        items += [
            Item(a, label, "half_a", split),
            Item(b, label, "half_b", split),
            Item(copy, label, "copy", split, a.article.id, "copy_of"),
            Item(rewrite, label, "rewrite", split, b.article.id, "rewrite_of"),
        ]
    for k, src in enumerate(s for s in sources if s.id not in chosen_ids):
        d = T0 + timedelta(days=rng.uniform(0, days))
        an = _from_indices(src.id, src.title, src, list(range(len(src.paragraphs))), when(d), title_ents=src.title_entities)
        items.append(Item(an, f"single:{src.id}", "distractor", "tune" if k % 2 == 0 else "test"))
    items += _hand(rng, days, dated)
    rng.shuffle(items)  # arrival order is not grouped by story
    return items


def _hours(rng: random.Random) -> timedelta:
    return timedelta(hours=rng.uniform(-18, 18))


def _part(aid: str, title: str, src: Source, lo: int, hi: int, published, credit: bool = False, title_ents=None) -> Analysis:
    return _from_indices(aid, title, src, list(range(lo, hi)), published, credit=credit,
                         title_ents=src.title_entities if title_ents is None else title_ents)


def _from_indices(aid: str, title: str, src: Source, idx: list[int], published, credit: bool = False,
                  title_ents=()) -> Analysis:
    paras = [src.paragraphs[i] for i in idx]
    ents = [src.entities[i] for i in idx]
    if credit:  # what a syndicating site adds; our own words
        paras = [*paras, "This report was distributed by a news agency and republished with permission."]
        ents = [*ents, []]
    return build_analysis(aid, title, paras, ents, published, title_ents=title_ents)


def _hand(rng: random.Random, days: int, dated: bool) -> list[Item]:
    out: list[Item] = []
    groups = json.loads(HAND.read_text())
    for n, (label, texts) in enumerate(groups.items()):
        d0 = T0 + timedelta(days=rng.uniform(0, days))
        for i, t in enumerate(texts):
            title, *paras = [p for p in t.split("\n") if p.strip()]
            an = build_analysis(f"hand:{label}:{i}", title, paras, [[] for _ in paras],
                                d0 + _hours(rng) if dated else None)
            out.append(Item(an, f"hand:{label}", "hand", "tune" if n % 2 == 0 else "test"))
    if SEEDS.is_dir():
        d0 = T0 + timedelta(days=rng.uniform(0, days))
        for i, f in enumerate(sorted(SEEDS.glob("*.txt"))):
            lines = [ln.strip() for ln in f.read_text(encoding="utf-8").split("\n") if ln.strip()]
            an = build_analysis(f"seed:{i}", lines[0], lines[1:], [[] for _ in lines[1:]],
                                d0 + _hours(rng) if dated else None)
            out.append(Item(an, "seed", "seed", "test"))
    return out
