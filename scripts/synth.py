"""Generate a synthetic partnership network in lcpgraph's CSV format, seeded and realistic.

Scale 1 is about the size of the bundled Leeds data (one "place" of 15 LCPs, ~145 records,
~300 relationships); scale S makes S places in one region (10,000 records ≈ scale 70,
100,000 ≈ scale 700). What makes it realistic:

* a sector mix like Leeds's (many third-sector organisations and GP practices, a few trusts
  and council services);
* heavy-tailed membership: most organisations sit in one forum, a few citywide ones in many
  (a Pareto draw), and some in none at all;
* a board hierarchy: LCPs report to a place programme board, which reports to the place's
  Health and Wellbeing Board, which reports to a regional board; a few LCPs report to nothing;
* direct ties (joint bids), shared care-coordinator roles, services offered twice in one LCP,
  and near-duplicate names ("X Medical Centre" / "X MC").

    python scripts/synth.py --scale 70 --seed 1 --out /tmp/synth-10k

Every row says ``source=synthetic``. Same scale and seed give byte-identical files.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import sys
from pathlib import Path

SECTOR_MIX = [  # (sector, share of a place's organisations, scope)
    ("third sector", 0.36, "local"),
    ("primary care", 0.22, "local"),
    ("citizen voice", 0.07, "citywide"),
    ("local authority", 0.05, "citywide"),
    ("housing", 0.04, "local"),
    ("social care", 0.03, "citywide"),
    ("public health", 0.03, "citywide"),
    ("education", 0.03, "citywide"),
    ("social prescribing", 0.03, "citywide"),
    ("employment services", 0.03, "local"),
    ("healthwatch", 0.02, "citywide"),
    ("community health", 0.02, "citywide"),
    ("mental health", 0.02, "citywide"),
    ("secondary care", 0.02, "citywide"),
    ("commissioner", 0.01, "citywide"),
    ("lcp development team", 0.01, "citywide"),
    ("pharmacy", 0.01, "local"),
]
SERVICES = [
    "befriending",
    "welfare advice",
    "food support",
    "peer support",
    "carers support",
    "youth work",
    "physical activity",
    "community transport",
    "domestic abuse support",
    "arts for health",
]
WORDS = [
    "Oak",
    "Ash",
    "Mill",
    "Park",
    "Moor",
    "Bridge",
    "Green",
    "Hill",
    "Vale",
    "Brook",
    "Field",
    "Lane",
    "Cross",
    "Holme",
    "Wood",
    "Lea",
    "Gate",
    "Stone",
    "Well",
    "Bank",
]
ORGS_PER_PLACE = 86
LCPS_PER_PLACE = 15


def _draw_sector(rng: random.Random) -> tuple[str, str]:
    x, acc = rng.random(), 0.0
    for sector, share, scope in SECTOR_MIX:
        acc += share
        if x < acc:
            return sector, scope
    return SECTOR_MIX[0][0], SECTOR_MIX[0][2]


def generate(scale: float, seed: int) -> dict[str, list[dict[str, str]]]:
    """Build the tables (lists of row dicts, in lcpgraph's columns) for ``scale`` places."""
    rng = random.Random(seed)
    places = max(1, round(scale))
    orgs, parts, boards, people, rels = [], [], [], [], []
    seen_rel: set[tuple[str, str, str]] = set()

    def rel(a: str, b: str, kind: str) -> None:
        key = (a, b, kind) if kind not in ("works_with", "shares_role") else (*sorted((a, b)), kind)
        if a != b and key not in seen_rel:
            seen_rel.add(key)
            rels.append({"from": a, "to": b, "kind": kind, "source": "synthetic"})

    regions = max(1, math.ceil(places / 10))
    for r in range(regions):
        boards.append(
            {
                "id": f"b-r{r}",
                "name": f"Region {r} Health and Care Board",
                "level": "regional",
                "sector": "",
                "source": "synthetic",
            }
        )
    for p in range(places):
        pre = f"p{p}"
        town = f"{rng.choice(WORDS)}{rng.choice(['ton', 'ley', 'by', 'ford', 'ham'])} {p}"
        hwb, prog = f"b-{pre}-hwb", f"b-{pre}-prog"
        boards.append(
            {
                "id": hwb,
                "name": f"{town} Health and Wellbeing Board",
                "level": "city",
                "sector": "",
                "source": "synthetic",
            }
        )
        boards.append(
            {"id": prog, "name": f"{town} LCP Programme Board", "level": "city", "sector": "", "source": "synthetic"}
        )
        rel(hwb, f"b-r{p % regions}", "reports_to")
        rel(prog, hwb, "reports_to")
        other_boards = []
        for i in range(19):
            bid = f"b-{pre}-{i}"
            boards.append(
                {
                    "id": bid,
                    "name": f"{town} Partnership Board {i}",
                    "level": "city",
                    "sector": "",
                    "source": "synthetic",
                }
            )
            if i < 17:  # two boards per place have no line and no members: empty boards to find
                rel(bid, hwb, "reports_to")
                other_boards.append(bid)
        lcps = []
        for i in range(LCPS_PER_PLACE):
            lid = f"lcp-{pre}-{i}"
            lcps.append(lid)
            parts.append(
                {
                    "id": lid,
                    "name": f"{town} {WORDS[i]} LCP",
                    "type": "lcp",
                    "population": str(rng.randint(30, 75) * 1000),
                    "source": "synthetic",
                }
            )
            if rng.random() > 0.07:
                rel(lid, prog, "reports_to")
        nets = []
        for i, t in enumerate(
            [
                "network",
                "network",
                "pcn",
                "pcn",
                "pcn",
                "pcn",
                "neighbourhood team",
                "neighbourhood team",
                "community committee",
                "community committee",
                "forum",
                "programme",
            ]
        ):
            nid = f"net-{pre}-{i}"
            nets.append(nid)
            parts.append(
                {"id": nid, "name": f"{town} {t.title()} {i}", "type": t, "population": "", "source": "synthetic"}
            )
            if t in ("pcn", "neighbourhood team"):
                rel(nid, lcps[i % LCPS_PER_PLACE], "aligned_with")
        # organisations
        place_orgs = []
        for i in range(ORGS_PER_PLACE):
            sector, scope = _draw_sector(rng)
            oid = f"o-{pre}-{i}"
            if sector == "primary care":
                name = f"{town} {rng.choice(WORDS)} {rng.choice(WORDS)} Medical Centre"
            else:
                name = f"{town} {rng.choice(WORDS)}{rng.choice(WORDS).lower()} {sector.title()} {i}"
            services = "; ".join(rng.sample(SERVICES, rng.randint(1, 2))) if sector == "third sector" else ""
            orgs.append(
                {
                    "id": oid,
                    "name": name,
                    "sector": sector,
                    "scope": scope,
                    "services": services,
                    "identifiers": "",
                    "source": "synthetic",
                }
            )
            place_orgs.append((oid, sector, scope))
            if sector == "primary care" and rng.random() < 0.03:  # the same practice entered twice
                orgs.append(
                    {
                        "id": oid + "-dup",
                        "name": name.replace("Medical Centre", "MC"),
                        "sector": sector,
                        "scope": scope,
                        "services": "",
                        "identifiers": "",
                        "source": "synthetic",
                    }
                )
                place_orgs.append((oid + "-dup", sector, scope))
        forums = lcps + nets + other_boards + [hwb, prog]
        for oid, _sector, scope in place_orgs:
            if rng.random() < 0.06:
                continue  # isolated: known to nobody
            # Pareto-distributed forum count: most sit in one, a few citywide partners in many.
            k = min(len(forums), int(rng.paretovariate(1.6 if scope == "citywide" else 2.5)))
            home = rng.choice(lcps)
            rel(oid, home, "member_of")
            for f in rng.sample(forums, k - 1) if k > 1 else []:
                rel(oid, f, "member_of")
            if rng.random() < 0.25:
                other = rng.choice(place_orgs)[0]
                rel(oid, other, "works_with")
        for i, lid in enumerate(lcps):
            if i % 3 == 0:
                pid = f"person-{pre}-{i}"
                people.append(
                    {"id": pid, "name": f"Chair {pre}-{i}", "role": "LCP chair", "sector": "", "source": "synthetic"}
                )
                rel(pid, lid, "chairs")
            if i % 5 == 0:
                cid = f"person-{pre}-cc{i}"
                people.append(
                    {
                        "id": cid,
                        "name": f"Care coordinator {pre}-{i}",
                        "role": "Care coordinator",
                        "sector": "primary care",
                        "source": "synthetic",
                    }
                )
                rel(cid, lid, "shares_role")
                rel(cid, rng.choice(place_orgs)[0], "shares_role")
    sectors = [{"sector": "lcp development team", "source": "synthetic"}]
    place = [
        {"key": "name", "value": f"Synthetic region ({places} places, seed {seed})", "source": "synthetic"},
        {"key": "unit_singular", "value": "Local Care Partnership", "source": "synthetic"},
        {"key": "unit_short", "value": "LCP", "source": "synthetic"},
        {"key": "unit_types", "value": "lcp", "source": "synthetic"},
        {
            "key": "expected_sectors",
            "value": "; ".join(
                [
                    "primary care",
                    "secondary care",
                    "public health",
                    "social care",
                    "third sector",
                    "social prescribing",
                    "healthwatch",
                    "housing",
                    "elected members",
                    "employment services",
                    "lcp development team",
                ]
            ),
            "source": "synthetic",
        },
    ]
    return {
        "organisations": orgs,
        "partnerships": parts,
        "boards": boards,
        "people": people,
        "relationships": rels,
        "sectors": sectors,
        "place": place,
    }


COLUMNS = {
    "sectors": ["sector", "source"],
    "place": ["key", "value", "source"],
    "organisations": ["id", "name", "sector", "scope", "services", "identifiers", "source"],
    "partnerships": ["id", "name", "type", "population", "source"],
    "boards": ["id", "name", "level", "sector", "source"],
    "people": ["id", "name", "role", "sector", "source"],
    "relationships": ["from", "to", "kind", "source"],
}


def write(tables: dict[str, list[dict[str, str]]], out: Path) -> None:
    """Write the tables as CSV files in ``out`` (created if needed)."""
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        with open(out / f"{name}.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=COLUMNS[name], lineterminator="\n", extrasaction="ignore")
            w.writeheader()
            w.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=float, default=1.0, help="places of ~145 records each (default 1)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, required=True, help="folder to write the CSV files to")
    a = ap.parse_args(argv)
    tables = generate(a.scale, a.seed)
    write(tables, a.out)
    n = sum(len(tables[t]) for t in ("organisations", "partnerships", "boards", "people"))
    print(f"wrote {a.out}: {n} records, {len(tables['relationships'])} relationships", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
