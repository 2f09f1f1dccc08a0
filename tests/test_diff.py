"""Change over time: the diff reports exactly the changes made between two versions."""

import shutil

import pytest
from click.testing import CliRunner

import lcpgraph
from lcpgraph.cli import main
from lcpgraph.diff import changes_graph, diff_graphs

from .conftest import FIXTURES


@pytest.fixture
def versions(tmp_path):
    old = tmp_path / "old"
    new = tmp_path / "new"
    shutil.copytree(FIXTURES / "tiny", old)
    shutil.copytree(FIXTURES / "tiny", new)
    # The changes, exactly: Lonely Charity joins South LCP (+1 membership); the surgery and the
    # charity's joint bid ends (-1 works_with); a new organisation appears with no ties (+1 record).
    rel = new / "relationships.csv"
    lines = rel.read_text().splitlines()
    lines = [line for line in lines if not line.startswith("org-gp,org-charity,works_with")]
    lines.append("org-lonely,lcp-south,member_of,,,,,illustrative")
    rel.write_text("\n".join(lines) + "\n")
    with open(new / "organisations.csv", "a") as f:
        f.write("org-new,New Charity,third sector,local,,,illustrative\n")
    return old, new


def test_diff_reports_exactly_the_changes(versions):
    old, new = (lcpgraph.load(p) for p in versions)
    d = diff_graphs(old, new)
    assert d["records"].values.tolist() == [["added", "org-new", "New Charity", "organisation"]]
    assert d["unit_membership"][["change", "unit", "partner"]].values.tolist() == [
        ["joined", "lcp-south", "org-lonely"]
    ]
    assert d["relationships"][["change", "from", "to", "kind"]].values.tolist() == [
        ["added", "org-lonely", "lcp-south", "member_of"],
        ["removed", "org-charity", "org-gp", "works_with"],  # two-way ties are compared in id order
    ]
    assert d["new_isolated"]["id"].tolist() == ["org-new"]  # Lonely Charity is no longer isolated
    shifts = d["centrality_shifts"].set_index("id")
    assert shifts.loc["org-lonely", "degree_old"] == 0 and shifts.loc["org-lonely", "degree_new"] == 1


def test_no_changes_no_rows(versions):
    old = lcpgraph.load(versions[0])
    d = diff_graphs(old, lcpgraph.load(versions[0]))
    assert all(d[k].empty for k in ("records", "unit_membership", "relationships", "new_isolated", "centrality_shifts"))


def test_changes_graph_marks_added_and_removed(versions):
    U = changes_graph(*(lcpgraph.load(p) for p in versions))
    assert U.nodes["org-new"]["change"] == "added" and U.nodes["org-gp"]["change"] == "same"
    marks = sorted((u, v, d["kind"], d["change"]) for u, v, d in U.edges(data=True) if d["change"] != "same")
    assert marks == [
        ("org-charity", "org-gp", "works_with", "removed"),
        ("org-lonely", "lcp-south", "member_of", "added"),
    ]


def test_cli_diff_with_map(versions, tmp_path):
    r = CliRunner().invoke(main, ["diff", str(versions[0]), str(versions[1]), "--map", str(tmp_path / "d.html")])
    assert r.exit_code == 0, r.output
    assert "Partners who joined or left each local unit" in r.output and "Lonely Charity" in r.output
    html = (tmp_path / "d.html").read_text()
    assert '"change":"added"' in html and '"change":"removed"' in html
    r = CliRunner().invoke(
        main, ["diff", str(versions[0]), str(versions[1]), "--show", "relationships", "--format", "csv"]
    )
    assert r.output.splitlines()[0] == "change,from,from_name,to,to_name,kind"


def test_diff_of_two_versions_of_the_leeds_data(tmp_path):
    from lcpgraph.datasets import leeds_path

    old, new = tmp_path / "2023", tmp_path / "2024"
    shutil.copytree(leeds_path(), old)
    shutil.copytree(leeds_path(), new)
    rel = new / "relationships.csv"
    lines = rel.read_text().splitlines()
    kept = [line for line in lines if not line.startswith("org-forum-central,lcp-morley,member_of,")]
    assert len(kept) == len(lines) - 1
    kept += ["org-small-charity,lcp-armley,member_of,,,,,illustrative", "org-val,lcp-hatch,member_of,,,,,illustrative"]
    rel.write_text("\n".join(kept) + "\n")
    d = diff_graphs(lcpgraph.load(old), lcpgraph.load(new))
    assert d["records"].empty
    assert d["unit_membership"][["change", "unit", "partner"]].values.tolist() == [
        ["joined", "lcp-armley", "org-small-charity"],
        ["joined", "lcp-hatch", "org-val"],
        ["left", "lcp-morley", "org-forum-central"],
    ]
    assert len(d["relationships"]) == 3
    assert d["new_isolated"].empty  # Holbeck Community Garden is no longer isolated
