"""Imported once by the forkserver that starts ``parallel``'s worker processes: it loads the
models of the pipeline the config file describes there, so that every worker forked from it shares them (copy on
write) instead of loading its own, and starts in milliseconds. A failure here costs only
speed: each worker then loads what it needs itself."""

from __future__ import annotations

import logging

try:
    from unspin.config import load_config

    load_config().analyse.pipeline().initialize()  # the pipeline the commands build, as configured
except Exception:  # noqa: BLE001 - never stop the forkserver; workers load lazily instead
    logging.getLogger(__name__).warning("could not preload the models for worker processes", exc_info=True)
