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
    enc = get_encoder()
    full = enc.embed(texts, batch_size=32)
    small = enc.embed(list(reversed(texts)), batch_size=2)[::-1]
    assert np.allclose(full, small, atol=1e-6)


def test_empty_input():
    assert get_encoder().embed([]).shape == (0, DIM)


def test_missing_weights_clear_error(tmp_path):
    enc = Encoder(weights_dir=tmp_path)
    assert not enc.available
    with pytest.raises(WeightsMissing, match="weights not found"):
        enc.embed(["x"])
