"""The partner survey in the report and on the map: plain sentences, HTML fragments, edge styles.

:func:`report_section` and :func:`unit_section` return escaped HTML fragments (no scripts, no
requests) that :mod:`lcpgraph.render.report` puts on the index page and each unit's page, in
its own CSS classes (``why``, ``muted``, ``note``, ``num``). :func:`edge_styles` gives the map a
width (how closely) and a colour (how much trust) for each pair the survey says works together.
Every figure says which reconstruction rule it used; ranges span all three.

>>> from lcpgraph.survey.example import tiny_example
>>> G, r = tiny_example()
>>> findings(G, r)[0]
'3 of the 4 partners surveyed replied (75%) in wave 1.'
"""

from __future__ import annotations

import math
from html import escape

import networkx as nx
import pandas as pd

from lcpgraph import views
from lcpgraph.survey.questions import INTENSITY_NAMES
from lcpgraph.survey.scores import (
    DEFAULT_RULE,
    FIRM_SPREAD,
    LOW_RESPONSE,
    RULES,
    network_scores,
    organisation_scores,
    response_rates,
    rule_words,
    sensitivity,
    wave_changes,
)

__all__ = [
    "EDGE_WIDTHS",
    "TRUST_COLOURS",
    "edge_legend",
    "edge_styles",
    "findings",
    "report_section",
    "unit_section",
]

#: Line width for a tie at each intensity (1 awareness … 4 integration); 0: level not given.
EDGE_WIDTHS: dict[int, float] = {0: 1.5, 1: 1.5, 2: 3.0, 3: 4.5, 4: 6.0}

#: Colour for a tie's trust, low to high (ColorBrewer PuOr, safe for colour-blindness), with the
#: upper bound of each band on the 1–4 scale; grey when nobody rated the pair.
TRUST_COLOURS: tuple[tuple[float, str, str], ...] = (
    (1.75, "#e66101", "low trust (below 1.75 of 4)"),
    (2.5, "#fdb863", "some trust (1.75 to 2.5)"),
    (3.25, "#b2abd2", "fair trust (2.5 to 3.25)"),
    (4.0, "#5e3c99", "high trust (3.25 to 4)"),
)
NO_TRUST_COLOUR = "#9e9e9e"


def _ratings(G: nx.MultiDiGraph, ratings: pd.DataFrame | None) -> pd.DataFrame:
    from lcpgraph.survey.ratings import read_ratings

    return read_ratings(G) if ratings is None else ratings


def _latest(ratings: pd.DataFrame, wave: str | None) -> str | None:
    from lcpgraph.survey.ratings import wave_order

    waves = wave_order(ratings)
    if wave is not None:
        return wave
    return waves[-1] if waves else None


def _n(x: float) -> str:
    """A percentage in whole numbers, halves rounded up (62.5 -> 63%, as people round)."""
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{math.floor(x + 0.5):.0f}%"


def _range(sens: pd.DataFrame, measure: str) -> tuple[float, float, float, str]:
    row = sens[sens["measure"] == measure].iloc[0]
    return float(row["low"]), float(row["high"]), float(row["spread"]), str(row["verdict"])


def _say(sentence: str, value: float, low: float, high: float, spread: float) -> str:
    """``sentence`` with the value, and its range across the rules (or that it holds whichever rule)."""
    if math.isnan(value):
        return ""
    text = sentence.format(v=_n(value))
    text = text[:1].upper() + text[1:]
    if math.isnan(spread):
        return text + "."
    if spread == 0 or _n(low) == _n(high):
        return f"{text}, whichever way the missing answers are read."
    if spread <= FIRM_SPREAD:
        return f"{text}; this holds whichever way the missing answers are read ({_n(low)} to {_n(high)})."
    return f"{text}, but it depends on the missing answers: between {_n(low)} and {_n(high)} under the three rules."


