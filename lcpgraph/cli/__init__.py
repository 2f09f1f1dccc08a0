"""The ``lcpgraph`` command line: parse options, call the library, print or write the result.

This is the only module that imports click. Every command takes an optional PATH (a folder of
CSV files or a workbook) that defaults to the bundled Leeds data.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path

import click
import pandas as pd

import lcpgraph
from lcpgraph.exceptions import LcpGraphError, ValidationError
from lcpgraph.render.site import write_text

EXIT_BAD_INPUT = 2


class _Group(click.Group):
    """A group that turns lcpgraph's own errors into a clean message and exit code 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except LcpGraphError as exc:
            click.echo(f"Error: {exc}", err=True)
            if isinstance(exc, ValidationError):
                click.echo("Nothing was written. Fix the rows above and run the command again.", err=True)
            ctx.exit(EXIT_BAD_INPUT)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(lcpgraph.__version__, prog_name="lcpgraph")
def main() -> None:
    """Map health-and-care partnerships as a network.

    Partner organisations, partnerships (such as Local Care Partnerships) and governance
    boards are read from a folder of CSV files (or an Excel workbook) and analysed as a
    graph. Every command reads the bundled Leeds data when no PATH is given.

    \b
    Example:
        lcpgraph validate                 # check the bundled Leeds data
        lcpgraph summary my-city-data/    # counts for your own folder
    """


def data_path(func: Callable) -> Callable:
    """Add the optional PATH argument and --encoding option, and load the graph."""

    @click.argument("path", required=False, type=click.Path(path_type=Path))
    @click.option(
        "--encoding",
        default="utf-8-sig",
        show_default=True,
        help="Text encoding of the CSV files (Excel 'CSV UTF-8' is read by the default).",
    )
    @functools.wraps(func)
    def wrapper(path: Path | None, encoding: str, **kwargs):
        G = lcpgraph.load(path, encoding=encoding)
        return func(G, **kwargs)

    return wrapper


def format_options(func: Callable) -> Callable:
    """Add --format and --output to a command that produces a table."""
    func = click.option(
        "--output",
        "-o",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write to this file instead of printing.",
    )(func)
    func = click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "csv", "json"]),
        default="table",
        show_default=True,
        help="table: readable text (long cells cut at 60 characters); csv or json: in full, for other tools.",
    )(func)
    return func


def render_table(df: pd.DataFrame, fmt: str) -> str:
    """Render a DataFrame as readable text, CSV or JSON records."""
    if fmt == "csv":
        return df.to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        return df.to_json(orient="records", indent=2, force_ascii=False) + "\n"
    if df.empty:
        return "(none)\n"
    with pd.option_context(
        "display.max_rows", None, "display.max_columns", None, "display.width", 200, "display.max_colwidth", 60
    ):
        return df.to_string(index=False, max_colwidth=60) + "\n"


def emit(text: str, output: Path | None) -> None:
    """Print ``text``, or write it to ``output`` and say so on stderr."""
    if output is None:
        click.echo(text, nl=False)
    else:
        write_text(output, text)
        click.echo(f"wrote {output}", err=True)


@main.command()
@data_path
def validate(G) -> None:
    """Check a dataset and report every problem, naming file, row and column.

    Exits 0 when the data is valid and 2 when it is not (nothing else is written).

    \b
    Example:
        lcpgraph validate data/leeds
    """
    n_rel = G.number_of_edges()
    click.echo(
        f"OK: {G.graph['path']} is valid: {G.number_of_nodes()} records "
        f"and {n_rel} relationship{'s' if n_rel != 1 else ''}."
    )


