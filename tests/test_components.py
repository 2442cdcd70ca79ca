"""kg's spaCy components (kg/components.py) as a spaCy user meets them: registered through the entry
point, added to the shipped model with add_pipe, run on plain Docs, saved and loaded back."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from kg import components
from kg.errors import GraphFormatError, InputError, ModelError
from kg.model import Document
from kg.nlp import DEFAULT_MODEL
from kg.vocab import EntityType, Modality, Polarity, RelationType

TEXT = ("NATO Secretary-General Anders Fogh Rasmussen met Russian President Dmitry Medvedev in Moscow on Friday. "
        "Russia will not send troops to Afghanistan, Medvedev said.")


def facts(doc: Doc) -> list[tuple]:
    """The relations of ``doc`` by entity names: what a user compares."""
    ents = doc._.kg_entities
    return [(r.type, ents[r.subject].name, ents[r.object].name, r.polarity, r.modality, r.confidence,
             r.evidence.start, r.evidence.end, r.evidence.trigger, dict(r.attributes)) for r in doc._.kg_relations]


@pytest.fixture(scope="module")
def kg_nlp():
    """The shipped model with both factories added by name, as a spaCy user adds them."""
    nlp = spacy.load(DEFAULT_MODEL)
    nlp.add_pipe("kg_entities")
    nlp.add_pipe("kg_relations")
    return nlp


def test_components_run_on_a_plain_doc(kg_nlp):
    doc = kg_nlp(TEXT)
    names = {e.name: e for e in doc._.kg_entities}
    assert {"NATO", "Anders Fogh Rasmussen", "Dmitry Medvedev", "Moscow", "Russia", "Afghanistan"} <= set(names)
    assert names["Dmitry Medvedev"].type is EntityType.PERSON
    # "Medvedev" later in the text is the same entity, and its mentions point into doc.text.
    assert [m.text for m in names["Dmitry Medvedev"].mentions] == ["Dmitry Medvedev", "Medvedev"]
    for e in doc._.kg_entities:
        for m in e.mentions:
            assert doc.text[m.start : m.end] == m.text == doc[m.tokens[0] : m.tokens[1]].text
    found = facts(doc)
    assert (RelationType.MET_WITH, "Anders Fogh Rasmussen", "Dmitry Medvedev", Polarity.POSITIVE,
            Modality.ASSERTED) in [f[:5] for f in found]
    assert (RelationType.DEPLOYED_TO, "Russia", "Afghanistan", Polarity.NEGATIVE, Modality.FUTURE) in [
        f[:5] for f in found]
    for r in doc._.kg_relations:
        assert r.evidence.sentence == doc.text[r.evidence.start : r.evidence.end]
        assert 0 < r.confidence <= 1


def test_components_round_trip_to_disk(kg_nlp, tmp_path):
    """The measurement of issue 16: add both factories, run, to_disk, spacy.load, the same relations."""
    before = facts(kg_nlp(TEXT))
    assert before
    kg_nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.pipe_names[-2:] == ["kg_entities", "kg_relations"]
    assert facts(loaded(TEXT)) == before


def test_components_saved_pipeline_carries_its_files(tmp_path):
    """A user's entity file and lexicon are copied into the saved pipeline, and the settings come back."""
    entities = tmp_path / "mine.jsonl"
    entities.write_text(json.dumps({"name": "Acme Widgets", "type": "Organization", "aliases": ["Acme"]}) + "\n",
                        encoding="utf-8")
    lexicon = json.loads((Path(components.__file__).parent / "data" / "lexicon.json").read_text("utf-8"))
    [meet] = [f for f in lexicon["verb_frames"] if "meet" in f.get("verbs", ())]
    meet["verbs"].remove("meet")  # this lexicon does not read "met" as a meeting
    lexicon_path = tmp_path / "lexicon.json"
    lexicon_path.write_text(json.dumps(lexicon), encoding="utf-8")
    text = "Acme chief John Smith met Jane Doe, the head of Globex, in Paris."

    nlp = spacy.load(DEFAULT_MODEL)
    nlp.add_pipe("kg_entities", config={"entities": [str(entities)]})
    nlp.add_pipe("kg_relations", config={"lexicon": str(lexicon_path), "min_confidence": 0.5})
    doc = nlp(text)
    assert "Acme Widgets" in {e.name for e in doc._.kg_entities}
    assert RelationType.MET_WITH not in {r.type for r in doc._.kg_relations}
    before = facts(doc)
    nlp.to_disk(tmp_path / "saved")
    entities.unlink()
    lexicon_path.unlink()

    loaded = spacy.load(tmp_path / "saved")
    relations = loaded.get_pipe("kg_relations")
    assert (relations.lexicon, relations.min_confidence) == (str(lexicon_path), 0.5)
    assert loaded.get_pipe("kg_entities").entities == [str(entities)]
    assert facts(loaded(text)) == before
    assert "Acme Widgets" in {e.name for e in loaded(text)._.kg_entities}

    # The same through bytes, into components made with the default settings.
    fresh = spacy.load(DEFAULT_MODEL)
    fresh.add_pipe("kg_entities")
    fresh.add_pipe("kg_relations")
    fresh.get_pipe("kg_entities").from_bytes(nlp.get_pipe("kg_entities").to_bytes())
    fresh.get_pipe("kg_relations").from_bytes(nlp.get_pipe("kg_relations").to_bytes())
    assert facts(fresh(text)) == before


