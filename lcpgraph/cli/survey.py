"""``lcpgraph survey``: make the partner survey, collect the answers, read the scores."""

from __future__ import annotations

from pathlib import Path

import click

from lcpgraph.cli import data_options, emit, format_options, render_tables
from lcpgraph.exceptions import LcpGraphError

__all__ = ["survey"]

_RULE_HELP = (
    "How a pair's two answers make a tie when one side did not answer or they disagree: either (a tie when either "
    "side says so; the default), both (only when both do), respondent (each answer on its own)."
)


@click.group(name="survey")
def survey() -> None:
    """Ask partners how well they work together, and score the answers, offline.

    Each partner rates every other: do they work together, how often, how closely
    (awareness, cooperation, coordination, integration), three trust questions and three
    value questions on a 1-4 scale. 'template' writes one Excel workbook per partner;
    'collect' reads the returned ones into ratings.csv in your data folder; 'scores' gives
    trust and value per partner, network scores, the response rate and how much each
    score depends on those who did not reply.

    \b
    Example:
        lcpgraph survey template my-data/ --unit HATCH --wave 2025 -o survey-2025/
        lcpgraph survey collect returned-2025/ -o my-data/ratings.csv
        lcpgraph survey scores my-data/
    """


@survey.command(name="template")
@data_options
@click.option(
    "--output",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the workbooks to (created if needed).",
)
@click.option(
    "--unit",
    "unit_name",
    metavar="NAME",
    help="Survey one local unit's (or any partnership's or board's) member organisations, by name or id.",
)
@click.option("--wave", help="The survey round, written into every workbook (default: this year, e.g. 2025).")
@click.option("--force", is_flag=True, help="Replace files in the folder even if lcpgraph did not write them.")
def template_command(G, output: Path, unit_name: str | None, wave: str | None, force: bool) -> None:
    """Write the survey: one Excel workbook per partner, and one for everyone's answers.

    Each partner's workbook lists every other partner surveyed, with drop-down lists for the
    answers and the questions, the four levels of working together and the 1-4 scale
    explained in plain English. all-partners.xlsx has every partner's rows, for typing in
    answers given on paper or in a meeting. The same data and wave give the same files.
    Workbooks that already hold answers are never replaced.

    \b
    Example:
        lcpgraph survey template data/examples/millbrook --unit "North Millbrook" --wave 2026 -o survey-2026/
    """
    from lcpgraph.survey.instrument import write_workbooks

    paths = write_workbooks(G, output, unit=unit_name, wave=wave, overwrite=force)
    click.echo(
        f"wrote {len(paths)} workbooks to {output}: one for each of the {len(paths) - 1} partners and "
        f"{paths[0].name} for answers given on paper.\n"
        "Send each partner its own file. Put the returned files in a new folder and run:\n"
        f"  lcpgraph survey collect THAT-FOLDER -o YOUR-DATA/ratings.csv",
        err=True,
    )


@survey.command(name="collect")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The ratings.csv to write, usually in your data folder. Answers of other waves already in it are kept.",
)
@click.option(
    "--data",
    "data_path",
    type=click.Path(exists=True, path_type=Path),
    help="Also check that every partner is still an organisation of this dataset.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace the wave's answers already in the output file (or a file that is not a ratings file).",
)
def collect_command(folder: Path, output: Path, data_path: Path | None, force: bool) -> None:
    """Read the returned workbooks into ratings.csv and say who has not replied.

    Every .xlsx in FOLDER made by 'lcpgraph survey template' is read; a partner left
    unanswered gets no row (it counts as missing, not as 'no'). A workbook that cannot be
    read, was not made by lcpgraph, or whose names, ids or hidden details were changed is
    reported with its file, sheet, row and column, and nothing is written.

    \b
    Example:
        lcpgraph survey collect returned-2025/ -o my-data/ratings.csv
    """
    import lcpgraph
    from lcpgraph.files import write_text
    from lcpgraph.survey.example import ratings_csv
    from lcpgraph.survey.instrument import collect, merge_ratings

    G = lcpgraph.load(data_path) if data_path else None
    got = collect(folder, G)
    if not got.files:
        raise LcpGraphError(f"{folder}: has no Excel workbooks (.xlsx) to collect")
    lines = []
    for wave in sorted(got.roster):
        people = got.roster[wave]
        replied = got.replied.get(wave, set())
        rate = 100 * len(replied) / len(people) if people else 0
        lines.append(f"Wave {wave}: {len(replied)} of {len(people)} partners replied ({rate:.0f}%).")
        silent = got.not_replied(wave)
        if silent:
            lines.append("Not replied: " + "; ".join(name for _, name in silent))
        if rate < 70:
            lines.append("Fewer than 70% have replied: the scores will depend on how the missing answers are read.")
        gaps = sorted((people.get(r, r), n) for (w, r), n in got.unanswered.items() if w == wave)
        if gaps:
            lines.append(
                "Left some partners unanswered (counted as missing): " + "; ".join(f"{name} ({n})" for name, n in gaps)
            )
    click.echo("\n".join(lines))
    if not got.rows:
        click.echo("No answers in the workbooks yet: nothing was written.", err=True)
        return
    rows = got.rows
    if output.exists():
        try:
            existing = output.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            if not force:
                raise LcpGraphError(f"{output}: cannot be read ({exc}); choose another name, or pass --force") from None
            existing = None
        if existing is not None:
            try:
                rows = merge_ratings(existing, rows, replace=force)
            except LcpGraphError as exc:
                if not (force and "not a ratings file" in str(exc)):
                    raise LcpGraphError(f"{output}: {exc}") from None
    text = ratings_csv(rows)
    write_text(output, text, overwrite=True)  # checked above: new, a ratings file, or --force
    click.echo(f"wrote {output} ({len(got.rows)} rows from the workbooks, {len(rows)} in all)", err=True)


