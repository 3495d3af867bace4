"""Config loading: TOML file, env overrides, clear errors."""

from __future__ import annotations

import pytest

from unspin.config import ConfigError, load_config, parse_duration


def test_defaults_without_file(tmp_path):
    config = load_config(None, env={"UNSPIN_CONFIG": ""})
    assert config.web.api_token is None and config.fetch.allow_hosts == []


def test_file_then_env(tmp_path):
    file = tmp_path / "unspin.toml"
    file.write_text(
        'db = "sqlite:///x.sqlite"\n[web]\napi_token = "from-file"\n'
        '[fetch]\nallow_hosts = ["127.0.0.1"]\n[watch]\nfeeds = ["http://a/rss"]\nevery = "2m"\n'
    )
    config = load_config(file, env={})
    assert config.db == "sqlite:///x.sqlite" and config.web.api_token == "from-file"
    assert config.fetch.allow_hosts == ["127.0.0.1"] and config.watch.every == 120.0
    config = load_config(
        file,
        env={"UNSPIN_API_TOKEN": "env", "UNSPIN_FEEDS": "http://b/rss, http://c/rss", "UNSPIN_READ_REQUIRES_TOKEN": "yes"},
    )
    assert config.web.api_token == "env" and config.watch.feeds == ["http://b/rss", "http://c/rss"]
    assert config.web.read_requires_token is True


def test_bad_config_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "missing.toml", env={})
    bad = tmp_path / "bad.toml"
    bad.write_text("[web]\napi_tokn = 1\n")
    with pytest.raises(ConfigError, match="api_tokn"):
        load_config(bad, env={})
    with pytest.raises(ConfigError, match="true or false"):
        load_config(None, env={"UNSPIN_READ_REQUIRES_TOKEN": "maybe"})


@pytest.mark.parametrize("text, seconds", [("60s", 60), ("5m", 300), ("1h", 3600), ("250ms", 0.25), ("3d", 259200), ("7", 7)])
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["soon", "-5s", "0"])
def test_bad_durations(text):
    with pytest.raises(ConfigError):
        parse_duration(text)
