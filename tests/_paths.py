"""Where the tests find the repository's files and the browser, whichever folder a test lives in."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]  # the checkout
TESTS = ROOT / "tests"
DATA = TESTS / "data"
EXAMPLES = ROOT / "examples"
ARTIFACTS = ROOT / "artifacts"
SHARED = ROOT.parent / "shared"  # beside the checkout; tests that need it skip without it
SEEDS = SHARED / "seeds"
# The browser the page tests drive (scripts/test-deps.sh installs it); they skip without it.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
