"""The closed vocabulary of the graph (see ONTOLOGY.md).

Every label, relationship type and attribute value that reaches a store comes
from these enums, never from text. A misspelt member is an ``AttributeError``.
"""

from __future__ import annotations

from enum import Enum


class EntityType(str, Enum):
    PERSON = "Person"
    ORGANIZATION = "Organization"
    PLACE = "Place"

    @property
    def prefix(self) -> str:
        """The id prefix: ``person``, ``organization`` or ``place``."""
        return self.value.lower()


class Polarity(str, Enum):
    POSITIVE = "positive"
    NEGATIVE = "negative"


class Modality(str, Enum):
    ASSERTED = "asserted"
    FUTURE = "future"
    POSSIBLE = "possible"


class RelationType(str, Enum):
    """Relation types with their CAMEO root and whether they are symmetric."""

    MET_WITH = "MET_WITH"
    VISITED = "VISITED"
    OFFERED_AID_TO = "OFFERED_AID_TO"
    REQUESTED_AID_FROM = "REQUESTED_AID_FROM"
    SUPPORTED = "SUPPORTED"
    COOPERATED_WITH = "COOPERATED_WITH"
    AGREED_WITH = "AGREED_WITH"
    CRITICIZED = "CRITICIZED"
    THREATENED = "THREATENED"
    FOUGHT = "FOUGHT"
    DEPLOYED_TO = "DEPLOYED_TO"
    WITHDREW_FROM = "WITHDREW_FROM"
    JOINED = "JOINED"
    HOLDS_POSITION = "HOLDS_POSITION"
    LOCATED_IN = "LOCATED_IN"
    BORDERS = "BORDERS"
    MEMBER_OF = "MEMBER_OF"
    BASED_IN = "BASED_IN"
    RELATED_TO = "RELATED_TO"

    @property
    def cameo(self) -> str | None:
        return _CAMEO.get(self)

    @property
    def symmetric(self) -> bool:
        return self in _SYMMETRIC


_CAMEO: dict[RelationType, str] = {
    RelationType.MET_WITH: "04",
    RelationType.VISITED: "042",
    RelationType.OFFERED_AID_TO: "03",
    RelationType.REQUESTED_AID_FROM: "02",
    RelationType.SUPPORTED: "05",
    RelationType.COOPERATED_WITH: "06",
    RelationType.AGREED_WITH: "057",
    RelationType.CRITICIZED: "11",
    RelationType.THREATENED: "13",
    RelationType.FOUGHT: "19",
    RelationType.DEPLOYED_TO: "15",
    RelationType.WITHDREW_FROM: "08",
}

_SYMMETRIC = frozenset(
    {RelationType.MET_WITH, RelationType.COOPERATED_WITH, RelationType.AGREED_WITH, RelationType.BORDERS}
)
