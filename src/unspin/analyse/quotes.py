"""Component ``quotes``: direct quotes with their speaker, scare quotes, and reported speech.

Direct quote (``kind="quote"``, label ``direct``): the words between the marks (trailing comma
dropped); multi-paragraph quotes are one finding whose span runs from the first paragraph's
opening mark to the last one's closing mark (``attrs["parts"]`` lists each paragraph's piece,
``attrs["quoted"]`` their text joined). The speaker comes from the nearest reporting verb in the
same sentence outside the quote ("X said", "said X", "X told ...", "according to X"), through
the verb's subject in the dependency parse; pronouns and role nouns ("the president") resolve to
an earlier person (``resolved_by`` ``pronoun`` / ``title``).

Scare quotes: a quotation of at most three words with nobody to say it (no reporting verb, no
person whose clause holds it, or right after "so-called") is its own kind, ``scare_quote``, with
no speaker, confidence 0.5 -- putting a word in quote marks is itself a way of distancing from it.
Titles and slogans in quote marks (a show, a book, a bill, a campaign line: ``titled "Dangerous"``,
``ABC's "This Week"``, the ``"doc fix"``) are ``kind="title"``: names, not anyone's speech.

Reported speech (``kind="reported_speech"``, label ``indirect``): the clausal complement of a
speech or belief verb outside quote marks ("X said that ...", "polls show that ...", "she
believes ..."), the infinitive of a stated intention ("he hopes to win the seat"), and what a
sentence says outside its "according to X" phrase (source ``rule:reported-according-to``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy
from spacy.attrs import POS
from spacy.symbols import VERB as VERB_POS
from spacy.tokens import Doc, Token

from unspin.analyse.nlp import paragraph_parses
from unspin.analyse.pipeline import register
from unspin.analyse.quote_marks import QuotePiece, find_quote_pieces, join_paragraph_quotes
from unspin.analyse.speakers import (
    INDIRECT_SPEECH_VERBS,
    INTENTION_VERBS,
    REPORTING_VERBS,
    Mention,
    Speaker,
    as_mention,
    build_person_index,
    is_speech_verb,
    names_someone,
    passive_addressee,
    speaker_for_token,
    subject_of,
    verb_in,
)
from unspin.analyse.speech_tagger import load_tagger
from unspin.analyse.tagged_speech import SOURCE as TAGGER
from unspin.analyse.tagged_speech import (
    TaggedParagraph,
    quote_speaker,
    tag_paragraphs,
    tagged_reported_speech,
)
from unspin.types import Analysis, Article, Finding

SCARE_MAX_WORDS = 3
# How often the tagger's speaker for a quote no rule attributed was right on PolNeAR's held-out
# months: 16 of 19 (python -m training.attribution.evaluate, quote_speakers_by_source; docs/quotes.md).
# A fixed, measured confidence: too few cases to fit more.
TAGGER_QUOTE_SPEAKER_CONFIDENCE = 0.84
# A period after a title or initial ends no sentence: `,” Mr. Marsh said.` (a house style of
# American papers) must keep "Marsh said" in the quote's sentence.
_ABBREVIATIONS = ("Mr", "Ms", "Mrs", "Dr", "St", "Jr", "Sr", "Sen", "Rep", "Gov", "Gen", "Lt", "Col", "Sgt", "Capt",
                  "Prof", "Rev", "Atty", "Supt", "Cmdr", "Messrs", "Hon", "Pres", "Amb", "Adm", "Maj", "U.S")
# Checked after the period is matched (lookbehinds that include it), so only at periods.
_NOT_AFTER_ABBREVIATION = "".join(rf"(?<!\b{re.escape(a)}\.)" for a in _ABBREVIATIONS) + r"(?<!\b[A-Z]\.)"
# `$`: the region is searched up to the quote's opening mark, which the lookahead cannot see
_SENTENCE_END = re.compile(r"[.!?]" + _NOT_AFTER_ABBREVIATION + r"[\"”’']?\s+(?=[\"“‘'A-Z]|$)")
_SENTENCE_STOP = re.compile(r"[.!?]" + _NOT_AFTER_ABBREVIATION + r"(?=\s|$)")
_AFTER_CLOSED_SENTENCE_TOKENS = 4  # `"... ready." Zelensky said.` -- only a verb right after counts


@dataclass
class _Candidate:
    """A reporting verb (or "according to") near a quote, with the token naming the speaker."""

    verb: Token
    speaker_tok: Token | None
    para: int
    distance: int
    according: bool
    covers: bool = False  # the quote sits inside the verb's clause (what the verb reports)
    partial: bool = False  # no reporting verb: the quote sits in this person's clause


def _inside(pieces: list[QuotePiece], text: str, i: int) -> bool:
    return any(p.open <= i < p.outer_end(text) for p in pieces)


def _region_before(text: str, pieces: list[QuotePiece], piece: QuotePiece) -> tuple[int, int]:
    start = 0
    for m in _SENTENCE_END.finditer(text, 0, piece.open):
        start = m.end()
    for p in pieces:
        if p.close is not None and p.close < piece.open:
            start = max(start, p.close + p.width)  # just past its closing mark
    return start, piece.open


def _region_after(text: str, pieces: list[QuotePiece], piece: QuotePiece) -> tuple[int, int]:
    if piece.close is None:
        return len(text), len(text)
    start = piece.close + piece.width
    end = len(text)
    m = _SENTENCE_STOP.search(text, start)
    if m:
        end = m.start()
    for p in pieces:
        if p.open > piece.close:
            end = min(end, p.open)
            break
    return start, end


def _according_object(tok: Token) -> Token | None:
    """The speaker of "according to X": the object of "to" in the parse, else the first noun
    after "to" (the small parser sometimes attaches it elsewhere)."""
    if tok.lower_ != "according":
        return None
    for to in tok.children:
        if to.lower_ == "to":
            for obj in to.children:
                if obj.dep_ == "pobj":
                    return obj
    doc = tok.doc
    if tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
        return next((t for t in doc[tok.i + 2 : tok.i + 6] if t.pos_ in ("PROPN", "NOUN", "PRON")), None)
    return None


def _so_called(tok: Token) -> bool:
    """ "so-called" / "so called": an adjective that distances the writer, not a reporting verb."""
    doc, i = tok.doc, tok.i
    if tok.lower_ != "called" or i == 0:
        return False
    if doc[i - 1].text in ("-", "\u2010", "\u2011") and i >= 2:
        i -= 1
    return doc[i - 1].lower_ == "so"


def _not_speech(tok: Token) -> bool:
    """ "called for an inquiry", "called off the talks": a demand or a decision, not a verb that
    introduces the quoted words."""
    return tok.lemma_.lower() == "call" and any(
        c.dep_ in ("prep", "prt") and c.lower_ in ("for", "off") for c in tok.children
    )


def _covers(verb: Token, start: int) -> bool:
    """Whether the character ``start`` lies inside the clause the verb heads (its subtree)."""
    left, right = verb.left_edge, verb.right_edge
    return left.idx <= start < right.idx + len(right)


def _subject_in(cand: _Candidate, parts: list[tuple[int, QuotePiece]], texts: list[str]) -> bool:
    if cand.according:
        return False
    subj = subject_of(cand.verb)
    if subj is None:
        return False
    # The quote is the subject, or sits inside the subject's phrase: `Biden, also known as the
    # "big guy", is saying nothing` names him with the words, it does not report them.
    left, right = subj.left_edge.idx, subj.right_edge.idx + len(subj.right_edge)
    if subj.dep_ not in ("nsubj", "nsubjpass") or subj.head.i != cand.verb.i:
        left, right = subj.idx, subj.idx + 1  # a borrowed subject (participle, relative clause)
    return any(k == cand.para and (left <= p.open < right or p.open <= subj.idx < p.outer_end(texts[k]))
               for k, p in parts)


def _candidates(
    doc: Doc,
    text: str,
    pieces: list[QuotePiece],
    para: int,
    region: tuple[int, int],
    anchor: int,
    limit: int | None,
    anchor_quote: int,
) -> list[_Candidate]:
    start, end = region
    found: list[_Candidate] = []
    region_span = doc.char_span(start, end, alignment_mode="contract") if end > start else None
    if region_span is None:
        return found
    toks = [t for t in region_span if not _inside(pieces, text, t.idx)]
    if limit is not None:
        toks = toks[:limit]
    for tok in toks:
        distance = abs(tok.idx - anchor)
        obj = _according_object(tok)
        if obj is not None and not _inside(pieces, text, obj.idx):
            found.append(_Candidate(tok, obj, para, distance, True))
        elif _mistagged_speech_verb(tok, anchor):
            # `"...," Frank writes.`: the small tagger takes "writes" for a plural noun
            found.append(_Candidate(tok, doc[tok.i - 1], para, distance, False, False))
        elif (
            is_speech_verb(tok, REPORTING_VERBS)
            and tok.pos_ == "VERB"
            and not _so_called(tok)
            and not _not_speech(tok)
        ):
            subj = subject_of(tok)
            if subj is not None and _inside(pieces, text, subj.idx):
                subj = None
            found.append(_Candidate(tok, subj, para, distance, False, _covers(tok, anchor_quote)))
    return found


# Nouns whose name is written in quote marks: the quoted words name a work, not speech.
TITLE_NOUNS = frozenset("""
show program programme series film movie documentary book memoir novel biography song album ad advert
advertisement spot video clip article column op-ed editorial essay segment podcast headline slogan motto
hashtag campaign initiative bill act policy newsletter broadcast broadcasts sheet poem play musical comedy
drama thriller sitcom magazine blog website account page channel tour tagline rally operation plan
""".split())
_SMALL_WORDS = frozenset("a an the of and or in on at for to with by from as but nor vs".split())


def _title_case(quoted: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", quoted) if w.lower() not in _SMALL_WORDS]
    return bool(words) and sum(w[0].isupper() for w in words) >= max(1, 0.75 * len(words)) and len(words) <= 12


def _in_markup(text: str, piece: QuotePiece) -> bool:
    """The marks sit inside a tag left in the text: ``<tweet author="..." id="...">``."""
    opened, closed = text.rfind("<", 0, piece.open), text.rfind(">", 0, piece.open)
    return opened > closed and re.match(r"<[A-Za-z][\w-]*\s", text[opened:opened + 40]) is not None


def _names_a_work(doc: Doc, text: str, piece: QuotePiece, quoted: str) -> bool:
    """Quoted words that name a work, a programme or a campaign rather than report speech:
    after "titled"/"entitled", a title noun or a possessive name (``NBC's "Meet the Press"``,
    ``the book "Strangers No More"``), before a title noun (the "Remain" campaign), or in
    title case after a preposition (starred in "Parks and Recreation")."""
    inner = _quoted_span(doc, text, piece)
    if inner is None or len(quoted.split()) > 12:
        return False
    before = [t for t in doc[max(0, inner.start - 4) : inner.start] if not t.is_punct and t.idx < piece.open]
    after_close = piece.after_close
    after = [t for t in doc[inner.end : inner.end + 3] if not t.is_punct and after_close is not None
             and t.idx >= after_close]
    if after and after[0].lemma_.lower() in TITLE_NOUNS and after[0].pos_ == "NOUN":
        return True
    if not before:
        return False
    last = before[-1]
    if last.lower_ in ("titled", "entitled"):
        return True
    titled = _title_case(quoted)
    if titled and (last.lemma_.lower() in TITLE_NOUNS or last.tag_ == "POS" or last.lower_ in ("'s", "’s")):
        return True
    if titled and len(before) >= 2 and before[-2].tag_ == "POS" and last.pos_ in ("ADJ", "NOUN", "PROPN"):
        return True  # ESPN's marquee "Sunday Night Baseball"
    return titled and last.lower_ in ("on", "in", "of") and not quoted.rstrip().endswith((".", "!", "?"))


def _mistagged_speech_verb(tok: Token, anchor: int) -> bool:
    """A reporting verb in the present tense tagged as a noun, right after a name or pronoun and
    right after the quote: `"...," Frank writes.` / `"...," he mocks.`"""
    doc = tok.doc
    if tok.pos_ != "NOUN" or tok.tag_ != "NNS" or tok.i == 0 or tok.idx < anchor:
        return False
    before = doc[tok.i - 1]
    after_ok = tok.i + 1 >= len(doc) or doc[tok.i + 1].is_punct
    return after_ok and before.pos_ in ("PROPN", "PRON") and tok.lemma_.lower() in REPORTING_VERBS


def _governing_candidate(doc: Doc, text: str, pieces: list[QuotePiece], para: int, piece: QuotePiece) -> _Candidate | None:
    """For quoted words with no reporting verb near them, the person whose clause holds them:
    `Merkel heralded the deal as a "breakthrough."`, `Ryan worried that the safety net was
    becoming "a hammock ..."`. From the verb the quote hangs on, up through the clauses above
    it, the first subject that names someone (a name, a personal pronoun, a role noun)."""
    inner = _quoted_span(doc, text, piece)  # (after "so-called" find_candidate never gets here)
    if inner is None:
        return None
    tok = inner.root
    for _ in range(12):
        if tok.head is tok:
            break
        tok = tok.head
        if _inside(pieces, text, tok.idx) or tok.pos_ not in ("VERB", "AUX"):
            continue
        if tok.dep_ in ("acl", "relcl", "amod"):
            return None  # "also known as the "big guy"", "a plan called "Chaos"": naming, not saying
        subj = subject_of(tok)
        if subj is not None and not _inside(pieces, text, subj.idx) and names_someone(subj):
            reporter = _reporting_clause_above(tok, pieces, text)
            if reporter is not None:  # "Trump said that Cruz is "a basket case"": Trump's words
                return _Candidate(reporter[0], reporter[1], para, abs(reporter[0].idx - piece.open), False, True)
            return _Candidate(tok, subj, para, abs(tok.idx - piece.open), False, True, partial=True)
    return None


def _reporting_clause_above(clause: Token, pieces: list[QuotePiece], text: str) -> tuple[Token, Token] | None:
    """A reporting verb whose complement holds ``clause`` (up through ccomp/advcl/conj links),
    with its subject when that names someone: whoever reports the clause also owns the words
    quoted in it."""
    tok = clause
    for _ in range(4):
        if tok.dep_ not in ("ccomp", "advcl", "conj") or tok.head is tok:
            return None
        tok = tok.head
        if is_speech_verb(tok, REPORTING_VERBS) and tok.pos_ == "VERB" and not _inside(pieces, text, tok.idx):
            subj = subject_of(tok)
            if subj is not None and not _inside(pieces, text, subj.idx) and names_someone(subj):
                return tok, subj
            return None
    return None


def _introducer(doc: Doc, text: str, pieces: list[QuotePiece], para: int) -> list[_Candidate]:
    """`Kim released the following statement:` / `Potts echoed:` closing the paragraph before a
    quote that fills the next one: with no reporting verb there, the subject of that last
    sentence introduces the quote when it names someone."""
    sentences = list(doc.sents)
    if not sentences:
        return []
    root = sentences[-1].root
    if root.pos_ not in ("VERB", "AUX") or _inside(pieces, text, root.idx):
        return []
    subj = subject_of(root)
    if subj is None or _inside(pieces, text, subj.idx) or not names_someone(subj) or subj.lower_ in ("it", "this"):
        return []
    return [_Candidate(root, subj, para, len(text) - root.idx, False, True)]


def _quoted_span(doc: Doc, text: str, piece: QuotePiece):
    """The tokens between a piece's marks, or None when there are none."""
    inner = doc.char_span(piece.inner_start, piece.inner_end(text), alignment_mode="expand")
    return inner if inner is not None and len(inner) else None


