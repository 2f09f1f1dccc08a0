"""Small inline charts (SVG and HTML tables) for the report: no scripts, no external requests."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import pandas as pd

__all__ = ["PALETTE", "bar_chart", "heat_table", "sector_colours", "stacked_bars"]

#: Okabe–Ito and Paul Tol's "muted" colours: distinguishable with the common colour-vision
#: deficiencies. Sectors beyond these reuse them in order (and keep their text labels).
PALETTE: tuple[str, ...] = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#8C564B",
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255",
    "#AA4499", "#DDDDDD", "#6699CC", "#997700", "#994455",
)  # fmt: skip


def sector_colours(sectors: Sequence[str]) -> dict[str, str]:
    """Give each sector a fixed colour, in the order given (the vocabulary's order).

    >>> sector_colours(["primary care", "third sector"])
    {'primary care': '#0072B2', 'third sector': '#E69F00'}
    """
    return {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(sectors)}


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def stacked_bars(counts: pd.DataFrame, colours: dict[str, str], *, title: str, width: int = 760) -> str:
    """Horizontal stacked bars: one bar per row of ``counts`` (index = label), one segment per column.

    ``counts`` holds non-negative numbers; columns are drawn in their order with the colours
    given. Returns an ``<svg>`` element with a legend and a ``<title>`` on every segment.
    """
    label_w, bar_h, gap, legend_h = 300, 18, 6, 22
    cols = [c for c in counts.columns if counts[c].sum() > 0]
    total_max = float(counts[cols].sum(axis=1).max()) if len(counts) and cols else 0.0
    scale = (width - label_w - 50) / total_max if total_max else 0.0
    legend_rows = (len(cols) + 3) // 4
    height = len(counts) * (bar_h + gap) + legend_rows * legend_h + 30
    out = [
        f'<svg role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" width="100%" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    y = 10
    # Rows as numpy arrays of the frame's common dtype (what iterrows gives), read per cell.
    values = counts[cols].to_numpy()
    for label, row in zip(counts.index.tolist(), values, strict=True):
        out.append(f'<text x="{label_w - 8}" y="{y + 13}" text-anchor="end" class="lbl">{escape(str(label))}</text>')
        x = float(label_w)
        for c, cell in zip(cols, row.tolist(), strict=True):
            v = float(cell)
            if v <= 0:
                continue
            w = v * scale
            out.append(
                f'<rect x="{_num(x)}" y="{y}" width="{_num(w)}" height="{bar_h}" fill="{colours.get(c, "#999")}">'
                f"<title>{escape(str(label))}: {escape(str(c))} {_num(v)}</title></rect>"
            )
            x += w
        out.append(f'<text x="{_num(x + 5)}" y="{y + 13}" class="val">{_num(float(row.sum()))}</text>')
        y += bar_h + gap
    y += 10
    for i, c in enumerate(cols):
        lx, ly = 10 + (i % 4) * (width // 4), y + (i // 4) * legend_h
        out.append(f'<rect x="{lx}" y="{ly}" width="12" height="12" fill="{colours.get(c, "#999")}"/>')
        out.append(f'<text x="{lx + 17}" y="{ly + 11}" class="lbl">{escape(str(c))}</text>')
    out.append("</svg>")
    return "\n".join(out)


def bar_chart(values: pd.Series, *, title: str, colour: str = "#0072B2", width: int = 760, fmt: str = "{:.3f}") -> str:
    """Horizontal bars, one per item of ``values`` (index = label), longest first as given."""
    label_w, bar_h, gap = 300, 16, 5
    vmax = float(values.max()) if len(values) else 0.0
    scale = (width - label_w - 70) / vmax if vmax > 0 else 0.0
    height = len(values) * (bar_h + gap) + 14
    out = [
        f'<svg role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" width="100%" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    y = 7
    for label, v in values.items():
        w = float(v) * scale
        out.append(f'<text x="{label_w - 8}" y="{y + 12}" text-anchor="end" class="lbl">{escape(str(label))}</text>')
        out.append(f'<rect x="{label_w}" y="{y}" width="{_num(w)}" height="{bar_h}" fill="{colour}"/>')
        out.append(f'<text x="{_num(label_w + w + 5)}" y="{y + 12}" class="val">{escape(fmt.format(v))}</text>')
        y += bar_h + gap
    out.append("</svg>")
    return "\n".join(out)


def heat_table(matrix: pd.DataFrame, *, caption: str, zero_label: str = "0") -> str:
    """An HTML table whose cells are shaded by value; zero cells are marked as gaps.

    Rows are the index, columns the columns; values are non-negative counts.
    """
    vmax = float(matrix.to_numpy().max()) if matrix.size else 0.0
    head = "".join(f'<th scope="col"><span>{escape(str(c))}</span></th>' for c in matrix.columns)
    rows = []
    for label, row in zip(matrix.index.tolist(), matrix.to_numpy().tolist(), strict=True):
        cells = []
        for c, cell in zip(matrix.columns, row, strict=True):
            v = float(cell)
            if v <= 0:
                cells.append(f'<td class="gap" title="{escape(str(label))}: no {escape(str(c))}">{zero_label}</td>')
            else:
                alpha = 0.15 + 0.85 * (v / vmax if vmax else 0)
                cells.append(
                    f'<td style="background:rgba(0,114,178,{alpha:.2f});color:{"#fff" if alpha > 0.55 else "#000"}">'
                    f"{_num(v)}</td>"
                )
        rows.append(f'<tr><th scope="row">{escape(str(label))}</th>{"".join(cells)}</tr>')
    return (
        f'<table class="heat"><caption>{escape(caption)}</caption>'
        f"<thead><tr><th></th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
