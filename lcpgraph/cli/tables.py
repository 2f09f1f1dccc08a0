"""Tables a person reads: names first, headers in words, numbers rounded, fitted to the terminal.

The CSV and JSON outputs keep every column under its technical name, in full; this is only the
``--format table`` view. Terminal tables are laid out by rich, which wraps long cells inside
their column (never cutting the answer off) and fits the terminal's width, work that
hand-written padding did badly (the old tables were up to 279 characters wide).
"""

from __future__ import annotations

import io
import math
import os
import shutil

import pandas as pd

from lcpgraph.catalogue import Table
from lcpgraph.place import Place

__all__ = ["ID_COLUMNS", "format_frame", "format_table", "terminal_width"]

#: Columns that hold ids: left out of the readable view (csv and json keep them), unless two
#: rows share a name and only the id tells them apart.
ID_COLUMNS = ("id", "unit", "board", "a", "b", "id_a", "id_b", "forum_a", "forum_b", "ids")

#: Columns whose value is a share of a whole, shown as a percentage.
PERCENT_COLUMNS = ("betweenness", "jaccard")


def terminal_width(default: int = 100) -> int:
    """The terminal's width in characters (``COLUMNS`` when set), or ``default`` when not a terminal."""
    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    return shutil.get_terminal_size((default, 24)).columns


def _cell(value: object, column: str) -> str:
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if column in PERCENT_COLUMNS:
            pct = value * 100
            return "0%" if pct == 0 else (f"{pct:.2g}%" if pct < 10 else f"{pct:.0f}%")
        if value.is_integer() and abs(value) < 1e6:
            return f"{int(value):,}"
        return f"{value:.3g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _readable_columns(df: pd.DataFrame) -> list[str]:
    """The columns to show: names before ids, ids only where names repeat."""
    name_cols = [c for c in df.columns if c == "name" or c.startswith("name_") or c.endswith("_name")]
    repeats = any(df[c].duplicated().any() for c in name_cols if c in df)
    cols = [c for c in df.columns if repeats or c not in ID_COLUMNS]
    # names first: the name columns keep their order, then everything else
    first = [c for c in cols if c in name_cols]
    return first + [c for c in cols if c not in first]


def format_frame(
    df: pd.DataFrame,
    headers: dict[str, str] | None = None,
    width: int | None = None,
) -> str:
    """``df`` as a terminal table (rich), headers as given, wrapped to ``width``."""
    from rich import box
    from rich.console import Console
    from rich.table import Table as RichTable

    if df.empty:
        return "(none)\n"
    headers = headers or {}
    cols = _readable_columns(df)
    table = RichTable(box=box.SIMPLE_HEAD, safe_box=True, show_edge=False, pad_edge=False)
    for c in cols:
        numeric = pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
        table.add_column(headers.get(c, c), justify="right" if numeric else "left", overflow="fold")
    for row in df[cols].itertuples(index=False, name=None):
        table.add_row(*(_cell(v, c) for v, c in zip(row, cols, strict=True)))
    out = io.StringIO()
    console = Console(
        file=out, width=width or terminal_width(), color_system=None, force_terminal=False, soft_wrap=False
    )
    console.print(table)
    return out.getvalue()


def format_table(df: pd.DataFrame, table: Table | None, place: Place, settings=None, width: int | None = None) -> str:
    """A catalogue table for reading: its title, one plain sentence, then the rows."""
    if table is None:
        return format_frame(df, width=width)
    headers = {c: table.header(c, place) for c in df.columns}
    head = f"{table.title_for(place, settings)}\n{table.sentence_for(place, settings)}\n"
    return head + format_frame(df, headers, width)