def _after_so_called(doc: Doc, i: int) -> bool:
    """The quote follows "so-called" / "so called": the writer's distance, nobody's words."""
    words = [t.lower_ for t in doc[max(0, i - 4) : i] if not t.is_punct or t.text in "-\u2010\u2011"]
    return "called" in words[-2:] and "so" in words[-4:]


def _nearest_name(
    doc: Doc, text: str, pieces: list[QuotePiece], region: tuple[int, int], verb: Token, quote_open: int
) -> Token | None:
    """Fallback when the parse gives the verb no subject: a name a few tokens from the verb."""
    best = None
    for ent in doc.ents:
        if ent.label_ not in ("PERSON", "ORG") or _inside(pieces, text, ent.start_char):
            continue
        if region[0] <= ent.start_char and ent.end_char <= region[1]:
            if ent.start > verb.i and region[1] <= quote_open:
                continue  # between the verb and its quote: what is named ("called Trump a ..."), not who
            gap = min(abs(ent.start - verb.i), abs(ent.end - 1 - verb.i))
            if gap <= 4 and (best is None or gap < best[0]):
                best = (gap, ent.root)
    return best[1] if best else None


class _ArticleQuotes:
    """The per-article state a quote needs: parses, quote pieces, the person index."""

    def __init__(self, article: Article, docs: tuple) -> None:
        self.article = article
        self.texts = [article.original[p.start : p.end] for p in article.paragraphs]
        self.docs = docs
        self.pieces = [find_quote_pieces(t) for t in self.texts]
        self.mentions: list[Mention] = build_person_index(self.docs)
        self.speakers: list[Mention] = []
        self._tagged: list[TaggedParagraph] | None = None

    def tagged(self) -> list[TaggedParagraph] | None:
        """The attribution tagger's reading of every paragraph, made once; None without its
        weights."""
        tagger = load_tagger()
        if tagger is None:
            return None
        if self._tagged is None:
            self._tagged = tag_paragraphs(self, tagger)
        return self._tagged

    def abs(self, para: int, local: int) -> int:
        return self.article.paragraphs[para].start + local

    def find_candidate(self, parts: list[tuple[int, QuotePiece]]) -> _Candidate | None:
        (k0, first), (k1, last) = parts[0], parts[-1]
        opening = _quoted_span(self.docs[k0], self.texts[k0], first)
        if opening is not None and _after_so_called(self.docs[k0], opening.start):
            return None  # "the so-called "reforms"": the writer's distance, whoever else speaks nearby
        cands: list[_Candidate] = []
        text1 = self.texts[k1]
        after = _region_after(text1, self.pieces[k1], last)
        inner = text1[last.inner_start : last.inner_end(text1)].rstrip()
        closed_sentence = (
            inner.endswith((".", "!", "?")) and text1[after[0] : after[1]].lstrip()[:1].isupper()
        )
        limit = _AFTER_CLOSED_SENTENCE_TOKENS if closed_sentence else None
        after_cands = _candidates(self.docs[k1], text1, self.pieces[k1], k1, after, after[0], limit, last.open)
        if closed_sentence:
            # `"... soft." He says referees are ...`: a verb in the next sentence that reports
            # words of its own does not report the quote before it
            after_cands = [c for c in after_cands if not _reports_its_own(c.verb, self.pieces[k1], text1)]
        cands += after_cands
        text0 = self.texts[k0]
        before = _region_before(text0, self.pieces[k0], first)
        cands += _candidates(self.docs[k0], text0, self.pieces[k0], k0, before, before[1], None, first.open)
        if not cands and first.open == 0 and k0 > 0 and self.texts[k0 - 1].rstrip().endswith(":"):
            prev = self.texts[k0 - 1]  # `He said:` closing the paragraph before the quote
            region = _region_before(prev, self.pieces[k0 - 1], QuotePiece(len(prev), len(prev), "double"))
            cands += _candidates(
                self.docs[k0 - 1], prev, self.pieces[k0 - 1], k0 - 1, region, region[1], None, -1
            ) or _introducer(self.docs[k0 - 1], prev, self.pieces[k0 - 1], k0 - 1)
        # The quoted words are the verb's own subject (`the so-called "minister", Vasko, told
        # ...`): they name who speaks, they are not what is said.
        cands = [c for c in cands if not _subject_in(c, parts, self.texts)]
        if not cands:
            return _governing_candidate(self.docs[k0], text0, self.pieces[k0], k0, first)
        # A verb whose clause holds the quote reports it ("X said that the convoys left "too
        # late""); a nearer verb outside it belongs to another clause ("... and called for").
        best = min(cands, key=lambda c: (not c.covers, c.distance))
        if best.speaker_tok is None and not best.according and not passive_addressee(best.verb):
            k = best.para
            region = after if k == k1 and best.verb.idx >= after[0] else before
            quote_open = first.open if region is before else -1
            best.speaker_tok = _nearest_name(self.docs[k], self.texts[k], self.pieces[k], region, best.verb,
                                             quote_open)
            if best.speaker_tok is not None:
                best.distance = -1  # marks the weaker, proximity-based resolution
        return best

    def resolve(self, cand: _Candidate) -> Speaker:
        verb = "according to" if cand.according else cand.verb.text
        if cand.speaker_tok is None:
            return Speaker(None, None, None, None, "none", 0.4, verb)
        sp = speaker_for_token(cand.speaker_tok, cand.para, self.mentions, self.speakers, verb)
        if cand.according and sp.resolved_by == "verb":
            sp.confidence = min(sp.confidence, 0.85)
        if cand.distance == -1:
            sp.confidence = min(sp.confidence, 0.6)
        mention = as_mention(sp, cand.para, cand.verb.idx)
        if mention is not None:
            self.speakers.append(mention)
        return sp

    def speaker_attrs(self, sp: Speaker, cue: tuple[int, int, int] | None = None) -> dict:
        """The speaker fields (docs/json-schema.md): ``speaker_start/end`` the words of this
        attribution naming the source as written, ``speaker`` the resolved name,
        ``speaker_ref_start/end`` the mention it was resolved to, ``cue_start/end`` the
        reporting words; offsets into the original."""
        start = end = ref_start = ref_end = cue_start = cue_end = None
        if sp.para is not None and sp.start is not None and sp.end is not None:
            start, end = self.abs(sp.para, sp.start), self.abs(sp.para, sp.end)
        if sp.ref is not None:
            ref_start, ref_end = self.abs(sp.ref[0], sp.ref[1]), self.abs(sp.ref[0], sp.ref[2])
        elif sp.name is not None:
            ref_start, ref_end = start, end
        if cue is not None:
            cue_start, cue_end = self.abs(cue[0], cue[1]), self.abs(cue[0], cue[2])
        return {
            "speaker": sp.name,
            "speaker_start": start,
            "speaker_end": end,
            "speaker_ref_start": ref_start,
            "speaker_ref_end": ref_end,
            "cue_start": cue_start,
            "cue_end": cue_end,
            "verb": sp.verb,
            "resolved_by": sp.resolved_by,
        }


