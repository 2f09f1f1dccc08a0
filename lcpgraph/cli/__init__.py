"""The ``lcpgraph`` command line: parse options, call the library, print or write the result.

Only this package imports click. Every command that reads data takes an optional PATH (a
folder of CSV files or a workbook; the bundled Leeds data when it is not given) and the same
data options (:func:`data_options`). Table commands take their tables, titles and ``--show``
choices from :mod:`lcpgraph.catalogue`.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path

import click

import lcpgraph
from lcpgraph.exceptions import LcpGraphError, ValidationError

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
@click.version_option(package_name="lcpgraph", prog_name="lcpgraph")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1),
    help="Processor cores a measure may use (give it before the command). Default: all of them for "
    "matching names, one for igraph's measures (on a busy machine more threads only wait for each other).",
)
def main(jobs: int | None) -> None:
    """Map health-and-care partnerships as a network.

    Partner organisations, partnerships (such as Local Care Partnerships) and governance
    boards are read from a folder of CSV files (or an Excel workbook) and analysed as a
    graph. Every command reads the bundled Leeds data when no PATH is given.

    \b
    Example:
        lcpgraph validate                 # check the bundled Leeds data
        lcpgraph summary my-city-data/    # counts for your own folder
        lcpgraph --jobs 2 report          # let the measures use two cores
    """
    import os

    # Read by igraph's OpenMP when it is first imported (analyses import it lazily, after this).
    if jobs:
        os.environ["OMP_NUM_THREADS"] = str(jobs)
        os.environ["LCPGRAPH_JOBS"] = str(jobs)


def run() -> None:
    """The ``lcpgraph`` command: :func:`main`, then an exit without Python's teardown.

    When Python exits it frees every object of pandas, networkx and the dataset one by one:
    about 0.1 s on every command, as long as a report's maps take to draw. Once the command
    has finished, this flushes the output, runs the exit handlers Python would run (logging's
    among them), and ends the process, which the operating system frees at once. An
    exception click did not handle propagates and ends the usual way.
    """
    try:
        main.main()
    except SystemExit as exc:
        _exit_now(exc.code)


def _exit_now(code: object) -> None:
    """End the process with ``code`` as :class:`SystemExit` would, without the teardown."""
    import atexit
    import os
    import threading

    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): the message on stderr, status 1
        print(code, file=sys.stderr)
        status = 1
    run_handlers = getattr(atexit, "_run_exitfuncs", None)
    if run_handlers is None or threading.active_count() > 1 or sys.getprofile() or sys.gettrace():
        # No way to run the handlers, another thread still at work, or a profiler or debugger
        # that reports when the program returns: the usual exit.
        sys.exit(status)
    run_handlers()
    for stream in (sys.stdout, sys.stderr):  # after the handlers: they may write too
        try:
            if stream is not None:
                stream.flush()
        except (BrokenPipeError, ValueError):  # the reader went away (`| head`), or it was closed
            status = status or 1
    os._exit(status)


# --------------------------------------------------------------------------------------
# shared options


def load_data(
    path: Path | None,
    encoding: str = "utf-8-sig",
    as_of: str | None = None,
    hide_people: bool = False,
    keep_going: bool = False,
):
    """Load a dataset as every command does: validated, on its day, people hidden if asked."""
    from lcpgraph import views

    G = lcpgraph.load(path, encoding=encoding, keep_going=keep_going)
    if as_of is not None:
        G = views.at(G, as_of)
    if hide_people:
        from lcpgraph.privacy import hide_people as hide

        G = hide(G)
    for notice in G.graph.get("notices", ()):
        click.echo(f"Note: {notice}", err=True)
    return G


def left_out_text(G, limit: int = 20) -> str:
    """What --keep-going left out and why, for the top of an output ("" when nothing was)."""
    problems = G.graph.get("left_out") or []
    if not problems:
        return ""
    rows = len({(p.path, p.row) for p in problems})
    lines = [f"Partial results: {rows} row{'s' if rows != 1 else ''} left out (--keep-going), because:"]
    lines += [f"  {p}" for p in problems[:limit]]
    if len(problems) > limit:
        lines.append(f"  and {len(problems) - limit} more")
    return "\n".join(lines) + "\n\n"


def _encoding_option(func: Callable) -> Callable:
    return click.option(
        "--encoding",
        default="utf-8-sig",
        show_default=True,
        help="Text encoding of the CSV files (Excel 'CSV UTF-8' is read by the default; older Excel "
        "'CSV' files are cp1252).",
    )(func)


def _day_options(func: Callable) -> Callable:
    func = click.option(
        "--keep-going",
        is_flag=True,
        help="Leave out rows with problems (and ties to them) instead of stopping; what was left out is "
        "listed first, and a report says it is partial.",
    )(func)
    func = click.option(
        "--hide-people",
        is_flag=True,
        help="Show people by their role only: their names and ids appear in nothing written or printed.",
    )(func)
    func = click.option(
        "--as-of",
        metavar="DATE",
        help="Read the ties that held on this day (YYYY-MM-DD); default today. Ties with an end date "
        "before it are left out.",
    )(func)
    return func


def data_options(func: Callable) -> Callable:
    """Add PATH, --encoding, --as-of and --hide-people, and hand the command the loaded graph as G."""

    @click.argument("path", required=False, type=click.Path(path_type=Path))
    @_encoding_option
    @_day_options
    @functools.wraps(func)
    def wrapper(path: Path | None, encoding: str, as_of: str | None, hide_people: bool, keep_going: bool, **kwargs):
        return func(load_data(path, encoding, as_of, hide_people, keep_going), **kwargs)

    return wrapper


def format_options(func: Callable) -> Callable:
    """Add --format, --output and --force to a command that produces tables."""
    func = click.option("--force", is_flag=True, help="Replace the --output file even if lcpgraph did not write it.")(
        func
    )
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
        help="table: for reading; csv or json: every column in full, for a spreadsheet or another tool.",
    )(func)
    return func


def emit(text: str, output: Path | None, force: bool = False) -> None:
    """Print ``text``, or write it to ``output`` (safely) and say so on stderr."""
    if output is None:
        click.echo(text, nl=False)
    else:
        from lcpgraph.files import write_text

        write_text(output, text, overwrite=force, same_head=text.split("\n", 1)[0].encode())
        click.echo(f"wrote {output}", err=True)


def render_tables(G, tables: dict, fmt: str, settings=None) -> str:
    """Tables from the catalogue as readable text, CSV (one table only) or a JSON object."""
    from lcpgraph import catalogue
    from lcpgraph.cli.tables import format_table
    from lcpgraph.files import csv_text
    from lcpgraph.place import place_of

    place = place_of(G)
    if fmt != "table" and G.graph.get("left_out"):
        click.echo(left_out_text(G), err=True, nl=False)  # csv and json stay machine-readable
    if fmt == "csv":
        if len(tables) != 1:
            raise click.UsageError("CSV holds one table: choose which with --show, or use --format json.")
        return csv_text(next(iter(tables.values())))
    if fmt == "json":
        if len(tables) == 1:
            return next(iter(tables.values())).to_json(orient="records", indent=2, force_ascii=False) + "\n"
        body = ", ".join(f'"{k}": {df.to_json(orient="records", force_ascii=False)}' for k, df in tables.items())
        return "{" + body + "}\n"
    blocks = [left_out_text(G)] if G.graph.get("left_out") else []
    for key, df in tables.items():
        t = catalogue.TABLES.get(key)
        blocks.append(format_table(df, t, place, settings, G=G))
    return "\n".join(blocks)


class Progress:
    """Progress that fits the job: silent for a quick one, one updating line for a long one.

    On a terminal, nothing is shown for the first second; after that the current step is
    shown on one line that is rewritten in place and cleared at the end. When output is
    piped nothing is shown. ``--verbose`` prints every step on its own line; ``--quiet``
    nothing at all.
    """

    def __init__(self, quiet: bool = False, verbose: bool = False, delay: float = 1.0) -> None:
        import time

        self.quiet, self.verbose, self.delay = quiet, verbose, delay
        self.start = time.monotonic()
        self.tty = sys.stderr.isatty()
        self.shown = 0

    def __call__(self, message: str) -> None:
        import time

        if self.quiet:
            return
        if self.verbose:
            click.echo(message, err=True)
        elif self.tty and time.monotonic() - self.start >= self.delay:
            from lcpgraph.cli.tables import terminal_width

            line = message[: terminal_width() - 1]
            click.echo("\r" + line.ljust(self.shown), err=True, nl=False)
            self.shown = len(line)

    def done(self) -> None:
        """Clear the updating line, if one is showing."""
        if self.shown:
            click.echo("\r" + " " * self.shown + "\r", err=True, nl=False)
            self.shown = 0


def _show_option(group: str) -> Callable:
    from lcpgraph import catalogue

    names = [t.show for t in catalogue.tables_in(group)]
    return click.option(
        "--show",
        type=click.Choice(["all", *names]),
        default="all",
        show_default=True,
        help=f"Which table to show (csv needs exactly one): {', '.join(names)}. 'all' leaves out the "
        "matrices the other tables sum up.",
    )


def _chosen(group: str, show: str) -> list[str]:
    from lcpgraph import catalogue

    if show == "all":
        return [t.key for t in catalogue.tables_in(group) if t.in_all]
    return [t.key for t in catalogue.tables_in(group) if t.show == show]


# --------------------------------------------------------------------------------------
# commands


@main.command()
@data_options
def validate(G) -> None:
    """Check a dataset and report every problem, naming file, row and column.

    Exits 0 when the data is valid and 2 when it is not (nothing else is written).

    \b
    Example:
        lcpgraph validate data/leeds
        lcpgraph validate our-lcps.xlsx
    """
    from lcpgraph.views import derived

    n_rel = G.number_of_edges()
    ended = derived(G).ended
    click.echo(
        f"OK: {G.graph['path']} is valid: {G.number_of_nodes()} records "
        f"and {n_rel} relationship{'s' if n_rel != 1 else ''}"
        + (f" ({ended} not current on {derived(G).day.isoformat()})" if ended else "")
        + "."
    )


@main.command()
@data_options
@format_options
def summary(G, fmt: str, output: Path | None, force: bool) -> None:
    """Counts by kind and sector, and the members of each local unit (LCP in Leeds).

    \b
    Example:
        lcpgraph summary
        lcpgraph summary --format csv -o summary.csv
    """
    from lcpgraph import catalogue

    tables = catalogue.run(G, ["summary_counts", "partners_per_lcp"])
    if fmt == "csv":
        import pandas as pd

        from lcpgraph.files import csv_text

        both = pd.concat([df.assign(table=k) for k, df in tables.items()])
        text = csv_text(both[["table", *[c for c in both.columns if c != "table"]]])
    else:
        text = render_tables(G, tables, fmt)
        if fmt == "table":
            place = G.graph.get("place")
            name = (place.name if place and place.name else None) or G.graph["name"]
            text = f"{name}: {G.number_of_nodes()} records, {G.number_of_edges()} relationships\n\n" + text
    emit(text, output, force)


@main.command()
@data_options
@_show_option("duplicates")
@click.option(
    "--threshold",
    type=click.FloatRange(0, 100),
    default=90.0,
    show_default=True,
    help="Lowest name similarity (percent, after tidying) that flags two records.",
)
@click.option(
    "--min-jaccard",
    type=click.FloatRange(0, 1),
    default=0.5,
    show_default=True,
    help="Lowest member overlap (shared ÷ all, 0-1) for two forums to be listed.",
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
    G, show: str, threshold: float, min_jaccard: float, min_forums: int, fmt: str, output: Path | None, force: bool
) -> None:
    """Find duplication: duplicate records, parallel forums, meeting burden, repeated services.

    Probable duplicate records are names alike after tidying ("Oakwood Lane MC" and
    "Oakwood Lane Medical Centre") or records sharing an identifier such as GB-NHS-RR8; they
    are listed for review, never merged. Forums overlap when much the same members sit in
    both. Services are repeated when two partners in one local unit offer the same one. CSV
    holds one table, so with --format csv choose it with --show.

    \b
    Example:
        lcpgraph duplicates
        lcpgraph duplicates --show records --threshold 85 --format csv -o dupes.csv
    """
    from lcpgraph import catalogue

    if fmt == "csv" and show == "all":
        raise click.UsageError("CSV holds one table: choose which with --show, or use --format json.")
    settings = catalogue.Settings(threshold=threshold, min_jaccard=min_jaccard, min_forums=min_forums)
    tables = catalogue.run(G, _chosen("duplicates", show), settings)
    emit(render_tables(G, tables, fmt, settings), output, force)


@main.command(name="communities")
@data_options
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for the community detection.")
@click.option(
    "--resolution",
    type=click.FloatRange(0, min_open=True),
    default=1.0,
    show_default=True,
    help="Above 1: more, smaller groups; below 1: fewer, larger.",
)
@click.option(
    "--method",
    type=click.Choice(["leiden", "louvain"]),
    default="leiden",
    show_default=True,
    help="igraph's Leiden or Louvain (multilevel) modularity optimisation.",
)
@click.option(
    "--without-unit-ties",
    is_flag=True,
    help="Leave the local units' own meetings out, so groups come from other forums and direct ties only.",
)
@click.option("--disagreeing", is_flag=True, help="List only partners whose group is not their own unit's.")
@click.option("--agreement", "agreement_only", is_flag=True, help="Print only the agreement.")
@format_options
def communities_command(
    G,
    seed: int,
    resolution: float,
    method: str,
    without_unit_ties: bool,
    disagreeing: bool,
    agreement_only: bool,
    fmt: str,
    output: Path | None,
    force: bool,
) -> None:
    """Find groups of partners from their ties and set them beside the official local units.

    Groups are found on the organisation projection (partners tied by shared forums and
    direct ties). Each partner's group is set beside its unit (its LCP in Leeds); agreement
    is scored by the adjusted Rand index (ARI) and normalised mutual information (NMI), 1
    meaning the groups are exactly the units, and said in words. The same seed always gives
    the same answer. CSV lists the partners only (use --agreement for the scores).

    \b
    Example:
        lcpgraph communities --disagreeing
        lcpgraph communities --without-unit-ties --agreement
        lcpgraph communities --seed 1 --format csv -o communities.csv
    """
    from lcpgraph import catalogue

    settings = catalogue.Settings(seed=seed, resolution=resolution, method=method, exclude_unit_ties=without_unit_ties)
    tables = catalogue.run(G, ["community_agreement", "communities"], settings)
    table = tables["communities"]
    if disagreeing:
        table = table[table["agrees"].eq(False).fillna(False)].reset_index(drop=True)
    if agreement_only:
        shown = {"community_agreement": tables["community_agreement"]}
    elif fmt == "csv":
        shown = {"communities": table}
    else:
        shown = {"community_agreement": tables["community_agreement"], "communities": table}
    text = render_tables(G, shown, fmt, settings)
    if fmt == "table" and not agreement_only:
        import textwrap

        from lcpgraph.cli.tables import terminal_width

        text = textwrap.fill(tables["community_agreement"]["in_words"].iloc[0], terminal_width()) + "\n\n" + text
    emit(text, output, force)


@main.command(name="centrality")
@data_options
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
    help="The measure to rank by (lcpgraph explain MEASURE says what each means).",
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
    G,
    graph: str,
    measure: str,
    by: str,
    top: int | None,
    kinds: tuple[str, ...],
    fmt: str,
    output: Path | None,
    force: bool,
) -> None:
    """Who holds the network together: ties, go-between score, reach, influence.

    The go-between score (betweenness) is the share of shortest routes between others that
    pass through a record: high marks the partners, partnerships and boards that connect
    parts of the network that would otherwise be apart. Betweenness and closeness are exact
    unless the network is too big to search from every record in about ten seconds; then a
    seeded sample of 2,000 sources estimates them.

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
    key = "centrality" if graph == "full" else "centrality_organisations"
    emit(render_tables(G, {key: df.reset_index(drop=True)}, fmt), output, force)