@main.command()
@data_path
@format_options
def summary(G, fmt: str, output: Path | None) -> None:
    """Counts by kind and sector, and the partners in each LCP.

    \b
    Example:
        lcpgraph summary
        lcpgraph summary --format csv -o summary.csv
    """
    counts = lcpgraph.counts_by_kind_and_sector(G)
    per_lcp = lcpgraph.partners_per_lcp(G)
    if fmt == "table":
        text = (
            f"{G.graph['name']}: {G.number_of_nodes()} records, {G.number_of_edges()} relationships\n\n"
            "Records by kind and sector\n"
            + render_table(counts, fmt)
            + "\nPartners per LCP\n"
            + render_table(per_lcp, fmt)
        )
    elif fmt == "json":
        text = (
            '{"counts": '
            + counts.to_json(orient="records", force_ascii=False)
            + ', "partners_per_lcp": '
            + per_lcp.to_json(orient="records", force_ascii=False)
            + "}\n"
        )
    else:
        both = pd.concat([counts.assign(table="counts"), per_lcp.assign(table="partners_per_lcp")])
        text = render_table(both[["table", *[c for c in both.columns if c != "table"]]], "csv")
    emit(text, output)


#: Sections of ``lcpgraph duplicates``: ``--show`` value -> title.
_DUPLICATION_SECTIONS = {
    "records": "Probable duplicate records (review; nothing is merged)",
    "forums": "Forums with overlapping members",
    "burden": "Meeting burden: partners and people in many forums",
    "services": "Services offered by two or more partners in one LCP",
}


def _sections_text(sections: dict[str, pd.DataFrame], titles: dict[str, str], fmt: str) -> str:
    """Several tables as one text: titled blocks or a JSON object (CSV holds only one table)."""
    if len(sections) == 1:
        return render_table(next(iter(sections.values())), fmt)
    if fmt == "table":
        return "\n".join(f"{titles[k]}\n{render_table(df, fmt)}" for k, df in sections.items())
    if fmt == "json":
        body = ", ".join(f'"{k}": {df.to_json(orient="records", force_ascii=False)}' for k, df in sections.items())
        return "{" + body + "}\n"
    raise click.UsageError("CSV holds one table: choose which with --show, or use --format json.")


@main.command()
@data_path
@click.option(
    "--show",
    type=click.Choice(["all", *_DUPLICATION_SECTIONS]),
    default="all",
    show_default=True,
    help="records: probable duplicate records; forums: overlapping partnerships/boards; "
    "burden: who sits in many forums; services: the same service twice in one LCP.",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0, 100),
    default=90.0,
    show_default=True,
    help="Lowest name similarity (percent, after normalisation) that flags two records.",
)
@click.option(
    "--min-jaccard",
    type=click.FloatRange(0, 1),
    default=0.5,
    show_default=True,
    help="Lowest member overlap (Jaccard, 0-1) for two forums to be listed.",
)
@click.option(
    "--min-forums",
    type=click.IntRange(1),
    default=3,
    show_default=True,
    help="Fewest forums for a partner or person to be listed under meeting burden.",
)
@format_options
def duplicates(
    G, show: str, threshold: float, min_jaccard: float, min_forums: int, fmt: str, output: Path | None
) -> None:
    """Find duplication: duplicate records, parallel forums, meeting burden, repeated services.

    Probable duplicate records are names alike after normalisation ("Oakwood Lane MC" and
    "Oakwood Lane Medical Centre") or records sharing an identifier such as GB-NHS-RR8; they
    are listed for review, never merged. Forums overlap when much the same members sit in
    both. Services are repeated when two partners in one LCP offer the same one. CSV holds
    one table, so with --format csv choose it with --show.

    \b
    Example:
        lcpgraph duplicates
        lcpgraph duplicates --show records --threshold 85 --format csv -o dupes.csv
    """
    if fmt == "csv" and show == "all":
        raise click.UsageError("CSV holds one table: choose which with --show, or use --format json.")
    makers = {
        "records": lambda: lcpgraph.duplicate_records(G, threshold=threshold),
        "forums": lambda: lcpgraph.overlapping_forums(G, min_jaccard=min_jaccard),
        "burden": lambda: lcpgraph.meeting_burden(G, min_forums=min_forums),
        "services": lambda: lcpgraph.duplicated_functions(G),
    }
    chosen = list(makers) if show == "all" else [show]
    emit(_sections_text({k: makers[k]() for k in chosen}, _DUPLICATION_SECTIONS, fmt), output)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@main.command(name="communities")
