"""Descriptive counts."""

import lcpgraph

from .conftest import FIXTURES


def test_counts_by_kind_and_sector_on_tiny():
    df = lcpgraph.counts_by_kind_and_sector(lcpgraph.load(FIXTURES / "tiny"))
    assert list(df.columns) == ["kind", "sector", "count"]
    got = {(r.kind, r.sector): r.count for r in df.itertuples()}
    assert got == {
        ("organisation", "primary care"): 1,
        ("organisation", "secondary care"): 1,
        ("organisation", "third sector"): 2,
        ("partnership", "(none)"): 2,
        ("board", "(none)"): 1,
        ("person", "primary care"): 1,
    }
    assert list(df["kind"]) == ["organisation"] * 3 + ["partnership", "board", "person"]


def test_partners_per_lcp_on_tiny():
    df = lcpgraph.partners_per_lcp(lcpgraph.load(FIXTURES / "tiny"))
    assert df.to_dict("records") == [
        {"lcp": "lcp-north", "name": "North LCP", "organisations": 2, "people": 1, "sectors": 2},
        {"lcp": "lcp-south", "name": "South LCP", "organisations": 2, "people": 0, "sectors": 2},
    ]
