"""What the ``roles`` component costs the whole analysis, in one process, models loaded.

    .venv/bin/python bench/roles_speed.py [--articles N] [--rounds R]

Two sets read from ../shared at bench time: SemEval-2025 Task 10 training documents (the war
and the climate, where roles are given) and PolNeAR training articles (US politics: the
narratives component says neither topic, so roles are skipped). Each set is analysed by the
default pipeline and by the same pipeline without ``roles``, rounds alternated, CPU seconds of
this process counted; the figure is the best round of each. Writes bench/results/roles_speed.json.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared" / "data"


def war_and_climate(n: int) -> list[str]:
    docs = sorted((SHARED / "semeval2025-task10-en" / "train" / "raw-documents").glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in docs[:: max(1, len(docs) // n)][:n]]


def us_politics(n: int) -> list[str]:
    docs = sorted((SHARED / "polnear-attribution" / "train" / "text").glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in docs[:n]]


def cpu_seconds(pipeline, articles) -> float:
    t0 = time.process_time()
    for art in articles:
        pipeline(art)
    return time.process_time() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=40)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    from unspin.analyse.pipeline import Pipeline, default_component_names
    from unspin.clean import clean_article
    from unspin.read.text import read_text

    names = default_component_names()
    assert "roles" in names, "the roles weights are not shipped"
    with_roles = Pipeline(names).initialize()
    without = Pipeline([n for n in names if n != "roles"]).initialize()
    out: dict = {"articles": args.articles, "rounds": args.rounds, "sets": {}}
    for name, texts in (("war and climate (SemEval-2025 train)", war_and_climate(args.articles)),
                        ("US politics (PolNeAR train)", us_politics(args.articles))):
        articles = [clean_article(read_text(t, f"bench:{i}")) for i, t in enumerate(texts)]
        cpu_seconds(with_roles, articles[:2])  # warm-up: the encoder loads on first use
        best = {"with": float("inf"), "without": float("inf")}
        for _ in range(args.rounds):
            best["without"] = min(best["without"], cpu_seconds(without, articles))
            best["with"] = min(best["with"], cpu_seconds(with_roles, articles))
        roles = sum(len(with_roles(a).of_kind("role")) for a in articles)
        out["sets"][name] = {"cpu_s_without_roles": round(best["without"], 2), "cpu_s_with_roles": round(best["with"], 2),
                             "slower_by": round(best["with"] / best["without"] - 1, 4), "role_findings": roles}
        print(name, json.dumps(out["sets"][name]), flush=True)
    dest = ROOT / "bench" / "results" / "roles_speed.json"
    dest.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print("wrote", dest)


if __name__ == "__main__":
    main()