@data_path
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for the community detection.")
@click.option(
    "--resolution",
    type=click.FloatRange(0, min_open=True),
    default=1.0,
    show_default=True,
    help="Above 1: more, smaller communities; below 1: fewer, larger.",
)
@click.option(
    "--method",
    type=click.Choice(["leiden", "louvain"]),
    default="leiden",
    show_default=True,
    help="igraph's Leiden or Louvain (multilevel) modularity optimisation.",
)
@click.option(
    "--without-lcp-ties",
    is_flag=True,
    help="Leave the LCPs themselves out, so communities come from other forums and direct ties only.",
)
@click.option("--disagreeing", is_flag=True, help="List only partners whose community is not their LCP's.")
@click.option("--agreement", "agreement_only", is_flag=True, help="Print only the agreement scores.")
@format_options
def communities_command(
    G,
    seed: int,
    resolution: float,
    method: str,
    without_lcp_ties: bool,
    disagreeing: bool,
    agreement_only: bool,
    fmt: str,
    output: Path | None,
) -> None:
    """Detect communities of partners and compare them with the official LCPs.

    Communities are found on the organisation projection (partners tied by shared forums and
    direct ties). Each partner's community is set beside its LCP; agreement is scored by the
    adjusted Rand index (ARI) and normalised mutual information (NMI), 1 meaning the
    communities are exactly the LCPs. The same seed always gives the same answer. The table
    and JSON formats include the scores; CSV lists the partners only (use --agreement).

    \b
    Example:
        lcpgraph communities --disagreeing
        lcpgraph communities --without-lcp-ties --agreement
        lcpgraph communities --seed 1 --format csv -o communities.csv
    """
    options = {"method": method, "exclude_lcp_ties": without_lcp_ties}
    table = lcpgraph.communities(G, seed=seed, resolution=resolution, **options)
    scores = lcpgraph.community_agreement(G, seed=seed, resolution=resolution, table=table, **options)
    if disagreeing:
        table = table[table["agrees"].eq(False).fillna(False)].reset_index(drop=True)
    if agreement_only:
        emit(render_table(scores, fmt), output)
    elif fmt == "table":
        s = scores.to_dict("records")[0]
        head = (
            f"Communities against LCPs: ARI {s['adjusted_rand_index']:.3f}, NMI "
            f"{s['normalised_mutual_information']:.3f} ({s['scored']} of {s['organisations']} partners "
            f"scored; {_count(s['communities'], 'community', 'communities')}, {_count(s['lcps'], 'LCP', 'LCPs')}; "
            f"{s['agreeing']} agree{'s' if s['agreeing'] == 1 else ''})\n\n"
        )
        emit(head + render_table(table, fmt), output)
    elif fmt == "json":
        emit(_sections_text({"agreement": scores, "organisations": table}, {}, fmt), output)
    else:
        emit(render_table(table, fmt), output)


@main.command(name="centrality")
@data_path
@click.option(
    "--graph",
    type=click.Choice(["full", "organisations"]),
    default="full",
    show_default=True,
    help="full: every record and relationship (forums included); organisations: partners tied by "
    "the forums they share and their direct ties.",
)
@click.option(
    "--measure",
    type=click.Choice(["degree", "weighted_degree", "betweenness", "closeness", "eigenvector", "pagerank"]),
    default="betweenness",
    show_default=True,
    help="The measure to rank by.",
)
@click.option(
    "--by",
    type=click.Choice(["all", "sector"]),
    default="all",
    show_default=True,
    help="Rank overall, or within each sector.",
)
@click.option("--top", type=click.IntRange(1), help="Keep the top N (per sector with --by sector).")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(["organisation", "partnership", "board", "person"]),
    help="Show only these kinds of record (repeat the option for several).",
)
@format_options
def centrality_command(
    G, graph: str, measure: str, by: str, top: int | None, kinds: tuple[str, ...], fmt: str, output: Path | None
) -> None:
    """Who holds the network together: degree, betweenness, closeness, eigenvector, PageRank.

    Betweenness is the share of shortest routes between others that pass through a record:
    high betweenness marks the partners, partnerships and boards that connect parts of the
    network that would otherwise be apart. Betweenness and closeness are exact unless the
    network is too big to search from every record in about ten seconds; then a seeded
    sample of 2,000 sources estimates them.

    \b
    Example:
        lcpgraph centrality --top 10
        lcpgraph centrality --graph organisations --by sector --top 3
    """
    from lcpgraph.analysis.centrality import centrality

    df = centrality(G, graph=graph, rank_by=measure)
    if kinds:
        df = df[df["kind"].isin(kinds)]
    if by == "sector":
        df = df.sort_values(["sector", "rank_in_sector"], kind="mergesort")
        if top:
            df = df[df["rank_in_sector"] <= top]
    elif top:
        df = df.head(top)
    emit(render_table(df.reset_index(drop=True), fmt), output)


