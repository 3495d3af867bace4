"""The technique stacker: per-label logistic regression over the base models' scores in context.

Base scores per paragraph: the n-gram head's logits (23) and, when the bundle has one, the
fine-tuned network's logits (23). For label ``j`` the stacker also sees, per base model, the
article context of that label (mean and max over the other paragraphs, previous and next
paragraph), the paragraph's repetition features and its surface cues. One article is scored at
a time, so a paragraph's result depends on its article only (never on a batch).

Training (``training/techniques.py``) builds these rows with the same functions.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from unspin.analyse.models.heads import sigmoid

CONTEXT_WIDTH = 4  # mean of others, max of others, previous, next
_ABSENT = -5.0  # the score given to a neighbour that does not exist (a low logit)


def article_context(Z: np.ndarray) -> np.ndarray:
    """(n, k) scores of one article's paragraphs -> (n, k, 4): mean/max over the *other*
    paragraphs, the previous and the next paragraph's score, per label."""
    n, k = Z.shape
    out = np.full((n, k, CONTEXT_WIDTH), _ABSENT, np.float32)
    if n == 0:
        return out
    total = Z.sum(0)
    for i in range(n):
        if n > 1:
            out[i, :, 0] = (total - Z[i]) / (n - 1)
            out[i, :, 1] = np.delete(Z, i, axis=0).max(0)
        if i > 0:
            out[i, :, 2] = Z[i - 1]
        if i + 1 < n:
            out[i, :, 3] = Z[i + 1]
    return out


def label_features(
    base: list[np.ndarray], contexts: list[np.ndarray], shared: np.ndarray, j: int
) -> np.ndarray:
    """Rows for label ``j``: every base model's full score vector, the shared per-paragraph
    features, then label ``j``'s context from each base model."""
    return np.hstack([*base, shared, *(c[:, j, :] for c in contexts)])


class Stacker:
    """Per-label standardised logistic regression; arrays ``stack_W`` (k, d), ``stack_b`` (k,),
    ``stack_mu`` and ``stack_sd`` (k, d)."""

    def __init__(self, arrays: Mapping[str, np.ndarray]) -> None:
        self.W = arrays["stack_W"]
        self.b = arrays["stack_b"]
        self.mu = arrays["stack_mu"]
        self.sd = arrays["stack_sd"]

    def logits(self, base: list[np.ndarray], contexts: list[np.ndarray], shared: np.ndarray) -> np.ndarray:
        n, k = base[0].shape[0], self.W.shape[0]
        out = np.zeros((n, k), np.float32)
        for j in range(k):
            F = label_features(base, contexts, shared, j)
            out[:, j] = ((F - self.mu[j]) / self.sd[j]) @ self.W[j] + self.b[j]
        return out

    def probs(self, base: list[np.ndarray], contexts: list[np.ndarray], shared: np.ndarray) -> np.ndarray:
        return sigmoid(self.logits(base, contexts, shared))
