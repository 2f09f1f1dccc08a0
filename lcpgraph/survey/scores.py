"""Scores from the partner survey, with every formula written down and missing answers kept missing.

The answers are *reports*: respondent *i* says whether it works with partner *j*, how closely
(intensity 1–4) and how it rates *j* (three trust items, three value items, each 1–4). Who was
**surveyed** in a wave is every organisation that appears in its rows, as respondent or partner
(the workbooks list the whole roster, and ``collect`` writes a row, answered or blank, for every
partner on the list of each respondent); a **respondent** is one that gave at least one answer
in the wave. A report nobody gave is **missing**, never "no": an
organisation that did not reply is not thereby without ties.

**Reconstruction rules.** Whether a pair {i, j} works together is read from the two reports by
one of three documented rules (:data:`RULES`):

===============================  ===========  ===========  ====================================
the pair's two reports           ``either``   ``both``     ``respondent``
===============================  ===========  ===========  ====================================
yes and yes                      tie          tie          two reports: yes, yes
yes and no                       tie          no tie       two reports: yes, no
no and no                        no tie       no tie       two reports: no, no
yes, other side not answered     tie          unknown      one report: yes
no, other side not answered      no tie       no tie       one report: no
neither answered                 unknown      unknown      no report
===============================  ===========  ===========  ====================================

``either`` (reported by either side; the default) fills a non-respondent's side from the
other's answer, as Stork and Richards (1992) and Huisman (2009) call *reconstruction*;
``both`` (reported by both sides) counts a tie only when both confirm it, so a "yes" the other
side never answered is unknown; ``respondent`` (each respondent's own side only) keeps the
reports as they are, one per direction. Unknown pairs (and, for ``respondent``, unanswered
directions) are left out of every denominator.

**Network scores** for a set of *n* surveyed partners (the whole survey, one sector, one unit):

* *density* = ties ÷ known pairs (``either``, ``both``), or yes reports ÷ reports
  (``respondent``), as a percentage;
* *degree centralisation* (Freeman 1978) on each partner's *degree share* p = its ties ÷ its
  known pairs: Σ (p_max − p_i) ÷ (m − 2) over the m partners with a known pair; for
  ``respondent`` the share is of the reports *about* the partner (in-degree, which a
  non-respondent has too) and the divisor m − 1. With no missing answers these are Freeman's
  degree and in-degree centralisation; 0 % when every partner has as many ties, 100 % for a star;
  missing (not estimable) when the shares are too uneven for any network (above 100 %);
* *reciprocity* = of the "yes" reports whose other side answered, the share the other side
  returned (networkx's ``overall_reciprocity``); it needs both sides, so no rule changes it;
* *trust* and *value* = the mean of the rating reports' trust (value) scores, each the mean
  of the items answered, as a percentage of the scale maximum 4 (so 1 = 25 %, 4 = 100 %); under
  ``both`` only reports on pairs both confirm count;
* the share of ties at each *intensity*: a pair's level is the higher of its two reports
  (``either``), the lower (``both``), or each report's own (``respondent``);
* the *response rate* = respondents ÷ surveyed.

**Per organisation**: trust (value) = the mean of the others' trust (value) scores of it, with
the number of raters; its ties, known pairs and degree share by the rule.

>>> import pandas as pd
>>> r = pd.DataFrame({"respondent": ["a", "b"], "partner": ["b", "c"], "works_with": [True, True]})
>>> sorted(pair_status(r, ["a", "b", "c"], "both").itertuples(index=False, name=None))[:2]
[('a', 'b', 'unknown', nan), ('a', 'c', 'unknown', nan)]
"""

from __future__ import annotations

import itertools
import math
import weakref
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from lcpgraph import schema, views
from lcpgraph.survey.questions import INTENSITY_NAMES, ITEMS, SCALE_MAX
from lcpgraph.survey.ratings import read_ratings, wave_order

__all__ = [
    "DEFAULT_RULE",
    "FIRM_SPREAD",
    "LOW_RESPONSE",
    "MEASURES",
    "RULES",
    "centralisation",
    "network_scores",
    "organisation_scores",
    "pair_status",
    "response_rates",
    "rule_words",
    "sensitivity",
    "tie_changes",
    "wave_changes",
]

#: The reconstruction rules, with what each means in words.
RULES: dict[str, str] = {
    "either": "a pair works together when either side says so",
    "both": "a pair works together only when both sides say so",
    "respondent": "each respondent's own answers, one per direction",
}
DEFAULT_RULE = "either"

#: Below this response rate (percent) a group's scores carry a warning: bias from missing
#: answers grows quickly below 70–80 % (Kossinets 2006; Borgatti, Everett and Johnson 2018).
LOW_RESPONSE = 70.0

#: A score whose range across the rules is at most this many percentage points is "firm".
FIRM_SPREAD = 10.0

