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


def test_partners_per_unit_on_tiny():
    df = lcpgraph.partners_per_unit(lcpgraph.load(FIXTURES / "tiny"))
    # North: Hill Surgery, Care Charity and the chair (primary care); South: Care Charity, City Trust.
    assert df.to_dict("records") == [
        {"unit": "lcp-north", "name": "North LCP", "members": 3, "organisations": 2, "people": 1, "sectors": 2},
        {"unit": "lcp-south", "name": "South LCP", "members": 2, "organisations": 2, "people": 0, "sectors": 2},
    ]


def test_partners_per_unit_on_the_county():
    df = lcpgraph.partners_per_unit(lcpgraph.load(FIXTURES / "county")).set_index("name")
    # tests/fixtures/county/README.md: 6, 5 and 6 members.
    assert df["members"].to_dict() == {"East Shire": 5, "Market Harborough": 6, "North Shire": 6}
    assert df.loc["North Shire", "people"] == 1
