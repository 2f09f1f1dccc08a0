"""Where the bundled datasets live, for an editable install and for a regular one."""

from __future__ import annotations

import sys
from pathlib import Path

from lcpgraph.exceptions import LcpGraphError

__all__ = ["leeds_path"]


def leeds_path() -> Path:
    """Return the folder of the bundled Leeds data.

    An editable install (or a checkout on ``sys.path``) finds ``data/leeds`` at the top of the
    repository; a regular install finds the copy under ``<prefix>/share/lcpgraph/leeds``.
    """
    candidates = [
        Path(__file__).resolve().parent.parent / "data" / "leeds",
        Path(sys.prefix) / "share" / "lcpgraph" / "leeds",
    ]
    for c in candidates:
        if (c / "organisations.csv").is_file():
            return c
    raise LcpGraphError(
        "the bundled Leeds data was not found (looked in "
        + ", ".join(str(c) for c in candidates)
        + "); pass the path of a data folder instead"
    )
