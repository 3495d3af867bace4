"""Language identification with py3langid (its model ships in the wheel: no downloads).

Policy, explicitly:
- The classifier is restricted to ``NEWS_LANGUAGES`` (common languages of online news), which
  makes short texts far more reliable than choosing among all 97 of its languages.
- Text with no letters gets ``("und", 0.0)`` (ISO 639-2 "undetermined").
- When the classifier is unsure (confidence below ``MIN_CONFIDENCE``, typical of a few words),
  text written almost only in ASCII letters is reported as ``"en"`` with its confidence capped
  at ``LOW_CONFIDENCE_CAP``, so a tiny English item is still analysed but visibly uncertain;
  anything else unsure is ``"und"``.
Only English is analysed; other languages are read, stored and reported as not analysed.
"""

from __future__ import annotations

from functools import lru_cache

NEWS_LANGUAGES = (
    "en fr de es it pt nl sv da no fi pl cs sk sl hr sr bg ro hu el ru uk be tr ar he fa ur hi bn "
    "zh ja ko id ms vi th lt lv et ca eu gl ga cy is mt sq mk ka hy az kk"
).split()
MIN_CONFIDENCE = 0.5
LOW_CONFIDENCE_CAP = 0.3
MAX_CHARS = 5000  # enough to decide; keeps long articles fast


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(NEWS_LANGUAGES)
    return identifier


def detect_language(text: str) -> tuple[str, float]:
    """Return (ISO 639-1 code or "und", confidence in [0, 1]) for ``text``."""
    sample = text[:MAX_CHARS]
    letters = [c for c in sample if c.isalpha()]
    if not letters:
        return "und", 0.0
    code, confidence = _identifier().classify(sample)
    confidence = min(max(float(confidence), 0.0), 1.0)
    if confidence >= MIN_CONFIDENCE:
        return code, round(confidence, 4)
    ascii_share = sum(1 for c in letters if c.isascii()) / len(letters)
    if ascii_share >= 0.98:
        return "en", round(min(confidence, LOW_CONFIDENCE_CAP), 4)
    return "und", round(confidence, 4)
