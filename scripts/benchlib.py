"""What the side-by-side benchmark scripts share: loading an older copy of a module, and timing
candidates in turn.

    >>> medians = alternate({"a": lambda: None, "b": lambda: None}, repeat=3)
    >>> sorted(medians)
    ['a', 'b']
"""

from __future__ import annotations

import gc
import importlib.util
import statistics
import sys
import time
from collections.abc import Callable
from types import ModuleType


def load_module(path: str, name: str) -> ModuleType:
    """Import the Python file ``path`` as module ``name`` (an older version to time beside this one)."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"{path}: not a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def alternate(runs: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Median seconds of each candidate, after one untimed call each, timed in turn ``repeat`` times.

    Taking turns makes a busy machine slow them alike; a garbage collection before each timed
    call keeps a full collection of a big graph (~0.15 s at 100,000 records) from landing on
    one candidate by chance.
    """
    for f in runs.values():
        f()
    times: dict[str, list[float]] = {k: [] for k in runs}
    for _ in range(repeat):
        for k, f in runs.items():
            gc.collect()
            t = time.perf_counter()
            f()
            times[k].append(time.perf_counter() - t)
    return {k: statistics.median(ts) for k, ts in times.items()}


def print_header(baseline: str) -> None:
    """The markdown header of a candidates table (see :func:`print_rows`)."""
    print(f"| records | projection (orgs, ties) | candidate | median | × {baseline} |")
    print("|---|---|---|---|---|")


def print_rows(records: int, g, medians: dict[str, float], baseline: str) -> None:
    """One markdown row per candidate: its median and its ratio to ``medians[baseline]``."""
    size = f"{g.vcount():,}, {g.ecount():,}"
    for k, med in medians.items():
        print(f"| {records:,} | {size} | {k} | {med * 1000:.1f} ms | {med / medians[baseline]:.2f}× |", flush=True)
