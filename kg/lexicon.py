"""The relation extractor's lexicon, read from ``data/lexicon.json`` (its ``about`` says what each part is).

A user extends the extractor by editing that file (or passing another one to
``load_lexicon``); the code holds no trigger words. The schema is closed: an
unknown key, an unknown relation or node type, an object slot that does not
exist, or a frame that can never match (no trigger word; a node type its
relation type does not allow) is an error at load, naming the file and the
frame.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from kg.errors import GraphFormatError
from kg.vocab import EntityType, RelationType

SLOT_KINDS = ("dobj", "dative", "theme_owner", "complement_subject", "complement_object", "aid_recipient", "compound")
"""Object slots that are not a preposition ("to") or a preposition of the direct object ("theme:to")."""
MONEY = "money_amount"
FRAME_KEYS = frozenset({"type", "verbs", "object", "theme", "theme_prep", "theme_owner_nouns", "particle",
                        "particle_or_prep", "needs", "reciprocal", "subject_types", "object_types", "not_under",
                        "verbal_for", "not_with"})
NOUN_FRAME_KEYS = frozenset({"type", "nouns", "object", "subject_types", "object_types"})
TOP_KEYS = frozenset({"about", "types", "verb_frames", "noun_frames", "light_verbs", "aid", "cues", "reference", "posts",
                      "related"})
CUE_KEYS = frozenset({"negation_words", "negative_governors", "future_aux", "possible_aux", "future_governors",
                      "possible_governors", "temporal_marks", "speech_verbs", "conditional_marks", "be_to"})
REFERENCE_KEYS = frozenset({"pronouns", "pronoun_gender", "relative_pronouns", "nominals", "group_nouns",
                            "object_control_exceptions", "wish_verbs"})
POSTS_KEYS = frozenset({"seat_titles", "former_words", "post_verbs", "appointment_words", "org_nouns", "member_nouns",
                        "party_words", "place_nouns", "state_titles"})


@dataclass(frozen=True)
class TypeSpec:
    type: RelationType
    subject_types: frozenset[EntityType]
    object_types: frozenset[EntityType]


@dataclass(frozen=True)
class Frame:
    """One way a trigger states a relation (see ``data/lexicon.json``, ``about``)."""

    type: RelationType
    triggers: frozenset[str]
    slots: tuple[str, ...]
    subject_types: frozenset[EntityType]
    object_types: frozenset[EntityType]
    theme: frozenset[str] | None = None
    theme_prep: str | None = None
    theme_owner_nouns: frozenset[str] = frozenset()
    particle: str | None = None
    particle_or_prep: str | None = None
    needs_aid: bool = False
    reciprocal: bool = False
    not_under: frozenset[str] = frozenset()
    verbal_for: frozenset[str] = frozenset()
    not_with: frozenset[str] = frozenset()
    index: int = 0

    @property
    def preps(self) -> frozenset[str]:
        """Prepositions on the trigger whose object is the relation's object."""
        return frozenset(s for s in self.slots if s not in SLOT_KINDS and ":" not in s)

    def theme_preps(self, prefix: str = "theme") -> frozenset[str]:
        return frozenset(s.split(":", 1)[1] for s in self.slots if s.startswith(prefix + ":"))


@dataclass(frozen=True)
class Lexicon:
    verb_frames: dict[str, tuple[Frame, ...]]
    noun_frames: dict[str, tuple[Frame, ...]]
    specs: dict[RelationType, TypeSpec]
    light_verbs: frozenset[str]
    aid_nouns: frozenset[str]
    aid_verbs: frozenset[str]
    negation_words: frozenset[str]
    negative_governors: dict[str, str]
    future_aux: frozenset[str]
    possible_aux: frozenset[str]
    future_governors: frozenset[str]
    possible_governors: frozenset[str]
    temporal_marks: frozenset[str]
    speech_verbs: frozenset[str]
    conditional_marks: frozenset[str]
    be_to: frozenset[str]
    pronouns: dict[str, frozenset[EntityType]]
    pronoun_gender: dict[str, str]
    relative_pronouns: frozenset[str]
    nominals: dict[str, frozenset[EntityType]]
    group_nouns: frozenset[str]
    object_control_exceptions: frozenset[str]
    wish_verbs: frozenset[str]
    seat_titles: frozenset[str] = frozenset()
    former_words: frozenset[str] = frozenset()
    post_verbs: dict[str, str] = field(default_factory=dict)
    appointment_words: frozenset[str] = frozenset()
    org_nouns: frozenset[str] = frozenset()
    member_nouns: frozenset[str] = frozenset()
    party_words: frozenset[str] = frozenset()
    place_nouns: frozenset[str] = frozenset()
    state_titles: frozenset[str] = frozenset()
    related_verbs: frozenset[str] = frozenset()
    related_preps: frozenset[str] = frozenset()


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """Read a lexicon file (default: the packaged ``data/lexicon.json``).

    Raises ``GraphFormatError`` naming the file and what is wrong.
    """
    if path is None:
        return _default()
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return _parse(data)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise GraphFormatError(f"{path}: not a valid lexicon: {exc}") from exc


