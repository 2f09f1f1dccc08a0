"""Shared test helpers: the fixtures folder, and bad datasets made from tiny/ and one changed file.

Each folder of a bad case under ``tests/fixtures/`` holds only the file(s) that differ from
``tiny/`` (``self_loop/relationships.csv``, say), so a reader sees the one thing that is wrong.
:func:`dataset` lays that over a copy of ``tiny/`` and returns the whole dataset's folder.
"""

import atexit
import shutil
import tempfile
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"

#: The bad cases that are tiny/ with one file (or two) changed.
OVERLAYS = (
    "bad_population",
    "blank_name",
    "duplicate_ids",
    "empty_file",
    "end_before_start",
    "kind_not_allowed",
    "many_problems",
    "missing_column",
    "not_utf8",
    "self_loop",
    "unknown_kind",
    "unknown_reference",
    "unknown_sector",
    "unknown_table",
)

_MADE = Path(tempfile.mkdtemp(prefix="lcpgraph-fixtures-"))
atexit.register(shutil.rmtree, _MADE, True)


def dataset(name: str) -> Path:
    """The folder of fixture ``name``: tiny/ with the fixture's files laid over it (made once)."""
    if name not in OVERLAYS:
        return FIXTURES / name
    out = _MADE / name
    if not out.exists():
        shutil.copytree(FIXTURES / "tiny", out)
        for f in (FIXTURES / name).iterdir():
            shutil.copyfile(f, out / f.name)
    return out


@pytest.fixture
def fixture_path():
    """Return the path of a named fixture dataset (overlays made whole)."""

    def _path(name: str) -> Path:
        p = dataset(name)
        assert p.exists(), f"no fixture {name}"
        return p

    return _path
