"""Table definitions (SQLAlchemy Core). One place so the store and any migration agree.

Offsets in ``findings`` are character offsets into ``articles.original`` (end exclusive), like
everywhere else in unspin. ``analyses.analysis`` holds the full ``Analysis`` JSON except the
article's original text, which lives once in ``articles``.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

# Bump when a table changes; ``Store`` refuses a database written by a newer version and
# runs the steps in ``migrations.py`` on an older one.
STORE_SCHEMA_VERSION = 2  # 2: stories.updated (arrival) apart from the publication span

metadata = MetaData()

store_meta = Table(
    "unspin_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", String(256), nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("id", String(64), primary_key=True),  # content hash of ``original``
    Column("source", Text, nullable=False, default=""),
    Column("format", String(16), nullable=False, default="text"),
    Column("outlet", String(256)),
    Column("url", Text),
    Column("title", Text),
    Column("published", DateTime(timezone=True)),
    Column("language", String(16)),
    Column("original", Text, nullable=False),
    Column("meta", JSON, nullable=False, default=dict),
    Column("first_seen", DateTime(timezone=True), nullable=False),
)

analyses = Table(
    "analyses",
    metadata,
    Column("article_id", String(64), ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
    Column("signature", Text, nullable=False),  # which components (name@version) produced it
    Column("status", String(16), nullable=False),
    Column("status_reason", Text, nullable=False, default=""),
    Column("analysis", JSON, nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
)

findings = Table(
    "findings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article_id", String(64), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("label", String(256), nullable=False),
    Column("start", Integer),
    Column("end", Integer),
    Column("text", Text, nullable=False, default=""),
    Column("confidence", Float, nullable=False),
    Column("source", String(256), nullable=False),
    Column("explanation", Text, nullable=False, default=""),
    Column("attrs", JSON, nullable=False, default=dict),
    Index("ix_findings_kind_label", "kind", "label"),
    Index("ix_findings_article", "article_id"),
)

errors = Table(
    "errors",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", Text, nullable=False),
    Column("stage", String(32), nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

stories = Table(
    "stories",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("title", Text, nullable=False, default=""),
    Column("first_seen", DateTime(timezone=True)),  # publication span of the members (None: undated)
    Column("last_seen", DateTime(timezone=True)),
    Column("updated", DateTime(timezone=True)),  # when a member last arrived
)

story_members = Table(
    "story_members",
    metadata,
    Column("story_id", String(64), ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True),
    Column("article_id", String(64), primary_key=True),
    Column("relation", String(16), nullable=False, default="member"),
    Column("of", String(64)),
    Column("similarity", Float, nullable=False, default=1.0),
    Index("ix_story_members_article", "article_id"),
)
