"""Atomic writing of a report folder."""

import pytest

from lcpgraph.render.site import atomic_folder, slugify


def test_success_replaces_the_folder(tmp_path):
    target = tmp_path / "reports"
    target.mkdir()
    (target / "old.html").write_text("old")
    with atomic_folder(target) as staging:
        (staging / "index.html").write_text("new")
    assert sorted(p.name for p in target.iterdir()) == ["index.html"]
    assert [p.name for p in tmp_path.iterdir()] == ["reports"]  # no staging or backup left


def test_failure_leaves_the_previous_folder_intact(tmp_path):
    target = tmp_path / "reports"
    target.mkdir()
    (target / "index.html").write_text("previous")
    with pytest.raises(RuntimeError), atomic_folder(target) as staging:
        (staging / "index.html").write_text("half")
        raise RuntimeError("analysis failed")
    assert (target / "index.html").read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["reports"]


def test_slugs_are_distinct_for_leeds_lcp_names():
    names = ["Beeston & Middleton", "Bramley, Wortley & Middleton", "LS25/26", "HATCH", "York Road"]
    slugs = [slugify(n) for n in names]
    assert slugs == ["beeston-and-middleton", "bramley-wortley-and-middleton", "ls25-26", "hatch", "york-road"]
