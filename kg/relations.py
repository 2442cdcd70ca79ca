"""Relations: merging what the documents state into graph relations.

``merge_relations`` turns every document's ``LocalRelation``s into ``Relation``s
between graph entities: one record per distinct (subject, type, object,
polarity, modality) (and predicate, for ``RELATED_TO``), listing every place
that states it. Symmetric types are stored with the smaller id as subject.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Mapping, Sequence

from kg.model import DocResult, Evidence, Relation, relation_id
from kg.vocab import RelationType


def merge_relations(results: Sequence[DocResult], local_to_id: Mapping[tuple[str, int], str]) -> list[Relation]:
    grouped: dict[tuple, list[tuple]] = defaultdict(list)
    for result in results:
        doc_id = result.document.id
        for r in result.relations:
            subject = local_to_id[(doc_id, r.subject)]
            obj = local_to_id[(doc_id, r.object)]
            if subject == obj:
                continue
            if r.type.symmetric and obj < subject:
                subject, obj = obj, subject
            speaker = local_to_id.get((doc_id, r.reported_by)) if r.reported_by is not None else None
            predicate = str(r.attributes.get("predicate", "")) if r.type is RelationType.RELATED_TO else ""
            key = (subject, r.type, obj, r.polarity, r.modality, predicate)
            grouped[key].append((r, speaker))
    relations = []
    for key, items in grouped.items():
        subject, rtype, obj, polarity, modality, predicate = key
        evidence = tuple(sorted({r.evidence for r, _ in items}))
        attributes: dict[str, object] = {}
        for r, _ in items:
            for k, v in sorted(r.attributes.items()):
                attributes.setdefault(k, v)
        if rtype.cameo:
            attributes["cameo"] = rtype.cameo
        speakers = Counter(s for _, s in items if s is not None)
        reported_by = min(speakers, key=lambda s: (-speakers[s], s)) if speakers else None
        relations.append(
            Relation(
                id=relation_id(subject, rtype, obj, polarity, modality, predicate),
                subject=subject,
                type=rtype,
                object=obj,
                polarity=polarity,
                modality=modality,
                confidence=max(r.confidence for r, _ in items),
                attributes=attributes,
                evidence=evidence,
                reported_by=reported_by,
            )
        )
    relations.sort(key=lambda r: r.id)
    return relations


__all__ = ["Evidence", "merge_relations"]