@main.command(name="brokerage")
@data_path
@click.option("--top", type=click.IntRange(1), help="Keep the top N brokers.")
@click.option("--sector", "sectors", multiple=True, help="Show only organisations of this sector (repeatable).")
@format_options
def brokerage_command(G, top: int | None, sectors: tuple[str, ...], fmt: str, output: Path | None) -> None:
    """Who links sectors that would otherwise not meet (Gould-Fernandez roles; Burt's constraint).

    Computed on the organisation projection: two organisations are tied when they share a
    forum or work together directly. A broker sits between two contacts who are not tied to
    each other; 'liaison' means all three are from different sectors. Low constraint and a
    high effective size mark partners whose contacts do not otherwise meet: the partners a
    partnership would miss most.

    \b
    Example:
        lcpgraph brokerage --top 10
        lcpgraph brokerage --sector "third sector" --format csv -o brokers.csv
    """
    from lcpgraph.analysis.brokerage import brokerage

    df = brokerage(G)
    if sectors:
        df = df[df["sector"].isin(sectors)]
    if top:
        df = df.head(top)
    emit(render_table(df.reset_index(drop=True), fmt), output)


_GAP_SECTIONS = {
    "isolated": "Isolated partners: no relationship at all",
    "peripheral": "Peripheral partners: in one forum only, in none, or with no path to a board",
    "missing": "Sectors missing from each LCP (against the expected partner mix)",
    "coverage": "LCP x sector: members of each sector in each LCP",
    "unreported": "LCPs with no reporting line to a board",
    "empty-boards": "Boards with no recorded members",
    "cut-points": "Single points of failure: partners whose departure cuts others off",
    "bridges": "Critical ties: relationships whose loss cuts others off",
    "never-meet": "Sector pairs that never meet (no shared forum or direct tie)",
    "citywide": "Citywide organisations linked to no LCP, or to more than they could attend",
}


@main.command(name="gaps")
@data_path
@click.option(
    "--show",
    type=click.Choice(["all", *_GAP_SECTIONS]),
    default="all",
    show_default=True,
    help="Which table to show (csv needs exactly one).",
)
@click.option(
    "--sector",
    "sectors",
    multiple=True,
    default=("third sector",),
    show_default=True,
    help="Sector(s) for the isolated and peripheral lists (repeatable).",
)
@click.option("--all-sectors", is_flag=True, help="List isolated and peripheral partners of every sector.")
@click.option(
    "--expected",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Expected partner mix for coverage: a CSV with a 'sector' column or one sector per line "
    "(default: the partner types an LCP may include).",
)
@click.option(
    "--max-lcps",
    type=click.IntRange(1),
    default=5,
    show_default=True,
    help="A citywide organisation linked to more LCPs than this is flagged as over-stretched.",
)
@format_options
def gaps_command(
    G,
    show: str,
    sectors: tuple[str, ...],
    all_sectors: bool,
    expected: Path | None,
    max_lcps: int,
    fmt: str,
    output: Path | None,
) -> None:
    """Find who is left out and what is missing (third-sector partners by default).

    Isolated and peripheral partners are read from the whole network; single points of
    failure and critical ties too (every record and relationship as one undirected tie);
    sector contacts from the organisation projection (shared forums and direct ties).

    \b
    Example:
        lcpgraph gaps
        lcpgraph gaps --all-sectors --show peripheral --format csv -o peripheral.csv
        lcpgraph gaps --expected our-mix.csv --show missing
    """
    from lcpgraph.analysis import gaps

    chosen = None if all_sectors else list(sectors)
    mix = gaps.read_expected_sectors(expected, G.graph["sectors"]) if expected else None
    builders = {
        "isolated": lambda: gaps.isolated_partners(G, chosen),
        "peripheral": lambda: gaps.peripheral_partners(G, chosen),
        "missing": lambda: gaps.missing_sectors(G, mix),
        "coverage": lambda: gaps.sector_coverage(G, mix),
        "unreported": lambda: gaps.unreported_lcps(G),
        "empty-boards": lambda: gaps.empty_boards(G),
        "cut-points": lambda: gaps.single_points_of_failure(G),
        "bridges": lambda: gaps.critical_ties(G),
        "never-meet": lambda: gaps.sectors_that_never_meet(G),
        "citywide": lambda: gaps.citywide_reach(G, max_lcps),
    }
    names = list(builders) if show == "all" else [show]
    if fmt == "csv" and len(names) > 1:
        raise click.UsageError("CSV holds one table: choose which with --show, or use --format json.")
    tables = {k: builders[k]() for k in names}
    titles = dict(_GAP_SECTIONS)
    if chosen:
        for k in ("isolated", "peripheral"):
            titles[k] += f" ({', '.join(chosen)})"
    emit(_sections_text(tables, titles, fmt), output)


