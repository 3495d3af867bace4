"""Metadata helpers shared by the readers: outlet names and publication dates."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit


def host_of(url: str | None) -> str | None:
    """``https://www.example.com/x`` -> ``example.com``; None when there is no host."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:  # "http://[broken": a URL field of a scraped page or feed is untrusted
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def parse_date(value: object) -> datetime | None:
    """A published date given as metadata; None when absent or unreadable (never guessed)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    if hasattr(value, "to_pydatetime"):  # pandas / pyarrow timestamps
        return value.to_pydatetime()
    text = str(value).strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    import dateparser  # slow to import; only needed for non-ISO dates

    return dateparser.parse(text, settings={"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["year"]})
