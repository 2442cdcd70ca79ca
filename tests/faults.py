"""Killing real `kg load` processes and telling what the store answers afterwards: shared by the kill
tests (tests/test_faults_kill.py) and the fault benchmark (benchmarks/bench_faults.py).

A store after a kill is one of:

- ``old``: it answers exactly as before the load;
- ``new``: it answers exactly as after the whole load;
- ``refused``: `kg query` refuses to answer and says the last load did not finish (exit 2);
- ``partial``: it answers (exit 0, no word about an unfinished load) something else: the failure.

The answer compared is everything the store holds, through `kg query` and a query file
(``DUMP``), made canonical: every node with its labels and properties and its outgoing
relationships with theirs.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KG = [sys.executable, "-m", "kg.cli"]
ENV = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}

DUMP = """// Everything the store holds: each node, its labels and properties, and its outgoing relationships.
MATCH (n)
OPTIONAL MATCH (n)-[r]->(b)
RETURN labels(n) AS labels, properties(n) AS props, collect([type(r), b.id, properties(r)]) AS out
"""
UNFINISHED = ("did not finish", "has not finished")


def write_dump(folder: Path) -> Path:
    path = folder / "dump.cypher"
    path.write_text(DUMP, encoding="utf-8")
    return path


def digest(rows: list[dict]) -> str:
    """The store's content as one hash, independent of the order rows come in."""
    def clean(props: dict | None) -> dict:
        return {k: v for k, v in (props or {}).items() if v is not None}

    keys = sorted(json.dumps({"labels": sorted(r["labels"]), "props": clean(r["props"]),
                              "out": sorted(json.dumps([t, b, clean(p)], sort_keys=True)
                                            for t, b, p in r["out"] if t is not None)}, sort_keys=True)
                  for r in rows)
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()


def ask(args: list[str], *, invoke: Callable | None = None, before: Callable[[], object] | None = None,
        timeout: float = 600, tries: int = 1, cwd: Path = ROOT) -> tuple[int, str | None, str]:
    """Run ``kg query <args> --format json``: (exit code, digest of the answer or None, stderr).

    ``invoke``: run it through click's CliRunner instead of a process of its own. ``before`` is
    called before each try; a process that runs past ``timeout`` is killed and tried again, up to
    ``tries`` times (the FalkorDB Bolt endpoint can leave a handshake hanging after a client was
    killed; see ``servers.FalkorServer.prime``). ``cwd``: the checkout whose ``kg`` runs.
    """
    argv = ["query", *args, "--format", "json"]
    for attempt in range(tries):
        if before is not None:
            before()
        if invoke is not None:
            result = invoke(argv)
            code, out, err = result.exit_code, result.stdout, result.stderr
            break
        try:
            proc = subprocess.run([*KG, *argv], cwd=cwd, env=ENV, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            if attempt + 1 == tries:
                raise
            continue
        code, out, err = proc.returncode, proc.stdout, proc.stderr
        break
    return code, (digest(json.loads(out)) if code == 0 else None), err


def classify(answer: tuple[int, str | None, str], old: str, new: str) -> str:
    code, got, err = answer
    if code != 0:
        return "refused" if any(w in err for w in UNFINISHED) else f"error: {err.strip()[:300]}"
    if got == old:
        return "old"
    if got == new:
        return "new"
    return "partial" if not any(w in err for w in UNFINISHED) else "partial, said"


def kill_when(cmd: list[str], ready: Callable[[subprocess.Popen], bool], *, delay: float = 0.0,
              timeout: float = 600, cwd: Path = ROOT) -> tuple[bool, float]:
    """Start ``cmd``; once ``ready(proc)`` is true, wait ``delay`` seconds and SIGKILL it.
    Returns (whether it was still running when killed, seconds from start to the kill)."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while not ready(proc):
            if proc.poll() is not None or time.monotonic() - start > timeout:
                return False, time.monotonic() - start
            time.sleep(0.002)
        if delay:
            time.sleep(delay)
        running = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        return running, time.monotonic() - start
    finally:
        proc.kill()
        proc.wait()


def timed(cmd: list[str], marker: Callable[[], bool], *, cwd: Path = ROOT) -> tuple[float, float]:
    """Run ``cmd`` to its end (it must succeed): seconds from its start until ``marker()`` first held
    (polled every 2 ms), and until its end."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seen = None
    while proc.poll() is None:
        if seen is None and marker():
            seen = time.monotonic() - start
        time.sleep(0.002)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stderr.read()}")
    end = time.monotonic() - start
    return (end if seen is None else seen), end


def run(cmd: list[str], *, cwd: Path = ROOT) -> float:
    """Run ``cmd`` to its end (it must succeed); its duration in seconds."""
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True, text=True, timeout=1800)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stderr}")
    return time.monotonic() - start


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))
