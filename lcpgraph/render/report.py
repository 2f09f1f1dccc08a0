"""The report site: a page for a programme board, a page per LCP, the maps and every table.

``build_report`` runs every analysis once, then writes the whole site into a staging folder
that replaces the target only when everything has been written (see
:func:`lcpgraph.render.site.atomic_folder`). The pages are plain HTML with inline CSS and SVG
charts: no scripts, no requests, the same bytes for the same data.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path

import networkx as nx
import pandas as pd

from lcpgraph import schema
from lcpgraph.render.charts import bar_chart, heat_table, sector_colours, stacked_bars
from lcpgraph.render.site import atomic_folder, slugify, write_text
from lcpgraph.views import forum_members, lcps, memberships

__all__ = ["build_report", "run_analyses"]

_CSS = """
body { font-family: Arial, Helvetica, sans-serif; color: #1a1a1a; max-width: 1100px; margin: 0 auto; padding: 0 18px 40px; line-height: 1.45; }
h1 { font-size: 26px; margin: 22px 0 4px; } h2 { font-size: 21px; margin-top: 34px; border-bottom: 2px solid #0072B2; padding-bottom: 3px; }
h3 { font-size: 16px; margin: 20px 0 4px; } p.why { color: #333; margin: 2px 0 8px; max-width: 860px; }
.muted { color: #555; font-size: 14px; } nav a { margin-right: 14px; }
table { border-collapse: collapse; font-size: 14px; margin: 6px 0 12px; }
th, td { border: 1px solid #ccc; padding: 3px 7px; text-align: left; vertical-align: top; }
th { background: #f2f2f2; } td.num { text-align: right; }
.figures { display: flex; flex-wrap: wrap; gap: 12px; margin: 14px 0; }
.figure { border: 1px solid #ccc; border-radius: 6px; padding: 8px 14px; min-width: 150px; }
.figure b { display: block; font-size: 26px; color: #0072B2; }
table.heat thead th { height: 170px; vertical-align: bottom; }
table.heat th span { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; font-weight: normal; }
table.heat td { text-align: center; min-width: 22px; } table.heat td.gap { background: #fde0dd; color: #b2182b; }
.chart text { font-size: 12px; font-family: Arial, Helvetica, sans-serif; } .chart .val { fill: #333; }
.note { background: #fff8e1; border-left: 4px solid #E69F00; padding: 6px 10px; }
iframe { width: 100%; height: 620px; border: 1px solid #ccc; }
"""


def run_analyses(G: nx.MultiDiGraph, progress: Callable[[str], None] | None = None) -> dict[str, pd.DataFrame]:
    """Run every analysis once and return its tables, keyed by the CSV file stem they are written to."""
    from lcpgraph import analysis as a
    from lcpgraph.summary import counts_by_kind_and_sector, partners_per_lcp

    steps: list[tuple[str, Callable[[], pd.DataFrame]]] = [
        ("summary_counts", lambda: counts_by_kind_and_sector(G)),
        ("partners_per_lcp", lambda: partners_per_lcp(G)),
        ("centrality", lambda: a.centrality(G)),
        ("centrality_organisations", lambda: a.centrality(G, graph="organisations")),
        ("brokerage", lambda: a.brokerage(G)),
        ("isolated_partners", lambda: a.isolated_partners(G)),
        ("peripheral_partners", lambda: a.peripheral_partners(G)),
        ("sector_coverage", lambda: a.sector_coverage(G)),
        ("missing_sectors", lambda: a.missing_sectors(G)),
        ("unreported_lcps", lambda: a.unreported_lcps(G)),
        ("empty_boards", lambda: a.empty_boards(G)),
        ("single_points_of_failure", lambda: a.single_points_of_failure(G)),
        ("critical_ties", lambda: a.critical_ties(G)),
        ("sector_contacts", lambda: a.sector_contact_matrix(G)),
        ("sectors_that_never_meet", lambda: a.sectors_that_never_meet(G)),
        ("citywide_reach", lambda: a.citywide_reach(G)),
        ("duplicate_records", lambda: a.duplicate_records(G)),
        ("overlapping_forums", lambda: a.overlapping_forums(G)),
        ("meeting_burden", lambda: a.meeting_burden(G)),
        ("duplicated_functions", lambda: a.duplicated_functions(G)),
        ("communities", lambda: a.communities(G)),
        ("community_agreement", lambda: a.community_agreement(G)),
    ]
    out = {}
    for i, (name, fn) in enumerate(steps, 1):
        if progress:
            progress(f"[{i}/{len(steps)}] {name.replace('_', ' ')}")
        out[name] = fn()
    return out


def _table(df: pd.DataFrame, columns: dict[str, str], limit: int | None = None, empty: str = "None found.") -> str:
    """An HTML table of chosen columns (header text given), escaped; numbers right-aligned."""
    if df.empty:
        return f'<p class="muted">{escape(empty)}</p>'
    shown = df.head(limit) if limit else df
    head = "".join(f"<th>{escape(h)}</th>" for h in columns.values())
    rows = []
    for r in shown.to_dict("records"):
        cells = []
        for c in columns:
            v = r[c]
            if isinstance(v, float):
                cells.append(f'<td class="num">{v:.3f}</td>' if v == v else '<td class="num">–</td>')
            elif isinstance(v, (int,)) and not isinstance(v, bool):
                cells.append(f'<td class="num">{v}</td>')
            else:
                cells.append(f"<td>{escape(str(v))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    more = ""
    if limit and len(df) > limit:
        more = f'<p class="muted">Showing {limit} of {len(df)}; the full list is in the CSV table.</p>'
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{more}"


def _page(title: str, body: str, *, depth: int = 0) -> str:
    up = "../" * depth
    nav = (
        f'<nav class="muted"><a href="{up}index.html">Programme board report</a>'
        f'<a href="{up}maps/network.html">Network map</a><a href="{up}maps/governance.html">Governance map</a></nav>'
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n{nav}\n{body}\n</body>\n</html>\n"
    )


def _section(title: str, why: str, content: str, anchor: str) -> str:
    return f'<section id="{anchor}"><h2>{escape(title)}</h2><p class="why">{escape(why)}</p>{content}</section>'


def _sub(title: str, why: str, content: str) -> str:
    return f'<h3>{escape(title)}</h3><p class="why">{escape(why)}</p>{content}'


def _lcp_pages(G: nx.MultiDiGraph) -> dict[str, str]:
    """Slug per LCP id, unique even if two LCPs share a name."""
    out, used = {}, set()
    for lcp in sorted(lcps(G), key=lambda n: (G.nodes[n].get("name", n), n)):
        slug = base = slugify(G.nodes[lcp].get("name", lcp))
        i = 2
        while slug in used:
            slug, i = f"{base}-{i}", i + 1
        used.add(slug)
        out[lcp] = slug
    return out


def _index(G: nx.MultiDiGraph, t: dict[str, pd.DataFrame], slugs: dict[str, str]) -> str:
    name = G.graph.get("name", "partnership")
    n_kind = {k: sum(1 for _, d in G.nodes(data=True) if d.get("kind") == k) for k in schema.NODE_KINDS}
    third_iso = t["isolated_partners"][t["isolated_partners"]["sector"] == "third sector"]
    third_per = t["peripheral_partners"][t["peripheral_partners"]["sector"] == "third sector"]
    missing = t["missing_sectors"]
    illustrative = sum(1 for _, _, s in G.edges(data="source") if str(s).lower().startswith("illustrative"))
    figures = [
        (len(slugs), "LCPs"),
        (n_kind["organisation"], "partner organisations"),
        (n_kind["board"], "governance boards"),
        (G.number_of_edges(), "relationships"),
        (len(third_iso), "isolated third-sector partners"),
        (len(third_per), "peripheral third-sector partners"),
        (int((missing["missing"] > 0).sum()), "LCPs missing an expected sector"),
        (len(t["single_points_of_failure"]), "single points of failure"),
        (len(t["duplicate_records"]), "possible duplicate records"),
    ]
    fig_html = (
        '<div class="figures">'
        + "".join(f'<div class="figure"><b>{n}</b>{escape(label)}</div>' for n, label in figures)
        + "</div>"
    )
    note = ""
    if illustrative:
        note = (
            f'<p class="note">{illustrative} of {G.number_of_edges()} relationships in this dataset are marked '
            "<em>illustrative</em> in their source column: they show how the analyses work, not who really "
            "sits where. Read the findings with that in mind.</p>"
        )

    # Who connects to whom
    cen = t["centrality"]
    orgs = cen[cen["kind"].isin([schema.ORGANISATION, schema.PERSON])]
    top = orgs.head(12)
    chart = bar_chart(pd.Series(top["betweenness"].to_numpy(), index=top["name"]), title="Top partners by betweenness")
    by_sector = orgs[orgs["rank_in_sector"] == 1].sort_values("betweenness", ascending=False)
    brokers = t["brokerage"]
    connect = (
        chart
        + _sub(
            "The leading connector in each sector",
            "Each sector's partner with the highest betweenness: the person to ask when that sector needs to be "
            "reached.",
            _table(by_sector, {"sector": "Sector", "name": "Partner", "betweenness": "Betweenness", "degree": "Ties"}),
        )
        + _sub(
            "Brokers between sectors",
            "Partners who link organisations that have no tie of their own, counted by the sectors they join "
            "('liaison': three different sectors). Low constraint means their contacts do not otherwise meet: "
            "the partners a partnership would miss most.",
            _table(
                brokers,
                {
                    "name": "Partner",
                    "sector": "Sector",
                    "contacts": "Contacts",
                    "liaison": "Liaison",
                    "cross_sector": "Cross-sector brokerage",
                    "constraint": "Constraint",
                },
                limit=10,
            ),
        )
    )

    # Gaps
    cov = t["sector_coverage"].set_index("name").drop(columns=["lcp"])
    cov = cov[[c for c in schema.EXPECTED_LCP_SECTORS if c in cov.columns]]
    lcp_links = "".join(
        f'<li><a href="lcp/{slugs[r]}.html">{escape(G.nodes[r].get("name", r))}</a></li>' for r in slugs
    )
    gaps = (
        _sub(
            "Isolated third-sector partners",
            "Third-sector organisations with no recorded relationship at all: known to the list, but to nobody in it.",
            _table(third_iso, {"name": "Partner", "scope": "Scope", "source": "Source"}),
        )
        + _sub(
            "Peripheral third-sector partners",
            "In one forum only, in none, or with no route to any governance board: easy to overlook and the "
            "first to drop out when they 'can't always be present'.",
            _table(third_per, {"name": "Partner", "forum_names": "Sits in", "reason": "Why"}),
        )
        + _sub(
            "Which sectors each LCP has",
            "Members of each expected partner type in each LCP. Red cells are gaps: no partner of that type.",
            heat_table(cov, caption="LCP × sector: members"),
        )
        + _sub(
            "LCPs missing sectors",
            "The expected partner types each LCP has nobody from.",
            _table(
                missing[missing["missing"] > 0], {"name": "LCP", "missing": "Missing", "missing_sectors": "Sectors"}
            ),
        )
        + _sub(
            "LCPs with no reporting line",
            "LCPs with no chain of reporting lines up to any board.",
            _table(t["unreported_lcps"], {"name": "LCP", "source": "Source"}),
        )
        + _sub(
            "Boards with no recorded members",
            "Boards nobody is recorded as sitting on.",
            _table(t["empty_boards"], {"name": "Board", "level": "Level", "reporting_in": "Bodies reporting to it"}),
        )
        + _sub(
            "Single points of failure",
            "Partners or people whose departure would cut others off from everyone else: a relationship that "
            "hangs on one organisation.",
            _table(
                t["single_points_of_failure"],
                {"name": "Partner", "cut_off": "Would cut off", "cut_off_names": "Who"},
                limit=12,
            ),
        )
        + _sub(
            "Sectors that never meet",
            "Pairs of sectors with no shared forum and no direct tie between any of their organisations.",
            _table(t["sectors_that_never_meet"], {"sector_a": "Sector", "sector_b": "never meets"}, limit=25),
        )
        + _sub(
            "Citywide organisations and the LCPs",
            "'I struggle to know which Local Care Partnership to prioritise': citywide organisations linked to no "
            "LCP, or to more than five.",
            _table(t["citywide_reach"], {"name": "Organisation", "sector": "Sector", "lcps": "LCPs", "flag": "Flag"}),
        )
    )

    dup = (
        _sub(
            "Possible duplicate records",
            "Records whose names are alike after tidying (case, punctuation, 'MC' for 'Medical Centre'…) or that share "
            "an identifier. For review: nothing is merged.",
            _table(t["duplicate_records"], {"name_a": "Record", "name_b": "and record", "reason": "Why"}),
        )
        + _sub(
            "Forums with the same members",
            "Pairs of partnerships or boards whose members overlap most (Jaccard: shared ÷ all): parallel meetings "
            "with the same people.",
            _table(
                t["overlapping_forums"],
                {"name_a": "Forum", "name_b": "and forum", "shared": "Shared members", "jaccard": "Overlap"},
                limit=10,
            ),
        )
        + _sub(
            "Meeting burden",
            "Partners and people who sit on the most forums.",
            _table(t["meeting_burden"], {"name": "Partner", "sector": "Sector", "forums": "Forums"}, limit=10),
        )
        + _sub(
            "The same service twice in one LCP",
            "Two or more partners offering the same kind of service in one LCP: duplication, or a choice for people.",
            _table(
                t["duplicated_functions"],
                {
                    c: c.replace("_", " ").capitalize()
                    for c in t["duplicated_functions"].columns
                    if c not in ("lcp", "ids")
                },
            ),
        )
    )

    agree = t["community_agreement"].iloc[0] if len(t["community_agreement"]) else None
    comm = t["communities"]
    differ = comm[comm["agrees"] == False].copy()  # noqa: E712 (a boolean column, possibly with missing values)
    for col in ("lcp", "community_lcp"):  # ids to names, for readers
        differ[col] = [G.nodes[x].get("name", x) if x in G else x for x in differ[col]]
    score = ""
    if agree is not None:
        score = (
            f"<p>Agreement between detected communities and official LCPs: adjusted Rand index "
            f"<b>{agree['adjusted_rand_index']:.2f}</b>, normalised mutual information "
            f"<b>{agree['normalised_mutual_information']:.2f}</b> (1 = the same grouping; 0 = no more alike than "
            f"chance), over {int(agree['scored'])} organisations in exactly one LCP.</p>"
        )
    communities = score + _table(
        differ,
        {"name": "Partner", "lcp": "Official LCP", "community_lcp": "Works most with (community's LCP)"},
        limit=15,
    )

    per_lcp = t["sector_coverage"].set_index("name").drop(columns=["lcp"])
    colours = sector_colours(list(G.graph.get("sectors", schema.SECTORS)))
    stacked = stacked_bars(per_lcp, colours, title="Partners per LCP by sector")

    tables = "".join(f'<li><a href="tables/{k}.csv">{k}.csv</a></li>' for k in sorted(t))
    body = (
        f"<h1>{escape(name.title())} partnerships: report for the programme board</h1>"
        f'<p class="muted">Made by lcpgraph from {escape(name)}: {G.number_of_nodes()} records and '
        f"{G.number_of_edges()} relationships.</p>{note}{fig_html}"
        + _section("Partners in each LCP", "How many partners of each type sit in each LCP.", stacked, "lcps")
        + _section(
            "Who connects to whom",
            "Betweenness is the share of the shortest routes between any two records that pass through a "
            "partner: high betweenness marks the partners who hold the network together.",
            connect,
            "connect",
        )
        + _section("Gaps", "Who is left out, what is missing, and what hangs by a thread.", gaps, "gaps")
        + _section("Duplication", "'LCP gives the opportunity to identify duplication and gaps.'", dup, "duplication")
        + _section(
            "Communities and official LCPs",
            "Groups of partners who work most with each other, found from the ties alone, set beside the LCPs "
            "they officially belong to. Partners listed here work more with another LCP's partners than with "
            "their own.",
            communities,
            "communities",
        )
        + _section(
            "Maps and LCP pages",
            "Interactive maps open in any browser with no internet. Each LCP page is for an induction session.",
            '<ul><li><a href="maps/network.html">The whole network</a></li>'
            '<li><a href="maps/governance.html">Governance: boards and reporting lines</a></li></ul>'
            f"<ul>{lcp_links}</ul>",
            "maps",
        )
        + _section("Tables", "Every analysis as a CSV file, to filter in Excel.", f"<ul>{tables}</ul>", "tables")
    )
    return _page(f"{name} partnerships report", body)


def _lcp_page(G: nx.MultiDiGraph, lcp: str, slug: str, t: dict[str, pd.DataFrame], slugs: dict[str, str]) -> str:
    d = G.nodes[lcp]
    name = d.get("name", lcp)
    fm = forum_members(G)
    m = memberships(G)
    members = [n for n in fm[lcp] if G.nodes[n].get("kind") in (schema.ORGANISATION, schema.PERSON)]
    rows = sorted(
        (
            G.nodes[n].get("sector", "") or "(no sector)",
            G.nodes[n].get("name", n),
            G.nodes[n]["kind"],
            G.nodes[n].get("source", ""),
        )
        for n in members
    )
    member_df = pd.DataFrame(rows, columns=["sector", "name", "kind", "source"])
    # reporting chain
    chain, frontier = [], [lcp]
    seen = {lcp}
    while frontier:
        n = frontier.pop(0)
        for _, v, k in sorted(G.out_edges(n, data="kind")):
            if k in ("reports_to", "part_of") and v not in seen and G.nodes[v]["kind"] == schema.BOARD:
                seen.add(v)
                chain.append((G.nodes[n].get("name", n), G.nodes[v].get("name", v)))
                frontier.append(v)
    chain_df = pd.DataFrame(chain, columns=["from", "reports_to"])
    miss = t["missing_sectors"].set_index("lcp")
    missing = miss.loc[lcp, "missing_sectors"] if lcp in miss.index else ""
    shared = []
    for n in members:
        others = [f for f in m[n] if f != lcp and f in slugs]
        if others:
            shared.append((G.nodes[n].get("name", n), "; ".join(sorted(G.nodes[f].get("name", f) for f in others))))
    shared_df = pd.DataFrame(sorted(shared), columns=["partner", "also_in"])
    facts = [(k, v) for k, v in sorted(d.items()) if k not in ("kind", "name", "source", "type", "alt_names")]
    facts_df = pd.DataFrame(
        [
            (k.replace("_", " "), f"{v:,.1f}".rstrip("0").rstrip(".") if isinstance(v, float) else str(v))
            for k, v in facts
        ],
        columns=["figure", "value"],
    )
    by_sector = member_df.groupby("sector").size() if len(member_df) else pd.Series(dtype="int64")
    body = (
        f"<h1>{escape(name)}</h1>"
        f'<p class="muted">{len(members)} members. Source of this LCP: {escape(d.get("source", ""))}</p>'
        + _sub(
            "Who is in it",
            "Partners and people recorded as members or chairs, by sector.",
            bar_chart(by_sector.sort_values(ascending=False), title="Members by sector", fmt="{:.0f}")
            + _table(member_df, {"sector": "Sector", "name": "Partner", "kind": "Kind", "source": "Source"}),
        )
        + _sub(
            "Reporting line",
            "The boards this LCP reports to, step by step.",
            _table(chain_df, {"from": "From", "reports_to": "reports to"}, empty="No reporting line is recorded."),
        )
        + _sub(
            "Missing sectors",
            "Expected partner types with nobody in this LCP.",
            f"<p>{escape(missing) or 'None: every expected sector is here.'}</p>",
        )
        + _sub(
            "Partners shared with other LCPs",
            "Members who also sit in other LCPs: bridges to neighbours, and people whose time is split.",
            _table(shared_df, {"partner": "Partner", "also_in": "Also in"}),
        )
        + _sub(
            "Figures",
            "What the data records about this LCP (population, dashboard figures).",
            _table(facts_df, {"figure": "Figure", "value": "Value"}, empty="No figures recorded."),
        )
        + _sub(
            "Map",
            "This LCP, its partners, the boards above it and the LCPs that share partners with it.",
            f'<p><a href="../maps/lcp-{slug}.html">Open the map full screen</a></p>'
            f'<iframe src="../maps/lcp-{slug}.html" title="Map of {escape(name)}"></iframe>',
        )
    )
    return _page(f"{name}: LCP induction page", body, depth=1)


def build_report(
    G: nx.MultiDiGraph, out_dir: str | Path, *, progress: Callable[[str], None] | None = None, maps: bool = True
) -> Path:
    """Write the report site for ``G`` into ``out_dir``, replacing it only when complete.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A loaded partnership graph.
    out_dir : str or Path
        The folder to (re)write: ``index.html``, ``lcp/<slug>.html``, ``maps/*.html`` and
        ``tables/*.csv``.
    progress : callable, optional
        Called with a short message before each step.
    maps : bool
        Also draw the maps (the slowest part on big networks).

    Returns
    -------
    Path
        ``out_dir``.
    """
    from lcpgraph.render.map import render_map

    say = progress or (lambda _msg: None)
    t = run_analyses(G, say)
    slugs = _lcp_pages(G)
    out = Path(out_dir)
    with atomic_folder(out) as stage:
        say("writing tables")
        for k, df in t.items():
            write_text(stage / "tables" / f"{k}.csv", df.to_csv(index=False, lineterminator="\n"))
        if maps:
            say("drawing the network and governance maps")
            render_map(G, stage / "maps" / "network.html", measures=t["centrality"])
            render_map(G, stage / "maps" / "governance.html", view="governance", measures=t["centrality"])
            for i, (lcp, slug) in enumerate(slugs.items(), 1):
                say(f"drawing LCP maps ({i}/{len(slugs)})")
                render_map(G, stage / "maps" / f"lcp-{slug}.html", view="lcp", name=lcp, measures=t["centrality"])
        say("writing pages")
        write_text(stage / "index.html", _index(G, t, slugs))
        for lcp, slug in slugs.items():
            write_text(stage / "lcp" / f"{slug}.html", _lcp_page(G, lcp, slug, t, slugs))
    return out
