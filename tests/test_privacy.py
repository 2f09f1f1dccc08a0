"""--hide-people: no person's name or id in any byte any command writes or prints."""

import shutil

import networkx as nx
import pytest
from click.testing import CliRunner

import lcpgraph
from lcpgraph.cli import main
from lcpgraph.privacy import hide_people

from .conftest import FIXTURES


def _people(path) -> list[str]:
    G = lcpgraph.load(path)
    out = []
    for n, d in G.nodes(data=True):
        if d.get("kind") == "person":
            out += [n, d["name"]]
    return out


def _all_bytes(folder) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


@pytest.fixture
def data(tmp_path):
    # tiny/ has one person, "Sam Chair"; give them a note on a relationship and a second
    # mention in another record's attribute, which the filter must catch too.
    d = tmp_path / "data"
    shutil.copytree(FIXTURES / "tiny", d)
    p = d / "relationships.csv"
    p.write_text(p.read_text().replace("joint bid", "joint bid led by Sam Chair"))
    return d


def test_every_output_of_every_command_leaves_people_out(tmp_path, data):
    secrets = _people(data) + _people(FIXTURES / "county")
    out = tmp_path / "out"
    runs = [
        ["report", str(data), "-o", str(out / "site"), "-q", "--hide-people"],
        ["map", str(data), "-o", str(out / "map.html"), "--hide-people"],
        ["map", str(data), "--unit", "North LCP", "-o", str(out / "unit.html"), "--hide-people"],
        ["report", str(FIXTURES / "county"), "-o", str(out / "county"), "-q", "--hide-people"],
        *(
            ["export", str(data), "--format", f, "-o", str(out / f"x.{f}"), "--hide-people"]
            for f in ("gexf", "graphml", "json")
        ),
        ["export", str(data), "--format", "kumu", "-o", str(out / "k.xlsx"), "--hide-people"],
        [
            "diff",
            str(FIXTURES / "tiny"),
            str(data),
            "--map",
            str(out / "d.html"),
            "--hide-people",
            "-o",
            str(out / "d.json"),
            "--format",
            "json",
        ],
    ]
    printed = b""
    for args in runs:
        r = CliRunner().invoke(main, args)
        assert r.exit_code == 0, (args, r.output)
        printed += r.output.encode()
    for args in (["summary"], ["gaps"], ["centrality"], ["brokerage"], ["duplicates"], ["communities"]):
        r = CliRunner().invoke(main, [*args, str(data), "--hide-people", "--format", "json"])
        assert r.exit_code == 0, (args, r.output)
        printed += r.output.encode()
    written = _all_bytes(out)
    import zipfile

    with zipfile.ZipFile(out / "k.xlsx") as z:  # the workbook's text is compressed: read it
        written += b"".join(z.read(n) for n in z.namelist())
    assert len(written) > 100_000
    for secret in secrets:
        assert secret.encode() not in written, secret
        assert secret.encode() not in printed, secret
    assert b"LCP chair" in written  # people are still there, by their role


def test_without_the_option_people_are_named(tmp_path, data):
    r = CliRunner().invoke(main, ["map", str(data), "-o", str(tmp_path / "m.html")])
    assert r.exit_code == 0 and "Sam Chair" in (tmp_path / "m.html").read_text()


def test_hide_people_keeps_roles_and_the_shape():
    G = lcpgraph.load(FIXTURES / "tiny")
    H = hide_people(G)
    assert H.number_of_nodes() == G.number_of_nodes() and H.number_of_edges() == G.number_of_edges()
    assert H.nodes["person-1"] == {
        "kind": "person",
        "name": "LCP chair",
        "role": "LCP chair",
        "sector": "primary care",
        "source": "(hidden)",
    }
    assert nx.is_isomorphic(nx.Graph(G), nx.Graph(H))


def test_one_alias_per_person_across_two_snapshots():
    G = lcpgraph.load(FIXTURES / "tiny")
    a = hide_people(G, ["person-a", "person-chair"])
    assert "person-2" in a and "person-1" not in a  # person-a comes first in the shared numbering
