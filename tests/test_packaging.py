"""What installing kg-news gives: one import package `kg`, one version, the page's libraries in every
wheel whatever ran before the build (they are vendored), and the spaCy factories advertised.

The wheel is built for real (pip, setuptools of the test extra, no network: --no-build-isolation) from a
copy of the repository's files, and installed into a fresh virtual environment."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import kg
from conftest import ROOT
from kg.loaders import viz

PAGE = ROOT / "loaders" / "page"
PAGE_FILES = [(package, file) for package, name, licence in viz.LIBRARIES + viz.MAP_LIBRARIES + (viz.WORLD,)
              for file in (name, licence, "package.json")]


def test_packaging_vendored_libraries_are_the_locked_versions():
    """Each vendored package is the version package.json pins and package-lock.json resolves."""
    pins = json.loads((PAGE / "package.json").read_text(encoding="utf-8"))["dependencies"]
    lock = json.loads((PAGE / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    vendored = {p.name for p in (PAGE / "vendor").iterdir()}
    assert vendored == set(pins) == {package for package, _ in PAGE_FILES}
    for package in pins:
        meta = json.loads((PAGE / "vendor" / package / "package.json").read_text(encoding="utf-8"))
        assert meta["name"] == package
        assert meta["version"] == pins[package] == lock[f"node_modules/{package}"]["version"], package
        assert meta["license"] == lock[f"node_modules/{package}"]["license"], package
    for package, file in PAGE_FILES:
        assert (PAGE / "vendor" / package / file).is_file(), (package, file)


def test_packaging_vendored_libraries_equal_what_npm_installs():
    """The vendored copies are byte for byte the files `npm ci --prefix loaders/page` installs."""
    modules = PAGE / "node_modules"
    if not modules.is_dir():
        pytest.skip("loaders/page/node_modules is absent: run `npm ci --prefix loaders/page` to compare with npm")
    for package, file in PAGE_FILES:
        assert (PAGE / "vendor" / package / file).read_bytes() == (modules / package / file).read_bytes(), \
            f"loaders/page/vendor/{package}/{file} differs from npm's: copy it from node_modules/{package}/{file}"


def test_packaging_page_reads_the_vendored_copies(monkeypatch):
    monkeypatch.delenv(viz.NODE_MODULES_ENV, raising=False)
    assert viz.node_modules() == viz.vendored() == PAGE / "vendor"
    package, name, licence = viz.LIBRARIES[0]
    assert (viz.vendored() / package / name).read_text(encoding="utf-8") in viz.library(package, name, licence)


def test_packaging_version_has_one_source(runner):
    from importlib.metadata import version

    from kg.cli import main

    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"kg, version {kg.__version__}"
    assert version("kg-news") == kg.__version__
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in text and "\nversion =" not in text.split("[tool.")[0]


def _sources(dest: Path) -> Path:
    """A copy of the repository's files (tracked, or new and not ignored): no build/, no node_modules."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    return dest


def _wheel(source: Path, out: Path) -> Path:
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                             "-w", str(out), str(source)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    [wheel] = out.glob("kg_news-*.whl")
    return wheel


def _record(wheel: Path) -> dict[str, tuple[str, str]]:
    with zipfile.ZipFile(wheel) as zf:
        [name] = [n for n in zf.namelist() if n.endswith(".dist-info/RECORD")]
        rows = csv.reader(io.StringIO(zf.read(name).decode()))
        record = {path: (digest, size) for path, digest, size in rows if path != name}
        for path, (digest, _) in record.items():  # the RECORD tells the truth about the files
            algo, _, value = digest.partition("=")
            assert algo == "sha256"
            assert base64.urlsafe_b64encode(hashlib.sha256(zf.read(path)).digest()).rstrip(b"=").decode() == value
        assert set(record) == set(zf.namelist()) - {name}
    return record


@pytest.fixture(scope="module")
def wheels(tmp_path_factory):
    """The wheel built from a copy without node_modules, and from one after `npm ci` and a page build."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs the git checkout to copy the repository's files")
    base = tmp_path_factory.mktemp("wheels")
    plain = _wheel(_sources(base / "plain"), base / "plain-out")
    after = _sources(base / "after")
    modules = after / "loaders" / "page" / "node_modules"
    for package, file in PAGE_FILES:  # what npm ci installs, changed, so a wheel that took it would differ
        (modules / package / file).parent.mkdir(parents=True, exist_ok=True)
        (modules / package / file).write_text("/* a different build */\n", encoding="utf-8")
    (modules / "sigma" / "src").mkdir()
    (modules / "sigma" / "src" / "index.js").write_text("export {};\n", encoding="utf-8")
    (after / "loaders" / "page" / "graph.html").write_text("<p>a stray page</p>\n", encoding="utf-8")
    return plain, _wheel(after, base / "after-out")


def test_packaging_wheel_does_not_depend_on_build_order(wheels):
    plain, after = wheels
    assert _record(plain) == _record(after)


def test_packaging_wheel_holds_one_import_package_and_the_page(wheels):
    plain, _ = wheels
    record = _record(plain)
    assert {path.split("/")[0] for path in record if ".dist-info/" not in path} == {"kg"}
    files = set(record)
    for package, file in PAGE_FILES:
        assert f"kg/loaders/page/vendor/{package}/{file}" in files, (package, file)
    assert not [f for f in files if "node_modules" in f]
    for name in viz.SCRIPTS + ("page.html", "page.css"):
        assert f"kg/loaders/page/{name}" in files
    assert {"kg/queries/met_with.cypher", "kg/queries/sparql/met_with.rq", "kg/data/lexicon.json",
            "kg/data/entities.jsonl", "kg/py.typed", "kg/loaders/data/kg-shapes.ttl"} <= files
    with zipfile.ZipFile(plain) as zf:
        [meta] = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
        headers = zf.read(meta).decode().split("\n\n")[0].splitlines()
        [top] = [n for n in zf.namelist() if n.endswith(".dist-info/top_level.txt")] or [None]
        if top:
            assert zf.read(top).decode().split() == ["kg"]
        [entry_points] = [n for n in zf.namelist() if n.endswith(".dist-info/entry_points.txt")]
        entry_text = zf.read(entry_points).decode()
    assert f"Version: {kg.__version__}" in headers
    assert "License-Expression: MIT" in headers
    assert {h for h in headers if h.startswith("License-File:")} >= {"License-File: LICENSE"}
    assert "[spacy_factories]" in entry_text and "kg_relations" in entry_text and "kg_entities" in entry_text


def test_packaging_fresh_venv_gets_kg_as_its_only_import_package(wheels, tmp_path):
    plain, _ = wheels
    env = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True, timeout=120)
    python = env / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    before = set(os.listdir(site))
    result = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
                             str(plain)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    added = set(os.listdir(site)) - before
    assert {a for a in added if not a.endswith(".dist-info")} == {"kg"}
    assert added == {"kg", f"kg_news-{kg.__version__}.dist-info"}
    assert (env / "bin" / "kg").exists()
    # `import kg` needs none of the dependencies (the API imports them when called), and knows its version.
    probe = ("import kg, importlib.metadata as m; print(kg.__version__, m.version('kg-news'), "
             "*sorted(e.name for e in m.entry_points(group='spacy_factories')))")
    out = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [kg.__version__, kg.__version__, "kg_block_breaks", "kg_entities", "kg_relations"]