#: The network scores said in words, ``{v}`` the value.
_SENTENCES = {
    "density_pct": "{v} of pairs of partners work together",
    "trust_pct": "partners trust each other at {v} of the top of the scale",
    "value_pct": "partners value each other at {v} of the top of the scale",
    "centralisation_pct": "degree centralisation is {v} (0% when every partner has as many ties, 100% for one hub)",
}


def findings(
    G: nx.MultiDiGraph,
    ratings: pd.DataFrame | None = None,
    *,
    rule: str = DEFAULT_RULE,
    wave: str | None = None,
    unit: str | None = None,
    say_rule: bool = True,
) -> list[str]:
    """One plain sentence per finding of a wave (the latest by default), for a board.

    Each figure is under ``rule`` (said in the second sentence unless ``say_rule`` is False,
    for a page that says it already); where the three rules disagree by more than
    :data:`~lcpgraph.survey.scores.FIRM_SPREAD` points the sentence gives the range.

    Examples
    --------
    >>> from lcpgraph.survey.example import tiny_example
    >>> G, r = tiny_example()
    >>> print(findings(G, r)[2])
    80% of pairs of partners work together, but it depends on the missing answers: between 50% and 80% under the three rules.
    """
    ratings = _ratings(G, ratings)
    wave = _latest(ratings, wave)
    if wave is None:
        return []
    nets = network_scores(G, ratings, rule=rule, wave=wave, unit=unit)
    if nets.empty:  # a unit none of whose partners was surveyed
        return []
    net = nets.iloc[0]
    sens = sensitivity(G, ratings, wave=wave, unit=unit)
    sens = sens[(sens["scope"] == net["scope"]) & (sens["group"] == net["group"])]
    rate = float(net["response_rate_pct"])
    out = [
        f"{int(net['respondents'])} of the {int(net['partners'])} partners surveyed replied ({_n(rate)}) in wave {wave}."
    ]
    if rate < LOW_RESPONSE:
        out.append(
            f"That is below {LOW_RESPONSE:.0f}%: the scores below rest partly on how the missing answers are read, "
            "so look at their ranges."
        )
    if say_rule:
        out.append(f"Figures use the rule '{rule_words(rule)}'; ranges span all three rules.")
    for measure, sentence in _SENTENCES.items():
        low, high, spread, _verdict = _range(sens, measure)
        text = _say(sentence, float(net[measure]), low, high, spread)
        if text:
            out.append(text)
    recip = float(net["reciprocity_pct"])
    if not math.isnan(recip):
        if recip == 100:
            out.append("Every tie one partner names (where the other answered) is named back.")
        else:
            out.append(
                f"Of the ties one partner names (where the other answered), {_n(recip)} are named back; "
                "the rest are seen by one side only."
            )
    levels = {name: float(net[f"{name}_pct"]) for name in INTENSITY_NAMES}
    if not any(math.isnan(v) for v in levels.values()):
        top = max(levels.values())
        commonest = [k for k in INTENSITY_NAMES if levels[k] == top]
        if len(commonest) == 1:
            out.append(
                f"The commonest level of working together is {commonest[0]} ({_n(top)} of ties); "
                f"{_n(levels['integration'])} reach integration (shared staff, budgets or services)."
            )
        else:
            out.append(
                "No one level of working together is commonest: "
                + ", ".join(f"{k} {_n(levels[k])}" for k in INTENSITY_NAMES)
                + " of ties."
            )
    changes = wave_changes(G, ratings, rule=rule, unit=unit)
    changes = changes[changes["to_wave"] == wave]
    if len(changes):
        before = str(changes["from_wave"].iloc[0])
        new = int(changes["new_ties"].sum()) // 2  # each tie is counted at both ends
        lost = int(changes["lost_ties"].sum()) // 2
        up = int((changes["trust_trend"] == "up").sum())
        down = int((changes["trust_trend"] == "down").sum())
        out.append(
            f"Since wave {before}: {new} new tie{'s' if new != 1 else ''} and {lost} lost (among pairs known in "
            f"both); trust went up for {up} partner{'s' if up != 1 else ''} and down for {down}."
        )
    return out


