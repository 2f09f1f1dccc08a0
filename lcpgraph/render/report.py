"""The report site: a page for a programme board, a page per local unit, the maps and every table.

``build_report`` makes every table of the catalogue once (:func:`lcpgraph.catalogue.run`),
then writes the whole site into a staging folder that takes the place of the target only when
everything has been written (:func:`lcpgraph.files.report_folder`). Counts come from the same
tables everywhere: a unit's member count on the index chart, its own page, the CSV tables and
the map filter is one number. Titles and sentences come from the catalogue, in the place's
own words. The pages are plain HTML with inline CSS and SVG charts: no scripts, no requests,
the same bytes for the same data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from html import escape
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from lcpgraph import catalogue, schema, views
from lcpgraph.analysis.recommend import report_section as recommend_section
from lcpgraph.catalogue import TABLES, Settings
from lcpgraph.files import csv_text, file_slug, report_folder, write_text
from lcpgraph.place import Place, place_of
from lcpgraph.render.charts import bar_chart, heat_table, sector_colours, stacked_bars
from lcpgraph.survey.render import report_section as survey_section
from lcpgraph.survey.render import unit_section as survey_unit_section

__all__ = ["build_report", "unit_pages"]

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

#: The most local units the index page's chart draws (a region has hundreds).
CHART_UNITS = 60

#: Where the unit pages and their maps go, relative to the report folder.
UNIT_DIR = "units"


def unit_pages(G: nx.MultiDiGraph) -> dict[str, str]:
    """File-name slug per local unit id: short, unique, safe on Windows, macOS and Linux."""
    used: set[str] = set()
    return {
        u: file_slug(views.name_of(G, u), used) for u in sorted(views.units(G), key=lambda n: (views.name_of(G, n), n))
    }


def _cell(v: object) -> str:
    if v is None or v is pd.NA:
        return "<td></td>"
    if isinstance(v, bool):
        return f"<td>{'yes' if v else 'no'}</td>"
    if isinstance(v, float):
        return f'<td class="num">{v:.3f}</td>' if v == v else '<td class="num">–</td>'
    if isinstance(v, int):
        return f'<td class="num">{v:,}</td>'
    return f"<td>{escape(str(v))}</td>"


def _table(
    df: pd.DataFrame,
    key: str,
    columns: list[str],
    place: Place,
    limit: int | None = None,
    empty: str = "None found.",
) -> str:
    """An HTML table of chosen columns with the catalogue's headers, escaped; numbers right-aligned."""
    if df.empty:
        return f'<p class="muted">{escape(empty)}</p>'
    t = TABLES.get(key)
    head = "".join(f"<th>{escape(t.header(c, place) if t else c)}</th>" for c in columns)
    cut = bool(limit) and len(df) > limit  # df.head() costs more than the rest of a small table
    # Column by column (Python values, as to_dict gives), only the columns and rows shown.
    cells = [[_cell(v) for v in (df[c].iloc[:limit] if cut else df[c]).tolist()] for c in columns]
    rows = ["<tr>" + "".join(r) + "</tr>" for r in zip(*cells, strict=True)]
    more = ""
    if limit and len(df) > limit:
        more = f'<p class="muted">Showing {limit} of {len(df)}; the full list is in tables/{escape(key)}.csv.</p>'
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{more}"


def _page(title: str, body: str, *, depth: int = 0) -> str:
    up = "../" * depth
    nav = (
        f'<nav class="muted"><a href="{up}index.html">Report</a>'
        f'<a href="{up}maps/network.html">Network map</a><a href="{up}maps/governance.html">Governance map</a></nav>'
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="generator" content="lcpgraph">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n{nav}\n{body}\n</body>\n</html>\n"
    )


def _section(title: str, why: str, content: str, anchor: str) -> str:
    return f'<section id="{anchor}"><h2>{escape(title)}</h2><p class="why">{escape(why)}</p>{content}</section>'


def _sub(title: str, why: str, content: str) -> str:
    return f'<h3>{escape(title)}</h3><p class="why">{escape(why)}</p>{content}'


#: The most rows a table shows on the index page; the rest are in its CSV file.
INDEX_ROWS = 30


