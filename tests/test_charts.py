"""Inline charts: every value drawn, gaps marked, nothing fetched."""

import re

import pandas as pd

from lcpgraph.render.charts import bar_chart, heat_table, sector_colours, stacked_bars


def test_stacked_bars_draw_one_segment_per_nonzero_count():
    counts = pd.DataFrame({"third sector": [2, 0], "primary care": [1, 3]}, index=["North", "South"])
    svg = stacked_bars(counts, sector_colours(list(counts.columns)), title="Partners")
    # North: 2 third sector + 1 primary care; South: 3 primary care -> three segments
    assert len(re.findall(r"<rect x=\"[\d.]+\" y=\"\d+\" width=\"[\d.]+\" height=\"18\"", svg)) == 3
    assert "<title>North: third sector 2</title>" in svg
    assert ">3</text>" in svg  # South's total
    assert "http" not in svg


def test_bar_chart_scales_to_the_largest_value():
    svg = bar_chart(pd.Series({"A": 1.0, "B": 0.5}), title="Brokers", width=630)
    widths = [float(w) for w in re.findall(r'<rect x="300" y="\d+" width="([\d.]+)"', svg)]
    assert widths == [260.0, 130.0]  # (630 - 300 label - 70 margin) = 260 px for the maximum


def test_heat_table_marks_zero_cells_as_gaps_and_escapes_labels():
    m = pd.DataFrame({"housing": [0, 2]}, index=["<b>North</b>", "South"])
    html = heat_table(m, caption="Coverage")
    assert html.count('class="gap"') == 1
    assert "&lt;b&gt;North&lt;/b&gt;" in html and "<b>North" not in html
