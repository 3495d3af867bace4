"""The finding-kind table is the one source: the type, the JSON schemas and every view agree with it."""

from __future__ import annotations

import json
import re
import typing

from _paths import ROOT

from unspin.kinds import KINDS, highlighted, names
from unspin.present.html.highlight import HIGHLIGHT_KINDS
from unspin.present.jsonout import schema_path
from unspin.present.terminal import ARTICLE_LEVEL, KIND_STYLES
from unspin.types import FindingKind
from unspin.web.charts import KIND_TITLES, NOT_CHARTED

CSS = ROOT / "src" / "unspin" / "present" / "html" / "static" / "report.css"


def test_the_type_and_the_published_schemas_list_the_table_s_kinds():
    assert typing.get_args(FindingKind) == tuple(KINDS)
    for name in ("analysis", "comparison"):
        schema = json.loads(schema_path(name).read_text(encoding="utf-8"))
        enums = [d["enum"] for d in schema.get("$defs", {}).values()
                 if isinstance(d, dict) and "kind" in d.get("properties", {})
                 for d in [d["properties"]["kind"]] if "enum" in d]
        assert enums and all(e == list(KINDS) for e in enums), f"regenerate the {name} schema"


def test_views_read_the_table():
    assert set(KIND_STYLES) == {k.name for k in KINDS.values() if k.terminal_style}
    assert ARTICLE_LEVEL == names(article_level=True) and "genre" in ARTICLE_LEVEL
    assert HIGHLIGHT_KINDS == highlighted() and HIGHLIGHT_KINDS[0] == "technique"
    assert list(KIND_TITLES) == list(names(charted=True))
    assert NOT_CHARTED["narrative"] == {"none"}


def test_every_kind_drawn_in_html_has_a_style():
    styled = set(re.findall(r"\.p-([a-z_]+)", CSS.read_text(encoding="utf-8")))
    assert set(highlighted()) <= styled


def test_entries_are_complete_and_consistent():
    ranks = [k.highlight for k in KINDS.values() if k.highlight is not None]
    assert len(ranks) == len(set(ranks))  # one order on overlap
    for k in KINDS.values():
        assert k.meaning and k.title and k.stage in ("clean", "analyse", "compare")
        assert not (k.article_level and k.highlight is not None), k.name  # no span to draw
        assert not k.not_charted or k.charted, k.name
