"""Settings of unspin: one TOML file plus env vars. ``[analyse]`` and ``[group]`` apply to every
command that analyses or groups; the rest to the service side (``serve`` and ``watch``).

The file is ``$UNSPIN_CONFIG`` or ``<user config dir>/unspin/config.toml`` when it exists::

    db = "sqlite:///unspin.sqlite"      # same database as the CLI; PostgreSQL by URL

    [web]
    api_token = "change-me"             # or UNSPIN_API_TOKEN; writes need it
    read_requires_token = false         # true: reading the API and pages needs it too
    submit_requires_token = false       # with a token the form always needs sign-in; this locks it without one
    max_body_bytes = 2_000_000
    server_names = []                   # Host names besides localhost and the listen address

    [fetch]
    allow_hosts = []                    # hosts / CIDRs fetched even if private, e.g. ["127.0.0.1"]
    max_bytes = 5_000_000
    timeout = 20                        # seconds for a whole fetch
    max_redirects = 5

    [watch]
    feeds = ["https://example.org/rss"]
    every = "5m"

    [analyse]                           # what analyze, report, serve and watch run on each article
    detectors = "full"                  # or "fast": no network (several times faster, a few points lower)
    min_confidence = 0.0                # technique findings under this calibrated probability are dropped
    lexicons = "/path/to/lexicons"      # a folder of lexicon TOML files instead of the packaged ones
    components = ["nlp", "quotes", "attribution", "lexicon", "dates", "claims", "declared", "models", "narratives", "roles"]

    [group]                             # story grouping (docs/grouping.md)
    window = "3d"                       # how far apart in time two articles of one story may be
    method = "auto"                     # batch: compare every pair; incremental: one at a time (live mode's)
    batch_threshold = 0.15              # batch: mean same-story probability for groups to merge (unset: fitted)
    join_threshold = 0.45               # incremental: score an article needs to join a story (encoder vectors)

Environment variables win over the file: ``UNSPIN_DETECTORS``, ``UNSPIN_DB``, ``UNSPIN_API_TOKEN``,
``UNSPIN_READ_REQUIRES_TOKEN``, ``UNSPIN_ALLOW_HOSTS`` (comma separated), ``UNSPIN_SERVER_NAMES``
(comma separated), ``UNSPIN_FEEDS`` (comma separated), ``UNSPIN_WATCH_EVERY``.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from unspin.errors import UnspinError


class ConfigError(UnspinError, ValueError):
    """The config file or an env var holds something unspin cannot use."""


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, None: 1.0}


def parse_duration(value: str | float | int) -> float:
    """``"60s"``, ``"5m"``, ``"1h"``, ``"3d"``, ``"250ms"`` or a number of seconds -> seconds."""
    if isinstance(value, (int, float)):
        seconds = float(value)
    else:
        match = _DURATION.match(value)
        if not match:
            raise ConfigError(f"not a duration: {value!r} (use e.g. 30s, 5m, 1h, 3d)")
        seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    if seconds <= 0:
        raise ConfigError(f"a duration must be positive, got {value!r}")
    return seconds


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WebConfig(_Section):
    api_token: str | None = None
    read_requires_token: bool = False
    submit_requires_token: bool = False
    max_body_bytes: int = Field(default=2_000_000, gt=0)
    # Host names the server answers to besides localhost, 127.0.0.1, [::1] and the address it
    # listens on; any other Host header gets 400 (DNS rebinding). "*.example.org" and "*" work.
    server_names: list[str] = Field(default_factory=list)


class FetchConfig(_Section):
    allow_hosts: list[str] = Field(default_factory=list)
    max_bytes: int = Field(default=5_000_000, gt=0)
    timeout: float = Field(default=20.0, gt=0)
    max_redirects: int = Field(default=5, ge=0)
    user_agent: str = "unspin/0.1 (+https://github.com/unspin; news analysis)"


class WatchConfig(_Section):
    feeds: list[str] = Field(default_factory=list)
    every: float = 300.0
    max_backoff: float = 3600.0

    @field_validator("every", "max_backoff", mode="before")
    @classmethod
    def _duration(cls, v: str | float) -> float:
        return parse_duration(v)


class AnalyseSettings(_Section):
    """Which analyse pipeline runs; unset ones keep the defaults. Every command that analyses
    (``analyze``, ``report``, ``stories``, ``batch``, ``serve``, ``watch``) builds it from here."""

    detectors: Literal["full", "fast"] | None = None
    min_confidence: float = Field(default=0.0, ge=0, le=1)
    lexicons: str | None = None
    components: list[str] | None = None

    @field_validator("lexicons")
    @classmethod
    def _folder(cls, v: str | None) -> str | None:
        if v is not None and not Path(v).expanduser().is_dir():
            raise ValueError(f"lexicons: no such folder: {v}")
        return None if v is None else str(Path(v).expanduser())

    def pipeline(self):
        """The ``Pipeline`` these settings describe (built, not loaded: ``initialize`` loads)."""
        from unspin.analyse.pipeline import Pipeline, default_component_names

        names = self.components if self.components is not None else default_component_names()
        configs: dict[str, dict] = {}
        if "models" in names:
            from unspin.analyse.models.detectors import detector_mode

            # Resolved here, so that worker processes build the same pipeline whatever their environment.
            configs["models"] = {"mode": detector_mode(self.detectors), "min_confidence": self.min_confidence}
        if self.lexicons is not None and "lexicon" in names:
            configs["lexicon"] = {"directory": self.lexicons}
        return Pipeline(names, **configs)


class GroupSettings(_Section):
    """The user-facing knobs of story grouping; unset ones keep ``GroupConfig``'s defaults."""

    window: float | None = None  # seconds
    join_threshold: float | None = Field(default=None, gt=0, le=1)
    join_threshold_hashing: float | None = Field(default=None, gt=0, le=1)
    join_threshold_undated: float | None = Field(default=None, gt=0, le=1)
    join_threshold_hashing_undated: float | None = Field(default=None, gt=0, le=1)
    method: Literal["auto", "batch", "corpus", "incremental"] | None = None
    batch_threshold: float | None = Field(default=None, gt=0, le=1)
    batch_max_articles: int | None = Field(default=None, ge=2)

    @field_validator("window", mode="before")
    @classmethod
    def _duration(cls, v: str | float | None) -> float | None:
        return None if v is None else parse_duration(v)

    def group_config(self):
        """The ``unspin.group.stories.GroupConfig`` these settings describe."""
        from datetime import timedelta

        from unspin.group.stories import GroupConfig

        given = {k: v for k, v in self.model_dump().items() if v is not None}
        if "window" in given:
            given["window"] = timedelta(seconds=given["window"])
        return GroupConfig(**given)


