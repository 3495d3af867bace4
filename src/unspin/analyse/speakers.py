"""Who is speaking: reporting verbs, the speaker phrase of a verb, and a small per-article
person index for canonical names, pronouns and role nouns ("the Ukrainian president").

Works on spaCy ``Doc`` objects of single paragraphs (see ``nlp.parse_paragraphs``); offsets
returned are local to the paragraph, the caller adds ``paragraph.start``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

# Lemmas of verbs that introduce speech or writing. "call"/"describe" catch partial quotes
# ("calling it a 'weird' ploy"); they are speech acts too, as are the naming verbs ("critics
# dubbed it "Operation Chaos"": the quoted name is the critics' word).
REPORTING_VERBS = frozenset(
    [
        "say",
        "tell",
        "add",
        "claim",
        "state",
        "write",
        "declare",
        "insist",
        "warn",
        "argue",
        "note",
        "explain",
        "announce",
        "ask",
        "reply",
        "respond",
        "answer",
        "comment",
        "remark",
        "admit",
        "acknowledge",
        "concede",
        "deny",
        "suggest",
        "stress",
        "emphasise",
        "emphasize",
        "assert",
        "allege",
        "maintain",
        "confirm",
        "report",
        "tweet",
        "post",
        "call",
        "describe",
        "urge",
        "vow",
        "pledge",
        "promise",
        "threaten",
        "complain",
        "recall",
        "predict",
        "accuse",
        "quote",
        "cite",
        "conclude",
        "reiterate",
        "testify",
        "demand",
        "caution",
        "boast",
        "lament",
        "observe",
        "dub",
        "brand",
        "label",
        "term",
        "nickname",
        # How the words were said; several judge the speaker (the lexicon flags those), but
        # they introduce the quote all the same.
        "rant",
        "sneer",
        "scoff",
        "whine",
        "bleat",
        "gloat",
        "snarl",
        "fume",
        "rage",
        "brag",
        "blast",
        "slam",
        "quip",
        "joke",
        "shout",
        "scream",
        "yell",
        "chant",
        "whisper",
        "holler",
        "plead",
        "lecture",
        "exclaim",
        "retort",
        "mutter",
        # Seen introducing quotes in news (PolNeAR training articles): continuing a statement,
        # a stated stance or memory, a jibe.
        "continue",
        "affirm",
        "mock",
        "criticize",
        "criticise",
        "remember",
        "vent",
        "snipe",
        "bemoan",
        "proclaim",
        "repeat",
        "interject",
        "counter",
        "contend",
        "grouse",
        "herald",
        "tout",
        "recount",
        "muse",
        "advocate",
        "characterize",
        "characterise",
    ]
)
# Verbs whose clausal complement is reported speech ("X said that ...", "X claimed Ukraine would").
INDIRECT_SPEECH_VERBS = frozenset(
    [
        "say",
        "tell",
        "add",
        "claim",
        "state",
        "write",
        "declare",
        "insist",
        "warn",
        "argue",
        "note",
        "explain",
        "announce",
        "reply",
        "respond",
        "admit",
        "acknowledge",
        "concede",
        "deny",
        "suggest",
        "stress",
        "emphasise",
        "emphasize",
        "assert",
        "allege",
        "maintain",
        "confirm",
        "report",
        "tweet",
        "predict",
        "reiterate",
        "signal",
        "testify",
        "boast",
        "lament",
        "observe",
        # Stated beliefs, findings and intentions: what news attributes besides speech ("polls
        # show that ...", "she believes ...", "he hopes to ...").
        "believe",
        "think",
        "know",
        "fear",
        "hope",
        "expect",
        "feel",
        "worry",
        "doubt",
        "find",
        "show",
        "reveal",
        "indicate",
        "conclude",
        "estimate",
        "ask",
        "question",
        "wonder",
        "agree",
        "recommend",
        "propose",
        "promise",
        "pledge",
        "vow",
        "recall",
        "contend",
        "counter",
    ]
)
# Verbs whose infinitive complement is what the subject states or intends ("hopes to win").
INTENTION_VERBS = frozenset({"hope", "want", "plan", "expect", "promise", "pledge", "vow", "intend", "seek",
                             "refuse", "decline", "threaten", "vote", "agree", "aim", "urge", "call"})
# Verbs that report speech only with their particle: "pointed out that ...", "spelled out".
PHRASAL_SPEECH_VERBS = frozenset({("point", "out"), ("spell", "out"), ("lay", "out"), ("sound", "off"),
                                  ("go", "on"), ("chime", "in")})


@lru_cache(maxsize=16)
def _inflected(verbs: frozenset[str]) -> frozenset[str]:
    """Every regular form of ``verbs``: hope -> hope, hopes, hoped, hoping; try -> tries, tried."""
    forms = set(verbs)
    for v in verbs:
        stem = v[:-1] if v.endswith("e") else v
        forms |= {v + "s", v + "es", v + "d", v + "ed", stem + "ing", stem + "ed"}
        if v.endswith("y"):
            forms |= {v[:-1] + "ies", v[:-1] + "ied"}
    return frozenset(forms)

_PHRASAL_HEADS = frozenset(v for v, _ in PHRASAL_SPEECH_VERBS)


def verb_in(tok: Token, verbs: frozenset[str]) -> bool:
    """Whether ``tok`` is a form of one of ``verbs``: by its lemma, or by its own form where the
    small lemmatizer errs ("hopes" -> "hop")."""
    return tok.lemma_.lower() in verbs or tok.lower_ in _inflected(verbs)


def is_speech_verb(tok: Token, verbs: frozenset[str]) -> bool:
    """Whether ``tok`` reports speech: a form of one of ``verbs``, or a phrasal speech verb with
    its particle ("pointing out")."""
    if verb_in(tok, verbs):
        return True
    lemma = tok.lemma_.lower()
    if lemma not in _PHRASAL_HEADS:
        return False
    return any((lemma, c.lower_) in PHRASAL_SPEECH_VERBS for c in tok.children if c.dep_ == "prt")


# Role nouns a speaker can be referred to by, and title words stripped from names.
ROLE_NOUNS = frozenset(
    [
        "president",
        "minister",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "chancellor",
        "premier",
        "leader",
        "senator",
        "ambassador",
        "secretary",
        "general",
        "commander",
        "governor",
        "mayor",
        "official",
        "envoy",
        "diplomat",
        "aide",
        "adviser",
        "advisor",
        "chief",
        "prosecutor",
        "lawmaker",
        "legislator",
        "congressman",
        "congresswoman",
        "mp",
        "king",
        "queen",
        "pope",
        "prince",
        "emperor",
        "dictator",
        "prime",
        "foreign",
        "defence",
        "defense",
    ]
)
TITLE_WORDS = frozenset(
    [
        "president",
        "minister",
        "prime",
        "foreign",
        "defence",
        "defense",
        "deputy",
        "vice",
        "spokesman",
        "spokeswoman",
        "chancellor",
        "premier",
        "senator",
        "ambassador",
        "secretary",
        "general",
        "gen.",
        "gen",
        "lt.",
        "lt",
        "colonel",
        "col.",
        "major",
        "governor",
        "mayor",
        "mr",
        "mr.",
        "mrs",
        "mrs.",
        "ms",
        "ms.",
        "dr",
        "dr.",
        "sir",
        "lord",
        "lady",
        "king",
        "queen",
        "pope",
        "prince",
        "former",
        "ex",
        "rep.",
        "rep",
        "sen.",
        "sen",
        "commander",
        "chief",
        "envoy",
        "attorney",
        "inspector",
        "judge",
        "justice",
    ]
)
PERSONAL_PRONOUNS = {"he": "person", "she": "person", "him": "person", "her": "person", "they": "group"}
SUBJECT_DEPS = ("nsubj", "nsubjpass")
NAME_LABELS = ("PERSON", "ORG", "NORP", "GPE")


@dataclass
class Mention:
    """A person (or organisation) named in the article: its name without titles, where it
    stands (paragraph position, local char offsets), roles seen next to it, and whether it was
    a grammatical subject (subjects are the likelier antecedents of a later "he"/"she")."""

    name: str
    para: int
    start: int
    end: int
    label: str
    roles: set[str] = field(default_factory=set)
    is_subject: bool = False


def strip_titles(tokens: Sequence[Token] | Span) -> list[Token]:
    toks = list(tokens)
    while toks and (toks[0].lower_ in TITLE_WORDS or toks[0].dep_ == "det" or toks[0].ent_type_ == "NORP"):
        toks = toks[1:]
    while toks and toks[-1].dep_ in ("case", "punct"):  # "Zelensky's" -> "Zelensky"
        toks = toks[:-1]
    return toks


def _role_words_before(doc: Doc, start_tok: int) -> set[str]:
    """Title words right before a name: "Ukrainian President Volodymyr Zelensky" -> {president,
    ukrainian}; "Ukraine's President" -> {president, ukraine}."""
    roles: set[str] = set()
    i = start_tok - 1
    while i >= 0 and i >= start_tok - 5:
        tok = doc[i]
        if tok.lower_ in TITLE_WORDS or tok.lower_ in ROLE_NOUNS:
            roles.add(tok.lower_.rstrip("."))
        elif tok.ent_type_ in ("NORP", "GPE") or tok.dep_ == "case":
            roles.add(tok.lower_)
        else:
            break
        i -= 1
    return roles if roles & ROLE_NOUNS else set()


def _role_words_apposition(root: Token) -> set[str]:
    """ "Olena Kovalenko, the health minister" / "the Ukrainian president, Volodymyr Zelensky"."""
    roles: set[str] = set()
    neighbours = [c for c in root.children if c.dep_ == "appos"]
    if root.dep_ == "appos":
        neighbours.append(root.head)
    for n in neighbours:
        if n.lemma_.lower() in ROLE_NOUNS:
            roles.add(n.lemma_.lower())
            roles.update(t.lower_ for t in n.lefts if t.dep_ in ("amod", "compound", "poss"))
    return roles


def build_person_index(docs: Sequence[Doc]) -> list[Mention]:
    """Every PERSON (and ORG) entity in article order, with titles stripped and roles noted."""
    mentions: list[Mention] = []
    for k, doc in enumerate(docs):
        for ent in doc.ents:
            if ent.label_ not in ("PERSON", "ORG"):
                continue
            toks = strip_titles(ent)
            if not toks:
                continue
            roles = _role_words_before(doc, toks[0].i) | _role_words_apposition(ent.root)
            name = doc[toks[0].i : toks[-1].i + 1].text
            mentions.append(
                Mention(
                    name=name,
                    para=k,
                    start=toks[0].idx,
                    end=toks[-1].idx + len(toks[-1]),
                    label=ent.label_,
                    roles=roles,
                    is_subject=ent.root.dep_ in SUBJECT_DEPS,
                )
            )
    return mentions


def _person_like_org(m_words: list[str], name: str) -> bool:
    """The small tagger often calls a person an organisation ("Maja Holm"): a two- or three-word
    capitalised name ending in the surname looked up stands for that person."""
    return (len(name.split()) == 1 and 2 <= len(m_words) <= 3 and m_words[-1] == name
            and all(w[:1].isupper() for w in m_words))


def canonical_name(name: str, mentions: Sequence[Mention]) -> str:
    """The longest name in the article that contains every word of ``name``:
    "Zelensky" -> "Volodymyr Zelensky"."""
    words = set(name.split())
    best = name
    for m in mentions:
        m_words = m.name.split()
        if not words <= set(m_words):
            continue
        if m.label != "PERSON" and not _person_like_org(m_words, name):
            continue
        if (len(m_words), len(m.name)) > (len(best.split()), len(best)):
            best = m.name
    return best


@dataclass
class Speaker:
    """A resolved speaker: ``name`` canonical (or None); ``para``/``start``/``end`` the words of
    this attribution that name the source, as written ("he", "the president", "Mr. Trump");
    ``ref`` the mention they were resolved to (paragraph, start, end; local offsets), when that
    is another mention; how it was resolved (``verb`` | ``pronoun`` | ``title`` | ``none``) and
    a confidence."""

    name: str | None
    para: int | None
    start: int | None
    end: int | None
    resolved_by: str
    confidence: float
    verb: str | None = None
    label: str = "PERSON"
    ref: tuple[int, int, int] | None = None


_NOMINAL = ("NOUN", "PROPN", "PRON", "NUM", "X")


def _nominal(tok: Token) -> Token | None:
    """The token itself when it can name someone; for a preposition the parser took for a
    subject ("Of Carson, Levine ... said"), its object; else None."""
    if tok.pos_ in _NOMINAL:
        return tok
    if tok.ent_type_ in NAME_LABELS:
        return tok  # "Trump subsequently defended ...": a name the tagger took for a verb or adjective
    if tok.pos_ == "ADP":
        return next((c for c in tok.children if c.dep_ == "pobj" and c.pos_ in ("PROPN", "NOUN")), None)
    return None


def names_someone(tok: Token) -> bool:
    """Whether a subject names a person or a body: a name, a personal pronoun, a role noun."""
    if tok.lower_ in PERSONAL_PRONOUNS:
        return True
    if tok.ent_type_ in ("PERSON", "ORG", "NORP") or tok.pos_ == "PROPN":
        return True
    return tok.pos_ == "NOUN" and tok.lemma_.lower() in ROLE_NOUNS


def _own_subject(verb: Token) -> Token | None:
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    if len(subjects) > 1:
        # "Holding signs, the protesters chanted": the parser may give a verb two subjects; the
        # one that names someone, else the nearer, is the speaker
        subjects.sort(key=lambda c: (not names_someone(c), abs(verb.i - c.i)))
    for child in subjects[:1]:
        if verb.dep_ == "relcl" and child.lower_ in ("who", "which", "that"):
            return verb.head  # "Greta, who called it ...": the relative pronoun stands for Greta
        return _nominal(child)
    return None


# Verbs whose passive subject is the one spoken to ("Okafor was asked by the host, ..."): the
# speaker is the agent ("by the host"), else unknown, never the subject.
ADDRESSED_VERBS = frozenset({"ask", "tell", "question", "urge", "warn", "advise", "inform", "remind"})


def passive_addressee(verb: Token) -> bool:
    """`X was asked / told ...`: the verb's subject is spoken to, not speaking."""
    return verb.lemma_.lower() in ADDRESSED_VERBS and any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def _agent(verb: Token) -> Token | None:
    """The "by ..." of a passive verb."""
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    return next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None