@survey.command(name="scores")
@data_options
@click.option(
    "--show",
    type=click.Choice(["all", "response", "networks", "organisations", "sensitivity", "changes", "tie-changes"]),
    default="all",
    show_default=True,
    help="Which table to show (csv needs exactly one).",
)
@click.option(
    "--rule",
    type=click.Choice(["either", "both", "respondent"]),
    default="either",
    show_default=True,
    help=_RULE_HELP,
)
@click.option("--wave", help="One survey round only (default: every wave).")
@click.option("--unit", "unit_name", metavar="NAME", help="Score one local unit's partners only, by name or id.")
@format_options
def scores_command(
    G,
    show: str,
    rule: str,
    wave: str | None,
    unit_name: str | None,
    fmt: str,
    output: Path | None,
    force: bool,
) -> None:
    """Scores from the partner survey: response rate, network scores, trust and value, sensitivity.

    Reads ratings.csv from the data folder. The findings come first in plain sentences
    (for the latest wave), then the tables: who replied (a warning below 70%); density,
    centralisation, reciprocity, trust and value for everyone, each sector and each unit;
    each partner's trust and value (the mean of the others' ratings, with how many rated);
    each score under all three rules and whether it survives the missing answers; and what
    changed between waves. Every table says which rule it used.

    \b
    Example:
        lcpgraph survey scores data/examples/millbrook
        lcpgraph survey scores my-data/ --unit HATCH --show sensitivity
        lcpgraph survey scores my-data/ --show organisations --format csv -o trust.csv
    """
    from lcpgraph.survey import scores as s
    from lcpgraph.survey.ratings import read_ratings
    from lcpgraph.survey.render import findings

    ratings = read_ratings(G)
    if ratings.empty:
        raise LcpGraphError(
            f"{G.graph.get('path', 'the data')}: has no survey answers (no ratings.csv, or it is empty); make the "
            "survey with 'lcpgraph survey template' and collect it with 'lcpgraph survey collect'"
        )
    if fmt == "csv" and show == "all":
        raise click.UsageError("CSV holds one table: choose which with --show, or use --format json.")
    makers = {
        "response": ("survey_response", lambda: s.response_rates(G, ratings, wave=wave, unit=unit_name)),
        "networks": ("survey_networks", lambda: s.network_scores(G, ratings, rule=rule, wave=wave, unit=unit_name)),
        "organisations": (
            "survey_organisations",
            lambda: s.organisation_scores(G, ratings, rule=rule, wave=wave, unit=unit_name),
        ),
        "sensitivity": ("survey_sensitivity", lambda: s.sensitivity(G, ratings, wave=wave, unit=unit_name)),
        "changes": ("survey_changes", lambda: s.wave_changes(G, ratings, rule=rule, unit=unit_name)),
        "tie-changes": ("survey_tie_changes", lambda: s.tie_changes(G, ratings, rule=rule, unit=unit_name)),
    }
    chosen = list(makers) if show == "all" else [show]
    tables = {makers[k][0]: makers[k][1]() for k in chosen}
    if wave is not None:
        for key in ("survey_changes", "survey_tie_changes"):
            if key in tables:
                df = tables[key]
                tables[key] = df[(df["from_wave"] == wave) | (df["to_wave"] == wave)].reset_index(drop=True)
    if fmt == "table":
        # The readable view keeps the columns a person reads; csv and json keep every column.
        if show == "all" and "survey_sensitivity" in tables:
            df = tables["survey_sensitivity"]
            tables["survey_sensitivity"] = df[df["scope"] != "sector"].reset_index(drop=True)
        tables = {k: df[[c for c in _READABLE[k] if c in df]] for k, df in tables.items()}
    text = render_tables(G, tables, fmt)
    if fmt == "table":
        said = findings(G, ratings, rule=rule, wave=wave, unit=unit_name)
        text = "\n".join(said) + "\n\n" + text
        if show == "all":
            text += "\nSensitivity by sector: --show sensitivity. Every column: --format csv or json.\n"
    emit(text, output, force)


_READABLE = {
    "survey_response": ["wave", "name", "surveyed", "responded", "response_rate_pct", "not_replied"],
    "survey_networks": [
        "wave",
        "name",
        "partners",
        "respondents",
        "response_rate_pct",
        "pairs_known_pct",
        "density_pct",
        "centralisation_pct",
        "reciprocity_pct",
        "trust_pct",
        "value_pct",
        "awareness_pct",
        "cooperation_pct",
        "coordination_pct",
        "integration_pct",
    ],
    "survey_organisations": [
        "wave",
        "name",
        "sector",
        "responded",
        "reported_by",
        "ties",
        "trust",
        "trust_raters",
        "value",
        "value_raters",
    ],
    "survey_sensitivity": ["wave", "name", "label", "either", "both", "respondent", "spread", "verdict"],
    "survey_changes": [
        "from_wave",
        "to_wave",
        "name",
        "ties_before",
        "ties_after",
        "new_ties",
        "lost_ties",
        "unclear_pairs",
        "trust_before",
        "trust_after",
        "trust_trend",
    ],
    "survey_tie_changes": ["from_wave", "to_wave", "name_a", "name_b", "change"],
}