def _table(G: nx.MultiDiGraph, df: pd.DataFrame, key: str, columns: list[str], empty: str = "None.") -> str:
    """An escaped HTML table with the catalogue's headers (numbers right-aligned, NaN as –)."""
    from lcpgraph.catalogue import TABLES

    if df.empty:
        return f'<p class="muted">{escape(empty)}</p>'
    place = views.place_of(G)
    t = TABLES.get(key)
    head = "".join(f"<th>{escape(t.header(c, place) if t else c)}</th>" for c in columns)
    body = []
    for rec in df[columns].to_dict("records"):
        cells = []
        for c in columns:
            v = rec[c]
            if isinstance(v, bool):
                cells.append(f"<td>{'yes' if v else 'no'}</td>")
            elif isinstance(v, int):
                cells.append(f'<td class="num">{v:,}</td>')
            elif isinstance(v, float):
                cells.append(f'<td class="num">{"–" if math.isnan(v) else f"{v:g}"}</td>')
            elif v is None or (not isinstance(v, str) and pd.isna(v)):
                cells.append("<td></td>")
            else:
                cells.append(f"<td>{escape(str(v))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _sub(title: str, why: str, content: str) -> str:
    return f'<h3>{escape(title)}</h3><p class="why">{escape(why)}</p>{content}'


_SCORE_COLUMNS = [
    "name",
    "partners",
    "respondents",
    "response_rate_pct",
    "density_pct",
    "centralisation_pct",
    "reciprocity_pct",
    "trust_pct",
    "value_pct",
    *(f"{n}_pct" for n in INTENSITY_NAMES),
    "warning",
]
_SENS_COLUMNS = ["label", *RULES, "low", "high", "spread", "verdict"]
_ORG_COLUMNS = ["name", "sector", "responded", "reported_by", "ties", "trust", "trust_raters", "value", "value_raters"]


def report_section(
    G: nx.MultiDiGraph, ratings: pd.DataFrame | None = None, *, rule: str = DEFAULT_RULE, wave: str | None = None
) -> str:
    """The report's section "How partners rate their relationships" as escaped HTML ("" with no ratings).

    The latest wave (or ``wave``): one plain sentence per finding, who replied, the scores for
    everyone surveyed and each unit, which findings survive the missing answers, each
    partner's trust and value, and (with two waves or more) what changed.

    Examples
    --------
    >>> from lcpgraph.survey.example import tiny_example
    >>> G, r = tiny_example()
    >>> html = report_section(G, r)
    >>> html.startswith('<section id="survey">') and "<script" not in html
    True
    """
    ratings = _ratings(G, ratings)
    wave = _latest(ratings, wave)
    if wave is None:
        return ""
    place = views.place_of(G)
    sentences = "".join(f"<li>{escape(s)}</li>" for s in findings(G, ratings, rule=rule, wave=wave, say_rule=False))
    response = response_rates(G, ratings, wave=wave)
    nets = network_scores(G, ratings, rule=rule, wave=wave)
    nets = nets[nets["scope"] != "sector"]
    sens = sensitivity(G, ratings, wave=wave)
    sens = sens[sens["scope"] == "network"]
    orgs = organisation_scores(G, ratings, rule=rule, wave=wave)
    orgs = orgs.sort_values(["trust", "name"], ascending=[False, True], na_position="last", kind="mergesort")
    parts = [
        '<section id="survey"><h2>How partners rate their relationships</h2>',
        '<p class="why">'
        + escape(
            f"From the partner survey (wave {wave}): each partner said, about every other, whether they work together, "
            "how closely, and how far it trusts and values them. Answers nobody gave are counted as missing, not as "
            f"'no'. Figures use the rule '{rule_words(rule)}'; the ranges show every rule."
        )
        + "</p>",
        f"<ul>{sentences}</ul>",
    ]
    low = response[response["low"] & (response["scope"] != "sector")]
    if len(low):
        parts.append(
            '<p class="note">'
            + escape(
                "Low response (below 70%): "
                + "; ".join(f"{r['name']} {r['response_rate_pct']:g}%" for _, r in low.iterrows())
            )
            + "</p>"
        )
    parts.append(
        _sub(
            "Who replied",
            f"Overall, by sector and by {place.unit}. Not replied: who has not answered yet.",
            _table(
                G,
                response,
                "survey_response",
                ["name", "scope", "surveyed", "responded", "response_rate_pct", "not_replied"],
            ),
        )
    )
    parts.append(
        _sub(
            f"Scores for everyone and each {place.unit}",
            "Percentages: pairs who work together of those known; centralisation (100% = one hub); ties returned; "
            "trust and value as a share of the top of the scale; the share of ties at each level.",
            _table(G, nets, "survey_networks", _SCORE_COLUMNS),
        )
    )
    parts.append(
        _sub(
            "Which findings survive the missing answers",
            f"Each score under the three rules. Firm: they agree within {FIRM_SPREAD:.0f} points.",
            _table(G, sens, "survey_sensitivity", _SENS_COLUMNS),
        )
    )
    parts.append(
        _sub(
            "How partners rate each other",
            "Trust and value are the mean of the others' ratings (1–4), with how many rated; a score from one or two "
            "raters says little.",
            _table(G, orgs, "survey_organisations", _ORG_COLUMNS),
        )
    )
    changes = wave_changes(G, ratings, rule=rule)
    changes = changes[changes["to_wave"] == wave]
    if len(changes):
        parts.append(
            _sub(
                "What changed since the last wave",
                "Ties gained and lost (pairs known in both waves) and the change in trust.",
                _table(
                    G,
                    changes,
                    "survey_changes",
                    [
                        "name",
                        "ties_before",
                        "ties_after",
                        "new_ties",
                        "lost_ties",
                        "trust_before",
                        "trust_after",
                        "trust_trend",
                    ],
                ),
            )
        )
    parts.append("</section>")
    return "".join(parts)


def unit_section(G: nx.MultiDiGraph, ratings: pd.DataFrame | None, unit: str, *, rule: str = DEFAULT_RULE) -> str:
    """One unit's survey scores for its page, as escaped HTML ("" when none of its partners was surveyed).

    ``unit`` is the unit's id (or name). The latest wave; the unit's partners only.

    Examples
    --------
    >>> from lcpgraph.survey.example import tiny_example
    >>> G, r = tiny_example()
    >>> "3 of the 3 partners surveyed replied" in unit_section(G, r, "lcp-north")
    True
    """
    ratings = _ratings(G, ratings)
    wave = _latest(ratings, None)
    if wave is None:
        return ""
    rates = response_rates(G, ratings, wave=wave, unit=unit)
    if rates.empty or int(rates["surveyed"].iloc[0]) == 0:
        return ""
    place = views.place_of(G)
    sentences = "".join(
        f"<li>{escape(s)}</li>" for s in findings(G, ratings, rule=rule, wave=wave, unit=unit, say_rule=False)
    )
    sens = sensitivity(G, ratings, wave=wave, unit=unit)
    orgs = organisation_scores(G, ratings, rule=rule, wave=wave, unit=unit)
    caption = (
        f"From the partner survey (wave {wave}), the answers of this {place.unit}'s partners about each other. "
        f"Figures use the rule '{rule_words(rule)}'; ranges span all three rules."
    )
    # One h3 block with captions, like the other parts of a unit's page.
    return (
        '<div id="survey"><h3>How its partners rate their relationships</h3>'
        f'<p class="why">{escape(caption)}</p><ul>{sentences}</ul>'
        f'<p class="why">{escape(f"Which findings survive the missing answers (firm: the three rules agree within {FIRM_SPREAD:.0f} points).")}</p>'
        + _table(G, sens, "survey_sensitivity", _SENS_COLUMNS)
        + '<p class="why">'
        + escape(
            "How its partners rate each other: the mean of the other partners' ratings in it (1–4), with how many rated."
        )
        + "</p>"
        + _table(G, orgs, "survey_organisations", _ORG_COLUMNS)
        + "</div>"
    )


def edge_styles(
    G: nx.MultiDiGraph, ratings: pd.DataFrame | None = None, *, rule: str = DEFAULT_RULE, wave: str | None = None
) -> dict[tuple[str, str], dict[str, object]]:
    """Map styles for the pairs the survey says work together (the latest wave by default).

    Returns
    -------
    dict
        ``(a, b)`` with a < b (organisation ids) -> ``{"width": float, "color": "#rrggbb",
        "title": str}``: width by the pair's intensity (:data:`EDGE_WIDTHS`), colour by the
        mean trust the two gave each other (:data:`TRUST_COLOURS`; grey when unrated), and a
        tooltip in words. Only pairs tied under ``rule``; the ``respondent`` rule draws a pair
        when either answer says yes. Empty without ratings.

    Examples
    --------
    >>> from lcpgraph.survey.example import tiny_example
    >>> G, r = tiny_example()
    >>> edge_styles(G, r)[("a", "b")]["width"], edge_styles(G, r)[("a", "b")]["color"]
    (4.5, '#5e3c99')
    """
    from lcpgraph.survey.scores import _counted, _pairs, _wave

    ratings = _ratings(G, ratings)
    wave = _latest(ratings, wave)
    if wave is None:
        return {}
    data = _wave(ratings, wave, None)
    pairs = _pairs(data.reports, data.surveyed, rule)
    counted = _counted(data.reports, pairs, rule)
    merged: dict[tuple[str, str], int | None] = {}
    for (a, b), (status, level) in pairs.items():
        if status:
            key = (a, b) if a < b else (b, a)
            merged[key] = max(level or 0, merged.get(key) or 0)
    given: dict[tuple[str, str], list[float]] = {}
    for (i, j), r in counted.items():
        if r.trust is not None:
            given.setdefault((i, j) if i < j else (j, i), []).append(r.trust)
    out = {}
    for (a, b), level in sorted(merged.items()):
        trusts = given.get((a, b), [])
        trust = sum(trusts) / len(trusts) if trusts else None
        colour = NO_TRUST_COLOUR
        if trust is not None:
            colour = next(c for top, c, _ in TRUST_COLOURS if trust <= top)
        words = INTENSITY_NAMES[level - 1] if level else "level not given"
        trust_words = (
            f"trust {trust:.1f} of 4 ({len(trusts)} rating{'s' if len(trusts) != 1 else ''})"
            if trusts
            else "no trust rating"
        )
        out[(a, b)] = {
            "width": EDGE_WIDTHS[level or 0],
            "color": colour,
            "title": f"{views.name_of(G, a)} – {views.name_of(G, b)}: {words}; {trust_words} (survey wave {wave}, "
            f"rule {rule})",
        }
    return out


def edge_legend() -> list[tuple[str, str, float]]:
    """``(label, colour, width)`` rows for the map's legend of survey ties.

    >>> edge_legend()[0]
    ('low trust (below 1.75 of 4)', '#e66101', 3.0)
    """
    rows = [(label, colour, 3.0) for _, colour, label in TRUST_COLOURS]
    rows.append(("no trust rating", NO_TRUST_COLOUR, 3.0))
    rows += [(f"{name} (line width)", NO_TRUST_COLOUR, EDGE_WIDTHS[k]) for k, name in enumerate(INTENSITY_NAMES, 1)]
    return rows
