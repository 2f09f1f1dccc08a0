"""``lcpgraph recommend``: what to do next, with the reason for each suggestion.

Subcommands: ``key-players`` (who the network cannot lose, who to brief first), ``introductions``
(for partners on the edge and local units missing a sector), ``units`` (which local unit a
partner should prioritise), ``duplication`` (forums that could meet together, seats a colleague
covers) and ``all``. The analyses are :mod:`lcpgraph.analysis.recommend`'s; titles and column
headers come from the catalogue, in the place's own words.
"""

from __future__ import annotations

from pathlib import Path

import click

from lcpgraph.cli import data_options, emit, format_options, render_tables


def _one_table(fmt: str, show: str) -> None:
    if fmt == "csv" and show == "all":
        raise click.UsageError("CSV holds one table: choose which with --show, or use --format json.")


def _sector_options(func):
    func = click.option("--all-sectors", is_flag=True, help="Serve partners of every sector.")(func)
    func = click.option(
        "--sector",
        "sectors",
        multiple=True,
        help="Sector(s) whose partners to serve (repeatable); default the place's focus sectors (third sector "
        "unless its place.csv says otherwise).",
    )(func)
    return func


@click.group(name="recommend")
def recommend() -> None:
    """What to do next: who the network cannot lose, who should meet, which local unit to join.

    Every suggestion says why, in a sentence a partnership manager can read out.

    \b
    Example:
        lcpgraph recommend all
        lcpgraph recommend key-players -k 3
        lcpgraph recommend introductions
        lcpgraph recommend units --for "Age UK Leeds"
        lcpgraph recommend duplication
    """


@recommend.command(name="key-players")
@data_options
@click.option("-k", "k", type=click.IntRange(1), default=3, show_default=True, help="How many records in each set.")
@click.option(
    "--measure",
    type=click.Choice(["fragmentation", "distance"]),
    default="fragmentation",
    show_default=True,
    help="Who the network cannot lose: fragmentation (pairs that could no longer reach each other) or "
    "distance (distance-weighted fragmentation: longer routes count as partly lost; slower).",
)
@click.option(
    "--reach",
    "reach_measure",
    type=click.Choice(["reach", "distance_reach"]),
    default="reach",
    show_default=True,
    help="Who to brief first: reach (records within --steps) or distance_reach (1/distance to the nearest).",
)
@click.option("--steps", type=click.IntRange(1, 5), default=2, show_default=True, help="Steps that count as reached.")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(["organisation", "partnership", "board", "person"]),
    help="Choose only records of these kinds (repeatable); default every kind.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for the random starting sets.")
@click.option(
    "--starts",
    type=click.IntRange(1),
    help="Greedy starts from the best records alone (default 10; 3 for --measure distance).",
)
@click.option(
    "--restarts", type=click.IntRange(0), default=2, show_default=True, help="Random starting sets improved by swaps."
)
@click.option(
    "--exact-limit",
    type=click.IntRange(0),
    default=100_000,
    show_default=True,
    help="Check every possible set when there are at most this many (a hundredth of it for the distance measures), "
    "and say how far the greedy search was from the best.",
)
@click.option(
    "--show",
    type=click.Choice(["all", "sets", "cannot-lose", "brief-first"]),
    default="all",
    show_default=True,
    help="Which table to show (csv needs exactly one).",
)
@format_options
def key_players_command(
    G,
    k: int,
    measure: str,
    reach_measure: str,
    steps: int,
    kinds: tuple[str, ...],
    seed: int,
    starts: int | None,
    restarts: int,
    exact_limit: int,
    show: str,
    fmt: str,
    output: Path | None,
    force: bool,
) -> None:
    """Key players: the few records the network cannot lose, and the few to brief first.

    Borgatti's key-player problems on every record and current tie: the set of k whose loss
    together would split the network most (fragmentation), and the set of k that together
    reach most of it within --steps (reach). Found by a greedy search with swaps; when there
    are few enough possible sets every one is checked too, and the table says how far the
    greedy search was from the best.

    \b
    Example:
        lcpgraph recommend key-players -k 3
        lcpgraph recommend key-players --measure distance --kind organisation
        lcpgraph recommend key-players --exact-limit 1000000 --show sets
    """
    from lcpgraph.analysis import recommend as rec

    _one_table(fmt, show)
    options = dict(kinds=kinds or None, seed=seed, starts=starts, restarts=restarts, exact_limit=exact_limit)
    neg = rec.key_players(G, k, measure, steps=steps, **options)
    pos = rec.key_players(G, k, reach_measure, steps=steps, **options)
    tables = {
        "key_player_sets": rec.key_player_sets(
            G, k, measures=(measure, reach_measure), results={measure: neg, reach_measure: pos}
        ),
        "cannot_lose": rec.cannot_lose(G, k, measure, result=neg),
        "brief_first": rec.brief_first(G, k, reach_measure, result=pos),
    }
    names = {"sets": "key_player_sets", "cannot-lose": "cannot_lose", "brief-first": "brief_first"}
    shown = tables if show == "all" else {names[show]: tables[names[show]]}
    text = render_tables(G, shown, fmt)
    if fmt == "table" and show == "all":
        text = (
            "\n".join(tables["key_player_sets"]["in_words"])
            + "\n\n"
            + render_tables(G, {k2: v for k2, v in tables.items() if k2 != "key_player_sets"}, fmt)
        )
    emit(text, output, force)


