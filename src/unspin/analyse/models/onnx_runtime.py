"""Small helpers shared by the ONNX-backed models: session and tokenizer loading.

The runtime path needs only onnxruntime, tokenizers and numpy (no torch)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from unspin.errors import UnspinError

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"


class WeightsMissing(UnspinError, RuntimeError):
    """Raised when a model's shipped weights are not on disk."""


def require(path: Path, what: str) -> Path:
    if not path.exists():
        raise WeightsMissing(
            f"{what} weights not found at {path}. They ship inside the package "
            f"(src/unspin/analyse/models/weights/); rebuild them with `unspin models train` "
            f"or `python -m training.export_encoder` (needs the `train` extra)."
        )
    return path


def load_session(onnx_path: Path, threads: int = 2):
    import onnxruntime as ort

    opts = ort.SessionOptions()
    # 2 cores are the target machine; more threads only add contention.
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(onnx_path), sess_options=opts, providers=["CPUExecutionProvider"])


def load_tokenizer(tokenizer_path: Path, max_length: int):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(tokenizer_path))
    tok.enable_truncation(max_length=max_length)
    tok.no_padding()
    return tok


def feed_for(enc) -> dict[str, np.ndarray]:
    """The ONNX feed for one tokenised text (a batch of one, no padding).

    Why one at a time: dynamic int8 quantisation picks activation scales over the whole input
    tensor, so in a padded batch a text's vector would depend on its neighbours (cosine ~0.99).
    Single rows make outputs a function of the text alone, and on 2 cores are no slower."""
    return {
        "input_ids": np.asarray([enc.ids], dtype=np.int64),
        "attention_mask": np.asarray([enc.attention_mask], dtype=np.int64),
        "token_type_ids": np.asarray([enc.type_ids], dtype=np.int64),
    }


def mean_pool(token_states: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """(batch, seq, dim) token states -> (batch, dim) mean over unmasked tokens."""
    m = mask[..., None].astype(np.float32)
    summed = (token_states * m).sum(axis=1)
    return summed / np.clip(m.sum(axis=1), 1e-9, None)


def l2_normalise(x: np.ndarray) -> np.ndarray:
    return x / np.clip(np.linalg.norm(x, axis=1, keepdims=True), 1e-12, None)
