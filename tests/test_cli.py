from __future__ import annotations

import json

from kg.cli import main

ARTICLE = "Canada Signs Pact With Mexico\n\nCanada signed a trade pact with Mexico on Monday, officials in Ottawa said.\n"


def test_cli_build_writes_graph_and_summary(runner, tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(src), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "documents: 1" in result.output
    graph = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    assert [d["id"] for d in graph["documents"]] == ["a"]
    assert {e["name"] for e in graph["entities"]} >= {"Canada", "Mexico", "Ottawa"}


def test_cli_build_skips_bad_files_and_exits_1(runner, tmp_path):
    good = tmp_path / "a.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    bad = tmp_path / "b.txt"
    bad.write_bytes(b"\xff\xfe\x00\x00garbage")
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(good), str(bad), str(tmp_path / "missing.txt"), "--out", str(out),
                                  "--summary-json"])
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert summary["documents"] == 1
    assert sorted(s["source"] for s in summary["skipped"]) == sorted([str(bad), str(tmp_path / "missing.txt")])
    assert (out / "graph.json").exists()


def test_cli_build_strict_stops_at_first_bad_file(runner, tmp_path):
    bad = tmp_path / "b.txt"
    bad.write_bytes(b"")
    result = runner.invoke(main, ["build", str(bad), "--strict", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "b.txt" in result.output and "empty" in result.output
    assert not (tmp_path / "out" / "graph.json").exists()


def test_cli_missing_model_is_a_clear_error(runner, tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(main, ["build", str(src), "--model", "no_such_model_xyz", "--out", str(tmp_path)])
    assert result.exit_code == 2 and "no_such_model_xyz" in result.output


def test_cli_eval_needs_gold_or_conll(runner):
    result = runner.invoke(main, ["eval"])
    assert result.exit_code == 2 and "--gold" in result.output


def test_cli_eval_conll_scores_pipeline_and_raw_model(runner, tmp_path):
    conll = tmp_path / "mini.conll"
    conll.write_text(
        "-DOCSTART- -X- -X- O\n\n"
        "Peter NNP I-NP I-PER\nBlackburn NNP I-NP I-PER\nvisited VBD I-VP O\nGermany NNP I-NP I-LOC\n. . O O\n\n"
        "The DT I-NP O\nEuropean NNP I-NP I-ORG\nCommission NNP I-NP I-ORG\nsaid VBD I-VP O\nso RB O O\n. . O O\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["eval", "--conll", str(conll), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report) == {"raw_model", "pipeline"}
    assert report["pipeline"]["Person"]["tp"] + report["pipeline"]["Person"]["fn"] == 1
    assert report["pipeline"]["Place"]["tp"] == 1


def test_cli_every_command_is_documented_in_readme_and_help(runner):
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert f"kg {name}" in readme, f"README does not document 'kg {name}'"
        help_text = runner.invoke(main, [name, "--help"]).output
        assert "Example" in help_text, f"'kg {name} --help' has no example"
        for param in command.params:
            if param.param_type_name == "option":
                assert param.help, f"option {param.opts} of 'kg {name}' has no help"


def test_cli_build_entities_file_names_and_types_what_it_knows(runner, tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("Kestrel said on Monday it would hire 200 people in Leeds.\n\nKestrel Foods is based in Leeds.\n",
                   encoding="utf-8")
    known = tmp_path / "mine.jsonl"
    known.write_text('{"name": "Kestrel Foods", "type": "Organization", "aliases": ["Kestrel"], '
                     '"ids": {"wikidata": "Q42"}}\n', encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(src), "--out", str(out), "--entities", str(known), "--store", "none",
                                  "--no-viz", "--no-rdf"])
    assert result.exit_code == 0, result.output
    graph = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    [kestrel] = [e for e in graph["entities"] if "Kestrel" in e["aliases"]]
    assert (kestrel["name"], kestrel["type"], kestrel["attributes"]["wikidata"]) == ("Kestrel Foods", "Organization", "Q42")
    assert len(kestrel["mentions"]) == 2


def test_cli_build_bad_entities_file_is_a_clear_error_before_any_work(runner, tmp_path):
    src = tmp_path / "a.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"name": "X", "typ": "Place"}\n', encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(src), "--out", str(out), "--entities", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}: line 1: unknown key(s) typ" in result.output
    assert not (out / "graph.json").exists()
    assert "Traceback" not in result.output


def test_cli_build_min_confidence_leaves_out_weaker_relations(runner, tmp_path):
    src = tmp_path / "a.txt"
    # "It" is found through a pronoun, which costs confidence
    src.write_text(ARTICLE + "\nCanada held talks with Mexico. It also offered technical aid to Mexico.\n",
                   encoding="utf-8")
    counts = {}
    for threshold in ("0", "0.8"):
        out = tmp_path / f"out-{threshold}"
        result = runner.invoke(main, ["build", str(src), "--out", str(out), "--min-confidence", threshold,
                                      "--store", "none", "--no-viz", "--no-rdf"])
        assert result.exit_code == 0, result.output
        graph = json.loads((out / "graph.json").read_text(encoding="utf-8"))
        counts[threshold] = [r["confidence"] for r in graph["relations"]]
    assert any(c < 0.8 for c in counts["0"]), counts
    assert counts["0.8"] and all(c >= 0.8 for c in counts["0.8"])
    assert sorted(counts["0.8"]) == sorted(c for c in counts["0"] if c >= 0.8)
