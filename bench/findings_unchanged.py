"""Whether a change left the findings alone: runs ``unspin analyze --json`` on the same inputs
with the code of an earlier revision and with the working tree, and compares every article's
sentences, entities and findings. Writes ``bench/results/findings_unchanged.json`` (counts
only: the inputs may be articles that must not be copied into the repository).

    .venv/bin/python bench/findings_unchanged.py --before REV [INPUTS...]

INPUTS default to the bundled examples and, when present, ../shared/seeds. The earlier revision
runs from ``git archive`` in a temporary folder, with the same interpreter and packages.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "results" / "findings_unchanged.json"
SEEDS = ROOT / ".." / "shared" / "seeds"


def analyses(src: Path, inputs: list[str], extra: list[str]) -> dict[str, dict]:
    """Article id -> what analyze printed for it, run with the package in ``src``."""
    env = os.environ | {"PYTHONPATH": str(src)}
    cmd = [sys.executable, "-m", "unspin", "analyze", *inputs, "--no-store", "--json", "-q", *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=src.parent, check=False)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"analyze failed with {src}:\n{proc.stderr[-2000:]}")
    docs = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    return {d["article"]["id"]: d for d in docs}


def compared(before: dict[str, dict], after: dict[str, dict]) -> dict:
    differing = {}
    for art_id in sorted(set(before) | set(after)):
        a, b = before.get(art_id), after.get(art_id)
        if a is None or b is None:
            differing[art_id] = "missing before" if a is None else "missing after"
            continue
        parts = [k for k in ("status", "sentences", "entities", "findings") if a.get(k) != b.get(k)]
        if parts:
            differing[art_id] = ", ".join(parts)
    return {
        "articles": len(after),
        "findings": sum(len(d.get("findings", [])) for d in after.values()),
        "differing_articles": len(differing),
        "differences": differing,  # article id -> which parts differ (ids only, no text)
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", required=True, help="the git revision to compare with")
    ap.add_argument("inputs", nargs="*")
    ap.add_argument("--workers", default=None, help="--workers for the working tree's run (default: analyze's own)")
    args = ap.parse_args()
    inputs = [str(Path(p).resolve()) for p in args.inputs] or [
        str(ROOT / "examples"), *([str(SEEDS.resolve())] if SEEDS.is_dir() else [])]
    rev = subprocess.run(["git", "rev-parse", "--short", args.before], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp)
        archive = subprocess.run(["git", "archive", rev, "src"], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
        before = analyses(old / "src", inputs, ["--workers", "1"])
    after = analyses(ROOT / "src", inputs, ["--workers", args.workers] if args.workers else [])
    result = {"when": datetime.now(UTC).isoformat(timespec="seconds"), "before": rev,
              "inputs": [Path(p).name for p in inputs], **compared(before, after)}
    OUT.write_text(json.dumps(result, indent=1) + "\n")
    print(f"{result['differing_articles']} of {result['articles']} articles differ from {rev} "
          f"({result['findings']} findings now)")


if __name__ == "__main__":
    main()
