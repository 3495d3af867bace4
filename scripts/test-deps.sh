#!/usr/bin/env bash
# System packages the tests need beyond Python: a real browser for the HTML/web tests.
# Installs them when missing and when we may (root); otherwise the browser tests skip with a reason.
set -u
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "test-deps: could not install chromium; browser tests will be skipped"
fi
exit 0