@main.command(name="brokerage")
@data_options
@click.option("--top", type=click.IntRange(1), help="Keep the top N brokers.")
@click.option("--sector", "sectors", multiple=True, help="Show only organisations of this sector (repeatable).")
@format_options
def brokerage_command(G, top: int | None, sectors: tuple[str, ...], fmt: str, output: Path | None, force: bool) -> None:
    """Who links sectors that would otherwise not meet (Gould-Fernandez roles; Burt's constraint).

    Computed on the organisation projection: two organisations are tied when they share a
    forum or work together directly. A broker sits between two contacts who are not tied to
    each other; "links sectors that would not otherwise meet" (liaison) means all three are
    from different sectors. A low "hemmed in" score (constraint) marks partners whose
    contacts do not otherwise meet: the partners a partnership would miss most.

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
    emit(render_tables(G, {"brokerage": df.reset_index(drop=True)}, fmt), output, force)


@main.command(name="gaps")
@data_options
@_show_option("gaps")
@click.option(
    "--sector",
    "sectors",
    multiple=True,
    help="Sector(s) for the isolated and peripheral lists (repeatable); default the place's focus sectors "
    "(third sector unless its place.csv says otherwise).",
)
@click.option("--all-sectors", is_flag=True, help="List isolated and peripheral partners of every sector.")
@click.option(
    "--expected",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Expected partner mix for coverage: a CSV with a 'sector' column or one sector per line "
    "(default: the place's expected mix).",
)
@click.option(
    "--max-units",
    type=click.IntRange(1),
    help="A place-wide organisation in more local units than this is flagged as over-stretched "
    "(default: the place's max_units_per_partner, 5).",
)
@format_options
def gaps_command(
    G,
    show: str,
    sectors: tuple[str, ...],
    all_sectors: bool,
    expected: Path | None,
    max_units: int | None,
    fmt: str,
    output: Path | None,
    force: bool,
) -> None:
    """Find who is left out and what is missing.

    Isolated and peripheral partners (of the place's focus sectors unless --sector or
    --all-sectors), sectors missing from each local unit, units with no reporting line,
    boards with no members, single points of failure and critical ties, sectors that never
    meet, and place-wide organisations in no unit or in too many.

    \b
    Example:
        lcpgraph gaps
        lcpgraph gaps --all-sectors --show peripheral --format csv -o peripheral.csv
        lcpgraph gaps --expected our-mix.csv --show missing
    """
    from lcpgraph import catalogue
    from lcpgraph.analysis.gaps import read_expected_sectors

    mix = read_expected_sectors(expected, G.graph["sectors"]) if expected else None
    settings = catalogue.Settings(
        sectors=tuple(sectors) or None, all_sectors=all_sectors, expected=mix, max_units=max_units
    )
    names = _chosen("gaps", show)
    if fmt == "csv" and len(names) > 1:
        raise click.UsageError("CSV holds one table: choose which with --show, or use --format json.")
    emit(render_tables(G, catalogue.run(G, names, settings), fmt, settings), output, force)


@main.command(name="map")
@click.argument("path", required=False, type=click.Path(path_type=Path))
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
    type=click.Choice(["network", "governance", "unit", "partner"]),
    default="network",
    show_default=True,
    help="network: everything; governance: boards and reporting lines down to the local units; "
    "unit: one local unit (--unit); partner: one organisation (--partner).",
)
@click.option("--unit", "unit_name", metavar="NAME", help="Show one local unit (an LCP in Leeds), by name or id.")
@click.option("--partner", "partner_name", metavar="NAME", help="Show one partner and its ties, by name or id.")
@click.option(
    "--size-by",
    type=click.Choice(["degree", "weighted_degree", "betweenness", "closeness", "eigenvector", "pagerank"]),
    default="degree",
    show_default=True,
    help="What the size of a node shows.",
)
@click.option(
    "--aggregate",
    is_flag=True,
    help="Draw partnerships and boards only, tied by shared members (for very large networks).",
)
@click.option("--show-ended", is_flag=True, help="Also draw ties that ended before the day the map is for.")
@click.option(
    "--tour",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A guided tour for an induction session: a CSV of steps (caption, focus, unit, sector, kind, gaps). "
    "The network and governance maps have a default tour from the governance structure.",
)
@click.option("--force", is_flag=True, help="Replace the output file even if lcpgraph did not write it.")
@_encoding_option
@_day_options
def map_command(
    path: Path | None,
    output: Path,
    view: str,
    unit_name: str | None,
    partner_name: str | None,
    size_by: str,
    aggregate: bool,
    show_ended: bool,
    tour: Path | None,
    force: bool,
    encoding: str,
    as_of: str | None,
    hide_people: bool,
    keep_going: bool,
) -> None:
    """Draw the network as one interactive HTML page that works offline.

    Colour shows the sector, shape the kind of record, size the chosen measure; reporting
    lines are arrows. Isolated and peripheral partners of the place's focus sectors are
    ringed. The page has a search box, filters and a legend; it makes no network requests,
    so it can be emailed or opened on a laptop with no internet.

    \b
    Example:
        lcpgraph map                                   # writes map.html
        lcpgraph map --view governance -o governance.html
        lcpgraph map --unit HATCH -o hatch.html
        lcpgraph map my-data/ --partner "Forum Central" --hide-people
    """
    from lcpgraph.render.map import render_map

    if unit_name and partner_name:
        raise click.UsageError("give --unit or --partner, not both")
    if unit_name:
        view, name = "unit", unit_name
    elif partner_name:
        view, name = "partner", partner_name
    else:
        name = None
        if view in ("unit", "partner"):
            raise click.UsageError(f"--view {view} needs --{view} NAME")
    G = load_data(path, encoding, as_of, hide_people, keep_going)
    click.echo(left_out_text(G), err=True, nl=False)
    out = render_map(
        G,
        output,
        view=view,
        name=name,
        size_by=size_by,
        aggregate=aggregate,
        show_ended=show_ended,
        tour=tour,
        overwrite=force,
    )
    click.echo(f"wrote {out}", err=True)


@main.command(name="report")
@data_options
@click.option(
    "--output",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports"),
    show_default=True,
    help="Folder to write the site to: a new or empty folder, or one an earlier report wrote "
    "(it is replaced only once the new report is complete). Any other folder is left alone.",
)
@click.option("--quiet", "-q", is_flag=True, help="Show no progress (by default a long run shows one updating line).")
@click.option("--verbose", "-v", is_flag=True, help="Show every step on its own line.")
@click.option("--no-maps", is_flag=True, help="Skip the maps (faster on very large networks).")
@click.option(
    "--without-projection",
    is_flag=True,
    help="Leave out the analyses of who works with whom (brokerage, sector contacts, groups): for forums "
    "of tens of thousands of members, too big to tie every pair.",
)
def report_command(G, output: Path, quiet: bool, verbose: bool, no_maps: bool, without_projection: bool) -> None:
    """Write the report site: a programme-board page, a page per local unit, maps and CSV tables.

    index.html gives the headline figures, who connects to whom, the gaps, duplication and
    communities, in plain language with charts; units/<name>.html is an induction page per
    local unit (LCP in Leeds); maps/ holds the network, governance and per-unit maps; tables/
    every analysis as CSV. Everything opens offline. The folder is replaced only when the
    whole site is written, and only if it is empty or an earlier report.

    \b
    Example:
        lcpgraph report                       # the bundled Leeds data -> reports/
        lcpgraph report my-data/ -o my-report/ --hide-people
    """
    from lcpgraph.catalogue import Settings
    from lcpgraph.render.report import build_report

    click.echo(left_out_text(G), err=True, nl=False)
    progress = Progress(quiet, verbose)
    try:
        out = build_report(
            G, output, progress=progress, maps=not no_maps, settings=Settings(without_projection=without_projection)
        )
    finally:
        progress.done()
    if not quiet:
        click.echo(f"wrote {out}/index.html", err=True)


@main.command(name="template")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace FILE even if lcpgraph did not write it.")
def template_command(file: Path, force: bool) -> None:
    """Write an Excel workbook to fill in: headers, instructions, examples and drop-down lists.

    One sheet per table (organisations, partnerships, boards, people, relationships, place),
    an Instructions sheet explaining every column, and drop-down lists for sectors, kinds,
    scopes, partnership types and board levels. Every command reads the filled-in workbook.

    \b
    Example:
        lcpgraph template our-lcps.xlsx
        lcpgraph validate our-lcps.xlsx
    """
    from lcpgraph.workbook import write_template

    if file.suffix.lower() != ".xlsx":
        raise click.UsageError("the template is an Excel workbook: give a file name ending in .xlsx")
    click.echo(f"wrote {write_template(file, overwrite=force)}", err=True)


@main.command(name="export")
@data_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["gexf", "graphml", "kumu", "json"]),
    required=True,
    help="gexf: Gephi; graphml: Cytoscape, yEd; kumu: Kumu's spreadsheet import (.xlsx); json: node-link.",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write.")
@click.option("--force", is_flag=True, help="Replace the output file even if lcpgraph did not write it.")
def export_command(G, fmt: str, output: Path, force: bool) -> None:
    """Export the network, with every attribute and the computed measures, for other tools.

    \b
    Example:
        lcpgraph export --format gexf -o leeds.gexf
        lcpgraph export my-data/ --format kumu -o kumu.xlsx --hide-people
    """
    from lcpgraph.export import export

    click.echo(left_out_text(G), err=True, nl=False)
    click.echo(f"wrote {export(G, output, fmt, overwrite=force)}", err=True)


_DIFF_TITLES = {
    "records": "Records added or removed",
    "unit_membership": "Partners who joined or left each local unit",
    "relationships": "Relationships added or removed",
    "new_isolated": "Newly isolated partners",
    "centrality_shifts": "Largest shifts in centrality (go-between rank; positive = moved up)",
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
@_encoding_option
@_day_options
@format_options
def diff_command(
    old: Path,
    new: Path,
    show: str,
    map_path: Path | None,
    encoding: str,
    as_of: str | None,
    hide_people: bool,
    keep_going: bool,
    fmt: str,
    output: Path | None,
    force: bool,
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
    from lcpgraph.files import csv_text

    a = load_data(old, encoding, keep_going=keep_going)
    b = load_data(new, encoding, keep_going=keep_going)
    click.echo(left_out_text(a) + left_out_text(b), err=True, nl=False)
    if as_of:
        from lcpgraph.views import at

        a, b = at(a, as_of), at(b, as_of)
    if hide_people:
        from lcpgraph.privacy import hide_people as hide

        # One alias per person across both snapshots, so a person in both is not "removed and added".
        people = sorted({n for g in (a, b) for n, k in g.nodes(data="kind") if k == "person"})
        a, b = hide(a, people), hide(b, people)
    tables = diff_graphs(a, b)
    names = list(tables) if show == "all" else [show]
    if fmt == "csv":
        if len(names) > 1:
            raise click.UsageError("CSV holds one table: choose which with --show, or use --format json.")
        text = csv_text(tables[names[0]])
    elif fmt == "json":
        body = ", ".join(f'"{k}": {tables[k].to_json(orient="records", force_ascii=False)}' for k in names)
        text = "{" + body + "}\n"
    else:
        from lcpgraph.cli.tables import format_frame

        text = "\n".join(f"{_DIFF_TITLES[k]}\n{format_frame(tables[k])}" for k in names)
    emit(text, output, force)
    if map_path:
        from lcpgraph.render.map import render_map

        render_map(changes_graph(a, b), map_path, title=f"Changes: {old.name} to {new.name}", overwrite=force)
        click.echo(f"wrote {map_path}", err=True)


@main.command(name="fix-ids")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    required=True,
    help="Where to write the corrected copy: a new folder for a CSV folder, a new .xlsx for a workbook.",
)
@click.option("--force", is_flag=True, help="Replace the output workbook even if lcpgraph did not write it.")
def fix_ids_command(path: Path, output: Path, force: bool) -> None:
    """Write a copy of the data with names typed where ids belong replaced by the ids.

    In relationships, 'from' and 'to' must be ids (lcp-hatch), but names (HATCH) are what people
    type. Every such cell whose text is exactly one record's name is corrected in the copy; a
    name two records share is listed for you to choose. The original is never changed.

    \b
    Example:
        lcpgraph fix-ids our-lcps.xlsx -o our-lcps-fixed.xlsx
        lcpgraph fix-ids my-data/ -o my-data-fixed/
    """
    from lcpgraph.fixids import write_fixed

    fixes = write_fixed(path, output, overwrite=force)
    for f in fixes:
        click.echo(str(f), err=True)
    made = sum(1 for f in fixes if f.id)
    click.echo(f"wrote {output}: {made} cell{'s' if made != 1 else ''} corrected", err=True)


@main.command(name="explain")
@click.argument("term")
def explain_command(term: str) -> None:
    """Say what a column or measure means, how it is computed and what to do about it.

    TERM is a column name (betweenness, liaison, constraint…) or its header in words.

    \b
    Example:
        lcpgraph explain betweenness
        lcpgraph explain liaison
    """
    from lcpgraph import catalogue
    from lcpgraph.exceptions import closest

    found = catalogue.explain(term)
    if not found:
        names = sorted({f.name for t in catalogue.TABLES.values() for f in t.columns})
        close = closest(term, names, n=5, cutoff=0.5)
        hint = f"; closest: {', '.join(close)}" if close else ""
        raise LcpGraphError(f"no column or measure called '{term}'{hint}")
    seen = set()
    for _key, title, f in found:
        if (f.name, f.description) in seen:
            continue
        seen.add((f.name, f.description))
        words = lcpgraph.Place().words()
        click.echo(f"{f.label.format(**words)} ({f.name}), in '{title}':")
        click.echo(f"  {f.description.format(**words)}")
        if f.explain:
            click.echo(f"  {f.explain.format(**words)}")
        click.echo("")


from lcpgraph.cli.survey import survey as _survey  # noqa: E402

main.add_command(_survey)

from lcpgraph.cli.recommend import recommend as _recommend  # noqa: E402

main.add_command(_recommend)

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