def subject_of(verb: Token, _depth: int = 0) -> Token | None:
    if passive_addressee(verb):
        return _agent(verb)
    own = _own_subject(verb)
    if own is not None:
        return own
    head = verb.head
    if _depth < 3 and verb.dep_ == "pcomp" and head.pos_ == "ADP" and head.head is not head:
        return subject_of(head.head, _depth + 1)  # "The mayor continued by saying, ...": the mayor
    if _depth < 3 and verb.dep_ in ("nsubj", "csubj") and verb.tag_ == "VBG" and head is not verb:
        # "Flea shared the news, writing "Feels great ...": the parser made the participle the
        # subject of the quote's first verb; the one writing is the subject of the clause before.
        while head.dep_ == "conj" and head.head is not head:
            head = head.head
        found = _own_subject(head) if head is not verb.head else None
        return found if found is not None and names_someone(found) else None
    if verb.dep_ == "acl" and head is not verb:
        if names_someone(head):
            return head  # "Lane, the former nominee, tweeted ...", "a spokesman saying ..."
        if _depth < 3 and head.dep_ == "dobj" and head.head.pos_ == "VERB":
            return subject_of(head.head, _depth + 1)  # "Hale issued a statement saying, ...": Hale
        return None
    if verb.dep_ in ("advcl", "conj", "xcomp", "pcomp") and verb.head is not verb:
        # "..., adding that ..." / "calling it ...": a participle shares a subject with the verb
        # it hangs on; when that verb sits inside what a speech verb reports ("Starr said the
        # case reminds him ..., explaining, "..."" ), the one explaining is the speaker.
        nearest = _own_subject(verb.head)
        if nearest is not None and names_someone(nearest):
            return nearest  # "Blair questioned the mission, calling it ...": Blair
        head = verb.head
        for _ in range(4):
            if head.lemma_.lower() in REPORTING_VERBS and head.pos_ == "VERB":
                found = _own_subject(head)
                if found is not None:
                    return found
            elif head is not verb.head and head.pos_ in ("VERB", "AUX"):
                # "Francis made clear that his meeting was not political, saying ...": not the
                # meeting; the first person up the clauses
                found = _own_subject(head)
                if found is not None and names_someone(found) and not (nearest is not None and names_someone(nearest)):
                    return found
            if head.dep_ not in ("ccomp", "conj", "advcl") or head.head is head:
                break
            head = head.head
        if nearest is None and _depth < 3 and verb.head.dep_ in ("acl", "xcomp", "pcomp"):
            return subject_of(verb.head, _depth + 1)  # "The governor interjected to say: ..."
        return nearest
    if verb.dep_ == "relcl":
        return verb.head  # "Blair, who said ...": a relative clause's speaker is the noun it hangs on
    return None