def _entry(
    key: str, t: dict[str, pd.DataFrame], place: Place, columns: list[str], *, limit: int = INDEX_ROWS, df=None
) -> str:
    """One catalogue table as a sub-section: its title, its sentence, its first rows."""
    table = TABLES[key]
    if key not in t:
        return _sub(table.title_for(place), table.sentence_for(place), _NOT_MADE)
    data = t[key] if df is None else df
    return _sub(table.title_for(place), table.sentence_for(place), _table(data, key, columns, place, limit))


_NOT_MADE = (
    '<p class="note">Not made for this report (--without-projection): the forums are too big to tie every '
    "pair of their members.</p>"
)


#: Tables the index page places by hand; any other table of a group follows them on its own.
_PLACED = {
    "isolated_partners",
    "peripheral_partners",
    "sector_coverage",
    "sector_contacts",
    "missing_sectors",
    "unreported_lcps",
    "empty_boards",
    "single_points_of_failure",
    "critical_ties",
    "sectors_that_never_meet",
    "citywide_reach",
    "duplicate_records",
    "overlapping_forums",
    "meeting_burden",
    "duplicated_functions",
}


def _more(t: dict[str, pd.DataFrame], place: Place, group: str) -> str:
    """Every table of ``group`` the page does not place by hand, in catalogue order, brief columns."""
    out = []
    for table in catalogue.tables_in(group):
        if table.key in t and table.key not in _PLACED:
            cols = [c for c in (table.brief or tuple(t[table.key].columns)) if c in t[table.key].columns]
            out.append(_entry(table.key, t, place, cols, limit=15))
    return "".join(out)


def _surveyed(G: nx.MultiDiGraph) -> bool:
    """True when the dataset has survey ratings (``ratings.csv``), and so survey tables and sections."""
    return G.graph.get("ratings_table") is not None


def _counts_by_sector(G: nx.MultiDiGraph, coverage: pd.DataFrame) -> pd.DataFrame:
    """Members per unit by sector, with a '(no sector)' part so each bar adds up to the unit's members.

    ``coverage`` is the sector coverage table indexed by unit name.
    """
    sector_cols = [c for c in coverage.columns if c not in ("unit", "name", "members")]
    counts = coverage[sector_cols]
    rest = coverage["members"] - counts.sum(axis=1)
    if (rest > 0).any():
        counts = counts.assign(**{"(no sector)": rest})
    return counts


