"""How a paragraph is shown to the detector network: ``[CLS] paragraph [SEP] title [SEP]``.

Shared by training and inference so both tokenise the same way. Names are masked first
(``names.mask``) and token offsets are mapped back to the unmasked text. The title gives
context; it is cut to a few word pieces so the paragraph keeps most of the length budget.
No padding: the network sees one text at a time (see ``onnx_runtime.feed_for``)."""

from __future__ import annotations

from dataclasses import dataclass

from unspin.analyse.models.names import mask

TITLE_PIECES = 24


@dataclass
class EncodedParagraph:
    ids: list[int]
    type_ids: list[int]
    attention_mask: list[int]
    sequence_ids: list[int | None]  # 0: paragraph token, 1: context token, None: special
    offsets: list[tuple[int, int]]  # paragraph tokens: [start, end) in the unmasked paragraph


def short_context(tokenizer, context: str, pieces: int = TITLE_PIECES) -> str:
    if not context:
        return ""
    enc = tokenizer.encode(context, add_special_tokens=False)
    if len(enc.offsets) <= pieces:
        return context
    return context[: enc.offsets[pieces - 1][1]]


def prepare_context(tokenizer, context: str, common: frozenset[str]) -> str:
    """The context as the network reads it: names masked, cut to ``TITLE_PIECES`` word pieces."""
    return short_context(tokenizer, mask(context, common)[0]) if context else ""


def encode_paragraph(tokenizer, text: str, context: str, max_length: int, common: frozenset[str],
                     context_prepared: bool = False) -> EncodedParagraph:
    """Tokenise one paragraph (+ optional context) with names masked. A caller encoding many
    paragraphs under one title prepares it once (``prepare_context``) and passes
    ``context_prepared=True``."""
    tokenizer.no_padding()
    masked, starts, ends = mask(text, common)
    ctx = context if context_prepared else prepare_context(tokenizer, context, common)
    tokenizer.enable_truncation(max_length=max_length, strategy="only_first" if ctx else "longest_first")
    enc = tokenizer.encode(masked, ctx) if ctx else tokenizer.encode(masked)
    seq = list(enc.sequence_ids)
    offsets = []
    for s, (a, b) in zip(seq, enc.offsets, strict=False):
        offsets.append((int(starts[a]), int(ends[b - 1])) if s == 0 and b > a else (0, 0))
    return EncodedParagraph(list(enc.ids), list(enc.type_ids), list(enc.attention_mask), seq, offsets)
