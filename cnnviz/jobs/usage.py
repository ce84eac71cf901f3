"""What a process of the server costs: its CPU time and memory, read from Linux's ``/proc``.

The operator's page lists every worker of the pool with the CPU share and the memory it uses now
(:class:`CpuMeter` turns two readings of CPU seconds into a percentage of one core); the class
benchmark splits the server's CPU between training (the workers) and drawing (the app process).
On a system without ``/proc`` every reading is None and the page shows a dash.

Lesson: running cnnviz for a whole class (README: "Running it for a classroom").
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CpuMeter", "ProcessUsage", "children_of", "process_usage"]

_PROC = Path("/proc")
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass(frozen=True)
class ProcessUsage:
    """One reading: CPU seconds used so far (user + system, all threads) and resident memory."""

    pid: int
    cpu_seconds: float
    rss_bytes: int


def process_usage(pid: int) -> ProcessUsage | None:
    """The process's CPU seconds (``/proc/<pid>/stat`` utime + stime) and resident memory
    (``/proc/<pid>/statm``), or None when it is gone or ``/proc`` is missing."""
    try:
        stat = (_PROC / str(pid) / "stat").read_text()
        statm = (_PROC / str(pid) / "statm").read_text()
    except OSError:
        return None
    # the command name (field 2) may hold spaces: count fields after its closing parenthesis
    fields = stat[stat.rindex(")") + 2 :].split()
    utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of proc(5)
    return ProcessUsage(pid, (utime + stime) / _TICKS, int(statm.split()[1]) * _PAGE)


def children_of(pid: int) -> list[int]:
    """The process ids whose parent is ``pid`` (``/proc/*/stat`` field 4); [] without /proc."""
    found = []
    try:
        entries = list(_PROC.iterdir())
    except OSError:
        return []
    for entry in entries:
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


class CpuMeter:
    """CPU use in percent of one core between two readings of the same process."""

    def __init__(self) -> None:
        self._last: dict[int, tuple[float, float]] = {}  # pid -> (wall time, cpu seconds)
        self._lock = threading.Lock()

    def percent(self, usage: ProcessUsage, now: float | None = None) -> float | None:
        """``100 * (cpu seconds since the last reading) / (wall seconds since then)``; None on
        the first reading of a process."""
        now = time.monotonic() if now is None else now
        with self._lock:
            last = self._last.get(usage.pid)
            self._last[usage.pid] = (now, usage.cpu_seconds)
        if last is None or now <= last[0]:
            return None
        return max(0.0, 100.0 * (usage.cpu_seconds - last[1]) / (now - last[0]))