SPEAKER_FIELDS = ("speaker", "speaker_start", "speaker_end", "speaker_ref_start", "speaker_ref_end",
                  "cue_start", "cue_end", "verb", "resolved_by")


# Verbs whose direct object is whom they speak to, not what they say (`"...," he told reporters.`)
_ADDRESSEE_VERBS = frozenset({"tell", "ask", "inform", "assure", "warn", "remind", "urge", "brief", "reassure"})


def _reports_its_own(verb: Token, pieces: list[QuotePiece], text: str) -> bool:
    """The verb has its own content after it, outside quote marks: a clause it reports, or
    what it names (`She noted a planned rally`)."""
    for child in verb.children:
        if child.i <= verb.i or _inside(pieces, text, child.idx):
            continue
        if child.dep_ == "ccomp" or (child.dep_ == "dobj" and verb.lemma_.lower() not in _ADDRESSEE_VERBS):
            return True
    return False


def _cue_span(verb: Token, para: int) -> tuple[int, int, int]:
    """The reporting words: the verb with its particle ("pointed out"), or "according to"."""
    doc = verb.doc
    if verb.lower_ == "according" and verb.i + 1 < len(doc) and doc[verb.i + 1].lower_ == "to":
        last = doc[verb.i + 1]
    else:
        last = next((c for c in verb.children if c.dep_ == "prt" and c.i == verb.i + 1), verb)
    return para, verb.idx, last.idx + len(last)