@main.command(name="map")
@click.argument("args", nargs=-1, metavar="[PATH] [NAME]")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("map.html"),
    show_default=True,
    help="Where to write the HTML page.",
)
@click.option(
    "--view",
    type=click.Choice(["network", "governance", "lcp", "partner"]),
    default="network",
    show_default=True,
    help="network: everything; governance: boards and reporting lines down to the LCPs; "
    "lcp NAME: one LCP, its partners, boards and neighbouring LCPs; partner NAME: one organisation.",
)
@click.option("--name", help="The LCP or partner for --view lcp/partner (or give it after the view).")
@click.option(
    "--size-by",
    type=click.Choice(["degree", "weighted_degree", "betweenness", "closeness", "eigenvector", "pagerank"]),
    default="degree",
    show_default=True,
    help="What the size of a node shows.",
)
@click.option("--hide-people", is_flag=True, help="Show people by their role only (for maps that are published).")
@click.option(
    "--aggregate",
    is_flag=True,
    help="Draw partnerships and boards only, tied by shared members (for very large networks).",
)
@click.option("--encoding", default="utf-8-sig", show_default=True, help="Text encoding of the CSV files.")
def map_command(
    args: tuple[str, ...],
    output: Path,
    view: str,
    name: str | None,
    size_by: str,
    hide_people: bool,
    aggregate: bool,
    encoding: str,
) -> None:
    """Draw the network as one interactive HTML page that works offline.

    Colour shows the sector, shape the kind of record, size the chosen measure; reporting
    lines are arrows. Isolated and peripheral third-sector partners are ringed. The page has
    a search box, filters by LCP, sector and kind, and a legend; it makes no network requests,
    so it can be emailed or opened on a laptop with no internet.

    \b
    Example:
        lcpgraph map                                   # writes map.html
        lcpgraph map --view governance -o governance.html
        lcpgraph map --view lcp HATCH -o hatch.html
        lcpgraph map my-data/ --view partner "Forum Central" --hide-people
    """
    from lcpgraph.render.map import render_map

    path = None
    rest = list(args)
    if view in ("lcp", "partner") and not name and rest:
        name = rest.pop()
    if rest:
        path = rest.pop(0)
    if rest:
        raise click.UsageError(f"unexpected argument(s): {' '.join(rest)}")
    G = lcpgraph.load(path, encoding=encoding)
    out = render_map(G, output, view=view, name=name, size_by=size_by, hide_people=hide_people, aggregate=aggregate)
    click.echo(f"wrote {out}", err=True)


