"""unspin: show how news outlets spin the same story, with evidence."""

__version__ = "0.1.0"