#: The network measures, in the order tables list them, with their names in words.
MEASURES: dict[str, str] = {
    "density_pct": "Pairs who work together",
    "centralisation_pct": "Degree centralisation",
    "reciprocity_pct": "Ties returned",
    "trust_pct": "Trust",
    "value_pct": "Value",
    **{f"{n}_pct": f"Ties at {n}" for n in INTENSITY_NAMES},
}


def rule_words(rule: str) -> str:
    """The rule's name and meaning, as every table's ``rule`` column and the report state it.

    >>> rule_words("both")
    'both: a pair works together only when both sides say so'
    """
    return f"{rule}: {RULES[rule]}"


def _check_rule(rule: str) -> None:
    if rule not in RULES:
        from lcpgraph.exceptions import LcpGraphError, did_you_mean

        raise LcpGraphError(f"there is no rule '{rule}'{did_you_mean(rule, RULES)} Rules: {', '.join(RULES)}")


# --------------------------------------------------------------------------------------
# reports and pairs


@dataclass(frozen=True)
class _Report:
    works: bool
    intensity: int | None
    trust: float | None
    value: float | None
    items: tuple[float | None, ...]


def _mean(values: Iterable[float | None]) -> float | None:
    got = [float(v) for v in values if v is not None and not _isna(v)]
    return sum(got) / len(got) if got else None


def _isna(v: object) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))


