"""Time and size of a big story's web page: a 50-article story, first view and cached view.

Not part of the test suite. Writes ``bench/results/story_page.json``.

    .venv/bin/python bench/story_page.py [--articles 50]

The story is built from the bundled examples (written for this project): each article draws ten
sentences, in its own order, from the pool of the three example texts on one event, and is
credited to its own outlet; every seventh is a syndicated copy of an earlier one (a credit line
added), so the story holds near-duplicates as real ones do. They are analysed with the real pipeline into a
SQLite file (cached under ``~/.cache/unspin/bench``: analysis is not what is timed), saved as one
story, and ``unspin serve``'s app answers on loopback. Timed, after a small story's page has loaded the
encoder and compiled the templates (``server_warm_up_ms``): the first GET of the big story's page
(comparison + render, its caches cold) and the median of five more (the page cache), with the HTML
size, the number of articles drawn side by side and in full, and the time of a read while a new
article is being added to the story (a write moves the story's version, so the page is rebuilt).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
OUT = ROOT / "bench" / "results" / "story_page.json"
CACHE = Path.home() / ".cache" / "unspin" / "bench"
EXAMPLES = sorted((ROOT / "examples").glob("0[123]-*.txt"))
T0 = datetime(2025, 3, 12, 6, 0, tzinfo=UTC)


def variants(n: int, seed: int = 5) -> list[tuple[str, str, datetime]]:
    """(text, outlet, published) for ``n`` articles on the examples' one event: each draws its own
    sentences, in its own order, from the pool of the three texts' sentences, so that two of them
    share some sentences but few runs of words (not near-duplicates); every seventh is a copy."""
    rng = random.Random(seed)
    titles, pool = [], []
    for p in EXAMPLES:
        title, *paras = [x for x in p.read_text(encoding="utf-8").split("\n\n") if x.strip()]
        titles.append(title.strip())
        pool += [s.strip() for para in paras for s in re.split(r"(?<=[.!?])\s+", para) if len(s.split()) > 3]
    out: list[tuple[str, str, datetime]] = []
    for i in range(n):
        when = T0 + timedelta(minutes=17 * i)
        if i % 7 == 6 and out:
            text = out[rng.randrange(len(out))][0] + f"\n\nThis story was republished from a wire service (edition {i})."
        else:
            # each outlet words its sentences a little differently, so every sentence is new text
            picked = [_reword(sentence, i, rng) for sentence in rng.sample(pool, k=min(len(pool), 10))]
            paras = [" ".join(picked[k:k + 2]) for k in range(0, len(picked), 2)]
            text = "\n\n".join([titles[i % len(titles)], *paras, f"Reporting by the Outlet {i + 1:02d} desk."])
        out.append((text, f"Outlet {i + 1:02d}", when))
    return out


LEADS = ["", "Officials said that ", "By early evening, ", "According to people at the scene, ", "Meanwhile, "]
TAILS = ["", " The desk of Outlet {n} could not confirm this independently.", " Outlet {n} has asked for comment."]


def _reword(sentence: str, i: int, rng: random.Random) -> str:
    lead = rng.choice(LEADS)
    body = sentence[0].lower() + sentence[1:] if lead and sentence[:2] != "I " else sentence
    return lead + body + rng.choice(TAILS).format(n=i + 1) + f" ({i + 1}-{rng.randrange(1000)})"


def build_store(n: int) -> tuple[Path, str]:
    from unspin.read.text import read_text
    from unspin.store.db import Store
    from unspin.types import Story, StoryMember

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"story-page-{n}.sqlite"
    marker = path.with_suffix(".done")
    if not marker.exists():
        path.unlink(missing_ok=True)
        from unspin.analyse.pipeline import Pipeline
        from unspin.group.dedupe import NearDuplicates

        pipeline = Pipeline()
        store = Store(str(path))
        dupes = NearDuplicates()
        members = []
        for k, (text, outlet, when) in enumerate(variants(n + 1)):
            art = read_text(text, f"bench:story:{k}", outlet=outlet).model_copy(update={"published": when})
            analysis = pipeline(art)
            store.save_analysis(analysis)
            if k == n:
                break  # one more article, analysed and stored, for the write during a read below
            dup = dupes.add(art.id, text)
            members.append(StoryMember(article_id=art.id) if dup is None else
                           StoryMember(article_id=art.id, relation=dup.relation, of=dup.of, similarity=dup.similarity))
            print(f"analysed {k + 1}/{n}", file=sys.stderr, flush=True)
        story = Story(id="story:bench-big", title="Big story", members=members,
                      first_seen=T0, last_seen=T0 + timedelta(minutes=17 * (n - 1)))
        store.save_story(story)
        store.close()
        marker.write_text("ok")
    return path, "story:bench-big"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=50)
    args = ap.parse_args()
    from test_web_support import AppServer

    from unspin.analyse.models.encoder import get_encoder
    from unspin.config import Config, WebConfig
    from unspin.store.db import Store
    from unspin.types import Story, StoryMember
    from unspin.web.app import create_app

    path, story_id = build_store(args.articles)
    copy = Path("/tmp") / f"unspin-story-page-{args.articles}.sqlite"
    copy.write_bytes(path.read_bytes())  # the write below must not touch the cached store
    config = Config(db=str(copy), seed_examples=False, web=WebConfig(api_token="t"))
    store = Store(config.db)
    big = store.get_story(story_id)
    assert big is not None, f"{story_id} is not in the cached store"
    small = Story(id="story:bench-small", title="Warm-up", members=[StoryMember(article_id=a) for a in big.article_ids[-2:]])
    store.save_story(small)
    def timed(client, url):
        t = time.perf_counter()
        response = client.get(url)
        response.raise_for_status()
        return response, (time.perf_counter() - t) * 1000

    url = f"/stories/{story_id}"
    # 1. Nothing compared in advance (warm_on_start=0): the first reader pays for the comparison.
    with AppServer(create_app(config, store=store, start_worker=False, warm_on_start=0)) as server, \
            httpx.Client(base_url=server.base, timeout=120) as client:
        _, warm_up_ms = timed(client, f"/stories/{small.id}")  # loads the encoder, compiles the templates
        first, cold_ms = timed(client, url)
        again = [timed(client, url)[1] for _ in range(5)]
    # 2. As the app runs: stories compared in the background when it starts and when they change.
    get_encoder().__init__()  # type: ignore[misc]  # forget the vectors remembered by run 1
    app = create_app(config, store=store, start_worker=False)
    with AppServer(app) as server, httpx.Client(base_url=server.base, timeout=120) as client:
        warmer = app.state.services.warmer
        t = time.perf_counter()
        warmer.wait_idle(600)
        warm_start_s = time.perf_counter() - t
        _, warmed_ms = timed(client, url)
        # An article joins the story (what the ingestor does: store it, tell the warmer); read at once.
        story = store.get_story(story_id)
        assert story is not None
        spare = next(a.article.id for a in store.iter_analyses() if a.article.id not in set(story.article_ids))
        store.save_story(story.model_copy(update={"members": [*story.members, StoryMember(article_id=spare)]}))
        warmer.notify(story_id)
        during, during_ms = timed(client, url)
        warmer.wait_idle(600)
        after, after_ms = timed(client, url)
    page = first.text
    side = page.split('class="side-by-side"', 1)[1].split("</div>\n\n", 1)[0]
    result = {
        "benchmark": "story_page", "articles": args.articles, "url": url,
        "server_warm_up_ms": round(warm_up_ms, 1),
        "first_view_nothing_warmed_ms": round(cold_ms, 1),
        "cached_view_ms_median": round(statistics.median(again), 1),
        "warmed_at_start_seconds": round(warm_start_s, 2),
        "first_view_after_start_warming_ms": round(warmed_ms, 1),
        "read_while_an_article_joins_ms": round(during_ms, 1),
        "that_read_was_stale": bool(during.headers.get("x-unspin-stale")),
        "first_view_after_the_join_ms": round(after_ms, 1),
        "after_join_shows_the_new_article": spare in after.text,
        "html_bytes": len(first.content),
        "articles_drawn": page.count('<article class="outlet"'),
        "side_by_side_columns": side.count('<article class="outlet"'),
        "other_articles_listed_on_page_1": page.count('name="show"') - side.count('<article class="outlet"'),
        "view_note": re.sub(r"\s+", " ", page.split('class="view-note muted">', 1)[1].split("</p>", 1)[0]),
    }
    OUT.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
