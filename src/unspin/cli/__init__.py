"""Command-line interface: ``unspin analyze|batch|compare|report|stories|serve|watch|models``.

Each command lives in its own module and attaches itself to ``app``.
"""

import importlib

from unspin.cli.app import app

for _name in ("analyze", "compare", "report", "stories", "models", "serve", "watch", "batch"):
    try:
        importlib.import_module(f"unspin.cli.{_name}")
    except ModuleNotFoundError as exc:  # command not built yet
        if exc.name != f"unspin.cli.{_name}":
            raise


def main() -> None:
    app()