_WHOSE_PREPS = ("of", "for", "at", "in", "to")
_PARTITIVES = frozenset({"one", "some", "several", "many", "most", "none", "each", "all", "both", "few", "any"})


def mention_span(tok: Token) -> Span:
    """The phrase a speaker token stands for: its named entity, its proper-noun compound, or
    for a common noun its determiner/adjective/compound modifiers ("the Ukrainian president")."""
    doc = tok.doc
    if tok.ent_type_ in NAME_LABELS:
        for ent in doc.ents:
            if ent.start <= tok.i < ent.end:
                return ent
    left = tok.i
    for child in tok.lefts:
        if child.dep_ in ("compound", "flat", "det", "amod", "poss", "nummod") and child.i < left:
            # a possessor keeps its own modifiers: "the employers' association"
            left = child.left_edge.i if child.dep_ == "poss" else child.i
    right = tok.i + 1
    # "one of the officials", "a spokesman for the ministry", "officials in Kyiv": the noun alone
    # says little; a short prepositional phrase says whose
    if tok.lower_ in _PARTITIVES or tok.like_num or tok.pos_ == "NOUN":
        preps = ("of",) if tok.lower_ in _PARTITIVES or tok.like_num else _WHOSE_PREPS
        prep = next((c for c in tok.rights if c.dep_ == "prep" and c.lower_ in preps), None)
        if prep is not None and prep.right_edge.i - tok.i <= 6:
            right = prep.right_edge.i + 1
    return doc[left:right]


