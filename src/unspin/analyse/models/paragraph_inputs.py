"""How a paragraph is shown to the detector network: ``[CLS] paragraph [SEP] title [SEP]``.

Shared by training and inference so both tokenise the same way. The title gives context
(notes: paragraph context helps technique detection); it is cut to a few word pieces so the
paragraph keeps most of the length budget."""

from __future__ import annotations

TITLE_PIECES = 24


def short_context(tokenizer, context: str, pieces: int = TITLE_PIECES) -> str:
    if not context:
        return ""
    enc = tokenizer.encode(context, add_special_tokens=False)
    if len(enc.offsets) <= pieces:
        return context
    return context[: enc.offsets[pieces - 1][1]]


def encode_paragraph(tokenizer, text: str, context: str, max_length: int):
    """Tokenise one paragraph (+ optional context); returns a tokenizers ``Encoding`` whose
    ``sequence_ids`` are 0 for paragraph tokens and whose ``offsets`` are into ``text``."""
    ctx = short_context(tokenizer, context)
    tokenizer.enable_truncation(max_length=max_length, strategy="only_first" if ctx else "longest_first")
    enc = tokenizer.encode(text, ctx) if ctx else tokenizer.encode(text)
    return enc