def parse_lexicon(data: Any) -> Lexicon:
    """A lexicon from the parsed JSON of a lexicon file; ``ValueError``, ``KeyError`` or ``TypeError`` saying
    what is wrong."""
    return _parse(data)


@lru_cache(maxsize=1)
def _default() -> Lexicon:
    text = resources.files("kg").joinpath("data/lexicon.json").read_text(encoding="utf-8")
    return _parse(json.loads(text))


def _closed(obj: Any, allowed: frozenset[str], where: str) -> dict:
    if not isinstance(obj, dict):
        raise ValueError(f"{where} must be an object")
    unknown = sorted(set(obj) - allowed)
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(unknown)}")
    return obj


def _words(obj: Any, where: str) -> frozenset[str]:
    if not isinstance(obj, list) or not all(isinstance(w, str) and w for w in obj):
        raise ValueError(f"{where} must be a list of words")
    return frozenset(w.lower() for w in obj)


def _types(obj: Any, where: str) -> frozenset[EntityType]:
    if not isinstance(obj, list) or not obj:
        raise ValueError(f"{where} must be a non-empty list of node types")
    return frozenset(EntityType(t) for t in obj)


def _parse(data: dict) -> Lexicon:
    _closed(data, TOP_KEYS, "lexicon")
    specs: dict[RelationType, TypeSpec] = {}
    for name, spec in data["types"].items():
        rtype = RelationType(name)  # a misspelt type is an error, not a new type
        spec = _closed(spec, frozenset({"subject_types", "object_types"}), f"types.{name}")
        specs[rtype] = TypeSpec(rtype, _types(spec["subject_types"], f"types.{name}.subject_types"),
                                _types(spec["object_types"], f"types.{name}.object_types"))
    verb_frames: dict[str, list[Frame]] = {}
    for n, raw in enumerate(data["verb_frames"]):
        frame = _frame(raw, n, specs, FRAME_KEYS, "verbs", "verb_frames")
        for word in frame.triggers:
            verb_frames.setdefault(word, []).append(frame)
    noun_frames: dict[str, list[Frame]] = {}
    for n, raw in enumerate(data["noun_frames"]):
        frame = _frame(raw, n, specs, NOUN_FRAME_KEYS, "nouns", "noun_frames")
        for word in frame.triggers:
            noun_frames.setdefault(word, []).append(frame)
    aid = _closed(data["aid"], frozenset({"nouns", "verbs"}), "aid")
    cues = _closed(data["cues"], CUE_KEYS, "cues")
    ref = _closed(data["reference"], REFERENCE_KEYS, "reference")
    posts = _closed(data.get("posts", {}), POSTS_KEYS, "posts")
    related = _closed(data.get("related", {}), frozenset({"verbs", "preps"}), "related")
    return Lexicon(
        verb_frames={k: tuple(v) for k, v in verb_frames.items()},
        noun_frames={k: tuple(v) for k, v in noun_frames.items()},
        specs=specs,
        light_verbs=_words(data["light_verbs"], "light_verbs"),
        aid_nouns=_words(aid["nouns"], "aid.nouns"),
        aid_verbs=_words(aid["verbs"], "aid.verbs"),
        negation_words=_words(cues["negation_words"], "cues.negation_words"),
        negative_governors={k.lower(): str(v) for k, v in cues["negative_governors"].items()},
        future_aux=_words(cues["future_aux"], "cues.future_aux"),
        possible_aux=_words(cues["possible_aux"], "cues.possible_aux"),
        future_governors=_words(cues["future_governors"], "cues.future_governors"),
        possible_governors=_words(cues["possible_governors"], "cues.possible_governors"),
        temporal_marks=_words(cues["temporal_marks"], "cues.temporal_marks"),
        speech_verbs=_words(cues["speech_verbs"], "cues.speech_verbs"),
        conditional_marks=_words(cues["conditional_marks"], "cues.conditional_marks"),
        be_to=_words(cues["be_to"], "cues.be_to"),
        pronouns={w.lower(): _types(k.split(), f"reference.pronouns.{k}") for k, ws in ref["pronouns"].items()
                  for w in ws},
        pronoun_gender={w.lower(): g for g, ws in ref.get("pronoun_gender", {}).items() for w in ws},
        relative_pronouns=_words(ref["relative_pronouns"], "reference.relative_pronouns"),
        nominals={w.lower(): _types([k], f"reference.nominals.{k}") for k, ws in ref["nominals"].items() for w in ws},
        group_nouns=_words(ref["group_nouns"], "reference.group_nouns"),
        object_control_exceptions=_words(ref["object_control_exceptions"], "reference.object_control_exceptions"),
        wish_verbs=_words(ref["wish_verbs"], "reference.wish_verbs"),
        seat_titles=_words(posts.get("seat_titles", []), "posts.seat_titles"),
        former_words=_words(posts.get("former_words", []), "posts.former_words"),
        post_verbs={k.lower(): str(v) for k, v in posts.get("post_verbs", {}).items()},
        appointment_words=_words(posts.get("appointment_words", []), "posts.appointment_words"),
        org_nouns=_words(posts.get("org_nouns", []), "posts.org_nouns"),
        member_nouns=_words(posts.get("member_nouns", []), "posts.member_nouns"),
        party_words=frozenset(posts.get("party_words", [])),
        place_nouns=_words(posts.get("place_nouns", []), "posts.place_nouns"),
        state_titles=_words(posts.get("state_titles", []), "posts.state_titles"),
        related_verbs=_words(related.get("verbs", []), "related.verbs"),
        related_preps=_words(related.get("preps", []), "related.preps"),
    )


