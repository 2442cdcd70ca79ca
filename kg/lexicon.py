"""The trigger lexicon of the relation extractor, read from ``data/triggers.json``.

A user extends the extractor by editing that file (or passing another one to
``load_lexicon``); the code holds no trigger words.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kg.errors import GraphFormatError
from kg.vocab import EntityType, RelationType


@dataclass(frozen=True)
class VerbSense:
    type: RelationType
    preps: frozenset[str]
    direct_object: bool
    particle: str | None = None
    themes: frozenset[str] | None = None
    reciprocal: bool = False
    needs_aid: bool = False
    object_in_theme: bool = False


@dataclass(frozen=True)
class TypeSpec:
    type: RelationType
    noun_preps: frozenset[str]
    subject_types: frozenset[EntityType]
    object_types: frozenset[EntityType]


@dataclass(frozen=True)
class Lexicon:
    verbs: dict[str, tuple[VerbSense, ...]]
    nouns: dict[str, RelationType]
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
    seat_titles: frozenset[str] = frozenset()
    former_words: frozenset[str] = frozenset()
    post_verbs: dict[str, str] = field(default_factory=dict)
    appointment_words: frozenset[str] = frozenset()
    org_nouns: frozenset[str] = frozenset()
    member_nouns: frozenset[str] = frozenset()
    party_words: frozenset[str] = frozenset()
    place_nouns: frozenset[str] = frozenset()
    state_titles: frozenset[str] = frozenset()


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """Read a trigger file (default: the packaged ``data/triggers.json``).

    Raises ``GraphFormatError`` naming the file and the bad entry.
    """
    if path is None:
        return _default()
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return _parse(data)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise GraphFormatError(f"{path}: not a valid trigger lexicon: {exc!r}") from exc


@lru_cache(maxsize=1)
def _default() -> Lexicon:
    text = resources.files("kg").joinpath("data/triggers.json").read_text(encoding="utf-8")
    return _parse(json.loads(text))


def _parse(data: dict) -> Lexicon:
    verbs: dict[str, list[VerbSense]] = {}
    nouns: dict[str, RelationType] = {}
    specs: dict[RelationType, TypeSpec] = {}
    for name, spec in data["types"].items():
        rtype = RelationType(name)  # a misspelt type is an error, not a new type
        preps = frozenset(spec.get("preps", []))
        for lemma, opts in spec.get("verbs", {}).items():
            themes = opts.get("themes")
            verbs.setdefault(lemma, []).append(
                VerbSense(
                    type=rtype,
                    preps=frozenset(opts.get("preps", preps)),
                    direct_object=bool(opts.get("direct_object", spec.get("direct_object", True))),
                    particle=opts.get("particle"),
                    themes=frozenset(themes) if themes else None,
                    reciprocal=bool(opts.get("reciprocal", False)),
                    needs_aid=bool(opts.get("needs_aid", False)),
                    object_in_theme=bool(opts.get("object_in_theme", False)),
                )
            )
        for noun in spec.get("nouns", []):
            nouns.setdefault(noun, rtype)
        specs[rtype] = TypeSpec(
            type=rtype,
            noun_preps=frozenset(spec.get("noun_preps", [])),
            subject_types=frozenset(EntityType(t) for t in spec.get("subject_types", [e.value for e in EntityType])),
            object_types=frozenset(EntityType(t) for t in spec.get("object_types", [e.value for e in EntityType])),
        )
    cues = data["cues"]
    return Lexicon(
        verbs={k: tuple(v) for k, v in verbs.items()},
        nouns=nouns,
        specs=specs,
        light_verbs=frozenset(data.get("light_verbs", [])),
        aid_nouns=frozenset(data.get("aid_nouns", [])),
        aid_verbs=frozenset(data.get("aid_verbs", [])),
        negation_words=frozenset(cues["negation_words"]),
        negative_governors=dict(cues["negative_governors"]),
        future_aux=frozenset(cues["future_aux"]),
        possible_aux=frozenset(cues["possible_aux"]),
        future_governors=frozenset(cues["future_governors"]),
        possible_governors=frozenset(cues["possible_governors"]),
        temporal_marks=frozenset(cues["temporal_marks"]),
        speech_verbs=frozenset(cues["speech_verbs"]),
        **_posts(data.get("posts", {})),
    )


def _posts(posts: dict) -> dict:
    return {
        "seat_titles": frozenset(posts.get("seat_titles", [])),
        "former_words": frozenset(posts.get("former_words", [])),
        "post_verbs": dict(posts.get("post_verbs", {})),
        "appointment_words": frozenset(posts.get("appointment_words", [])),
        "org_nouns": frozenset(posts.get("org_nouns", [])),
        "member_nouns": frozenset(posts.get("member_nouns", [])),
        "party_words": frozenset(posts.get("party_words", [])),
        "place_nouns": frozenset(posts.get("place_nouns", [])),
        "state_titles": frozenset(posts.get("state_titles", [])),
    }
