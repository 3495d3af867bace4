"""Which outlet an article comes from: decided once, while reading, and used by every view.

Where the name comes from, first match wins (``Article.meta["outlet_from"]`` says which):

1. ``path``: the user named the outlet of these files (``--outlet PATH=NAME``, a mapping file's
   ``[paths]``, or ``--outlet-folders`` for ``corpus/<outlet>/...``);
2. ``metadata``: the page, feed or corpus row says it (``og:site_name``, an ``outlet`` column);
3. ``host``: the article's URL, through the mapping file's ``[hosts]``, then the list of common
   news hosts shipped in ``hosts.toml``, else the bare host name (``example.com``);
4. ``dateline``: a wire dateline naming the outlet, ``ORSUND, March 11 (Nordline News) -``
   (plain-text articles only: on a web page it names the agency, not the publisher);
5. ``given``: ``--outlet NAME`` for everything else.

With none of these an article has no outlet, and views say "unknown outlet".
"""

from __future__ import annotations

import fnmatch
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path, PurePath

from unspin.read.meta import host_of

MAPPING_FILE = "outlets.toml"  # found in an input folder, it maps that folder's files
UNKNOWN = "unknown outlet"


@cache
def known_hosts() -> dict[str, str]:
    """Host -> outlet name for common news sites (``hosts.toml``)."""
    data = tomllib.loads(resources.files("unspin.read").joinpath("hosts.toml").read_text(encoding="utf-8"))
    return {host.lower(): o["name"] for o in data["outlet"] for host in o["hosts"]}


def name_for_host(host: str | None, hosts: Mapping[str, str] | None = None) -> str | None:
    """The outlet a host belongs to, subdomains included (``edition.cnn.com`` -> CNN)."""
    if not host:
        return None
    host = host.lower().rstrip(".")
    for table in (hosts or {}, known_hosts()):
        probe = host
        while probe:
            if probe in table:
                return table[probe]
            probe = probe.partition(".")[2]
    return None


# "ORSUND, Aldmark, March 11 (Nordline News) - ...", "WASHINGTON (Reuters) — ...", and the
# slashed form of some agencies, "MOSCOW, March 11. /TASS/.": an upper-case place, an optional
# date, the outlet. Only the start of the text is looked at.
_NAME = r"[A-Z][\w&.'’ -]{1,40}?"
_DATELINE = re.compile(
    rf"^[A-Z][A-Z .'\-]{{1,40}}(?:,[^()/\n]{{1,60}})?\s+"
    rf"(?:\((?P<paren>{_NAME})\)\s*[-–—]|/(?P<slash>{_NAME})/\.?)",
    re.MULTILINE,
)


def dateline_outlet(text: str) -> str | None:
    m = _DATELINE.search(text[:2000])
    return (m.group("paren") or m.group("slash")).strip() if m else None


@dataclass(frozen=True)
class OutletMap:
    """What the user said about outlets: path globs and hosts to names, and a default."""

    paths: tuple[tuple[str, str], ...] = ()
    hosts: Mapping[str, str] = field(default_factory=dict)
    default: str | None = None

    def for_path(self, path: str | PurePath) -> str | None:
        # Absolute on both sides: "examples/a.txt", "./examples/a.txt" and "/work/examples/a.txt"
        # are one file. A corpus row's source ("corpus.jsonl#12") is matched by its file.
        text = _absolute(str(path).split("#", 1)[0])
        for pattern, name in self.paths:
            if fnmatch.fnmatchcase(text, _absolute(pattern)):
                return name
        return None

    def merged(self, other: OutletMap) -> OutletMap:
        """``self``'s rules first (the command line wins over a folder's mapping file)."""
        return OutletMap(self.paths + other.paths, {**other.hosts, **self.hosts}, self.default or other.default)

    def settle(self, article, path: str | PurePath | None = None):
        """Give ``article`` its outlet by the order in the module docstring (in place)."""
        how = article.meta.get("outlet_from")
        named = self.for_path(path) if path is not None else None
        if named:
            article.outlet, how = named, "path"
        elif how != "metadata":
            host = host_of(article.url)
            mine = name_for_host(host, self.hosts) if host and self.hosts else None
            if mine:
                article.outlet, how = mine, "host"
            elif not article.outlet and self.default:
                article.outlet, how = self.default, "given"
        if article.outlet:
            article.meta["outlet_from"] = how or "given"
        return article


_DOMAIN = re.compile(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+$", re.IGNORECASE)


def _absolute(path: str) -> str:
    return PurePath(os.path.abspath(path)).as_posix()


def resolve(from_metadata: str | None, url: str | None, fallback: str | None) -> tuple[str | None, str | None]:
    """(outlet, how) from what a reader found: metadata, else the URL's host, else ``fallback``."""
    name = (from_metadata or "").strip()
    if name and not _DOMAIN.match(name):
        return name, "metadata"
    # Extractors fill a missing site name with the page's host ("edition.cnn.com"): a host.
    host = host_of(url) or (host_of(f"//{name}") if name else None)
    if host:
        return name_for_host(host) or host, "host"
    return (fallback, "given") if fallback else (None, None)


def load_mapping(path: Path) -> OutletMap:
    """A mapping file: ``[paths]`` glob = name (relative to the file's folder), ``[hosts]``
    host = name, and an optional top-level ``default``."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path}: not a readable outlet mapping ({exc})") from exc
    paths, hosts = data.get("paths", {}), data.get("hosts", {})
    if not isinstance(paths, dict) or not isinstance(hosts, dict):
        raise ValueError(f"{path}: [paths] and [hosts] must be tables of name strings")
    base = path.parent.as_posix()
    rules = []
    for pattern, name in paths.items():
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"{path}: the outlet for {pattern!r} must be a non-empty string")
        rules.append((pattern if pattern.startswith("/") else f"{base}/{pattern}", name.strip()))
    if not rules and not hosts and not data.get("default"):
        raise ValueError(f"{path}: no [paths], [hosts] or default in this outlet mapping")
    default = data.get("default")
    return OutletMap(tuple(rules), {str(h).lower(): str(n).strip() for h, n in hosts.items()},
                     default.strip() if isinstance(default, str) and default.strip() else None)


def from_options(options: Iterable[str] = (), mapping: Path | None = None, folders: bool = False,
                 inputs: Iterable[str] = ()) -> OutletMap:
    """The command line's outlet options as one map: ``--outlet PATH=NAME`` (repeatable),
    ``--outlet NAME`` (the default), ``--outlets FILE``, ``--outlet-folders`` and any
    ``outlets.toml`` in an input folder."""
    paths: list[tuple[str, str]] = []
    default = None
    for opt in options:
        where, eq, name = opt.partition("=")
        if eq and where.strip() and name.strip():
            where = where.strip()
            glob = f"{Path(where).as_posix().rstrip('/')}/**" if Path(where).is_dir() else Path(where).as_posix()
            paths.append((glob, name.strip()))
        elif opt.strip():
            default = opt.strip()
    out = OutletMap(tuple(paths), {}, default)
    if mapping is not None:
        out = out.merged(load_mapping(mapping))
    for item in inputs:
        folder = Path(item)
        if folder.is_dir() and (folder / MAPPING_FILE).is_file():
            out = out.merged(load_mapping(folder / MAPPING_FILE))
        if folders and folder.is_dir():
            subs = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
            out = out.merged(OutletMap(tuple((f"{p.as_posix()}/**", p.name) for p in subs)))
    return out
