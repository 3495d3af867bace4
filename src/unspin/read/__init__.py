"""Stage: read. Turn files, pages, feeds and corpora into ``Article`` records."""

