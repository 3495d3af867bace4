"""Batch runs: shards, resume, distributed engines."""