def _continues(previous: tuple[int, Finding] | None, parts: list[tuple[int, QuotePiece]]) -> bool:
    if previous is None:
        return False
    k0, first = parts[0]
    return k0 == previous[0] or (k0 == previous[0] + 1 and first.open == 0)


def _trim(original: str, start: int, end: int) -> tuple[int, int]:
    while start < end and original[start].isspace():
        start += 1
    # `..., he said` style: the comma before the closing mark is punctuation, not quoted words;
    # so is a stray single mark after it (`admitted,'"`).
    while end > start and (
        original[end - 1].isspace()
        or original[end - 1] == ","
        or (original[end - 1] in "'’" and end - 2 >= start and original[end - 2] == ",")
    ):
        end -= 1
    return start, end


def _rule_id(sp: Speaker, according: bool) -> str:
    if sp.resolved_by == "none":
        return "quote-unresolved" if sp.start is not None else "quote-unattributed"
    if according and sp.resolved_by == "verb":
        return "quote-according-to"
    return f"quote-{sp.resolved_by}"


def _explain(sp: Speaker) -> str:
    if sp.name is None and sp.start is not None:
        return f'Words in quote marks attributed to a pronoun ("{sp.verb}") left unresolved.'
    if sp.name is None:
        return "Words in quote marks with no speaker found in the surrounding sentence."
    how = {"verb": "named with", "pronoun": "a pronoun with", "title": "a role noun with"}[sp.resolved_by]
    return f'Direct quote attributed to {sp.name} ({how} "{sp.verb}").'


