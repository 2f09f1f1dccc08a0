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
import textwrap

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
    cells = [
        [_cell(v, c) for v, c in zip(row, cols, strict=True)] for row in df[cols].itertuples(index=False, name=None)
    ]
    for j, c in enumerate(cols):
        numeric = pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
        header = headers.get(c, c)
        longest_word = max((len(w) for w in header.split()), default=1)
        longest_cell = max((len(r[j]) for r in cells), default=1)
        # Room for a header word and a short value whole; names get up to 24 characters before wrapping.
        cap = 24 if c == "name" or c.startswith("name_") or c.endswith("_name") else 12
        low = max(longest_word, min(longest_cell, cap))
        table.add_column(
            header,
            justify="right" if numeric else "left",
            overflow="fold",
            min_width=low,
            # a number column is as wide as its widest value or header word: its header wraps
            max_width=max(longest_word, longest_cell) if numeric else None,
        )
    for r in cells:
        table.add_row(*r)
    out = io.StringIO()
    console = Console(
        file=out, width=width or terminal_width(), color_system=None, force_terminal=False, soft_wrap=False
    )
    console.print(table)
    return out.getvalue()


def format_table(
    df: pd.DataFrame, table: Table | None, place: Place, settings=None, width: int | None = None, G=None
) -> str:
    """A catalogue table for reading: its title, one plain sentence, then the rows it needs."""
    if table is None:
        return format_frame(df, width=width)
    if G is not None:
        df = table.for_reading(df, G)
    headers = {c: table.header(c, place) for c in df.columns}
    w = width or terminal_width()
    head = table.title_for(place, settings) + "\n" + textwrap.fill(table.sentence_for(place, settings), w) + "\n"
    return head + format_frame(df, headers, w)
