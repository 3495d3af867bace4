"""The shared-encoder multi-task network (PyTorch, training only).

One MiniLM pass over ``[CLS] paragraph [SEP] title [SEP]`` feeds:
- ``para``: paragraph-level technique logits (23) from the mean of the paragraph's tokens,
- ``tok``: token-level technique logits (23 per token) -> character spans,
- ``pooled``: the 384-d paragraph vector that the article-level frame and genre heads read.
"""

from __future__ import annotations

from typing import Any, cast

import torch
from torch import nn


class MultiTask(nn.Module):
    def __init__(self, encoder: nn.Module, n_techniques: int, dropout: float = 0.1) -> None:
        super().__init__()
        self.encoder = encoder
        hidden = int(cast(Any, encoder).config.hidden_size)  # a transformers model
        self.drop = nn.Dropout(dropout)
        self.para = nn.Linear(2 * hidden, n_techniques)
        self.tok = nn.Linear(hidden, n_techniques)

    def forward(self, input_ids, attention_mask, token_type_ids):
        states = self.encoder(
            input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
        ).last_hidden_state
        # Pool over the paragraph's own tokens (segment A); the title only gives context.
        seg_a = (attention_mask * (1 - token_type_ids)).unsqueeze(-1).to(states.dtype)
        pooled = (states * seg_a).sum(1) / seg_a.sum(1).clamp(min=1.0)
        tok_logits = self.tok(self.drop(states))
        # The paragraph head also sees the strongest token evidence, which ties labels to spans.
        tok_max = (tok_logits.masked_fill(seg_a == 0, -1e4)).max(1).values
        para_logits = self.para(self.drop(torch.cat([pooled, states[:, 0]], dim=-1))) + tok_max
        return para_logits, tok_logits, pooled