@register("quotes")
class Quotes:
    name = "quotes"
    # 1.7: reported speech from the attribution tagger; 1.6: stated beliefs, intentions, "according to";
    # 1.5: titles; 1.4: scare_quote
    version = "1.10"
    requires: tuple[str, ...] = ()
    reads: tuple[str, ...] = ("parse",)  # parses the paragraphs itself when run without nlp
    assigns: tuple[str, ...] = ("quote", "reported_speech", "scare_quote", "title")

    def load(self) -> None:
        load_tagger()

    def __call__(self, doc: Analysis) -> Analysis:
        article = doc.article
        if not article.paragraphs:
            return doc
        state = _ArticleQuotes(article, paragraph_parses(doc))
        previous: tuple[int, Finding] | None = None  # last attributed direct quote, by paragraph
        for parts in join_paragraph_quotes(state.texts, state.pieces):
            finding = self._quote_finding(state, parts, previous)
            if finding is not None:
                doc.findings.append(finding)
                if finding.label == "direct" and (finding.attrs["speaker"] or finding.attrs["speaker_start"]) is not None:
                    previous = (parts[-1][0], finding)
        doc.findings.extend(self._all_reported_speech(state))
        return doc

    def _all_reported_speech(self, state: _ArticleQuotes) -> list[Finding]:
        """The tagger's reported speech, and what the rules find that it did not (the rules
        alone when the tagger's weights are not installed)."""
        ruled = self._reported_speech(state)
        tagger, paragraphs = load_tagger(), state.tagged()
        if tagger is None or paragraphs is None:
            return ruled
        tagged = tagged_reported_speech(state, tagger, paragraphs)
        return tagged + [r for r in ruled if not any(_same_span(r, t) for t in tagged)]

    def _quote_finding(
        self, state: _ArticleQuotes, parts: list[tuple[int, QuotePiece]], previous: tuple[int, Finding] | None
    ) -> Finding | None:
        original = state.article.original
        piece_spans = []
        for k, piece in parts:
            s, e = _trim(
                original, state.abs(k, piece.inner_start), state.abs(k, piece.inner_end(state.texts[k]))
            )
            if e > s:
                piece_spans.append((s, e))
        if not piece_spans:
            return None
        start, end = piece_spans[0][0], piece_spans[-1][1]
        quoted = " ".join(original[s:e] for s, e in piece_spans)
        mark = parts[0][1].mark
        if len(parts) == 1:
            k, piece = parts[0]
            if _in_markup(state.texts[k], piece):
                return None  # an attribute value of leftover markup (<tweet author="...">), not a quote
            if _names_a_work(state.docs[k], state.texts[k], piece, quoted):
                return Finding(
                    kind="title", label="title", start=start, end=end, text=original[start:end], confidence=0.7,
                    source="rule:quoted-title",
                    explanation="A name in quote marks (a show, a book, a campaign, a slogan): not anyone's speech.",
                    attrs={"mark": mark, "quoted": quoted},
                )
        cand = state.find_candidate(parts)
        if cand is None and len(quoted.split()) <= SCARE_MAX_WORDS and len(parts) == 1:
            return Finding(
                kind="scare_quote",
                label="scare",
                start=start,
                end=end,
                text=original[start:end],
                confidence=0.5,
                source="rule:scare-quote",
                explanation="A few words set in quote marks with no speaker: the writer may be distancing from them.",
                attrs=dict.fromkeys(SPEAKER_FIELDS) | {"resolved_by": "none", "mark": mark, "quoted": quoted},
            )
        if cand is None and previous is not None and _continues(previous, parts):
            # News convention: a quote with no attribution of its own, in the same paragraph as
            # an attributed one or opening the next paragraph, continues the same speaker.
            prev = previous[1]
            attrs = {k: prev.attrs[k] for k in SPEAKER_FIELDS}
            attrs |= {"mark": mark, "quoted": quoted, "continues": [prev.start, prev.end]}
            return Finding(
                kind="quote",
                label="direct",
                start=start,
                end=end,
                text=original[start:end],
                confidence=min(prev.confidence, 0.6),
                source="rule:quote-continued",
                explanation=("Quote with no attribution of its own, following a quote from "
                             f"{attrs['speaker'] or 'the same unnamed source'}."),
                attrs=attrs,
            )
        if cand is None:
            found = self._tagger_speaker(state, parts, start, end, mark, quoted, piece_spans)
            if found is not None:
                return found
        sp = state.resolve(cand) if cand is not None else Speaker(None, None, None, None, "none", 0.3)
        cue = _cue_span(cand.verb, cand.para) if cand is not None else None
        attrs = state.speaker_attrs(sp, cue) | {"mark": mark, "quoted": quoted}
        if len(piece_spans) > 1:
            attrs["parts"] = [[s, e] for s, e in piece_spans]
        partial = cand is not None and cand.partial and sp.name is not None
        if partial:
            attrs["partial"] = True  # words set in a person's own sentence, no reporting verb
        return Finding(
            kind="quote",
            label="direct",
            start=start,
            end=end,
            text=original[start:end],
            confidence=min(sp.confidence, 0.6) if partial else sp.confidence,
            source="rule:quote-partial" if partial else f"rule:{_rule_id(sp, bool(cand and cand.according))}",
            explanation=(f"Words in quote marks in a sentence about what {sp.name} said or did "
                         f'("{sp.verb}"); no reporting verb.') if partial else _explain(sp),
            attrs=attrs,
        )

    def _tagger_speaker(self, state: _ArticleQuotes, parts: list[tuple[int, QuotePiece]], start: int, end: int,
                        mark: str, quoted: str, piece_spans: list[tuple[int, int]]) -> Finding | None:
        """A quote no rule could attribute, attributed by the tagger's Source for it."""
        paragraphs = state.tagged()
        if paragraphs is None:
            return None
        for k, piece in (parts[0], parts[-1]):
            found = quote_speaker(state, paragraphs, k, piece)
            if found is None:
                continue
            sp, cue = found
            mention = as_mention(sp, k, cue[1] if cue is not None else piece.open)  # where it was said
            if mention is not None:
                state.speakers.append(mention)
            attrs = state.speaker_attrs(sp, cue) | {"mark": mark, "quoted": quoted}
            if len(piece_spans) > 1:
                attrs["parts"] = [[s, e] for s, e in piece_spans]
            how = f' ("{sp.verb}")' if sp.verb else ""
            return Finding(
                kind="quote", label="direct", start=start, end=end, text=state.article.original[start:end],
                confidence=TAGGER_QUOTE_SPEAKER_CONFIDENCE, source=TAGGER,
                explanation=f"Direct quote attributed to {sp.name}{how}: no rule found its speaker; the "
                            "attribution tagger did.",
                attrs=attrs,
            )
        return None

    def _reported_speech(self, state: _ArticleQuotes) -> list[Finding]:
        findings = []
        original = state.article.original
        for k, pdoc in enumerate(state.docs):
            text, pieces = state.texts[k], state.pieces[k]
            for tok in _verbs(pdoc):
                speech = is_speech_verb(tok, INDIRECT_SPEECH_VERBS)
                intention = verb_in(tok, INTENTION_VERBS)
                if not (speech or intention) or _inside(pieces, text, tok.idx):
                    continue
                complements = [c for c in tok.children if (c.dep_ == "ccomp" and speech)
                               or (c.dep_ == "xcomp" and intention and c.pos_ == "VERB")]
                for clause in complements:
                    if clause.i < tok.i and not _fronted_clause_adjoins(clause, tok):
                        continue
                    span = _clause_span(clause)
                    if span is None:
                        continue
                    s_local, e_local = span
                    quoted = sum(
                        max(0, min(e_local, p.outer_end(text)) - max(s_local, p.open)) for p in pieces
                    )
                    if quoted > (e_local - s_local) / 2:
                        continue  # the complement is a direct quote, already reported
                    if any(p.open <= s_local < p.outer_end(text) for p in pieces):
                        # 'declared that "..." – as if ...': the quote is reported already; the
                        # parse only hung the writer's own words after it on the verb
                        continue
                    subj = subject_of(tok)
                    sp = (
                        speaker_for_token(subj, k, state.mentions, state.speakers, tok.text)
                        if subj is not None and not _inside(pieces, text, subj.idx)
                        else Speaker(None, None, None, None, "none", 0.3, tok.text)
                    )
                    start, end = _trim(original, state.abs(k, s_local), state.abs(k, e_local))
                    who = sp.name or "an unnamed speaker"
                    findings.append(
                        Finding(
                            kind="reported_speech",
                            label="indirect",
                            start=start,
                            end=end,
                            text=original[start:end],
                            confidence=round(sp.confidence * 0.9, 3),
                            source="rule:reported-speech",
                            explanation=f'Reported (indirect) speech of {who}, introduced by "{tok.text}".',
                            attrs=state.speaker_attrs(sp, _cue_span(tok, k)),
                        )
                    )
            findings.extend(self._according_to(state, k, pdoc))
        return findings

    def _according_to(self, state: _ArticleQuotes, k: int, pdoc: Doc) -> list[Finding]:
        """ "The talks stalled, according to two officials": what the sentence says outside the
        "according to ..." phrase is the named source's statement."""
        out: list[Finding] = []
        original, text, pieces = state.article.original, state.texts[k], state.pieces[k]
        if "according to" not in text.lower():
            return out
        for tok in pdoc:
            source = _according_object(tok)
            if source is None or _inside(pieces, text, tok.idx):
                continue
            sent = tok.sent
            phrase_end = max(source.right_edge.i, tok.i + 1) + 1
            before = [t for t in sent if t.i < tok.i and not t.is_punct]
            after = [t for t in sent if t.i >= phrase_end and not t.is_punct]
            side = before if len(before) >= len(after) else after
            if len(side) < 3:
                continue
            s_local, e_local = side[0].idx, side[-1].idx + len(side[-1])
            quoted = sum(max(0, min(e_local, p.outer_end(text)) - max(s_local, p.open)) for p in pieces)
            if quoted > (e_local - s_local) / 2:
                continue  # a direct quote, reported as such
            sp = speaker_for_token(source, k, state.mentions, state.speakers, "according to")
            start, end = _trim(original, state.abs(k, s_local), state.abs(k, e_local))
            who = sp.name or "an unnamed source"
            out.append(Finding(
                kind="reported_speech", label="indirect", start=start, end=end, text=original[start:end],
                confidence=round(min(sp.confidence, 0.85) * 0.9, 3), source="rule:reported-according-to",
                explanation=f'What {who} says, by "according to".', attrs=state.speaker_attrs(sp, _cue_span(tok, k)),
            ))
        return out


