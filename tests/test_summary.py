"""Descriptive counts."""

import networkx as nx
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import lcpgraph
from lcpgraph import schema

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


def _counts_by_groupby(G):
    """The pandas groupby counts_by_kind_and_sector was first written as: the reference."""
    rows = [(d.get("kind"), d.get("sector", "(none)")) for _, d in G.nodes(data=True)]
    out = pd.DataFrame(rows, columns=["kind", "sector"]).groupby(["kind", "sector"]).size().reset_index(name="count")
    order = {k: i for i, k in enumerate(schema.NODE_KINDS)}
    out = out.sort_values(["kind", "sector"], key=lambda s: s.map(order) if s.name == "kind" else s)
    out["count"] = out["count"].astype("int64")
    return out.reset_index(drop=True)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {},
            optional={
                "kind": st.sampled_from([*schema.NODE_KINDS, "zeta", "alpha", None]),
                "sector": st.sampled_from(["third sector", "housing", "", "(none)", None, float("nan")]),
            },
        ),
        max_size=12,
    )
)
def test_counts_are_the_groupby_counts(records):
    """Counted in Python, the table is the groupby's: missing kinds or sectors left out, unknown kinds last."""
    G = nx.MultiDiGraph()
    for i, attrs in enumerate(records):
        G.add_node(i, **attrs)
    got, want = lcpgraph.counts_by_kind_and_sector(G), _counts_by_groupby(G)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