def _column(rows: pd.DataFrame, name: str) -> np.ndarray:
    """A numeric column as floats, NaN where missing (or absent)."""
    if name not in rows:
        return np.full(len(rows), np.nan)
    return pd.to_numeric(rows[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _row_mean(block: np.ndarray) -> list[float | None]:
    """Each row's mean of the values present, None where none is (without numpy's empty-mean warning)."""
    present = ~np.isnan(block)
    count = present.sum(axis=1)
    total = np.where(present, block, 0.0).sum(axis=1)
    return [t / c if c else None for t, c in zip(total.tolist(), count.tolist(), strict=True)]


def _reports(rows: pd.DataFrame) -> dict[tuple[str, str], _Report]:
    """(respondent, partner) -> its report, for the rows of one wave (column by column: fast)."""
    works = rows["works_with"]
    rows = rows[works.notna()]  # asked, not answered: missing
    if rows.empty:
        return {}
    items = np.column_stack([_column(rows, i.name) for i in ITEMS])
    trust = _row_mean(items[:, [k for k, i in enumerate(ITEMS) if i.group == "trust"]])
    value = _row_mean(items[:, [k for k, i in enumerate(ITEMS) if i.group == "value"]])
    level = _column(rows, "intensity")
    item_lists = [[None if math.isnan(x) else x for x in row] for row in items.tolist()]
    out = {}
    for i, j, w, lv, t, v, its in zip(
        rows["respondent"].astype(str).tolist(),
        rows["partner"].astype(str).tolist(),
        rows["works_with"].astype(bool).tolist(),
        level.tolist(),
        trust,
        value,
        item_lists,
        strict=True,
    ):
        out[(i, j)] = _Report(w, None if math.isnan(lv) else int(lv), t, v, tuple(its))
    return out


def _pairs(reports: dict[tuple[str, str], _Report], nodes: list[str], rule: str) -> dict[tuple[str, str], tuple]:
    """Pair key -> (status True/False/None, intensity or None), by the rule.

    Undirected rules key pairs as (a, b) with a < b, for every pair of ``nodes``; the
    ``respondent`` rule keys each report given among ``nodes`` as (respondent, partner).
    """
    inside = set(nodes)
    out: dict[tuple[str, str], tuple] = {}
    if rule == "respondent":
        for (i, j), r in reports.items():
            if i in inside and j in inside:
                out[(i, j)] = (r.works, r.intensity if r.works else None)
        return out
    ordered = sorted(inside)
    for x, a in enumerate(ordered):
        for b in ordered[x + 1 :]:
            sides = [r for r in (reports.get((a, b)), reports.get((b, a))) if r is not None]
            yes = [r for r in sides if r.works]
            levels = [r.intensity for r in yes if r.intensity is not None]
            if not sides:
                status = None
            elif rule == "either":
                status = bool(yes)
            elif len(yes) < len(sides):  # both: one "no" settles it
                status = False
            else:  # both: every answer is yes; confirmed only when both answered
                status = True if len(sides) == 2 else None
            level = None
            if status and levels:
                level = max(levels) if rule == "either" else min(levels)
            out[(a, b)] = (status, level)
    return out


def pair_status(ratings: pd.DataFrame, nodes: Iterable[str], rule: str = DEFAULT_RULE) -> pd.DataFrame:
    """Whether each pair of ``nodes`` works together by ``rule``: tie, no tie or unknown.

    Parameters
    ----------
    ratings : pandas.DataFrame
        One wave's ratings (columns ``respondent``, ``partner``, ``works_with``, and optionally
        ``intensity`` and the items).
    nodes : iterable of str
        The organisations surveyed.
    rule : {"either", "both", "respondent"}
        See :data:`RULES`.

    Returns
    -------
    pandas.DataFrame
        Columns ``a``, ``b``, ``status`` ("tie", "no tie", "unknown") and ``intensity`` (the
        pair's level 1–4 by the rule, where it is a tie with a level); undirected rules list
        every pair once (a < b), ``respondent`` every report (a = respondent). Sorted by a, b.

    Examples
    --------
    Two say yes about each other, one "yes" is unanswered, one pair nobody answered:

    >>> r = pd.DataFrame({"respondent": ["a", "b", "a"], "partner": ["b", "a", "c"],
    ...                   "works_with": [True, True, True]})
    >>> pair_status(r, ["a", "b", "c"], "either")["status"].tolist()
    ['tie', 'tie', 'unknown']
    >>> pair_status(r, ["a", "b", "c"], "both")["status"].tolist()
    ['tie', 'unknown', 'unknown']
    """
    _check_rule(rule)
    pairs = _pairs(_reports(ratings), sorted(set(nodes)), rule)
    words = {True: "tie", False: "no tie", None: "unknown"}
    rows = [(a, b, words[s], float(lv) if lv else math.nan) for (a, b), (s, lv) in sorted(pairs.items())]
    return pd.DataFrame(rows, columns=["a", "b", "status", "intensity"])


def centralisation(shares: Iterable[float], directed: bool = False) -> float:
    """Freeman degree centralisation from each partner's degree share (0–1), as a fraction.

    ``shares`` are ties ÷ possible ties (networkx's ``degree_centrality``; for a directed
    graph the in-degree share). Undirected: Σ (max − s) ÷ (m − 2); directed (in-degree):
    Σ (max − s) ÷ (m − 1); NaN below 3 (2) partners.

    Shares estimated from partly missing answers (ties ÷ *known* pairs) need not fit one
    network; when they are so uneven that the undirected figure would pass 1 (no network can
    be more central than a star) it cannot be estimated, and is NaN rather than a made-up 100%.

    >>> centralisation([1.0, 1/3, 1/3, 1/3]), centralisation([1.0, 1.0, 1.0])   # a star; a triangle
    (1.0, 0.0)
    >>> centralisation([0.5, 1.0, 0.0])  # three partners, two pairs known: no network fits these
    nan
    """
    s = list(shares)
    m = len(s)
    if m < (2 if directed else 3):
        return math.nan
    top = max(s)
    value = sum(top - x for x in s) / (m - (1 if directed else 2))
    return math.nan if value > 1 + 1e-9 else value


# --------------------------------------------------------------------------------------
# one wave, one group, one rule


@dataclass
class _Wave:
    surveyed: list[str]
    respondents: set[str]
    reports: dict[tuple[str, str], _Report]
    #: respondent -> its reports, so a group's reports are found without reading everyone's
    by_respondent: dict[str, dict[tuple[str, str], _Report]]

    def within(self, nodes: Iterable[str]) -> dict[tuple[str, str], _Report]:
        """The reports given and received inside ``nodes``."""
        inside = set(nodes)
        if inside >= set(self.surveyed):
            return self.reports
        return {k: r for n in inside for k, r in self.by_respondent.get(n, {}).items() if k[1] in inside}


# One wave's reports are read from the frame once and kept while the frame lives: a report asks
# the same wave for the same scores many times (every rule, every group, the sentences). Frames
# are keyed by identity, so the ratings frame must not be changed in place once scored.
_WAVES: dict[tuple, _Wave] = {}
_WATCHED: set[int] = set()


def _forget(frame_id: int) -> None:
    for key in [k for k in _WAVES if k[0] == frame_id]:
        del _WAVES[key]
    _WATCHED.discard(frame_id)


def _wave(ratings: pd.DataFrame, wave: str, scope: set[str] | None) -> _Wave:
    key = (id(ratings), wave, None if scope is None else frozenset(scope))
    hit = _WAVES.get(key)
    if hit is not None:
        return hit
    rows = ratings[ratings["wave"] == wave]
    everyone = set(rows["respondent"]) | set(rows["partner"])
    if scope is not None:
        everyone &= scope
    answered = rows[rows["works_with"].notna()]
    respondents = set(answered["respondent"]) & everyone  # answered anything in this wave, about anyone
    inside = rows[rows["respondent"].isin(everyone) & rows["partner"].isin(everyone)]
    reports = _reports(inside)
    by_respondent: dict[str, dict[tuple[str, str], _Report]] = defaultdict(dict)
    for k, r in reports.items():
        by_respondent[k[0]][k] = r
    data = _Wave(sorted(everyone), respondents, reports, dict(by_respondent))
    if id(ratings) not in _WATCHED:
        _WATCHED.add(id(ratings))
        weakref.finalize(ratings, _forget, id(ratings))
    _WAVES[key] = data
    return data


def _counted(reports: dict[tuple[str, str], _Report], pairs: dict, rule: str) -> dict[tuple[str, str], _Report]:
    """The rating reports a rule counts: every "yes" report, or (``both``) those on confirmed pairs."""
    out = {}
    for (i, j), r in reports.items():
        if not r.works:
            continue
        if rule == "both" and pairs.get((min(i, j), max(i, j)), (None,))[0] is not True:
            continue
        out[(i, j)] = r
    return out


def _degree(pairs: dict, nodes: list[str], rule: str) -> tuple[dict[str, int], dict[str, int]]:
    """node -> ties, node -> known pairs (``respondent``: reports about it, and "yes" among them)."""
    ties = dict.fromkeys(nodes, 0)
    known = dict.fromkeys(nodes, 0)
    for (a, b), (status, _lv) in pairs.items():
        if status is None:
            continue
        ends = (b,) if rule == "respondent" else (a, b)
        for n in ends:
            known[n] += 1
            ties[n] += int(status)
    return ties, known


def _pct(x: float | None, digits: int = 1) -> float:
    return math.nan if x is None or (isinstance(x, float) and math.isnan(x)) else round(100.0 * x, digits)


def _measures(w: _Wave, nodes: list[str], rule: str) -> dict[str, float | int]:
    """Every network score of the partners ``nodes`` in one wave, by one rule."""
    n = len(nodes)
    inside = set(nodes)
    reports = w.within(inside)
    pairs = _pairs(reports, nodes, rule)
    known = [s for s, _ in pairs.values() if s is not None]
    ties = sum(known)
    possible = n * (n - 1) if rule == "respondent" else n * (n - 1) // 2
    tie_count, known_by = _degree(pairs, nodes, rule)
    shares = [tie_count[x] / known_by[x] for x in nodes if known_by[x]]
    # Reciprocity: "yes" reports whose other side answered, and how many of them it returned.
    sent = [(i, j) for (i, j), r in reports.items() if r.works and (j, i) in reports]
    returned = sum(reports[(j, i)].works for i, j in sent)
    counted = _counted(reports, pairs, rule)
    levels = [lv for s, lv in pairs.values() if s and lv is not None]
    out: dict[str, float | int] = {
        "partners": n,
        "respondents": len(w.respondents & inside),
        "response_rate_pct": _pct(len(w.respondents & inside) / n if n else None),
        "pairs_known_pct": _pct(len(known) / possible if possible else None),
        "ties": ties,
        "density_pct": _pct(ties / len(known) if known else None),
        "centralisation_pct": _pct(centralisation(shares, directed=rule == "respondent")),
        "reciprocity_pct": _pct(returned / len(sent) if sent else None),
        "trust_pct": _pct(_ratio(_mean(r.trust for r in counted.values()))),
        "value_pct": _pct(_ratio(_mean(r.value for r in counted.values()))),
    }
    for k, name in enumerate(INTENSITY_NAMES, start=1):
        out[f"{name}_pct"] = _pct(sum(lv == k for lv in levels) / len(levels) if levels else None)
    return out


def _ratio(mean: float | None) -> float | None:
    """A 1–4 mean as a fraction of the scale maximum."""
    return None if mean is None else mean / SCALE_MAX


# --------------------------------------------------------------------------------------
# groups: the whole survey, each sector, each unit


def _ratings(G: nx.MultiDiGraph, ratings: pd.DataFrame | None) -> pd.DataFrame:
    return read_ratings(G) if ratings is None else ratings


def _unit_scope(G: nx.MultiDiGraph, unit: str | None) -> tuple[str | None, set[str] | None]:
    """(unit id, its member organisations) for a unit given by name or id; (None, None) for none."""
    if unit is None:
        return None, None
    from lcpgraph.render.map import resolve_node

    u = resolve_node(G, unit, (schema.PARTNERSHIP, schema.BOARD), views.place_of(G).unit)
    kind = dict(G.nodes(data="kind", default=""))
    return u, {m for m in views.members(G, u) if kind.get(m) == schema.ORGANISATION}


def _groups(G: nx.MultiDiGraph, surveyed: list[str], unit: str | None) -> list[tuple[str, str, str, list[str]]]:
    """(scope, group id, group name, its surveyed partners): the whole survey, sectors, units."""
    if unit is not None:  # one unit; none of its partners surveyed in this wave: nothing to score
        return [("unit", unit, views.name_of(G, unit), surveyed)] if surveyed else []
    out = [("network", "all", "Everyone surveyed", surveyed)]
    sector = views.sector_of(G)
    by_sector: dict[str, list[str]] = defaultdict(list)
    for n in surveyed:
        by_sector[sector.get(n) or "(no sector)"].append(n)
    out += [("sector", s, s, ms) for s, ms in sorted(by_sector.items())]
    inside = set(surveyed)
    for u in sorted(views.units(G), key=lambda x: (views.name_of(G, x), x)):
        ms = [m for m in views.members(G, u) if m in inside]
        if ms:
            out.append(("unit", u, views.name_of(G, u), sorted(ms)))
    return out


def _waves(ratings: pd.DataFrame, wave: str | None) -> list[str]:
    waves = wave_order(ratings)
    if wave is None:
        return waves
    if wave not in waves:
        from lcpgraph.exceptions import NotFoundError, did_you_mean

        raise NotFoundError(
            f"there is no wave '{wave}' in the ratings{did_you_mean(wave, waves)} Waves: {', '.join(waves) or '(none)'}"
        )
    return [wave]


def _warning(partners: int, rate: float) -> str:
    if partners < 3:
        return "fewer than 3 partners: too few for network scores"
    if rate < LOW_RESPONSE:
        return f"only {rate:.0f}% replied (below {LOW_RESPONSE:.0f}%): read these scores with care"
    return ""


_NETWORK_COLUMNS = ["wave", "scope", "group", "name", "rule", "partners", "respondents", "response_rate_pct"]


def network_scores(
    G: nx.MultiDiGraph,
    ratings: pd.DataFrame | None = None,
    *,
    rule: str = DEFAULT_RULE,
    wave: str | None = None,
    unit: str | None = None,
) -> pd.DataFrame:
    """Network scores per wave for everyone surveyed, each sector and each local unit.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The loaded dataset (for names, sectors and unit membership, by :mod:`lcpgraph.views`).
    ratings : pandas.DataFrame, optional
        From :func:`lcpgraph.survey.ratings.read_ratings`; read from ``G`` when None.
    rule : {"either", "both", "respondent"}
        How a pair's two reports make a tie (:data:`RULES`).
    wave : str, optional
        One wave only (default: every wave, earliest first).
    unit : str, optional
        One local unit (name or id): score its member organisations only.

    Returns
    -------
    pandas.DataFrame
        One row per wave and group: ``wave``, ``scope`` (network, sector or unit), ``group``
        (its id), ``name``, ``rule``, ``partners`` (surveyed), ``respondents``,
        ``response_rate_pct``, ``pairs_known_pct``, ``ties``, then the measures of
        :data:`MEASURES` (percentages; NaN where there is nothing to measure) and ``warning``.
        Sectors with fewer than two partners surveyed are left out.

    Examples
    --------
    >>> from lcpgraph.survey.example import tiny_example
    >>> G, r = tiny_example()
    >>> network_scores(G, r).loc[[0], ["partners", "respondents", "ties", "density_pct"]].to_dict("records")
    [{'partners': 4, 'respondents': 3, 'ties': 4, 'density_pct': 80.0}]
    """
    _check_rule(rule)
    ratings = _ratings(G, ratings)
    uid, scope = _unit_scope(G, unit)
    rows = []
    for w in _waves(ratings, wave):
        data = _wave(ratings, w, scope)
        for sc, gid, name, nodes in _groups(G, data.surveyed, uid):
            if sc == "sector" and len(nodes) < 2:
                continue
            m = _measures(data, nodes, rule)
            rows.append(
                {
                    "wave": w,
                    "scope": sc,
                    "group": gid,
                    "name": name,
                    "rule": rule_words(rule),
                    **m,
                    "warning": _warning(m["partners"], m["response_rate_pct"]),
                }
            )
    cols = [*_NETWORK_COLUMNS, "pairs_known_pct", "ties", *MEASURES, "warning"]
    return _frame(rows, cols, ints=("partners", "respondents", "ties"))


def _frame(rows: list[dict], cols: list[str], ints: tuple[str, ...] = ()) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=cols)
    for c in ints:
        df[c] = df[c].astype("int64")
    return df.reset_index(drop=True)


def response_rates(
    G: nx.MultiDiGraph, ratings: pd.DataFrame | None = None, *, wave: str | None = None, unit: str | None = None
) -> pd.DataFrame:
    """Who replied, per wave: overall, by sector and by local unit, with a warning where it is low.

    Returns
    -------
    pandas.DataFrame
        ``wave``, ``scope``, ``group``, ``name``, ``surveyed``, ``responded``,
        ``response_rate_pct``, ``low`` (below :data:`LOW_RESPONSE` percent), ``not_replied``
        (their names, "; "-separated) and ``warning``.

    Examples
    --------
    >>> from lcpgraph.survey.example import tiny_example
    >>> G, r = tiny_example()
    >>> response_rates(G, r).loc[[0], ["surveyed", "responded", "response_rate_pct", "not_replied"]].to_dict("records")
    [{'surveyed': 4, 'responded': 3, 'response_rate_pct': 75.0, 'not_replied': 'Dee'}]
    """
    ratings = _ratings(G, ratings)
    uid, scope = _unit_scope(G, unit)
    rows = []
    for w in _waves(ratings, wave):
        data = _wave(ratings, w, scope)
        for sc, gid, name, nodes in _groups(G, data.surveyed, uid):
            replied = [n for n in nodes if n in data.respondents]
            rate = _pct(len(replied) / len(nodes))
            silent = sorted(views.name_of(G, n) for n in nodes if n not in data.respondents)
            rows.append(
                {
                    "wave": w,
                    "scope": sc,
                    "group": gid,
                    "name": name,
                    "surveyed": len(nodes),
                    "responded": len(replied),
                    "response_rate_pct": rate,
                    "low": bool(rate < LOW_RESPONSE),
                    "not_replied": "; ".join(silent),
                    "warning": (
                        f"only {rate:.0f}% replied (below {LOW_RESPONSE:.0f}%): scores for this group may be biased"
                        if rate < LOW_RESPONSE
                        else ""
                    ),
                }
            )
    cols = ["wave", "scope", "group", "name", "surveyed", "responded", "response_rate_pct", "low", "not_replied"]
    df = _frame(rows, [*cols, "warning"], ints=("surveyed", "responded"))
    df["low"] = df["low"].astype("bool")
    return df


def organisation_scores(
    G: nx.MultiDiGraph,
    ratings: pd.DataFrame | None = None,
    *,
    rule: str = DEFAULT_RULE,
    wave: str | None = None,
    unit: str | None = None,
) -> pd.DataFrame:
    """How the others rate each organisation surveyed, per wave: trust, value, ties.

    Trust (value) is the mean of the others' trust (value) scores of the organisation, each
    score the mean of the three trust (value) items the rater answered, on the 1–4 scale and as
    a percentage of 4; ``trust_raters`` (``value_raters``) say how many others gave one.

    Returns
    -------
    pandas.DataFrame
        ``wave``, ``id``, ``name``, ``sector``, ``responded`` (gave any answer in the wave),
        ``reported_by`` (others who say they work with it), ``ties`` and ``known_pairs`` (by
        the rule; for ``respondent``: "yes" reports about it and reports about it),
        ``degree_pct`` (ties ÷ known pairs), ``trust``, ``trust_pct``, ``trust_raters``,
        ``value``, ``value_pct``, ``value_raters``, the mean of each of the six items, ``rule``.
        Sorted by wave, then name.

    Examples
    --------
    >>> from lcpgraph.survey.example import tiny_example
    >>> G, r = tiny_example()
    >>> organisation_scores(G, r).set_index("id").loc[["a"], ["trust", "trust_raters", "ties"]].to_dict("records")
    [{'trust': 2.5, 'trust_raters': 2, 'ties': 2}]
    """
    _check_rule(rule)
    ratings = _ratings(G, ratings)
    _uid, scope = _unit_scope(G, unit)
    sector = views.sector_of(G)
    rows = []
    for w in _waves(ratings, wave):
        data = _wave(ratings, w, scope)
        nodes = data.surveyed
        pairs = _pairs(data.reports, nodes, rule)
        ties, known = _degree(pairs, nodes, rule)
        counted = _counted(data.reports, pairs, rule)
        about: dict[str, list[_Report]] = defaultdict(list)
        for (_i, j), r in counted.items():
            about[j].append(r)
        reported_by = defaultdict(int)
        for (_i, j), r in data.reports.items():
            reported_by[j] += int(r.works)
        for n in nodes:
            rs = about.get(n, [])
            trust = _mean(r.trust for r in rs)
            value = _mean(r.value for r in rs)
            item_means = {it.name: _round(_mean(r.items[k] for r in rs), 2) for k, it in enumerate(ITEMS)}
            rows.append(
                {
                    "wave": w,
                    "id": n,
                    "name": views.name_of(G, n),
                    "sector": sector.get(n, ""),
                    "responded": n in data.respondents,
                    "reported_by": reported_by[n],
                    "ties": ties[n],
                    "known_pairs": known[n],
                    "degree_pct": _pct(ties[n] / known[n] if known[n] else None),
                    "trust": _round(trust, 2),
                    "trust_pct": _pct(_ratio(trust)),
                    "trust_raters": sum(r.trust is not None for r in rs),
                    "value": _round(value, 2),
                    "value_pct": _pct(_ratio(value)),
                    "value_raters": sum(r.value is not None for r in rs),
                    **item_means,
                    "rule": rule_words(rule),
                }
            )
    cols = [
        "wave",
        "id",
        "name",
        "sector",
        "responded",
        "reported_by",
        "ties",
        "known_pairs",
        "degree_pct",
        "trust",
        "trust_pct",
        "trust_raters",
        "value",
        "value_pct",
        "value_raters",
        *(i.name for i in ITEMS),
        "rule",
    ]
    df = _frame(rows, cols, ints=("reported_by", "ties", "known_pairs", "trust_raters", "value_raters"))
    df["responded"] = df["responded"].astype("bool")
    order = {w: i for i, w in enumerate(wave_order(ratings))}
    df = df.sort_values(["wave", "name", "id"], key=lambda s: s.map(order) if s.name == "wave" else s, kind="mergesort")
    return df.reset_index(drop=True)


def _round(x: float | None, digits: int) -> float:
    return math.nan if x is None else round(x, digits)


def sensitivity(
    G: nx.MultiDiGraph, ratings: pd.DataFrame | None = None, *, wave: str | None = None, unit: str | None = None
) -> pd.DataFrame:
    """Each network score under every rule, and how far apart they are: which findings survive.

    Returns
    -------
    pandas.DataFrame
        One row per wave, group and measure: ``wave``, ``scope``, ``group``, ``name``,
        ``measure`` (its column in :func:`network_scores`), ``label`` (in words), the value under
        each rule (columns ``either``, ``both``, ``respondent``), ``low``, ``high``, ``spread``
        (high − low, percentage points) and ``verdict``: "firm" when the spread is at most
        :data:`FIRM_SPREAD` points, "depends on the missing answers" above it, "not affected"
        for reciprocity (it only reads pairs both sides answered).

    Examples
    --------
    >>> from lcpgraph.survey.example import tiny_example
    >>> G, r = tiny_example()
    >>> s = sensitivity(G, r)
    >>> s[s["measure"].eq("density_pct")].head(1)[["either", "both", "respondent", "spread"]].to_dict("records")
    [{'either': 80.0, 'both': 50.0, 'respondent': 75.0, 'spread': 30.0}]
    """
    ratings = _ratings(G, ratings)
    tables = {rule: network_scores(G, ratings, rule=rule, wave=wave, unit=unit) for rule in RULES}
    base = tables[DEFAULT_RULE]
    rows = []
    for k in range(len(base)):
        head = base.iloc[k]
        for measure, label in MEASURES.items():
            values = {rule: float(tables[rule].iloc[k][measure]) for rule in RULES}
            got = [v for v in values.values() if not math.isnan(v)]
            low, high = (min(got), max(got)) if got else (math.nan, math.nan)
            spread = round(high - low, 1) if got else math.nan
            if measure == "reciprocity_pct":
                verdict = "not affected" if got else ""
            elif not got:
                verdict = ""
            elif len(got) < len(values):
                verdict = "depends on the missing answers"  # some rule leaves nothing to measure
            else:
                verdict = "firm" if spread <= FIRM_SPREAD else "depends on the missing answers"
            rows.append(
                {
                    "wave": head["wave"],
                    "scope": head["scope"],
                    "group": head["group"],
                    "name": head["name"],
                    "measure": measure,
                    "label": label,
                    **values,
                    "low": low,
                    "high": high,
                    "spread": spread,
                    "verdict": verdict,
                }
            )
    cols = ["wave", "scope", "group", "name", "measure", "label", *RULES, "low", "high", "spread", "verdict"]
    return _frame(rows, cols)


# --------------------------------------------------------------------------------------
# waves


def _consecutive(ratings: pd.DataFrame) -> list[tuple[str, str]]:
    waves = wave_order(ratings)
    return list(itertools.pairwise(waves))


def tie_changes(
    G: nx.MultiDiGraph, ratings: pd.DataFrame | None = None, *, rule: str = DEFAULT_RULE, unit: str | None = None
) -> pd.DataFrame:
    """Ties that appeared or went between one wave and the next, by the rule.

    Only pairs of partners surveyed in both waves, and known (not "unknown") in both, are
    compared: a tie the later wave cannot see because nobody answered is not "lost".

    Returns
    -------
    pandas.DataFrame
        ``from_wave``, ``to_wave``, ``a``, ``name_a``, ``b``, ``name_b`` (for ``respondent``, a
        is the respondent), ``change`` ("new" or "lost") and ``rule``; sorted.

    Examples
    --------
    >>> from lcpgraph.survey.example import tiny_example
    >>> G, r = tiny_example(waves=2)
    >>> tie_changes(G, r)[["a", "b", "change"]].values.tolist()
    [['a', 'c', 'lost'], ['a', 'd', 'new'], ['b', 'c', 'lost']]
    """
    _check_rule(rule)
    ratings = _ratings(G, ratings)
    _uid, scope = _unit_scope(G, unit)
    rows = []
    for w1, w2 in _consecutive(ratings):
        for a, b, change in _changed_pairs(ratings, w1, w2, rule, scope)[0]:
            rows.append(
                {
                    "from_wave": w1,
                    "to_wave": w2,
                    "a": a,
                    "name_a": views.name_of(G, a),
                    "b": b,
                    "name_b": views.name_of(G, b),
                    "change": change,
                    "rule": rule_words(rule),
                }
            )
    return _frame(rows, ["from_wave", "to_wave", "a", "name_a", "b", "name_b", "change", "rule"])


def _changed_pairs(
    ratings: pd.DataFrame, w1: str, w2: str, rule: str, scope: set[str] | None
) -> tuple[list[tuple[str, str, str]], dict[str, int], list[str]]:
    """(changed pairs, node -> pairs unclear in one wave or both, nodes surveyed in both)."""
    d1, d2 = _wave(ratings, w1, scope), _wave(ratings, w2, scope)
    common = sorted(set(d1.surveyed) & set(d2.surveyed))
    p1, p2 = _pairs(d1.reports, common, rule), _pairs(d2.reports, common, rule)
    changed = []
    unclear: dict[str, int] = dict.fromkeys(common, 0)
    for key in sorted(set(p1) | set(p2)):
        s1, s2 = p1.get(key, (None,))[0], p2.get(key, (None,))[0]
        if s1 is None or s2 is None:
            for n in key:
                unclear[n] += 1
        elif s1 != s2:
            changed.append((*key, "new" if s2 else "lost"))
    return changed, unclear, common


def wave_changes(
    G: nx.MultiDiGraph, ratings: pd.DataFrame | None = None, *, rule: str = DEFAULT_RULE, unit: str | None = None
) -> pd.DataFrame:
    """What changed for each organisation between one wave and the next.

    Returns
    -------
    pandas.DataFrame
        ``from_wave``, ``to_wave``, ``id``, ``name``, ``ties_before``, ``ties_after`` (its ties
        in each wave by the rule), ``new_ties``, ``lost_ties`` (see :func:`tie_changes`),
        ``unclear_pairs`` (pairs unknown in one wave or both, so not compared),
        ``trust_before``, ``trust_after``, ``trust_change``, ``value_before``, ``value_after``,
        ``value_change`` (1–4 means; see :func:`organisation_scores`), ``trust_trend`` ("up",
        "down", "no change" or blank when either wave has no rating) and ``rule``. One row per
        organisation surveyed in both waves, sorted by the waves, then name.

    Examples
    --------
    >>> from lcpgraph.survey.example import tiny_example
    >>> G, r = tiny_example(waves=2)
    >>> wave_changes(G, r).set_index("id").loc[["a"], ["new_ties", "lost_ties", "trust_change"]].to_dict("records")
    [{'new_ties': 1, 'lost_ties': 1, 'trust_change': 1.0}]
    """
    _check_rule(rule)
    ratings = _ratings(G, ratings)
    orgs = organisation_scores(G, ratings, rule=rule, unit=unit).set_index(["wave", "id"])
    _uid, scope = _unit_scope(G, unit)
    rows = []
    for w1, w2 in _consecutive(ratings):
        changed, unclear, common = _changed_pairs(ratings, w1, w2, rule, scope)
        new = defaultdict(int)
        lost = defaultdict(int)
        for a, b, change in changed:
            for n in (a, b):
                (new if change == "new" else lost)[n] += 1
        for n in sorted(common, key=lambda x: (views.name_of(G, x), x)):
            before, after = orgs.loc[(w1, n)], orgs.loc[(w2, n)]
            t1, t2 = float(before["trust"]), float(after["trust"])
            v1, v2 = float(before["value"]), float(after["value"])
            dt = round(t2 - t1, 2)
            trend = "" if math.isnan(dt) else "up" if dt > 0 else "down" if dt < 0 else "no change"
            rows.append(
                {
                    "from_wave": w1,
                    "to_wave": w2,
                    "id": n,
                    "name": views.name_of(G, n),
                    "ties_before": int(before["ties"]),
                    "ties_after": int(after["ties"]),
                    "new_ties": new[n],
                    "lost_ties": lost[n],
                    "unclear_pairs": unclear[n],
                    "trust_before": t1,
                    "trust_after": t2,
                    "trust_change": dt,
                    "value_before": v1,
                    "value_after": v2,
                    "value_change": round(v2 - v1, 2),
                    "trust_trend": trend,
                    "rule": rule_words(rule),
                }
            )
    cols = [
        "from_wave",
        "to_wave",
        "id",
        "name",
        "ties_before",
        "ties_after",
        "new_ties",
        "lost_ties",
        "unclear_pairs",
        "trust_before",
        "trust_after",
        "trust_change",
        "value_before",
        "value_after",
        "value_change",
        "trust_trend",
        "rule",
    ]
    # rows are made wave pair by wave pair, in wave order, each sorted by name
    return _frame(rows, cols, ints=("ties_before", "ties_after", "new_ties", "lost_ties", "unclear_pairs"))
