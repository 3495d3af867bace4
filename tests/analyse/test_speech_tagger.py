"""The attribution tagger's decoding and features, checked against brute force and the parse."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from unspin.analyse.nlp import load_spacy
from unspin.analyse.speech_tagger import LABELS, SpeechTagger, TaggedSpan, spans_of, token_features

K = len(LABELS)


def _random_tagger(rng: np.random.Generator) -> SpeechTagger:
    feats = np.arange(1, 4, dtype=np.uint64)
    return SpeechTagger(feats, rng.normal(size=(3, K)).astype(np.float32),
                        rng.normal(size=(K, K)).astype(np.float32), rng.normal(size=K).astype(np.float32))


def _path_score(t: SpeechTagger, e: np.ndarray, path: tuple[int, ...]) -> float:
    s = t.start[path[0]] + e[0, path[0]]
    for i in range(1, len(path)):
        s += t.transitions[path[i - 1], path[i]] + e[i, path[i]]
    return float(s)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_viterbi_and_marginals_match_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    tagger = _random_tagger(rng)
    emissions = [rng.normal(size=(n, K)) * 2 for n in (4, 1, 3, 0)]  # batched, of different lengths
    decoded = tagger.decode(emissions)
    for e, (path, chosen) in zip(emissions, decoded, strict=True):
        assert len(path) == len(e) == len(chosen)
        if len(e) == 0:
            continue
        paths = list(itertools.product(range(K), repeat=len(e)))
        scores = np.array([_path_score(tagger, e, p) for p in paths])
        assert tuple(path) == paths[int(scores.argmax())]
        weights = np.exp(scores - scores.max())
        weights /= weights.sum()
        for i, label in enumerate(path):
            expected = sum(w for w, p in zip(weights, paths, strict=True) if p[i] == label)
            assert chosen[i] == pytest.approx(expected, abs=1e-6)


def test_decoding_never_starts_a_span_inside() -> None:
    rng = np.random.default_rng(3)
    tagger = _random_tagger(rng)
    emissions = np.zeros((5, K))
    emissions[:, LABELS.index("I-CON")] = 50.0  # the emissions alone would say I-CON throughout
    path, _ = tagger.decode([emissions])[0]
    names = [LABELS[i] for i in path]
    assert names[0] != "I-CON"
    for prev, cur in itertools.pairwise(names):
        if cur.startswith("I-"):
            assert prev in ("B-" + cur[2:], cur)


def test_spans_of_reads_bio_runs() -> None:
    labels = np.array([LABELS.index(x) for x in ["B-SRC", "B-CUE", "B-CON", "I-CON", "O", "B-CON", "B-CON"]])
    assert spans_of(labels) == [TaggedSpan("SRC", 0, 1), TaggedSpan("CUE", 1, 2), TaggedSpan("CON", 2, 4),
                                TaggedSpan("CON", 5, 6), TaggedSpan("CON", 6, 7)]


def test_features_depend_on_the_words_and_parse_not_on_the_position() -> None:
    nlp = load_spacy()
    a = nlp("The minister said that the talks had failed.")
    b = nlp("Yesterday, the minister said that the talks had failed.")
    fa, fb = token_features([a]), token_features([b])
    assert fa.shape[0] == len(a) and fa.shape[1] == fb.shape[1]
    # "talks" has the same neighbours and the same place in the parse in both sentences
    i, j = [t.text for t in a].index("talks"), [t.text for t in b].index("talks")
    assert (fa[i] == fb[j]).all()
    # and other words differ in what they are
    assert not (fa[i] == fa[i - 1]).all()


def test_features_of_paragraphs_together_equal_each_alone() -> None:
    nlp = load_spacy()
    docs = [nlp("Officials said the bridge would reopen."), nlp(""), nlp("Critics argued it was too late, he said.")]
    together = token_features(docs)
    alone = np.concatenate([token_features([d]) for d in docs])
    assert together.shape == alone.shape == (sum(len(d) for d in docs), together.shape[1])
    assert (together == alone).all()  # no neighbour feature reaches across a paragraph


def test_dense_weights_add_the_standardised_vectors_and_survive_saving(tmp_path) -> None:
    rng = np.random.default_rng(4)
    width = 96
    base = _random_tagger(rng)
    dense = rng.normal(size=(width, K)).astype(np.float32)
    mean, std = rng.normal(size=width).astype(np.float32), (rng.random(width) + 0.5).astype(np.float32)
    tagger = SpeechTagger(base.features, base.weights[:-1], base.transitions, base.start, None, dense, mean, std)
    feats = np.array([[1, 2, 99]], dtype=np.uint64)
    vectors = rng.normal(size=(1, width)).astype(np.float32)
    expected = base.scores(feats) + ((vectors - mean) / std) @ dense
    assert np.allclose(tagger.scores(feats, vectors), expected, atol=1e-4)
    tagger.save(tmp_path / "t.npz")
    again = SpeechTagger.load(tmp_path / "t.npz")
    assert np.allclose(again.scores(feats, vectors), expected, atol=0.05)  # float16 on disk
    assert np.allclose(again.scores(feats), base.scores(feats), atol=0.01)  # no vectors: sparse only
