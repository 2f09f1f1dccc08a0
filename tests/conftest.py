"""Shared test helpers: the fixtures folder and a loader for named fixture datasets."""

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixture_path():
    """Return the path of a named fixture folder under tests/fixtures/."""

    def _path(name: str) -> Path:
        p = FIXTURES / name
        assert p.exists(), f"no fixture {name}"
        return p

    return _path
