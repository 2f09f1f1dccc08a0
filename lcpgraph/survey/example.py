"""Invented survey data: a four-partner example worked by hand, and the seeded Millbrook survey.

Nothing here is about a real organisation. :func:`tiny_example` is small enough to check every
score with a pencil (the tests do, in their comments); :func:`synthetic_ratings` makes the
ratings of the invented Millbrook partnership in ``data/examples/millbrook/`` from a seed, so
the file can be made again byte for byte::

    python -m lcpgraph.survey.example data/examples/millbrook

Never run it on a real place's data: it invents answers.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import networkx as nx
import pandas as pd

from lcpgraph import schema
from lcpgraph.raw import RawTable
from lcpgraph.survey.questions import FREQUENCIES, INTENSITY_NAMES, ITEMS
from lcpgraph.survey.ratings import validate_ratings

__all__ = ["EXAMPLE_SOURCE", "MILLBROOK_WAVES", "ratings_csv", "synthetic_ratings", "tiny_example"]

#: The ``source`` of every invented row.
EXAMPLE_SOURCE = "illustrative (invented example)"

#: The columns lcpgraph writes to ``ratings.csv``, in order (the names help a reader; loading
#: ignores them).
CSV_COLUMNS: tuple[str, ...] = (
    "respondent",
    "respondent_name",
    "partner",
    "partner_name",
    "wave",
    "date",
    "works_with",
    "frequency",
    "intensity",
    *(i.name for i in ITEMS),
    "note",
    "source",
)


def ratings_csv(rows: list[dict[str, object]]) -> str:
    """``rows`` (dicts keyed by :data:`CSV_COLUMNS`) as formula-safe CSV text, sorted.

    >>> print(ratings_csv([{"respondent": "a", "partner": "b", "wave": "1", "works_with": "no", "source": "x"}]), end="")
    respondent,respondent_name,partner,partner_name,wave,date,works_with,frequency,intensity,reliability,mission,openness,influence,involvement,resources,note,source
    a,,b,,1,,no,,,,,,,,,,x
    """
    from lcpgraph.files import csv_text

    table = [{c: ("" if r.get(c) is None else str(r.get(c))) for c in CSV_COLUMNS} for r in rows]
    table.sort(key=lambda r: (r["wave"], r["respondent"], r["partner"]))
    return csv_text(pd.DataFrame(table, columns=list(CSV_COLUMNS), dtype=object))


# --------------------------------------------------------------------------------------
# four partners, worked by hand

_TINY_ORGS = (
    ("a", "Ash", "third sector"),
    ("b", "Birch", "primary care"),
    ("c", "Cedar", "third sector"),
    ("d", "Dee", "housing"),
)

_HEADER = ["respondent", "partner", "wave", "works_with", "intensity", *(i.name for i in ITEMS), "source"]

# respondent, partner, works_with, intensity, three trust items, three value items
_WAVE_1 = (
    ("a", "b", "yes", "coordination", 4, 4, 4, 3, 3, 3),
    ("a", "c", "yes", "cooperation", 2, 2, 2, 2, 2, 2),
    ("a", "d", "no", "", "", "", "", "", "", ""),
    ("b", "a", "yes", "cooperation", 3, 3, 3, 4, 4, 4),
    ("b", "c", "no", "", "", "", "", "", "", ""),
    ("b", "d", "yes", "awareness", 2, 2, 2, 1, 1, 1),
    ("c", "a", "yes", "integration", 2, 2, 2, 3, 3, 3),
    ("c", "b", "yes", "awareness", 1, 2, 3, "", "", ""),
    # c did not answer about d; d did not reply at all
)
_WAVE_2 = (
    ("a", "b", "yes", "coordination", 4, 4, 4, 3, 3, 3),
    ("a", "c", "no", "", "", "", "", "", "", ""),
    ("a", "d", "yes", "cooperation", 3, 3, 3, 2, 2, 2),
    ("b", "a", "yes", "coordination", 4, 4, 4, 4, 4, 4),
    ("b", "c", "no", "", "", "", "", "", "", ""),
    ("b", "d", "yes", "awareness", 2, 2, 2, 1, 1, 1),
    ("c", "a", "no", "", "", "", "", "", "", ""),
    ("c", "b", "no", "", "", "", "", "", "", ""),
    ("c", "d", "yes", "cooperation", 3, 3, 3, 3, 3, 3),
    ("d", "a", "yes", "cooperation", 3, 3, 3, 2, 2, 2),
    ("d", "b", "yes", "awareness", 2, 2, 2, 2, 2, 2),
    ("d", "c", "yes", "awareness", 3, 3, 3, 2, 2, 2),
)


def tiny_example(waves: int = 1) -> tuple[nx.MultiDiGraph, pd.DataFrame]:
    """Four invented partners and their answers: ``(G, ratings)``.

    Ash, Birch and Cedar are members of the local partnership "North" (``lcp-north``); Dee
    (housing) is in none. In wave 1 Dee does not reply and Cedar leaves Dee unanswered; Birch
    says no to Cedar while Cedar says yes. Wave 2 (``waves=2``): everyone replies; Ash and
    Cedar stop working together, Ash and Dee start.

    >>> G, r = tiny_example()
    >>> len(r), sorted(set(r["respondent"]))
    (8, ['a', 'b', 'c'])
    """
    G = nx.MultiDiGraph()
    for n, name, sector in _TINY_ORGS:
        G.add_node(n, kind=schema.ORGANISATION, name=name, sector=sector, source=EXAMPLE_SOURCE)
    G.add_node("lcp-north", kind=schema.PARTNERSHIP, name="North", type="local partnership", source=EXAMPLE_SOURCE)
    for n in ("a", "b", "c"):
        G.add_edge(n, "lcp-north", kind="member_of", source=EXAMPLE_SOURCE)
    rows = []
    for w, answers in list(enumerate((_WAVE_1, _WAVE_2), start=1))[:waves]:
        for r in answers:
            rows.append([r[0], r[1], str(w), *(str(x) for x in r[2:]), EXAMPLE_SOURCE])
    table = RawTable("ratings", "ratings.csv", _HEADER, [(i + 2, r) for i, r in enumerate(rows)])
    G.graph["ratings_table"] = table
    return G, validate_ratings(table, G)


# --------------------------------------------------------------------------------------
# the seeded Millbrook survey

#: Millbrook's waves: label, the day the answers are dated, and who did not reply.
MILLBROOK_WAVES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("2024", "2024-03-15", ("org-mb-hospital", "org-mb-housing", "org-mb-befriending", "org-mb-public-health")),
    ("2025", "2025-03-14", ("org-mb-hospital", "org-mb-healthwatch", "org-mb-food-bank")),
)


def synthetic_ratings(
    G: nx.MultiDiGraph,
    *,
    seed: int = 2024,
    waves: tuple[tuple[str, str, tuple[str, ...]], ...] = MILLBROOK_WAVES,
) -> list[dict[str, object]]:
    """Invented roster-survey answers for every organisation of ``G``: rows for :func:`ratings_csv`.

    A hidden "true" network decides the answers: two partners work together with probability
    0.2, plus 0.45 when they share a local unit, plus 0.3 when a relationship ties them
    directly. A respondent reports a true tie 85 % of the time and a false one 8 %, so the two
    sides sometimes disagree; 4 % of partners are skipped (a blank row: not answered). Each partner has a
    hidden trustworthiness and value; ratings scatter around them. Between waves 12 % of
    pairs change and trustworthiness drifts. The same ``G`` and ``seed`` give the same rows.
    """
    from lcpgraph import views

    rng = random.Random(seed)
    orgs = sorted(n for n, k in G.nodes(data="kind") if k == schema.ORGANISATION)
    unit_of = views.units_of(G)
    direct = {
        frozenset((u, v)) for u, v, d in views.current_edges(G) if schema.role_of(d.get("kind", "")) == schema.DIRECT
    }
    trust = {n: rng.uniform(1.8, 3.7) for n in orgs}
    worth = {n: rng.uniform(1.6, 3.6) for n in orgs}
    level: dict[frozenset, int] = {}
    tie: dict[frozenset, bool] = {}
    for x, a in enumerate(orgs):
        for b in orgs[x + 1 :]:
            pair = frozenset((a, b))
            p = 0.2 + 0.45 * bool(set(unit_of.get(a, ())) & set(unit_of.get(b, ()))) + 0.3 * (pair in direct)
            tie[pair] = rng.random() < p
            level[pair] = rng.choice((1, 2, 2, 3, 3, 4))

    def scale(centre: float) -> int:
        return max(1, min(4, round(rng.gauss(centre, 0.6))))

    rows: list[dict[str, object]] = []
    for w, (label, day, silent) in enumerate(waves):
        if w:
            for pair in sorted(tie, key=sorted):
                if rng.random() < 0.12:
                    tie[pair] = not tie[pair]
            for n in orgs:
                trust[n] = min(3.9, max(1.2, trust[n] + rng.gauss(0.1, 0.35)))
        for i in orgs:
            if i in silent:
                continue
            for j in orgs:
                if j == i:
                    continue
                row: dict[str, object] = {
                    "respondent": i,
                    "respondent_name": G.nodes[i].get("name", i),
                    "partner": j,
                    "partner_name": G.nodes[j].get("name", j),
                    "wave": label,
                    "date": day,
                    "source": EXAMPLE_SOURCE,
                }
                if rng.random() < 0.04:
                    rows.append(row)  # skipped: asked, not answered (a blank row, as collect writes)
                    continue
                pair = frozenset((i, j))
                says = rng.random() < (0.85 if tie[pair] else 0.08)
                row["works_with"] = "yes" if says else "no"
                if says:
                    lv = max(1, min(4, level[pair] + rng.choice((-1, 0, 0, 0, 1))))
                    row["intensity"] = INTENSITY_NAMES[lv - 1]
                    row["frequency"] = FREQUENCIES[max(0, min(3, lv - 1 + rng.choice((-1, 0, 0, 1))))]
                    for item in ITEMS:
                        centre = trust[j] if item.group == "trust" else worth[j]
                        row[item.name] = scale(centre)
                rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - a maintainer's tool
    """Write ``ratings.csv`` of the invented Millbrook example from its seed."""
    import lcpgraph
    from lcpgraph.files import write_text

    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0] if args else "data/examples/millbrook")
    G = lcpgraph.load(folder)
    text = ratings_csv(synthetic_ratings(G))
    write_text(folder / "ratings.csv", text, same_head=text.split("\n", 1)[0].encode())
    print(f"wrote {folder / 'ratings.csv'}", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
