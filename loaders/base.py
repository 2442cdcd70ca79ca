"""The one interface every store and export implements."""

from __future__ import annotations

import gc
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol

from kg.model import Graph


# The RDF formats the RDF sink writes, with their file suffixes. Here rather than in loaders/rdf.py so
# the CLI can offer them without importing rdflib at start-up.
RDF_FORMATS = {"turtle": "ttl", "json-ld": "jsonld", "nt": "nt", "trig": "trig"}


@dataclass(frozen=True)
class WriteReport:
    """What a sink wrote: where, and how many of each kind of record."""

    target: str
    counts: dict[str, int] = field(default_factory=dict)


class Sink(Protocol):
    """Writes a ``Graph`` and says what it wrote. A sink that fails raises ``kg.errors.StoreError``."""

    name: str

    def write(self, graph: Graph) -> WriteReport: ...


def save_atomic(path: Path, save: Callable[[Path], object], *, fsync: bool = False) -> None:
    """``write_atomic`` for a writer that takes a path (``save(tmp)`` writes the whole file there): the same
    temporary name, the same rename into place, the same clean-up when it fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-{os.getpid()}-", suffix=".tmp")
    os.close(fd)
    try:
        save(Path(tmp))
        if fsync:
            fd = os.open(tmp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        os.chmod(tmp, 0o666 & ~_umask())  # as open() would have made it, not mkstemp's owner-only 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if fsync:
        _fsync_dir(path.parent)


def write_atomic(path: Path, write: Callable[[BinaryIO], object], *, fsync: bool = False) -> None:
    """Write a file through ``write(fh)`` into a temporary file beside it, then rename it into place:
    a reader never sees half a file, and a failed write leaves the old file and no temporary one.

    The temporary file is ``.<name>-<pid>-<random>.tmp``: if the process is killed while writing,
    ``remove_stale_temp`` finds it by the dead pid and removes it. ``fsync`` flushes the file and
    the folder, so the new file also survives a power loss.
    """
    def save(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            write(fh)

    save_atomic(path, save, fsync=fsync)


# ``.graph.json-4711-k2j4h_x9.tmp``; before the pid was in the name: ``.graph.json-k2j4h_x9.tmp``.
_TEMP = re.compile(r"^\.(?P<name>.+?)-(?:(?P<pid>\d+)-)?[a-z0-9_]{8}\.tmp$")


def remove_stale_temp(folder: Path) -> list[Path]:
    """Remove the temporary files ``write_atomic`` left in ``folder`` when its process was killed
    (those of a live process are kept). Returns what was removed."""
    removed = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        m = _TEMP.match(entry.name)
        if m is None or (m["pid"] is None and not m["name"].startswith("graph.")):
            continue
        if m["pid"] is not None and pid_alive(int(m["pid"])):
            continue
        try:
            entry.unlink()
            removed.append(entry)
        except OSError:
            pass
    return removed


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine (ours, or another user's)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, but belongs to someone else
    return True


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def quiet_gc() -> Iterator[None]:
    """No cyclic garbage collection inside: a load makes millions of small rows that hold no cycles, and each
    collection would walk everything alive (a graph in memory, the store), which cost a load half its time."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
