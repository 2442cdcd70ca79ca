"""How the graph looks: one table of colours and shapes for the HTML page and for Neo4j Browser.

Entity types have a colour and a shape. Relation types are coloured by family, after CAMEO's split of
events into cooperation and conflict, so a picture shows at a glance who works with whom and who
fights whom; structural relations (positions, places) stay grey. Whatever the type, a negative
relation is drawn red and dashed, and a future or possible one dotted: those are the page's own marks,
on top of these colours (Neo4j Browser styles by type only).
"""

from __future__ import annotations

from kg.vocab import EntityType, RelationType

# type -> (fill, border, shape: the page draws "circle", "square" and "diamond")
NODE_STYLE: dict[EntityType, tuple[str, str, str]] = {
    EntityType.PERSON: ("#4C8EDA", "#2F6DB5", "circle"),
    EntityType.ORGANIZATION: ("#F79767", "#E0763F", "square"),
    EntityType.PLACE: ("#57C785", "#3AA565", "diamond"),
}

COOPERATION = "#3E8E7E"
CONFLICT = "#B8860B"
STRUCTURE = "#8C95A3"
OTHER = "#B9BEC7"
NEGATIVE = "#D62728"

# By the type's name, so that a type the vocabulary gains (kg.vocab.RelationType is read at run time)
# has its family here before it exists there; a type named nowhere here is drawn as "other".
_FAMILY: dict[str, str] = {
    **dict.fromkeys(("MET_WITH", "VISITED", "OFFERED_AID_TO", "REQUESTED_AID_FROM", "SUPPORTED",
                     "COOPERATED_WITH", "AGREED_WITH"), COOPERATION),
    **dict.fromkeys(("CRITICIZED", "THREATENED", "FOUGHT", "DEPLOYED_TO", "WITHDREW_FROM"), CONFLICT),
    **dict.fromkeys(("JOINED", "HOLDS_POSITION", "LOCATED_IN", "BORDERS", "MEMBER_OF", "BASED_IN"), STRUCTURE),
    "RELATED_TO": OTHER,
}


def relation_colour(type_: RelationType | str) -> str:
    """The colour of a relation type's family: cooperation, conflict, structure, or other (RELATED_TO,
    and any type this table does not name)."""
    return _FAMILY.get(getattr(type_, "value", type_), OTHER)


def page_style() -> dict:
    """The colours and shapes the page draws with (its legend is built from this too)."""
    return {
        "nodes": {t.value: {"color": fill, "border": border, "shape": shape}
                  for t, (fill, border, shape) in NODE_STYLE.items()},
        "relations": {t.value: relation_colour(t) for t in RelationType},
        "other": OTHER,
        "negative": NEGATIVE,
    }


def grass() -> str:
    """A Neo4j Browser style sheet (``:style`` / drag the file in) with the page's colours.

    Nodes carry both ``Entity`` and their type label; the type rule comes later, so it wins. The caption
    is the entity's name; relationships are captioned with their type.
    """
    blocks = [
        _block("node", {"diameter": "50px", "color": "#A5ABB6", "border-color": "#9AA1AC", "border-width": "2px",
                        "text-color-internal": "#FFFFFF", "font-size": "10px"}),
        _block("relationship", {"color": STRUCTURE, "shaft-width": "1px", "font-size": "8px", "padding": "3px",
                                "text-color-external": "#000000", "text-color-internal": "#FFFFFF",
                                "caption": '"<type>"'}),
        _block("node.Document", {"color": "#D9D9D9", "border-color": "#BFBFBF", "text-color-internal": "#000000",
                                 "diameter": "30px", "caption": '"{title}"'}),
        _block("node.Evidence", {"color": "#F2F2F2", "border-color": "#D0D0D0", "text-color-internal": "#000000",
                                 "diameter": "20px", "caption": '"{trigger}"'}),
    ]
    for type_, (fill, border, _shape) in NODE_STYLE.items():
        blocks.append(_block(f"node.{type_.value}", {"color": fill, "border-color": border,
                                                     "text-color-internal": "#FFFFFF", "caption": '"{name}"'}))
    for type_ in RelationType:
        blocks.append(_block(f"relationship.{type_.value}", {"color": relation_colour(type_),
                                                             "shaft-width": "2px", "caption": '"<type>"'}))
    return "\n".join(blocks)


def _block(selector: str, props: dict[str, str]) -> str:
    body = "".join(f"  {key}: {value};\n" for key, value in props.items())
    return f"{selector} {{\n{body}}}\n"
