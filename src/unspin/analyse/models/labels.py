"""Label sets of the SemEval-2023 Task 3 taxonomy (names as the organisers spell them)."""

from __future__ import annotations

# Each label with a one-line gloss in our own words (shown to readers in explanations).
# The order is the models' output order: changing it means retraining.
_TECHNIQUES = [
    ("Appeal_to_Authority", "leans on who said it rather than on evidence"),
    ("Appeal_to_Popularity", "says it is right because many people think so"),
    ("Appeal_to_Values", "ties the claim to values the reader holds dear"),
    ("Appeal_to_Fear-Prejudice", "plays on fear of a threat or prejudice against a group"),
    ("Flag_Waving", "invokes national or group pride to justify a stance"),
    ("Causal_Oversimplification", "reduces a complex outcome to one cause"),
    ("False_Dilemma-No_Choice", "offers two options as if no other existed"),
    ("Consequential_Oversimplification", "claims one step will set off a chain of dire events"),
    ("Straw_Man", "answers a distorted version of an opponent's position"),
    ("Red_Herring", "changes the subject to something beside the point"),
    ("Whataboutism", "deflects criticism by pointing at someone else's faults"),
    ("Slogans", "a short catchy phrase in place of an argument"),
    ("Appeal_to_Time", "presses that now is the moment to act"),
    ("Conversation_Killer", "a phrase meant to end discussion"),
    ("Loaded_Language", "words chosen for their emotional charge"),
    ("Repetition", "the same message said again and again"),
    ("Exaggeration-Minimisation", "makes something larger or smaller than it is"),
    ("Obfuscation-Vagueness-Confusion", "deliberately unclear wording"),
    ("Name_Calling-Labeling", "a label meant to make the target loved or hated"),
    ("Doubt", "questions someone's credibility without evidence"),
    ("Guilt_by_Association", "discredits by linking to a disliked person or group"),
    ("Appeal_to_Hypocrisy", "attacks the person as a hypocrite instead of the claim"),
    ("Questioning_the_Reputation", "attacks the character of the person making a claim"),
]
TECHNIQUES = [name for name, _ in _TECHNIQUES]

_FRAMES = [
    ("Economic", "costs, benefits, money"),
    ("Capacity_and_resources", "whether there is enough: people, supplies, means"),
    ("Morality", "right and wrong, duty"),
    ("Fairness_and_equality", "who is treated equally or not"),
    ("Legality_Constitutionality_and_jurisprudence", "laws, courts, rights"),
    ("Policy_prescription_and_evaluation", "what should be done and whether it works"),
    ("Crime_and_punishment", "breaking rules and the penalties"),
    ("Security_and_defense", "threats, war, protection"),
    ("Health_and_safety", "illness, injury, care"),
    ("Quality_of_life", "how people's daily lives are affected"),
    ("Cultural_identity", "traditions, language, who a people are"),
    ("Public_opinion", "what the public thinks, polls, protests"),
    ("Political", "parties, elections, political manoeuvring"),
    ("External_regulation_and_reputation", "a country's standing and relations abroad"),
]
FRAMES = [name for name, _ in _FRAMES]
GLOSS = dict(_TECHNIQUES + _FRAMES)

GENRES = ["reporting", "opinion", "satire"]
# A runner-up genre at least this likely makes the call a close one: named beside the genre.
CLOSE_GENRE = 0.25
# Below this, the genre is shown as "mixed" (with what it leans to): near-identical articles read
# 0.56 opinion / 0.44 reporting one way and the other way round, and a coin toss is no label.
CONFIDENT_GENRE = 0.65
# Technique findings whose label (the paragraph's calibrated probability) is under this are kept
# but not shown by default (``attrs.below_display``; views have a switch that shows all), and of
# a shown label only one highlight is: the lexicon's words, else the strongest stretch. Chosen so
# that hard news reads like hard news: on 120 PolNeAR training articles (US hard news, not used
# to train the techniques) that is about 3 highlights per 1,000 words, against 32 spans at the
# labelling threshold (docs/models.md).
DISPLAY_TECHNIQUE = 0.45

# Known misspellings in the training labels -> the official name.
_FIXES = {"Appeal_to_Fear-Prejudi-čce": "Appeal_to_Fear-Prejudice"}


def normalise_label(name: str) -> str:
    name = name.strip()
    return _FIXES.get(name, name)


def human(name: str) -> str:
    """``Name_Calling-Labeling`` -> ``name calling / labeling`` for explanations."""
    return name.replace("_", " ").replace("-", " / ").lower()
