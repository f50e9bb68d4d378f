"""Peak memory of a step: the resident set of this process (and of any processes it names,
e.g. a Celery worker and its children), sampled in a thread while the step runs.

The figure is the peak above what the processes held when the step began, so that a step
reading millions of rows shows what it keeps in Python, not what earlier steps left."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable

import psutil

INTERVAL = 0.05  # seconds between samples; a spike shorter than this can be missed


def _rss(pids: Iterable[int]) -> int:
    total = 0
    for pid in pids:
        try:
            process = psutil.Process(pid)
            total += process.memory_info().rss
            total += sum(child.memory_info().rss for child in process.children(recursive=True))
        except psutil.Error:
            continue  # a child that ended between listing and reading
    return total


class PeakMemory:
    """``with PeakMemory() as peak: ...`` then ``peak.above_start`` and ``peak.peak`` in
    bytes; ``pids`` (a callable, read at each sample) adds other processes' trees."""

    def __init__(self, pids: Callable[[], Iterable[int]] | None = None) -> None:
        self._pids = pids or (lambda: ())
        self._stop = threading.Event()
        self.start = self.peak = 0

    def _sample(self) -> int:
        return _rss([os.getpid(), *self._pids()])

    def _watch(self) -> None:
        while not self._stop.wait(INTERVAL):
            self.peak = max(self.peak, self._sample())

    def __enter__(self) -> PeakMemory:
        self.start = self.peak = self._sample()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._sample())

    @property
    def above_start(self) -> int:
        return self.peak - self.start

    def describe(self) -> str:
        return f"peak RSS +{self.above_start / 2**20:,.0f} MiB ({self.peak / 2**20:,.0f} MiB)"