class Config(_Section):
    db: str | None = None  # None: the store's default SQLite file
    seed_examples: bool = True
    web: WebConfig = Field(default_factory=WebConfig)
    fetch: FetchConfig = Field(default_factory=FetchConfig)
    watch: WatchConfig = Field(default_factory=WatchConfig)
    group: GroupSettings = Field(default_factory=GroupSettings)
    analyse: AnalyseSettings = Field(default_factory=AnalyseSettings)


def default_config_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("unspin")) / "config.toml"


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _truthy(name: str, value: str) -> bool:
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off", ""):
        return False
    raise ConfigError(f"{name}={value!r}: use true or false")


def load_config(path: str | Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Read the TOML file (``path``, else ``$UNSPIN_CONFIG``, else the default if it exists),
    then apply env overrides. A named file that is missing or invalid raises ``ConfigError``."""
    env = os.environ if env is None else env
    named = path or env.get("UNSPIN_CONFIG")
    file = Path(named) if named else default_config_path()
    data: dict = {}
    if file.is_file():
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{file}: {exc}") from None
    elif named:
        raise ConfigError(f"config file not found: {file}")
    try:
        config = Config.model_validate(data)
    except ValueError as exc:
        raise ConfigError(f"{file}: {exc}") from None

    if env.get("UNSPIN_DB"):
        config.db = env["UNSPIN_DB"]
    if env.get("UNSPIN_DETECTORS"):
        mode = env["UNSPIN_DETECTORS"].strip().lower()
        if mode not in ("full", "fast"):
            raise ConfigError(f"UNSPIN_DETECTORS={env['UNSPIN_DETECTORS']!r}: use full or fast")
        config.analyse.detectors = "fast" if mode == "fast" else "full"
    if env.get("UNSPIN_API_TOKEN"):
        config.web.api_token = env["UNSPIN_API_TOKEN"]
    if "UNSPIN_READ_REQUIRES_TOKEN" in env:
        config.web.read_requires_token = _truthy("UNSPIN_READ_REQUIRES_TOKEN", env["UNSPIN_READ_REQUIRES_TOKEN"])
    if env.get("UNSPIN_ALLOW_HOSTS"):
        config.fetch.allow_hosts = _split(env["UNSPIN_ALLOW_HOSTS"])
    if env.get("UNSPIN_SERVER_NAMES"):
        config.web.server_names = _split(env["UNSPIN_SERVER_NAMES"])
    if env.get("UNSPIN_FEEDS"):
        config.watch.feeds = _split(env["UNSPIN_FEEDS"])
    if env.get("UNSPIN_WATCH_EVERY"):
        config.watch.every = parse_duration(env["UNSPIN_WATCH_EVERY"])
    return config
