"""How much of each article the "only here" mark covers: the seeds and the bundled examples.

Not part of the test suite. Writes ``bench/results/only_here_share.json``.

    .venv/bin/python bench/only_here_share.py

For each set (the two seed articles in ../shared/seeds when present, the four bundled examples),
the articles are read, cleaned and analysed with the real pipeline and compared as one story.
Counted per article: body sentences (compare's units), sentences with an ``only_here`` finding,
and those drawn with the mark in the views (``attrs.marked``: a claim, a figure, a quote or a
named actor no other outlet has); the rest are listed in a folded section.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "results" / "only_here_share.json"
SETS = {"seeds": ROOT.parent / "shared" / "seeds", "examples": ROOT / "examples"}


def measure(folder: Path) -> dict:
    from unspin.analyse.pipeline import Pipeline
    from unspin.clean import clean_article
    from unspin.compare import compare
    from unspin.compare.units import body_units
    from unspin.read import read_inputs
    from unspin.types import Article

    pipeline = Pipeline()
    files = [str(p) for p in sorted(folder.iterdir()) if p.suffix in (".txt", ".html")]  # not the README
    analyses = [pipeline(clean_article(a)) for a in read_inputs(files) if isinstance(a, Article)]
    comparison = compare(analyses)
    rows: list[dict] = []
    for a in analyses:
        mine = [f for f in comparison.findings if f.article_id == a.article.id and f.kind == "only_here"
                and f.label == "sentence"]
        rows.append({"article": a.article.label, "sentences": len(body_units(a)), "only_here": len(mine),
                     "marked": sum(1 for f in mine if f.attrs.get("marked", True))})
    counts = {k: sum(r[k] for r in rows) for k in ("sentences", "only_here", "marked")}
    total: dict[str, float | None] = dict(counts)
    total["marked_share"] = round(counts["marked"] / counts["sentences"], 3) if counts["sentences"] else None
    total["only_here_share"] = round(counts["only_here"] / counts["sentences"], 3) if counts["sentences"] else None
    return {"articles": rows, "total": total}


def main() -> None:
    out = {name: measure(folder) for name, folder in SETS.items() if folder.is_dir()}
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps({k: v["total"] for k, v in out.items()}, indent=1))


if __name__ == "__main__":
    main()
