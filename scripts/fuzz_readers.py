"""Coverage-guided fuzzing (atheris, libFuzzer's engine for Python) of the readers that parse
markup from the open web: HTML pages and RSS/Atom feeds, each followed by cleaning.

A reader may refuse an input (``ReadFailure``, or a per-item ``ReadError``); anything else it
raises is a crash. So is an article whose spans do not point at its own text. Crashing inputs
are written to ``--crashes`` (default ``artifacts/fuzz/``); each becomes a regression test in
``tests/test_fuzz_regressions.py``.

    pip install atheris
    python scripts/fuzz_readers.py html --seconds 300
    python scripts/fuzz_readers.py feed --seconds 300 --seed-corpus examples/

Bounded by time (``--seconds``): atheris runs in this process until then, and the script
prints how many inputs it tried. It is not part of the test suite.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def check(fmt: str, data: bytes) -> None:
    """Read ``data`` as ``fmt`` and clean every article; raise on anything but a clean refusal."""
    from unspin.clean import clean_article
    from unspin.read.dispatch import read_bytes_as
    from unspin.read.errors import ReadFailure
    from unspin.types import Article

    try:
        results = list(read_bytes_as(fmt, data, f"fuzz.{fmt}", max_bytes=1_000_000))
    except ReadFailure:
        return
    for result in results:
        if not isinstance(result, Article):
            continue
        original = result.original
        cleaned = clean_article(result)
        spans = [cleaned.title] if cleaned.title else []
        spans += cleaned.paragraphs
        for span in spans:
            if original[span.start:span.end] != span.text:
                raise AssertionError(f"span {span.start}:{span.end} does not point at its text")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("format", choices=["html", "feed"])
    parser.add_argument("--seconds", type=int, default=120, help="how long to fuzz (default 120)")
    parser.add_argument("--crashes", type=Path, default=ROOT / "artifacts" / "fuzz",
                        help="folder for crashing inputs")
    parser.add_argument("--seed-corpus", type=Path, default=None,
                        help="folder of sample inputs to start from (any files)")
    args = parser.parse_args()

    import atheris

    with atheris.instrument_imports():
        import unspin.clean  # noqa: F401
        import unspin.read.dispatch  # noqa: F401
        import unspin.read.feed  # noqa: F401
        import unspin.read.flatten  # noqa: F401
        import unspin.read.html  # noqa: F401
        import unspin.read.xmlguard  # noqa: F401

    args.crashes.mkdir(parents=True, exist_ok=True)
    corpus = args.crashes / f"corpus-{args.format}"
    corpus.mkdir(exist_ok=True)
    if args.seed_corpus:
        for n, path in enumerate(sorted(p for p in args.seed_corpus.rglob("*") if p.is_file())):
            (corpus / f"seed-{n}").write_bytes(path.read_bytes()[:100_000])

    def one_input(data: bytes) -> None:
        check(args.format, data)

    libfuzzer_args = [sys.argv[0], str(corpus), f"-max_total_time={args.seconds}", "-max_len=65536",
                      f"-artifact_prefix={args.crashes}/{args.format}-", "-print_final_stats=1"]
    atheris.Setup(libfuzzer_args, one_input)
    atheris.Fuzz()
    return 0


if __name__ == "__main__":
    sys.exit(main())