@recommend.command(name="introductions")
@data_options
@_sector_options
@click.option(
    "--expected",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Expected partner mix for the units: a CSV with a 'sector' column or one sector per line.",
)
@click.option("--top", type=click.IntRange(1), default=3, show_default=True, help="Introductions per need.")
@click.option("--for", "for_name", metavar="NAME", help="Only the introductions for this partner or local unit.")
@format_options
def introductions_command(
    G,
    sectors: tuple[str, ...],
    all_sectors: bool,
    expected: Path | None,
    top: int,
    for_name: str | None,
    fmt: str,
    output: Path | None,
    force: bool,
) -> None:
    """Introductions that would help most, each with who could make it and what it gains.

    For each isolated or peripheral partner of the place's focus sectors: forums covering
    its area, whose members offer its services or (a local unit) that lack its sector, and
    partners in its area or offering its services. For each local unit missing an expected
    sector: partners of that sector to invite. Gains are a first route to a board, parts of
    the network joined and sectors meeting for the first time. A tie that exists is never
    suggested.

    \b
    Example:
        lcpgraph recommend introductions
        lcpgraph recommend introductions --for "Holbeck Community Garden"
        lcpgraph recommend introductions --all-sectors --format csv -o intros.csv
    """
    from lcpgraph.analysis import recommend as rec
    from lcpgraph.analysis.gaps import read_expected_sectors
    from lcpgraph.schema import PARTNERSHIP

    mix = read_expected_sectors(expected, G.graph["sectors"]) if expected else None
    df = rec.introductions(G, sectors or None, all_sectors=all_sectors, expected=mix, top=top)
    if for_name:
        who = rec.find_partner(G, for_name, kinds=("organisation", "person", PARTNERSHIP))
        df = df[df["for_id"].eq(who) | df["introduce_id"].eq(who)].reset_index(drop=True)
    emit(render_tables(G, {"introductions": df}, fmt), output, force)


def _weights(values: tuple[str, ...]) -> dict[str, float]:
    out = {}
    for v in values:
        name, sep, number = v.partition("=")
        try:
            out[name.strip()] = float(number)
        except ValueError:
            raise click.BadParameter(f"'{v}': give NAME=NUMBER, e.g. need=3", param_hint="--weight") from None
        if not sep:
            raise click.BadParameter(f"'{v}': give NAME=NUMBER, e.g. need=3", param_hint="--weight")
    return out


def _needs(values: tuple[str, ...]) -> dict[str, str] | None:
    if not values:
        return None
    out = {}
    for v in values:
        col, _, way = v.partition(":")
        out[col.strip()] = way.strip().lower() or ("low" if "decile" in col.lower() else "high")
    return out