@main.command(name="report")
@data_path
@click.option(
    "--output",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports"),
    show_default=True,
    help="Folder to write the site to (replaced only once complete).",
)
@click.option("--quiet", "-q", is_flag=True, help="Do not show progress.")
@click.option("--no-maps", is_flag=True, help="Skip the maps (faster on very large networks).")
def report_command(G, output: Path, quiet: bool, no_maps: bool) -> None:
    """Write the report site: a programme-board page, a page per LCP, maps and CSV tables.

    index.html gives the headline figures, who connects to whom, the gaps, duplication and
    communities, in plain language with charts; lcp/<name>.html is an induction page per LCP;
    maps/ holds the network, governance and per-LCP maps; tables/ every analysis as CSV.
    Everything opens offline. The folder is replaced only when the whole site is written.

    \b
    Example:
        lcpgraph report                       # the bundled Leeds data -> reports/
        lcpgraph report my-data/ -o my-report/
    """
    from lcpgraph.render.report import build_report

    def progress(msg: str) -> None:
        if not quiet:
            click.echo(msg, err=True)

    out = build_report(G, output, progress=progress, maps=not no_maps)
    click.echo(f"wrote {out}/index.html", err=True)


@main.command(name="template")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def template_command(file: Path) -> None:
    """Write an empty Excel workbook to fill in: headers, instructions and drop-down lists.

    One sheet per table (organisations, partnerships, boards, people, relationships), an
    Instructions sheet explaining every column, and drop-down lists for sectors, kinds,
    scopes, partnership types and board levels. Every command reads the filled-in workbook.

    \b
    Example:
        lcpgraph template our-lcps.xlsx
        lcpgraph validate our-lcps.xlsx
    """
    from lcpgraph.workbook import write_template

    if file.suffix.lower() != ".xlsx":
        raise click.UsageError("the template is an Excel workbook: give a file name ending in .xlsx")
    click.echo(f"wrote {write_template(file)}", err=True)


@main.command(name="export")
@data_path
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["gexf", "graphml", "kumu", "json"]),
    required=True,
    help="gexf: Gephi; graphml: Cytoscape, yEd; kumu: Kumu's spreadsheet import (.xlsx); json: node-link.",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write.")
def export_command(G, fmt: str, output: Path) -> None:
    """Export the network, with every attribute and the computed measures, for other tools.

    \b
    Example:
        lcpgraph export --format gexf -o leeds.gexf
        lcpgraph export my-data/ --format kumu -o kumu.xlsx
    """
    from lcpgraph.export import export

    click.echo(f"wrote {export(G, output, fmt)}", err=True)


_DIFF_TITLES = {
    "records": "Records added or removed",
    "lcp_membership": "Partners who joined or left each LCP",
    "relationships": "Relationships added or removed",
    "new_isolated": "Newly isolated partners",
    "centrality_shifts": "Largest shifts in centrality (betweenness rank; positive = moved up)",
}


@main.command(name="diff")
@click.argument("old", type=click.Path(exists=True, path_type=Path))
@click.argument("new", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--show",
    type=click.Choice(["all", *_DIFF_TITLES]),
    default="all",
    show_default=True,
    help="Which table to show (csv needs exactly one).",
)
@click.option(
    "--map",
    "map_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also draw a map of both versions, colouring what was added and removed.",
)
@click.option("--encoding", default="utf-8-sig", show_default=True, help="Text encoding of the CSV files.")
@format_options
def diff_command(
    old: Path, new: Path, show: str, map_path: Path | None, encoding: str, fmt: str, output: Path | None
) -> None:
    """Compare two snapshots of the data: who joined or left, what ties came and went.

    Records are matched by id and relationships by (from, to, kind), so keep ids stable
    between versions.

    \b
    Example:
        lcpgraph diff data-2023/ data-2024/
        lcpgraph diff old.xlsx new.xlsx --map changes.html
    """
    from lcpgraph.diff import changes_graph, diff_graphs

    a = lcpgraph.load(old, encoding=encoding)
    b = lcpgraph.load(new, encoding=encoding)
    tables = diff_graphs(a, b)
    names = list(tables) if show == "all" else [show]
    if fmt == "csv" and len(names) > 1:
        raise click.UsageError("CSV holds one table: choose which with --show, or use --format json.")
    emit(_sections_text({k: tables[k] for k in names}, _DIFF_TITLES, fmt), output)
    if map_path:
        from lcpgraph.render.map import render_map

        render_map(changes_graph(a, b), map_path, title=f"Changes: {old.name} to {new.name}")
        click.echo(f"wrote {map_path}", err=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
