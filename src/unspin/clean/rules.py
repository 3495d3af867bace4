"""Load the boilerplate rules from ``rules.toml`` (data, not code; see that file's header)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

RULES_FILE = Path(__file__).with_name("rules.toml")
SCOPES = ("whole-line", "inside-line", "trailing-block", "repeated-title")


@dataclass(frozen=True)
class Rule:
    id: str
    description: str
    scope: str
    pattern: re.Pattern[str] | None
    confidence: float
    then: re.Pattern[str] | None = None
    then_max: int | None = None
    max_words: int | None = None
    example: str = ""
    example_kept: str = ""
    example_title: str = ""

    def fullmatch(self, text: str) -> bool:
        """Whether the rule's pattern covers all of ``text`` (a repeated-title rule has none)."""
        return self.pattern is not None and self.pattern.fullmatch(text) is not None

    @property
    def source(self) -> str:
        return f"rule:clean/{self.id}"


@dataclass(frozen=True)
class RuleSet:
    version: str
    rules: tuple[Rule, ...]

    def of_scope(self, *scopes: str) -> list[Rule]:
        return [r for r in self.rules if r.scope in scopes]


@lru_cache(maxsize=4)
def load_rules(path: Path = RULES_FILE) -> RuleSet:
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    rules = tuple(_rule(entry) for entry in data["rule"])
    ids = [r.id for r in rules]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{path}: duplicate rule ids")
    return RuleSet(version=str(data.get("version", "0")), rules=rules)


def _rule(entry: dict) -> Rule:
    scope = entry["scope"]
    if scope not in SCOPES:
        raise ValueError(f"rule {entry.get('id')!r}: unknown scope {scope!r} (known: {', '.join(SCOPES)})")
    if scope != "repeated-title" and "pattern" not in entry:
        raise ValueError(f"rule {entry['id']!r}: scope {scope!r} needs a pattern")
    confidence = float(entry["confidence"])
    if not 0.0 <= confidence <= 1.0:
        raise ValueError(f"rule {entry['id']!r}: confidence must be in [0, 1]")
    return Rule(
        id=entry["id"],
        description=entry["description"],
        scope=scope,
        pattern=_compile(entry.get("pattern")),
        confidence=confidence,
        then=_compile(entry.get("then")),
        then_max=entry.get("then_max"),
        max_words=entry.get("max_words"),
        example=entry.get("example", ""),
        example_kept=entry.get("example_kept", ""),
        example_title=entry.get("example_title", ""),
    )


def _compile(pattern: str | None) -> re.Pattern[str] | None:
    return re.compile(pattern, re.IGNORECASE) if pattern else None
