"""Name masking: actor names reach the detectors as one placeholder, offsets map back."""

import pytest

from unspin.analyse.models.names import PLACEHOLDER, common_words, mask, name_runs

COMMON = common_words(
    ["the white paper said that the house was warm and the government lies to people about war, he says",
     "the white paper said that the house was warm and the government lies to people about war, he says",
     "us and them, mask and gloves"]
)


def masked(text: str) -> str:
    return mask(text, COMMON)[0]


@pytest.mark.parametrize("a, b", [
    ("The warmongering Kremlin lies.", "The warmongering White House lies."),
    ("Kremlin officials said it.", "White House officials said it."),
    ("The Russian government lies to people.", "The American government lies to people."),
    ("He said the US lies.", "He said the EU lies."),
    ("Putin lies about the war.", "Biden lies about the war."),
])
def test_actor_swaps_mask_to_the_same_text(a, b):
    assert masked(a) == masked(b)
    assert PLACEHOLDER in masked(a)


def test_common_words_and_loaded_labels_stay():
    text = "The house was warm. Nazi thugs and fascist lies, said the paper."
    assert masked(text) == text


def test_title_case_headline_masks_only_unknown_words():
    out = masked("Zelensky Says The Government Lies About War")
    assert out == f"{PLACEHOLDER} Says The Government Lies About War"


def test_offsets_map_back_to_the_original():
    text = "Yesterday the Kremlin and Downing Street argued."
    out, starts, ends = mask(text, COMMON)
    assert len(starts) == len(ends) == len(out)
    runs = name_runs(text, COMMON)
    assert [text[a:b] for a, b in runs] == ["Yesterday", "Kremlin", "Downing Street"]
    k = out.index(PLACEHOLDER, out.index("the"))
    assert text[starts[k] : ends[k]] == "Kremlin"
    j = out.index("argued")
    assert text[starts[j] : ends[j + 5]] == "argued"


def test_empty_and_name_free_text():
    assert mask("", COMMON)[0] == ""
    assert name_runs("nothing capitalised here", COMMON) == []
