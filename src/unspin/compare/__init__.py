"""Stage: compare. How the articles of one story differ."""

