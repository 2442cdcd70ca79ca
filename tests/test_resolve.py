from __future__ import annotations

from kg.model import DocResult, Document, EntityMention
from kg.resolve import merge, norm, resolve_document, slug
from kg.vocab import EntityType

P, O, L = EntityType.PERSON, EntityType.ORGANIZATION, EntityType.PLACE


def mention(name, start, etype=P, title=None, headline=False):
    return EntityMention(start=start, end=start + len(name), text=name, name=name, type=etype, label="X",
                         tokens=(0, 1), sentence=0, title=title, headline=headline)


def result(doc_id, mentions, text=""):
    return DocResult(document=Document(id=doc_id, text="", source=doc_id), entities=tuple(resolve_document(mentions, text)))


def names(entities):
    return sorted((e.name, tuple(sorted({m.name for m in e.mentions}))) for e in entities)


def test_resolve_short_name_goes_to_full_name():
    ents = resolve_document([mention("Sergei Ivanov", 0), mention("Ivanov", 50)], "")
    assert names(ents) == [("Sergei Ivanov", ("Ivanov", "Sergei Ivanov"))]
    assert not ents[0].scoped


def test_resolve_shared_surname_goes_to_nearest_preceding_full_name():
    ms = [mention("Sergei Ivanov", 0), mention("Ivanov", 20), mention("Igor Ivanov", 40), mention("Ivanov", 60)]
    ents = {e.name: e for e in resolve_document(ms, "")}
    assert [m.start for m in ents["Sergei Ivanov"].mentions] == [0, 20]
    assert [m.start for m in ents["Igor Ivanov"].mentions] == [40, 60]


def test_resolve_surname_before_any_full_name_goes_to_the_next_one():
    ents = resolve_document([mention("Ivanov", 0), mention("Igor Ivanov", 40)], "")
    assert names(ents) == [("Igor Ivanov", ("Igor Ivanov", "Ivanov"))]


def test_resolve_partial_full_name_joins_longer_one():
    ms = [mention("Fogh Rasmussen", 0), mention("Anders Fogh Rasmussen", 30), mention("Rasmussen", 60)]
    assert names(resolve_document(ms, "")) == [
        ("Anders Fogh Rasmussen", ("Anders Fogh Rasmussen", "Fogh Rasmussen", "Rasmussen"))
    ]


def test_resolve_surname_mistyped_as_organisation_is_the_person():
    ents = resolve_document([mention("James Appathurai", 0), mention("Appathurai", 30, O)], "")
    assert [(e.name, e.type) for e in ents] == [("James Appathurai", P)]


def test_resolve_case_variants_are_one_entity_named_as_the_body_writes_it():
    ms = [mention("Nato", 0, O, headline=True), mention("NATO", 30, O), mention("NATO", 60, O)]
    [e] = resolve_document(ms, "")
    assert e.name == "NATO" and set(e.aliases) == {"Nato", "NATO"}


def test_resolve_acronym_defined_in_text():
    text = "the International Security Assistance Force (ISAF) left; ISAF"
    long = "International Security Assistance Force"
    ms = [mention(long, text.index(long), O), mention("ISAF", text.rindex("ISAF"), O)]
    [e] = resolve_document(ms, text)
    assert e.name == long and e.acronym == "ISAF"


def test_resolve_country_alias_gets_gazetteer_name():
    [e] = resolve_document([mention("U.S.", 0, L)], "")
    assert e.name == "United States"


def test_resolve_type_by_majority():
    [e] = resolve_document([mention("Kabul", 0, L), mention("Kabul", 10, L), mention("Kabul", 20, P)], "")
    assert e.type is L


def test_resolve_merge_links_full_names_across_documents_but_not_bare_surnames():
    a = result("a", [mention("Anders Fogh Rasmussen", 0), mention("Rasmussen", 40)])
    b = result("b", [mention("Anders Fogh Rasmussen", 0)])
    c = result("c", [mention("Rasmussen", 0)])
    d = result("d", [mention("Rasmussen", 0)])
    entities, local = merge([a, b, c, d])
    assert local[("a", 0)] == local[("b", 0)] == "person:anders-fogh-rasmussen"
    assert local[("c", 0)] != local[("d", 0)]
    assert local[("c", 0)] != local[("a", 0)]
    assert len(entities) == 3


def test_resolve_merge_keeps_people_who_share_a_surname_apart():
    a = result("a", [mention("Sergei Ivanov", 0, title="Defense Minister"), mention("Ivanov", 40)])
    b = result("b", [mention("Igor Ivanov", 0, title="Foreign Minister"), mention("Ivanov", 40)])
    entities, local = merge([a, b])
    assert {e.id for e in entities} == {"person:sergei-ivanov", "person:igor-ivanov"}
    assert {e.id: e.attributes["title"] for e in entities} == {
        "person:sergei-ivanov": "Defense Minister", "person:igor-ivanov": "Foreign Minister"}


def test_resolve_merge_joins_acronym_to_the_organisation_that_defined_it():
    text = "International Security Assistance Force (ISAF)"
    a = result("a", [mention("International Security Assistance Force", 0, O)], text)
    b = result("b", [mention("ISAF", 0, O)])
    entities, local = merge([a, b])
    assert len(entities) == 1 and local[("b", 0)] == local[("a", 0)]


def test_resolve_merge_is_independent_of_document_order():
    docs = [result("a", [mention("NATO", 0, O), mention("Kabul", 9, L)]), result("b", [mention("Kabul", 0, L)])]
    assert merge(docs)[0] == merge(list(reversed(docs)))[0]


def test_resolve_norm_and_slug():
    assert norm("U.S.") == norm("us") and norm("Nato") == norm("NATO")
    assert slug("Mazar-i-Sharif") == "mazar-i-sharif"
    assert slug("Chișinău") == "chisinau"


def test_resolve_a_company_with_and_without_its_legal_or_group_form_is_one():
    ms = [mention("Vodafone Group", 0, O), mention("Vodafone", 40, O), mention("Vodafone", 80, O)]
    [e] = resolve_document(ms, "")
    assert e.name == "Vodafone" and set(e.aliases) == {"Vodafone", "Vodafone Group"}
    # a person who shares the word is not the company; a form alone is no company's name
    ms = [mention("Morgan Group", 0, O), mention("Morgan", 40, P), mention("Group", 80, O)]
    assert len(resolve_document(ms, "")) == 3
