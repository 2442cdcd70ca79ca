"""The build folder as several processes see it: who is writing it, and a lock to be the only one.

``kg build`` holds ``OUT/.kg.lock`` for the whole build, and ``kg load``, ``kg forget`` and
``kg query --write`` hold it while they change the embedded store in OUT: a second writer fails
at once, naming the first. The lock is an advisory ``flock``, so the kernel releases it when its
process dies, however it dies. Readers take no lock: the embedded store is replaced by a rename,
so a reader sees the store before or after a load, never during one.

``owner()`` describes this process (host, pid and the time it started, so a pid the system
reused is not taken for it) and ``alive(owner)`` tells whether such a process still runs; the
load journal (``kg.loaders.journal``) records the same.
"""

from __future__ import annotations

import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import StoreError
from kg.loaders.base import pid_alive, remove_stale_temp

LOCK_NAME = ".kg.lock"


def _start_ticks(pid: int) -> int | None:
    """When process ``pid`` started, in clock ticks since boot (Linux); ``None`` if unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    try:
        return int(stat.rsplit(")", 1)[1].split()[19])
    except (IndexError, ValueError):
        return None


def owner(command: str) -> dict[str, Any]:
    """This process, running ``command`` (``kg build``), as a lock or a journal records it."""
    return {"host": socket.gethostname(), "pid": os.getpid(), "start": _start_ticks(os.getpid()),
            "command": command, "since": time.strftime("%Y-%m-%d %H:%M:%S%z")}


def alive(who: dict[str, Any]) -> bool | None:
    """Whether the process ``who`` describes still runs: ``None`` when it ran on another host."""
    if who.get("host") != socket.gethostname():
        return None
    pid = who.get("pid")
    if not isinstance(pid, int) or not pid_alive(pid):
        return False
    if pid == os.getpid():
        return True
    start = _start_ticks(pid)  # the same pid, or a later process that took it over
    return start is None or who.get("start") is None or start == who.get("start")


def describe(who: dict[str, Any]) -> str:
    where = "" if who.get("host") == socket.gethostname() else f" on {who.get('host')}"
    return f"{who.get('command') or 'kg'} (pid {who.get('pid')}{where}, since {who.get('since')})"


@dataclass
class FolderLock:
    """Hold ``OUT/.kg.lock``: ``with FolderLock(out, "kg build"):``. Raises ``StoreError`` at once
    when another process holds it. On entry, temporary files that killed writers left in the
    folder are removed."""

    folder: Path
    command: str = ""

    def __post_init__(self) -> None:
        self.folder = Path(self.folder)
        self._fd: int | None = None

    def __enter__(self) -> FolderLock:
        import fcntl

        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise StoreError(f"cannot write to {self.folder}: {exc.strerror or exc}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = _read_owner(fd)
            os.close(fd)
            who = describe(holder) if holder else "another kg process"
            raise StoreError(f"{self.folder} is in use: {who} is writing to it. Wait for it to finish, "
                             f"or give another --out", retryable=True) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(owner(self.command)).encode(), 0)
        self._fd = fd
        remove_stale_temp(self.folder)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            os.close(self._fd)  # releases the flock; the file stays (removing it would race a new holder)
            self._fd = None


def _read_owner(fd: int) -> dict[str, Any] | None:
    try:
        data = os.pread(fd, 4096, 0)
        return json.loads(data) if data else None
    except (OSError, ValueError):
        return None
