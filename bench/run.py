"""Run the benchmarks one after the other (``make bench``); each writes its figures to
``bench/results/<name>.json``. They are not tests: they need ../shared beside the checkout and
take minutes, and their figures mean most on an otherwise idle machine.

    .venv/bin/python bench/run.py                        # all of them
    .venv/bin/python bench/run.py models_speed throughput   # some of them
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# name -> extra arguments; the order puts the quick ones first
BENCHES: dict[str, list[list[str]]] = {
    "models_speed": [[]],
    "models_encoder": [[]],
    "grouping_cost": [[], ["--vectors", "hashing"]],
    "throughput": [[]],
    "web_live": [[]],
    "web_load": [[]],
    "analyze_vs_spacy": [[]],
    "grouping_corpus": [["agreement"], ["cost", "--sizes", "1000", "10000", "100000", "--distinct"]],
    "batch_scale": [["read"], ["run", "--size", "1000", "--workers", "1", "2"],
                    ["kill", "--size", "10000", "--workers", "2"]],
}


def main() -> int:
    ap = argparse.ArgumentParser(description="Run the benchmarks; figures go to bench/results/.")
    ap.add_argument("names", nargs="*", metavar="NAME", help="default: all of " + ", ".join(BENCHES))
    args = ap.parse_args()
    unknown = [n for n in args.names if n not in BENCHES]
    if unknown:
        ap.error("unknown benchmark: " + ", ".join(unknown))
    failed = []
    for name in args.names or list(BENCHES):
        for extra in BENCHES[name]:
            label = " ".join([name, *extra])
            print(f"== {label}", flush=True)
            start = time.perf_counter()
            rc = subprocess.call([sys.executable, str(HERE / f"{name}.py"), *extra])
            print(f"== {label}: exit {rc} after {time.perf_counter() - start:.0f} s", flush=True)
            if rc:
                failed.append(label)
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