def _same_span(a: Finding, b: Finding) -> bool:
    """Two findings over mostly the same words: they share at least half of the shorter one."""
    if a.start is None or a.end is None or b.start is None or b.end is None:
        return False
    overlap = min(a.end, b.end) - max(a.start, b.start)
    return overlap > 0 and 2 * overlap >= min(a.end - a.start, b.end - b.start)


def _verbs(doc: Doc) -> list[Token]:
    """The doc's verbs, found on its POS array: only they become Token objects (the costly part
    of walking every token of a long article in Python)."""
    pos = doc.to_array([POS])
    return [doc[int(i)] for i in numpy.flatnonzero(pos == VERB_POS)]


def _fronted_clause_adjoins(clause: Token, verb: Token) -> bool:
    """A complement before its verb ("Kiev has heard ..., Zelensky has said") counts only when
    nothing but punctuation, the subject and auxiliaries stands between them; otherwise the
    parse has usually hung a whole earlier sentence on the verb."""
    subject = subject_of(verb)
    subject_ids = {t.i for t in subject.subtree} if subject is not None else set()
    for t in verb.doc[clause.right_edge.i + 1 : verb.i]:
        if not (t.is_punct or t.i in subject_ids or t.dep_ in ("aux", "neg", "advmod")):
            return False
    return True


def _clause_span(clause: Token) -> tuple[int, int] | None:
    """Local char span of a clausal complement, without its leading "that" and end punctuation."""
    toks = list(clause.subtree)
    while toks and (toks[0].dep_ == "mark" or toks[0].is_punct):
        toks = toks[1:]
    while toks and toks[-1].is_punct:
        toks = toks[:-1]
    if len(toks) < 2:
        return None
    return toks[0].idx, toks[-1].idx + len(toks[-1])
