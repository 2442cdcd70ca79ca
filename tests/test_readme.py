"""The README's Python examples run, in order, as a reader runs them: in a folder that holds seeds/."""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import ROOT, SEEDS

BLOCK = re.compile(r"^```python\n(.*?)^```$", re.S | re.M)


def blocks() -> list[str]:
    return BLOCK.findall((ROOT / "README.md").read_text(encoding="utf-8"))


def test_readme_has_python_examples():
    found = blocks()
    assert len(found) >= 2
    text = "\n".join(found)
    for api in ("kg.build(", "kg.load(", "kg.query(", "kg.export(", "kg.Graph", 'add_pipe("kg_entities")',
                'add_pipe("kg_relations"', "to_disk("):
        assert api in text, api


def test_readme_python_examples_run(tmp_path, monkeypatch):
    shutil.copytree(SEEDS, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    for var in ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        monkeypatch.delenv(var, raising=False)
    namespace: dict = {"__name__": "__readme__"}
    for n, block in enumerate(blocks(), 1):
        try:
            exec(compile(block, f"README.md python block {n}", "exec"), namespace)
        except Exception as exc:  # say which block, with the block's own traceback
            pytest.fail(f"README.md python block {n} failed: {exc!r}\n{block}")
    assert (tmp_path / "out" / "graph.json").read_text(encoding="utf-8") == namespace["graph"].to_json()
