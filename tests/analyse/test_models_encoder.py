"""The shipped int8 sentence encoder: shape, normalisation, and that it orders meaning sensibly."""

import numpy as np
import pytest

from unspin.analyse.models.encoder import DIM, Encoder, get_encoder
from unspin.analyse.models.onnx_runtime import WeightsMissing


def test_embed_shape_and_norm():
    vecs = get_encoder().embed(["The central bank raised interest rates.", "", "Rain is expected."])
    assert vecs.shape == (3, DIM)
    assert vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)


def test_paraphrase_closer_than_unrelated():
    a, b, c = get_encoder().embed([
        "The minister resigned on Tuesday after the scandal.",
        "After the scandal, the minister stepped down on Tuesday.",
        "The football team won the cup final in extra time.",
    ])
    assert float(a @ b) > 0.8
    assert float(a @ b) > float(a @ c) + 0.4


def test_order_and_batching_do_not_change_vectors():
    texts = [f"Sentence number {i} is about {'trade' if i % 2 else 'weather'}." for i in range(7)]
    full = Encoder().embed(texts, batch_size=32)  # fresh encoders: no vector remembered from the other call
    small = Encoder().embed(list(reversed(texts)), batch_size=2)[::-1]
    assert np.allclose(full, small, atol=1e-6)


def test_a_text_seen_before_is_not_run_again():
    enc = Encoder(memo_size=3)
    enc._load()
    runs = []
    real_run = enc._session.run
    enc._session = type("Counting", (), {"run": lambda self, *a: runs.append(1) or real_run(*a)})()
    texts = ["One sentence about trade.", "Another about the weather.", "One sentence about trade."]
    first = enc.embed(texts)
    assert len(runs) == 2 and np.array_equal(first[0], first[2])  # the repeat inside one call, once
    again = enc.embed(texts[:2])
    assert len(runs) == 2 and np.array_equal(again, first[:2])  # remembered from the call before
    more = [f"Text {i} to push the others out." for i in range(5)]
    enc.embed(more)  # more new texts than the memo holds: each still gets its vector
    assert len(enc._memo) == 3 and len(runs) == 2 + 5 + 2
    assert np.allclose(enc.embed(texts[:1])[0], Encoder().embed(texts[:1])[0], atol=1e-6)


def test_empty_input():
    assert get_encoder().embed([]).shape == (0, DIM)


def test_missing_weights_clear_error(tmp_path):
    enc = Encoder(weights_dir=tmp_path)
    assert not enc.available
    with pytest.raises(WeightsMissing, match="weights not found"):
        enc.embed(["x"])