def _names_before(mentions: Sequence[Mention], para: int, pos: int) -> list[Mention]:
    return [m for m in mentions if (m.para, m.start) < (para, pos)]


def resolve_pronoun(
    pronoun: str, para: int, pos: int, mentions: Sequence[Mention], speakers: Sequence[Mention]
) -> Mention | None:
    """The antecedent of "he"/"she"/"they": the latest earlier speaker or subject that fits,
    else the latest earlier mention; "they" only takes organisations."""
    want = "ORG" if PERSONAL_PRONOUNS.get(pronoun) == "group" else "PERSON"
    earlier = [m for m in _names_before([*mentions, *speakers], para, pos) if m.label == want]
    if not earlier:
        return None
    earlier.sort(key=lambda m: (m.para, m.start))
    recent = [m for m in earlier if m.para >= earlier[-1].para - 2]
    subjects = [m for m in recent if m.is_subject]
    return (subjects or recent)[-1]


def resolve_role(
    role: str, modifiers: set[str], para: int, pos: int, mentions: Sequence[Mention]
) -> Mention | None:
    """ "the (Ukrainian) president" -> the latest earlier person seen with that role, preferring
    one whose title also carried the modifier ("Ukraine's President ...")."""
    fits = [m for m in _names_before(mentions, para, pos) if m.label == "PERSON" and role in m.roles]
    if not fits:
        return None

    def shares_modifier(m: Mention) -> bool:
        return any(a[:5] == b[:5] for a in modifiers for b in m.roles)

    preferred = [m for m in fits if shares_modifier(m)] if modifiers else []
    return (preferred or fits)[-1]