def _index(G: nx.MultiDiGraph, t: dict[str, pd.DataFrame], slugs: dict[str, str], maps: bool) -> str:
    place = place_of(G)
    d = views.derived(G)
    title_name = place.name or str(G.graph.get("name", "partnerships"))
    n_kind = {k: sum(1 for v in d.kind.values() if v == k) for k in schema.NODE_KINDS}
    focus_iso, focus_per = t["isolated_partners"], t["peripheral_partners"]
    missing = t["missing_sectors"][t["missing_sectors"]["missing"] > 0]  # units missing a sector
    illustrative = sum(1 for _, _, e in d.edges if str(e.get("source", "")).lower().startswith("illustrative"))
    figures = [
        (len(slugs), place.units),
        (n_kind["organisation"], "partner organisations"),
        (n_kind["board"], "governance boards"),
        (len(d.edges), "current relationships"),
        (len(focus_iso), f"isolated {place.focus} partners"),
        (len(focus_per), f"peripheral {place.focus} partners"),
        (len(missing), f"{place.units} missing an expected sector"),
        (len(t["single_points_of_failure"]), "single points of failure"),
        (len(t["duplicate_records"]), "possible duplicate records"),
    ]
    fig_html = (
        '<div class="figures">'
        + "".join(f'<div class="figure"><b>{n:,}</b>{escape(label)}</div>' for n, label in figures)
        + "</div>"
    )
    notes: list[str] = []
    if illustrative:
        notes.append(
            f"{illustrative} of {len(d.edges)} current relationships in this dataset are marked <em>illustrative</em> "
            "in their source column: they show how the analyses work, not who really sits where. Read the findings "
            "with that in mind."
        )
    if d.ended:
        notes.append(
            f"{d.ended} relationship{'s' if d.ended != 1 else ''} in the data did not hold on "
            f"{d.day.isoformat()} (ended, or not yet started) and {'are' if d.ended != 1 else 'is'} left out."
        )
    left = G.graph.get("left_out") or []
    if left:
        rows = len({(p.path, p.row) for p in left})
        items = "".join(f"<li>{escape(str(p))}</li>" for p in left[:50])
        more = f"<li>and {len(left) - 50} more</li>" if len(left) > 50 else ""
        notes.append(
            f"<b>Partial report.</b> {rows} row{'s' if rows != 1 else ''} of the data had problems and "
            f"{'were' if rows != 1 else 'was'} left out (--keep-going); every figure below is without them:"
            f"<ul>{items}{more}</ul>"
        )
    if G.graph.get("people_hidden"):
        notes.append("People are shown by their role only: their names and ids appear nowhere in this report.")
    note = "".join(f'<p class="note">{n}</p>' for n in notes)

    cov = t["sector_coverage"].set_index("name")  # for the chart and the heat table
    per_unit = _counts_by_sector(G, cov)
    colours = sector_colours(list(G.graph.get("sectors", schema.SECTORS)))
    colours["(no sector)"] = "#bbbbbb"
    shown_note = ""
    if len(per_unit) > CHART_UNITS:
        # A region's thousand bars would bury the page: the largest here, every one in its table.
        order = per_unit.sum(axis=1).sort_values(ascending=False, kind="stable")
        per_unit = per_unit.loc[order.index[:CHART_UNITS]]
        shown_note = (
            f'<p class="muted">Showing the {CHART_UNITS} {escape(place.units)} with most members of '
            f"{len(order):,}; every one is in tables/partners_per_lcp.csv and has its own page.</p>"
        )
    stacked = stacked_bars(per_unit, colours, title=TABLES["partners_per_lcp"].title_for(place)) + shown_note

    # Who connects to whom
    cen = t["centrality"]
    partners_only = cen[cen["kind"].isin([schema.ORGANISATION, schema.PERSON]) & (cen["betweenness"] > 0)]
    top = partners_only.head(12)
    chart = bar_chart(
        pd.Series(top["betweenness"].to_numpy(), index=top["name"]), title="Top partners by go-between score"
    )
    leaders = partners_only[partners_only["rank_in_sector"] == 1].sort_values("betweenness", ascending=False)
    connect = (
        chart
        + _sub(
            "The leading connector in each sector",
            "Each sector's partner with the highest go-between score (sectors whose partners link nobody are left "
            "out): the one to ask when that sector needs to be reached.",
            _table(leaders, "centrality", ["sector", "name", "betweenness", "degree"], place),
        )
        + _entry(
            "brokerage",
            t,
            place,
            ["name", "sector", "contacts", "liaison", "cross_sector", "constraint"],
            limit=10,
        )
    )

    heat = cov[[c for c in place.expected_sectors if c in cov.columns]]
    heat_note = ""
    if len(heat) > CHART_UNITS:
        # As for the chart: the units with most gaps here, every one in the CSV and on its page.
        gaps_per_unit = (heat == 0).sum(axis=1).sort_values(ascending=False, kind="stable")
        heat = heat.loc[gaps_per_unit.index[:CHART_UNITS]]
        heat_note = (
            f'<p class="muted">Showing the {CHART_UNITS} {escape(place.units)} with most gaps of '
            f"{len(gaps_per_unit):,}; every one is in tables/sector_coverage.csv.</p>"
        )
    gaps = (
        _entry("isolated_partners", t, place, ["name", "scope", "source"])
        + _entry("peripheral_partners", t, place, ["name", "forum_names", "reason"])
        + _sub(
            TABLES["sector_coverage"].title_for(place),
            TABLES["sector_coverage"].sentence_for(place),
            heat_table(heat, caption=f"{place.unit_title} × sector: members") + heat_note,
        )
        + _entry("missing_sectors", t, place, ["name", "missing", "missing_sectors"], df=missing)
        + _entry("unreported_lcps", t, place, ["name", "source"])
        + _entry("empty_boards", t, place, ["name", "level", "reporting_in"])
        + _entry("single_points_of_failure", t, place, ["name", "cut_off", "cut_off_names"], limit=12)
        + _entry("critical_ties", t, place, ["name_a", "name_b", "kinds", "cut_off", "cut_off_names"], limit=12)
        + _entry("sectors_that_never_meet", t, place, ["sector_a", "sector_b"], limit=25)
        + _entry("citywide_reach", t, place, ["name", "sector", "units", "flag"])
        + _more(t, place, "gaps")
    )
    dup = (
        _entry("duplicate_records", t, place, ["name_a", "name_b", "reason"])
        + _entry("overlapping_forums", t, place, ["name_a", "name_b", "shared", "jaccard"], limit=10)
        + _entry("meeting_burden", t, place, ["name", "sector", "forums"], limit=10)
        + _entry("duplicated_functions", t, place, ["unit_name", "service", "organisations", "names"])
        + _more(t, place, "duplicates")
    )

    if "communities" in t:
        agree = t["community_agreement"].iloc[0] if len(t["community_agreement"]) else None
        comm = t["communities"]
        differ = comm[comm["agrees"].eq(False).fillna(False)].copy()
        for col in ("unit", "community_unit"):  # ids to names, for readers
            differ[col] = [views.name_of(G, x) if isinstance(x, str) and x in G else "" for x in differ[col]]
        score = f"<p>{escape(str(agree['in_words']))}</p>" if agree is not None else ""
        communities = score + _sub(
            f"Partners who work more with another {place.unit}",
            f"Their group, found from the ties alone, is mostly another {place.unit}'s partners.",
            _table(differ, "communities", ["name", "unit", "community_unit"], place, limit=15),
        )
    else:
        communities = _NOT_MADE

    unit_links = "".join(
        f'<li><a href="{UNIT_DIR}/{slugs[u]}.html">{escape(views.name_of(G, u))}</a></li>' for u in slugs
    )
    map_links = (
        '<ul><li><a href="maps/network.html">The whole network</a></li>'
        '<li><a href="maps/governance.html">Governance: boards and reporting lines</a></li></ul>'
        if maps
        else '<p class="muted">Maps were not drawn for this report (--no-maps).</p>'
    )
    tables = "".join(f'<li><a href="tables/{k}.csv">{k}.csv</a>: {escape(TABLES[k].title_for(place))}</li>' for k in t)
    body = (
        f"<h1>{escape(title_name)}: partnership network report</h1>"
        f'<p class="muted">Made by lcpgraph from {escape(str(G.graph.get("name", "")))}: {G.number_of_nodes():,} '
        f"records and {len(d.edges):,} relationships current on {d.day.isoformat()}.</p>{note}{fig_html}"
        + _section(
            TABLES["partners_per_lcp"].title_for(place),
            TABLES["partners_per_lcp"].sentence_for(place),
            stacked,
            "units",
        )
        + _section(
            "Who connects to whom",
            "The go-between score (betweenness) is the share of the shortest routes between any two records that "
            "pass through a partner: a high score marks the partners who hold the network together.",
            connect,
            "connect",
        )
        + _section("Gaps", "Who is left out, what is missing, and what hangs by a thread.", gaps, "gaps")
        + _section(
            "Duplication",
            f"'A {place.unit} gives the opportunity to identify duplication and gaps.'",
            dup,
            "duplication",
        )
        + _section(
            f"Groups and official {place.units}",
            TABLES["communities"].sentence_for(place),
            communities,
            "communities",
        )
        + (survey_section(G) if _surveyed(G) else "")  # a dataset without ratings has no such section
        + _section(
            "What to do next",
            "Suggestions drawn from the tables above, each with its reason: who the network cannot lose, "
            f"whom to brief first, who to introduce to whom, which {place.unit} place-wide partners could "
            "prioritise, and where meetings could be shared.",
            recommend_section(G, t),
            "next",
        )
        + _section(
            f"Maps and {place.unit} pages",
            f"Interactive maps open in any browser with no internet. Each {place.unit} page is for an induction "
            "session.",
            map_links + f"<ul>{unit_links}</ul>",
            "maps",
        )
        + _section(
            "Tables", "Every analysis as a CSV file, to filter in a spreadsheet.", f"<ul>{tables}</ul>", "tables"
        )
    )
    return _page(f"{title_name}: partnership network report" + (" (partial)" if left else ""), body)


