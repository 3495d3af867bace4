"""One base for the errors unspin raises on purpose; the per-item failure record by its name."""

from __future__ import annotations

import pytest

from unspin.analyse.lexicon import LexiconError
from unspin.analyse.models.onnx_runtime import WeightsMissing
from unspin.batch.sharded import BatchOutputError
from unspin.config import ConfigError
from unspin.errors import UnspinError
from unspin.live.fetch import BlockedURL, FetchError
from unspin.read import read_path
from unspin.read.errors import ReadFailure
from unspin.store.db import StoreVersionError
from unspin.types import ItemFailure, ReadError


@pytest.mark.parametrize("cls, older_base", [
    (ConfigError, ValueError), (LexiconError, ValueError), (WeightsMissing, RuntimeError),
    (StoreVersionError, RuntimeError), (BatchOutputError, RuntimeError), (ReadFailure, Exception),
    (FetchError, Exception), (BlockedURL, FetchError),
])
def test_every_deliberate_error_is_an_unspin_error_and_still_what_it_was(cls, older_base):
    assert issubclass(cls, UnspinError) and issubclass(cls, older_base)


def test_a_failed_item_is_a_record_not_an_exception(tmp_path):
    missing = tmp_path / "gone.txt"
    (failure,) = read_path(missing)
    assert isinstance(failure, ItemFailure) and failure.stage == "read" and "no such file" in failure.reason
    assert ReadError is ItemFailure  # the old name still works