def _reporter_of(pron: Token) -> Token | None:
    """ "The association said it had offered a raise and called the walkout ...": the pronoun
    subject of a clause a reporting verb reports stands for that verb's own subject, when they
    fit (he/she a person, it/they not)."""
    low = pron.lower_
    if low not in ("it", "they", "he", "she") or pron.dep_ not in SUBJECT_DEPS:
        return None
    clause = pron.head
    while clause.dep_ == "conj" and clause.head is not clause:
        clause = clause.head
    outer = clause.head
    if clause.dep_ != "ccomp" or outer.lemma_.lower() not in REPORTING_VERBS:
        return None
    subj = next((c for c in outer.children if c.dep_ in SUBJECT_DEPS), None)
    if subj is None or subj.pos_ == "PRON":
        return None
    person = subj.ent_type_ == "PERSON" or subj.lemma_.lower() in ROLE_NOUNS
    return subj if (low in ("he", "she")) == person else None


# Pronouns kept as the speaker's words without a name; indefinite ones are named by their
# phrase, as a noun is ("someone in the audience shouted").
_OPEN_PRONOUNS = frozenset({"it", "i", "we"})
_INDEFINITE = frozenset({"someone", "somebody", "anyone", "anybody", "everyone", "everybody", "nobody"})


def speaker_for_token(
    tok: Token,
    para: int,
    mentions: Sequence[Mention],
    speakers: Sequence[Mention],
    verb: str | None,
) -> Speaker:
    """Resolve the token that stands for the speaker (the subject of a reporting verb, or the
    object of "according to") into a canonical name."""
    pos = tok.idx
    low = tok.lower_
    own = (tok.idx, tok.idx + len(tok))
    if (tok.pos_ == "PRON" or low in PERSONAL_PRONOUNS) and low not in _INDEFINITE:
        reporter = _reporter_of(tok)
        if reporter is not None:
            outer = speaker_for_token(reporter, para, mentions, speakers, verb)
            ref = outer.ref
            if ref is None and outer.para is not None and outer.start is not None and outer.end is not None:
                ref = (outer.para, outer.start, outer.end)
            return replace(outer, para=para, start=own[0], end=own[1], resolved_by="pronoun", ref=ref)
        if low in _OPEN_PRONOUNS:
            # `it said`, `I said`, `we said`: an organisation, a document or the writer speaks;
            # the words are kept as written and the name is left open (too many candidates).
            return Speaker(None, para, *own, "none", 0.3, verb)
        if low not in PERSONAL_PRONOUNS:
            return Speaker(None, None, None, None, "none", 0.3, verb)
        ante = resolve_pronoun(low, para, pos, mentions, speakers)
        if ante is None:
            return Speaker(None, para, *own, "none", 0.3, verb)
        name = canonical_name(ante.name, mentions) if ante.label == "PERSON" else ante.name
        return Speaker(name, para, *own, "pronoun", 0.7, verb, ante.label, ref=(ante.para, ante.start, ante.end))
    # "the minister, Olena Kovalenko, said": the apposed name is the speaker
    apposed = next((c for c in tok.children if c.dep_ == "appos" and c.ent_type_ in ("PERSON", "ORG")), None)
    if apposed is None and tok.pos_ == "NOUN":
        # "Moscow's representative to the UN, Dmitry Polyansky, claimed": the parser may hang the
        # name on the last noun of the title phrase instead of on its head
        apposed = next((t for t in tok.subtree if t.i > tok.i and t.dep_ == "appos" and t.ent_type_ == "PERSON"), None)
    if apposed is not None:
        tok = apposed
    span = mention_span(tok)
    written = _as_written(span)
    indefinite = any(t.lower_ in ("a", "an", "one", "another") for t in span if t.i < tok.i)
    if tok.pos_ == "NOUN" and tok.lemma_.lower() in ROLE_NOUNS and not indefinite:
        modifiers = {t.lower_ for t in span if t.i != tok.i and t.dep_ in ("amod", "compound", "poss")}
        holder = resolve_role(tok.lemma_.lower(), modifiers, para, pos, mentions)
        if holder is not None:
            name = canonical_name(holder.name, mentions)
            return Speaker(name, para, *written, "title", 0.7, verb, ref=(holder.para, holder.start, holder.end))
        return Speaker(span.text, para, *written, "verb", 0.5, verb, "OTHER")
    is_name = tok.ent_type_ in NAME_LABELS or tok.pos_ == "PROPN"
    # names lose their titles ("President X" -> "X"); other phrases stay whole ("a watchdog group")
    toks = (strip_titles(span) or list(span)) if is_name else list(span)
    name_text = tok.doc[toks[0].i : toks[-1].i + 1].text
    # earlier speakers count too: the tagger may have missed "Mayor Ana Ruiz" as a person, but
    # the quote she gave first named her in full
    name = canonical_name(name_text, [*mentions, *speakers]) if is_name else name_text
    label = "ORG" if tok.ent_type_ == "ORG" else "PERSON" if is_name else "OTHER"
    return Speaker(name, para, *written, "verb", 0.9 if is_name else 0.5, verb, label)


def _as_written(span: Span) -> tuple[int, int]:
    """The local character span of a speaker phrase as the article writes it, with a title or
    honorific right before a name kept ("Mr. Trump", "Sen. Warren") and a possessive ending
    dropped."""
    doc = span.doc
    first, last = span.start, span.end - 1
    while first > 0 and doc[first - 1].lower_ in TITLE_WORDS:
        first -= 1
    while last > first and doc[last].dep_ in ("case", "punct"):
        last -= 1
    return doc[first].idx, doc[last].idx + len(doc[last])


def as_mention(sp: Speaker, para: int, pos: int) -> Mention | None:
    """A resolved speaker as a mention at the place it spoke (a candidate for later pronouns),
    spanning the words that named it there."""
    if sp.name is None or sp.label not in ("PERSON", "ORG"):
        return None
    if sp.para == para and sp.start is not None and sp.end is not None:
        return Mention(sp.name, para, sp.start, sp.end, sp.label, is_subject=True)
    return Mention(sp.name, para, pos, pos, sp.label, is_subject=True)