def _rows_table(rows: list[tuple], headers: dict[str, str], empty: str = "None.") -> str:
    """An HTML table of ``rows``, one value per column of ``headers`` (column: header); numbers right-aligned.

    Cells read as a DataFrame of the rows gives them back: text as it is (the usual case, so
    it skips the DataFrame), other values as pandas makes them (a blank among text becomes
    NaN, ints among floats become floats).
    """
    if not rows:
        return f'<p class="muted">{escape(empty)}</p>'
    head = "".join(f"<th>{escape(h)}</th>" for h in headers.values())
    if all(isinstance(v, str) for r in rows for v in r):
        body = "".join("<tr>" + "".join(f"<td>{escape(v)}</td>" for v in r) + "</tr>" for r in rows)
    else:
        records = pd.DataFrame(rows, columns=list(headers)).to_dict("records")
        body = "".join("<tr>" + "".join(_cell(r[c]) for c in headers) + "</tr>" for r in records)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _missing_by_unit(t: dict[str, pd.DataFrame]) -> dict[str, str]:
    """Each unit's missing sectors, as its page says them."""
    miss = t["missing_sectors"]
    return dict(zip(miss["unit"].tolist(), miss["missing_sectors"].tolist(), strict=True))


def _unit_page(
    G: nx.MultiDiGraph,
    unit: str,
    slug: str,
    missing_sectors: dict[str, str],
    maps: bool,
    ratings: pd.DataFrame | None,
) -> str:
    place = place_of(G)
    d = views.derived(G)
    node = G.nodes[unit]
    name = views.name_of(G, unit)
    members = d.members[unit]
    sec = d.sector
    # Plain rows, not DataFrames: fifteen pages of small tables cost more in pandas than in HTML.
    member_rows = sorted(
        (sec.get(m) or "(no sector)", views.name_of(G, m), d.kind[m], G.nodes[m].get("source", "")) for m in members
    )
    chain_rows = [(views.name_of(G, a), views.name_of(G, b)) for a, b in views.reporting_chain(G, unit)]
    inside = [views.name_of(G, s) for s in d.sub_units[unit]]
    missing = missing_sectors.get(unit, "")
    shared = []
    for m in members:
        others = [f for f in d.units_of.get(m, []) if f != unit]
        if others:
            shared.append((views.name_of(G, m), "; ".join(sorted(views.name_of(G, f) for f in others))))
    shared.sort()
    facts = [(k, v) for k, v in sorted(node.items()) if k not in ("kind", "name", "source", "type", "alt_names")]
    fact_rows = [
        (k.replace("_", " "), f"{v:,.1f}".rstrip("0").rstrip(".") if isinstance(v, float) else str(v)) for k, v in facts
    ]
    # Members per sector in sector order (as a groupby gives them), largest first for the chart;
    # a plain index, as the chart only prints its labels (a text index costs more to build).
    per_sector = Counter(r[0] for r in member_rows)
    sectors = sorted(per_sector)
    by_sector = pd.Series(
        np.array([per_sector[k] for k in sectors], dtype=np.int64), index=pd.Index(sectors, dtype=object)
    )
    plain = {"sector": "Sector", "name": "Partner", "kind": "Kind", "source": "Source"}

    map_part = (
        f'<p><a href="../maps/unit-{slug}.html">Open the map full screen</a></p>'
        f'<iframe src="../maps/unit-{slug}.html" title="Map of {escape(name)}"></iframe>'
        if maps
        else '<p class="muted">Maps were not drawn for this report.</p>'
    )
    body = (
        f"<h1>{escape(name)}</h1>"
        f'<p class="muted">{place.unit_title} · {len(members)} member{"s" if len(members) != 1 else ""}. '
        f"Source: {escape(str(node.get('source', '')))}</p>"
        + _sub(
            "Who is in it",
            f"Its members by the membership rule: those who sit in it, chair it, support it or share a post with it, "
            f"and the members of partnerships inside it{' (' + escape('; '.join(inside)) + ')' if inside else ''}.",
            bar_chart(by_sector.sort_values(ascending=False), title="Members by sector", fmt="{:.0f}")
            + _rows_table(member_rows, plain, "No members are recorded."),
        )
        + _sub(
            "Reporting line",
            f"The partnerships and boards this {place.unit} reports to, step by step.",
            _rows_table(chain_rows, {"from": "From", "to": "reports to"}, "No reporting line is recorded."),
        )
        + _sub(
            "Missing sectors",
            f"Expected partner types with nobody in this {place.unit}.",
            f"<p>{escape(missing) or 'None: every expected sector is here.'}</p>",
        )
        + _sub(
            f"Partners shared with other {place.units}",
            f"Members who also belong to other {place.units}: bridges to neighbours, and people whose time is split.",
            _rows_table(shared, {"partner": "Partner", "also_in": "Also in"}),
        )
        + _sub(
            "Figures",
            f"What the data records about this {place.unit} (population, dashboard figures).",
            _rows_table(fact_rows, {"figure": "Figure", "value": "Value"}, "No figures recorded."),
        )
        + (survey_unit_section(G, ratings, unit) if ratings is not None else "")
        + _sub(
            "Map",
            f"This {place.unit}, its members, the boards above it and the {place.units} that share members with it.",
            map_part,
        )
    )
    if G.graph.get("left_out"):
        body = (
            '<p class="note"><b>Partial report:</b> some rows of the data were left out; see the report page.</p>'
            + body
        )
    return _page(f"{name}: {place.unit} induction page", body, depth=1)