def test_components_min_confidence_leaves_out_weaker_relations(kg_nlp):
    everything = kg_nlp(TEXT)._.kg_relations
    threshold = sorted({r.confidence for r in everything})[-1]
    strict = spacy.load(DEFAULT_MODEL)
    strict.add_pipe("kg_entities")
    strict.add_pipe("kg_relations", config={"min_confidence": threshold})
    kept = strict(TEXT)._.kg_relations
    assert kept and len(kept) < len(everything)
    assert all(r.confidence >= threshold for r in kept)


def test_components_published_date_resolves_relative_times(kg_nlp):
    text = "Rasmussen will visit Moscow on Friday."
    doc = kg_nlp.make_doc(text)
    doc._.kg_published = "2004-11-17"  # a Wednesday
    [visit] = [r for r in kg_nlp(doc)._.kg_relations if r.type is RelationType.VISITED]
    assert visit.attributes["when"] == "2004-11-19"
    [undated] = [r for r in kg_nlp(text)._.kg_relations if r.type is RelationType.VISITED]
    assert "when" not in undated.attributes and undated.attributes["when_text"] == "Friday"


def test_components_span_extension_and_span_group(kg_nlp):
    doc = kg_nlp(TEXT)
    spans = list(doc.spans[components.SPANS_KEY])
    assert len(spans) == sum(len(e.mentions) for e in doc._.kg_entities)
    for span in spans:
        assert span._.kg_entity is not None and span._.kg_entity.type.value == span.label_
        assert span.text in span._.kg_entity.aliases
    assert doc[0:2]._.kg_entity is None  # "NATO Secretary-General" is no mention


def test_components_docs_stay_serialisable(kg_nlp):
    doc = kg_nlp(TEXT)
    again = Doc(kg_nlp.vocab).from_bytes(doc.to_bytes())
    assert facts(again) == facts(doc)
    assert again._.kg_entities == doc._.kg_entities


def test_components_work_in_spacy_worker_processes(kg_nlp):
    texts = [TEXT, "Germany offered aid to Indonesia after the tsunami."]
    one = [facts(d) for d in kg_nlp.pipe(texts)]
    two = [facts(d) for d in kg_nlp.pipe(texts, n_process=2, batch_size=1)]
    assert one == two and all(one)


