"""The ``lcpgraph`` command line: parse options, call the library, print or write the result.

This is the only module that imports click. Every command takes an optional PATH (a folder of
CSV files or a workbook) that defaults to the bundled Leeds data.
"""

from __future__ import annotations

import functools
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import click
import pandas as pd

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
        help="table: readable text; csv or json: for other tools.",
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
        return df.to_string(index=False) + "\n"


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file, so a failure leaves no half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def emit(text: str, output: Path | None) -> None:
    """Print ``text``, or write it to ``output`` and say so on stderr."""
    if output is None:
        click.echo(text, nl=False)
    else:
        write_text_atomic(output, text)
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