def _frame(raw: Any, n: int, specs: dict[RelationType, TypeSpec], keys: frozenset[str], trigger_key: str,
           section: str) -> Frame:
    where = f"{section}[{n}]"
    raw = _closed(raw, keys, where)
    rtype = RelationType(raw["type"])
    where += f" ({rtype.value})"
    spec = specs.get(rtype)
    if spec is None:
        raise ValueError(f"{where}: relation type without an entry in 'types'")
    triggers = _words(raw.get(trigger_key), f"{where}.{trigger_key}")
    if not triggers:
        raise ValueError(f"{where}: no {trigger_key}, the frame can never match")
    slots = tuple(raw.get("object", []))
    if not slots or not all(isinstance(s, str) and s for s in slots):
        raise ValueError(f"{where}: 'object' must name at least one slot")
    for slot in slots:
        kind, _, prep = slot.partition(":")
        if ":" in slot and (kind not in ("theme", "theme_subtree") or not prep.isalpha()):
            raise ValueError(f"{where}: object slot {slot!r} does not exist")
        if ":" not in slot and slot not in SLOT_KINDS and not slot.isalpha():
            raise ValueError(f"{where}: object slot {slot!r} does not exist")
    subject_types = _types(raw["subject_types"], f"{where}.subject_types") if "subject_types" in raw else spec.subject_types
    object_types = _types(raw["object_types"], f"{where}.object_types") if "object_types" in raw else spec.object_types
    if not subject_types <= spec.subject_types or not object_types <= spec.object_types:
        raise ValueError(f"{where}: node types outside those of {rtype.value}, the frame can never match")
    theme = _words(raw["theme"], f"{where}.theme") if "theme" in raw else None
    if theme is not None and not theme:
        raise ValueError(f"{where}: an empty 'theme' can never match")
    needs = raw.get("needs")
    if needs not in (None, "aid"):
        raise ValueError(f"{where}: 'needs' can only be 'aid'")
    return Frame(
        type=rtype, triggers=triggers, slots=slots, subject_types=subject_types, object_types=object_types,
        theme=theme, theme_prep=raw.get("theme_prep"), theme_owner_nouns=_words(raw.get("theme_owner_nouns", []), f"{where}.theme_owner_nouns"),
        particle=raw.get("particle"), particle_or_prep=raw.get("particle_or_prep"), needs_aid=needs == "aid",
        reciprocal=bool(raw.get("reciprocal", False)), not_under=_words(raw.get("not_under", []), f"{where}.not_under"),
        verbal_for=_words(raw.get("verbal_for", []), f"{where}.verbal_for"),
        not_with=_words(raw.get("not_with", []), f"{where}.not_with"), index=n,
    )