@recommend.command(name="units")
@data_options
@click.option("--for", "for_name", metavar="NAME", help="Rank the local units for this partner (name or id).")
@click.option(
    "--weight",
    "weights",
    multiple=True,
    metavar="NAME=NUMBER",
    help="Change a criterion's weight (repeatable). Criteria and defaults: sector=3 (the unit lacks the "
    "partner's sector), fit=2 (area or services), population=1, need=2 (need figures), burden=1 (taken "
    "away: joining adds a meeting), only_link=2 (the partner is its only member of its sector).",
)
@click.option(
    "--need",
    "needs",
    multiple=True,
    metavar="COLUMN[:high|low]",
    help="Need columns of the units to use (repeatable), and which way is needier; default every numeric "
    "column but population ('decile', 'quintile' and 'rank' columns low, others high).",
)
@click.option("--top", type=click.IntRange(1), help="Keep the best N (default: every unit with --for, 3 without).")
@_sector_options
@format_options
def units_command(
    G,
    for_name: str | None,
    weights: tuple[str, ...],
    needs: tuple[str, ...],
    top: int | None,
    sectors: tuple[str, ...],
    all_sectors: bool,
    fmt: str,
    output: Path | None,
    force: bool,
) -> None:
    """Which local unit (an LCP in Leeds) a partner should prioritise, with the reasons.

    Each unit is scored by need (it lacks the partner's sector; its population; its need
    figures such as deprivation or frailty), fit (it covers the partner's area; its members
    already work on the partner's services), the partner's own meeting load (joining adds a
    meeting) and whether the partner is its only link to its sector. Without --for, the best
    three for every place-wide partner of the focus sectors.

    \b
    Example:
        lcpgraph recommend units --for "Age UK Leeds"
        lcpgraph recommend units --for "Age UK Leeds" --weight need=4 --weight burden=0
        lcpgraph recommend units --need frailty_average_deprivation_decile:low
    """
    from lcpgraph import catalogue
    from lcpgraph.analysis import recommend as rec
    from lcpgraph.cli.tables import format_table
    from lcpgraph.place import place_of
    from lcpgraph.views import name_of

    w, need = _weights(weights), _needs(needs)
    if for_name is None:
        df = rec.unit_choices(G, sectors or None, all_sectors=all_sectors, top=top or 3, weights=w, need=need)
        emit(render_tables(G, {"unit_choices": df}, fmt), output, force)
        return
    p = rec.find_partner(G, for_name)
    df = rec.join_units(G, p, weights=w, need=need, top=top)
    if fmt != "table":
        emit(render_tables(G, {"join_units": df}, fmt), output, force)
        return
    place = place_of(G)
    nd = G.nodes[p]
    about = ", ".join(x for x in (str(nd.get("sector", "") or ""), str(nd.get("scope", "") or "")) if x)
    head = f"For {name_of(G, p)}" + (f" ({about})" if about else "") + ":\n"
    emit(head + format_table(df, catalogue.JOIN_UNITS, place, G=G), output, force)


@recommend.command(name="duplication")
@data_options
@click.option(
    "--min-jaccard",
    type=click.FloatRange(0, 1),
    default=0.5,
    show_default=True,
    help="Lowest member overlap (shared ÷ all, 0-1) for two forums to be suggested to meet together.",
)
@click.option(
    "--min-forums",
    type=click.IntRange(1),
    default=3,
    show_default=True,
    help="Fewest forums a partner sits in for its covered seats to be listed.",
)
@click.option(
    "--show",
    type=click.Choice(["all", "meet-together", "covered-seats"]),
    default="all",
    show_default=True,
    help="Which table to show (csv needs exactly one).",
)
@format_options
def duplication_command(
    G, min_jaccard: float, min_forums: int, show: str, fmt: str, output: Path | None, force: bool
) -> None:
    """Less duplication: forums that could meet together, and seats a colleague already covers.

    \b
    Example:
        lcpgraph recommend duplication
        lcpgraph recommend duplication --show covered-seats --min-forums 5
    """
    from lcpgraph import catalogue

    _one_table(fmt, show)
    settings = catalogue.Settings(min_jaccard=min_jaccard, min_forums=min_forums)
    keys = [
        k for k, s in (("meet_together", "meet-together"), ("covered_seats", "covered-seats")) if show in ("all", s)
    ]
    emit(render_tables(G, catalogue.run(G, keys, settings), fmt, settings), output, force)


@recommend.command(name="all")
@data_options
@_sector_options
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for the key-player search.")
@format_options
def all_command(
    G, sectors: tuple[str, ...], all_sectors: bool, seed: int, fmt: str, output: Path | None, force: bool
) -> None:
    """Every recommendation: key players, introductions, units to prioritise, less duplication.

    \b
    Example:
        lcpgraph recommend all
        lcpgraph recommend all tests/fixtures/county --format json -o next.json
    """
    from lcpgraph import catalogue
    from lcpgraph.analysis.recommend import RECOMMEND_TABLES

    if fmt == "csv":
        raise click.UsageError("CSV holds one table: use a subcommand with --show, or --format json.")
    settings = catalogue.Settings(sectors=tuple(sectors) or None, all_sectors=all_sectors, seed=seed)
    tables = catalogue.run(G, RECOMMEND_TABLES, settings)
    emit(render_tables(G, tables, fmt, settings), output, force)