def test_components_relations_need_entities_first():
    nlp = spacy.load(DEFAULT_MODEL)
    nlp.add_pipe("kg_relations")
    with pytest.raises(ModelError, match="kg_relations needs kg_entities before it"):
        nlp("Germany offered aid to Indonesia.")


def test_components_need_a_parser_and_ner():
    nlp = spacy.blank("en")
    nlp.add_pipe("kg_entities")
    with pytest.raises(ModelError, match="kg_entities needs a dependency parse and named entities"):
        nlp("Germany offered aid to Indonesia.")


@pytest.mark.parametrize("config, error", [
    ({"min_confidence": 1.5}, "min_confidence must be from 0 to 1"),
    ({"min_confidence": "high"}, "min_confidence"),
])
def test_components_bad_settings_are_refused(config, error):
    nlp = spacy.blank("en")
    with pytest.raises(Exception, match=error):
        nlp.add_pipe("kg_relations", config=config)


def test_components_bad_files_name_themselves(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"verb_frames": "nope"}', encoding="utf-8")
    nlp = spacy.blank("en")
    with pytest.raises(GraphFormatError, match="bad.json: not a valid lexicon"):
        nlp.add_pipe("kg_relations", config={"lexicon": str(bad)})
    bad_entities = tmp_path / "bad.jsonl"
    bad_entities.write_text('{"name": "X", "type": "Organization", "colour": "red"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="bad.jsonl: line 1"):
        spacy.blank("en").add_pipe("kg_entities", config={"entities": [str(bad_entities)]})
    # A file that is not there (yet): a saved pipeline's config names it; used without from_disk, it is an error.
    parsed = spacy.load(DEFAULT_MODEL)
    parsed.add_pipe("kg_entities")
    parsed.add_pipe("kg_relations", config={"lexicon": str(tmp_path / "gone.json")})
    with pytest.raises(GraphFormatError, match="gone.json: cannot read the relation lexicon"):
        parsed("Germany offered aid to Indonesia.")


def test_components_kg_build_runs_them():
    """kg build parses through the same components, and a component that fails on one document skips that
    document, with the reason, instead of stopping the batch."""
    from kg.pipeline import Analyzer

    analyzer = Analyzer(DEFAULT_MODEL)
    assert analyzer.nlp.pipe_names[-2:] == ["kg_entities", "kg_relations"]
    assert "kg_block_breaks" in analyzer.nlp.pipe_names
    docs = [Document(id=f"d{i}", text=text, source=f"d{i}.txt") for i, text in
            enumerate(["Germany offered aid to Indonesia.", "Boom offered aid to Indonesia.", TEXT])]
    component = analyzer.nlp.get_pipe("kg_entities")
    call = type(component).__call__

    def failing(self, doc):
        if doc.text.startswith("Boom"):
            raise RuntimeError("boom")
        return call(self, doc)

    type(component).__call__ = failing
    try:
        results = analyzer.analyze(docs)
    finally:
        type(component).__call__ = call
    assert isinstance(results[1], InputError) and "analysis failed in kg_entities: RuntimeError('boom')" in str(results[1])
    assert [r.document.id for r in (results[0], results[2])] == ["d0", "d2"]
    assert {e.name for e in results[2].entities} >= {"Anders Fogh Rasmussen", "Dmitry Medvedev"}


def test_components_kg_build_takes_a_saved_pipeline(kg_nlp, tmp_path):
    """kg build --model PATH of a pipeline saved with kg's components uses them (and their files)."""
    from kg.pipeline import build

    kg_nlp.to_disk(tmp_path / "saved")
    article = tmp_path / "a.txt"
    article.write_text(TEXT + "\n", encoding="utf-8")
    graph, stats = build([str(article)], model=str(tmp_path / "saved"))
    default, _ = build([str(article)])
    assert not stats.failures
    assert graph.to_json() == default.to_json()
    shutil.rmtree(tmp_path / "saved")
