"""The synthetic generator behind the benchmark: valid, seeded, and growing with its scale."""

import sys
from pathlib import Path

import lcpgraph

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import synth


def test_generated_data_loads_and_has_what_the_analyses_look_for(tmp_path):
    synth.write(synth.generate(2, 5), tmp_path / "d")
    G = lcpgraph.load(tmp_path / "d")  # raises if any row were invalid
    assert not lcpgraph.isolated_partners(G).empty
    assert not lcpgraph.unreported_units(G).empty
    assert not lcpgraph.duplicate_records(G).empty  # "X Medical Centre" / "X MC"
    assert {s for _, _, s in G.edges(data="source")} == {"synthetic"}


def test_same_seed_same_bytes_other_seed_other_data(tmp_path):
    for name, seed in (("a", 1), ("b", 1), ("c", 2)):
        synth.write(synth.generate(3, seed), tmp_path / name)
    same = (tmp_path / "a" / "relationships.csv").read_bytes() == (tmp_path / "b" / "relationships.csv").read_bytes()
    other = (tmp_path / "a" / "relationships.csv").read_bytes() == (tmp_path / "c" / "relationships.csv").read_bytes()
    assert same and not other


def test_size_grows_linearly_with_scale():
    def n(s):
        t = synth.generate(s, 0)
        return sum(len(t[k]) for k in ("organisations", "partnerships", "boards", "people"))

    assert 120 <= n(1) <= 170  # about the Leeds data's 144 records
    assert 9.5 <= n(10) / n(1) <= 10.5