def build_report(
    G: nx.MultiDiGraph,
    out_dir: str | Path,
    *,
    progress: Callable[[str], None] | None = None,
    maps: bool = True,
    settings: Settings | None = None,
) -> Path:
    """Write the report site for ``G`` into ``out_dir``, replacing it only when complete.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A loaded partnership graph.
    out_dir : str or Path
        The folder to write: ``index.html``, ``units/<slug>.html``, ``maps/*.html`` and
        ``tables/*.csv`` (the catalogue's file names). It must be missing, empty, or a report
        an earlier run wrote; anything else is refused before any work.
    progress : callable, optional
        Called with a short message before each step.
    maps : bool
        Also draw the maps (the slowest part on big networks).

    Returns
    -------
    Path
        ``out_dir``.

    Raises
    ------
    LcpGraphError
        When ``out_dir`` is a folder lcpgraph did not write, or cannot be written.
    """
    say = progress or (lambda _msg: None)
    out = Path(out_dir)
    with report_folder(out) as stage:
        # Survey tables only when the data has survey ratings.
        keys = [k for k, tb in TABLES.items() if tb.group != "survey" or _surveyed(G)]
        t = catalogue.run(G, keys, settings=settings, progress=lambda title, i, n: say(f"[{i}/{n}] {title}"))
        slugs = unit_pages(G)
        say("writing tables")
        for k, df in t.items():
            write_text(stage / "tables" / f"{k}.csv", csv_text(df), sync=False)
        if maps:
            from lcpgraph.render.map import MapBuilder

            say("drawing the network and governance maps")
            builder = MapBuilder(G, measures=t["centrality"], tables=t)
            # One copy of vis-network beside the maps, not one inside each of a region's thousand.
            builder.write_assets(stage / "maps")
            shared = {"vis_js_href": "vis-network.min.js", "sync": False}  # the folder is swapped in whole
            builder.write(stage / "maps" / "network.html", **shared)
            builder.write(stage / "maps" / "governance.html", view="governance", **shared)
            for i, (u, slug) in enumerate(slugs.items(), 1):
                say(f"drawing {place_of(G).unit} maps ({i}/{len(slugs)})")
                builder.write(stage / "maps" / f"unit-{slug}.html", view="unit", name=u, **shared)
        say("writing pages")
        write_text(stage / "index.html", _index(G, t, slugs, maps), sync=False)
        from lcpgraph.survey.ratings import read_ratings

        missing = _missing_by_unit(t)
        ratings = read_ratings(G) if _surveyed(G) else None  # once, not once a page
        for u, slug in slugs.items():
            page = _unit_page(G, u, slug, missing, maps, ratings)
            write_text(stage / UNIT_DIR / f"{slug}.html", page, sync=False)
    return out
