"""The partner survey's tables, declared for the catalogue (:mod:`lcpgraph.catalogue`).

The catalogue registers them at its end::

    from lcpgraph.survey.tables import SURVEY_TABLES
    TABLES.update({t.key: t for t in SURVEY_TABLES})

This module is cheap to import: the catalogue's classes are imported when the tables are
first asked for (the catalogue may be half-way through importing itself then), and the scoring
code only when a table is made. Every table is empty when a dataset has no ``ratings.csv``.

>>> [t.key for t in survey_tables()][:2]
['survey_response', 'survey_networks']
"""

from __future__ import annotations

__all__ = ["SURVEY_GROUP", "survey_tables"]  # and SURVEY_TABLES, made on first use (below)

#: The catalogue group (and command) the survey's tables belong to.
SURVEY_GROUP = "survey"

_SCORES = "lcpgraph.survey.scores"


def _lazy(name: str):
    """A function of :mod:`lcpgraph.survey.scores`, imported when first called."""

    def call(G, settings, get):
        from importlib import import_module

        return getattr(import_module(_SCORES), name)(G)

    call.__name__ = name
    return call


def survey_tables() -> list:
    """The survey's :class:`~lcpgraph.catalogue.Table` entries, in the order a reader needs them."""
    from lcpgraph.catalogue import Field, Table

    rule = Field(
        "rule",
        "Rule",
        "How a pair's two answers were read: either (a tie when either side says so), both (only when both "
        "do) or respondent (each answer on its own).",
        "Missing answers are missing, not 'no': see 'lcpgraph survey scores --help' and the README's formulas. "
        "The sensitivity table shows every score under all three rules.",
    )
    wave = Field("wave", "Wave", "The survey round (a label such as 2025, or the year of the answers' date).")
    scope = Field("scope", "Scope", "network (everyone surveyed), sector (one sector's partners) or unit (one {unit}).")
    group = Field("group", "Group id", "The sector, or the {unit}'s id ('all' for everyone surveyed).")
    group_name = Field("name", "Group", "Who the row is about: everyone surveyed, a sector or a {unit}.")
    response = Field(
        "response_rate_pct",
        "Replied (%)",
        "Of the partners surveyed, the share who gave any answer.",
        "respondents ÷ surveyed × 100. The surveyed are everyone a wave's workbooks list (every organisation that "
        "appears in the wave's ratings, as respondent or partner). Below 70% scores may be biased.",
    )
    pct = "as a percentage"
    network_measures = (
        Field(
            "density_pct",
            "Working together (%)",
            "Of the pairs whose answer is known, the share who work together.",
            "ties ÷ known pairs × 100 (rules either, both); 'yes' answers ÷ answers × 100 (rule respondent). Pairs "
            "nobody answered about are left out of the count, not counted as 'no'.",
        ),
        Field(
            "centralisation_pct",
            "Centralisation (%)",
            "How far the ties run through a few partners: 0% when everyone has as many, 100% for a hub and spokes.",
            "Freeman's degree centralisation on each partner's degree share p = ties ÷ known pairs: Σ(p_max − p) ÷ "
            "(m − 2) over the m partners with a known pair; rule respondent: the share of answers about the partner "
            "that say yes (in-degree) and ÷ (m − 1). Equal to Freeman's measure when nothing is missing.",
        ),
        Field(
            "reciprocity_pct",
            "Ties returned (%)",
            "Of the 'yes' answers whose partner also answered, the share the partner returned.",
            "returned ÷ 'yes' answers whose other side answered × 100 (networkx's overall reciprocity on those "
            "pairs). It needs both sides, so no rule changes it. Low: partners see their ties differently.",
        ),
        Field(
            "trust_pct",
            "Trust (%)",
            "The partners' trust in each other (reliable, support the shared aims, open to discussion), "
            f"{pct} of the top of the scale.",
            "Each rater's trust score of a partner is the mean of the three trust items it answered (1–4); the "
            "network's is the mean of those scores ÷ 4 × 100 (1 = 25%, 4 = 100%). Rule both counts only pairs both "
            "sides confirm.",
        ),
        Field(
            "value_pct",
            "Value (%)",
            f"How valuable the partners find each other (influence, involvement, resources), {pct} of the top.",
            "As trust, with the three value items.",
        ),
        Field("awareness_pct", "Awareness (%)", "Share of ties at the lowest level: knowing of each other."),
        Field("cooperation_pct", "Cooperation (%)", "Share of ties at cooperation: helping each other informally."),
        Field("coordination_pct", "Coordination (%)", "Share of ties at coordination: planning work to fit together."),
        Field(
            "integration_pct",
            "Integration (%)",
            "Share of ties at integration: shared staff, budgets or services.",
            "A pair's level is the higher of its two answers (rule either), the lower (both), or each answer's own "
            "(respondent); shares are of the ties with a level given.",
        ),
    )
    org = (
        wave,
        Field("id", "Id", "The organisation's id in the data."),
        Field("name", "Name", "The organisation."),
        Field("sector", "Sector", "Its sector."),
        Field("responded", "Replied", "Whether it gave any answer in this wave."),
        Field("reported_by", "Named by", "How many others say they work with it (whatever the rule)."),
        Field("ties", "Ties", "Partners it works with, by the rule."),
        Field("known_pairs", "Known pairs", "Pairs with it whose answer is known, by the rule."),
        Field("degree_pct", "Ties of known (%)", "ties ÷ known pairs × 100."),
        Field(
            "trust",
            "Trust (1–4)",
            "The mean of the others' trust scores of it.",
            "Each rater's score is the mean of the three trust items it answered; this is their mean over raters "
            "(rule both: raters on pairs both confirm only).",
        ),
        Field("trust_pct", "Trust (%)", "Trust ÷ 4 × 100."),
        Field("trust_raters", "Rated by", "How many others gave it a trust score."),
        Field(
            "value", "Value (1–4)", "The mean of the others' value scores of it (influence, involvement, resources)."
        ),
        Field("value_pct", "Value (%)", "Value ÷ 4 × 100."),
        Field("value_raters", "Value rated by", "How many others gave it a value score."),
        Field("reliability", "Reliable", "Mean rating: does what it says it will (1–4)."),
        Field("mission", "Supports the aims", "Mean rating: supports the partnership's shared aims (1–4)."),
        Field("openness", "Open", "Mean rating: open to discussion (1–4)."),
        Field("influence", "Influence", "Mean rating: power and influence to get things done (1–4)."),
        Field("involvement", "Involvement", "Mean rating: involved in the partnership's work (1–4)."),
        Field("resources", "Resources", "Mean rating: contributes money, staff, information, premises (1–4)."),
        rule,
    )
    return [
        Table(
            "survey_response",
            SURVEY_GROUP,
            "response",
            "Who replied to the partner survey",
            "Of the partners surveyed, who answered, overall, by sector and by {unit}. Where few replied the scores "
            "rest on others' answers: read them with the sensitivity range.",
            _lazy("response_rates"),
            (
                wave,
                scope,
                group,
                group_name,
                Field("surveyed", "Surveyed", "Partners the survey asked."),
                Field("responded", "Replied", "Partners who gave any answer."),
                response,
                Field("low", "Low", "Below 70%: scores for this group may be biased."),
                Field("not_replied", "Not replied", "Who has not answered, by name."),
                Field("warning", "Warning", "Said in words when the response is low."),
            ),
        ),
        Table(
            "survey_networks",
            SURVEY_GROUP,
            "networks",
            "How well partners work together: everyone, each sector, each {unit}",
            "From the partner survey: how many pairs work together, how central a few partners are, how far ties "
            "are returned, trust and value as a percentage of the top of the scale, and how closely the ties work.",
            _lazy("network_scores"),
            (
                wave,
                scope,
                group,
                group_name,
                rule,
                Field("partners", "Partners", "Partners surveyed in the group."),
                Field("respondents", "Replied", "Of them, those who answered."),
                response,
                Field(
                    "pairs_known_pct",
                    "Pairs known (%)",
                    "Of all pairs (rule respondent: all directions), the share whose answer is known.",
                ),
                Field("ties", "Ties", "Pairs who work together (rule respondent: 'yes' answers)."),
                *network_measures,
                Field("warning", "Warning", "Low response, or too few partners to measure."),
            ),
        ),
        Table(
            "survey_organisations",
            SURVEY_GROUP,
            "organisations",
            "How partners rate each other",
            "For each organisation surveyed: how many others name it, and how far they trust it and value it "
            "(the mean of their ratings, with how many rated).",
            _lazy("organisation_scores"),
            org,
        ),
        Table(
            "survey_sensitivity",
            SURVEY_GROUP,
            "sensitivity",
            "Which findings survive the missing answers",
            "Each score worked out under all three rules for the answers nobody gave. 'Firm' when they agree "
            "within 10 points; otherwise the finding depends on who did not reply.",
            _lazy("sensitivity"),
            (
                wave,
                scope,
                group,
                group_name,
                Field("measure", "Measure id", "The score's column in the network table."),
                Field("label", "Score", "The score, in words."),
                Field("either", "Either side", "The score when a tie needs either side to say so."),
                Field("both", "Both sides", "The score when a tie needs both sides to say so."),
                Field("respondent", "Each answer", "The score from each respondent's own answers."),
                Field("low", "Lowest", "The lowest of the three."),
                Field("high", "Highest", "The highest of the three."),
                Field(
                    "spread",
                    "Range (points)",
                    "Highest − lowest, in percentage points.",
                    "How much the score depends on how missing answers are read. At most 10 points: firm.",
                ),
                Field("verdict", "Verdict", "firm, depends on the missing answers, or not affected."),
            ),
        ),
        Table(
            "survey_changes",
            SURVEY_GROUP,
            "changes",
            "What changed for each partner between survey waves",
            "Ties gained and lost, and trust and value up or down, from one wave to the next (pairs unknown in "
            "either wave are not compared).",
            _lazy("wave_changes"),
            (
                Field("from_wave", "From", "The earlier wave."),
                Field("to_wave", "To", "The later wave."),
                Field("id", "Id", "The organisation's id."),
                Field("name", "Name", "The organisation."),
                Field("ties_before", "Ties before", "Its ties in the earlier wave (by the rule)."),
                Field("ties_after", "Ties after", "Its ties in the later wave."),
                Field("new_ties", "New ties", "Pairs known in both waves, tied only in the later."),
                Field("lost_ties", "Lost ties", "Pairs known in both waves, tied only in the earlier."),
                Field("unclear_pairs", "Not compared", "Pairs with it unknown in one wave or both."),
                Field("trust_before", "Trust before", "Its trust (1–4) in the earlier wave."),
                Field("trust_after", "Trust after", "Its trust (1–4) in the later wave."),
                Field("trust_change", "Trust change", "After − before."),
                Field("value_before", "Value before", "Its value (1–4) in the earlier wave."),
                Field("value_after", "Value after", "Its value (1–4) in the later wave."),
                Field("value_change", "Value change", "After − before."),
                Field("trust_trend", "Trust", "up, down or no change."),
                rule,
            ),
        ),
        Table(
            "survey_tie_changes",
            SURVEY_GROUP,
            "tie-changes",
            "Ties that started or stopped between survey waves",
            "Pairs of partners who began or stopped working together from one wave to the next, by the rule.",
            _lazy("tie_changes"),
            (
                Field("from_wave", "From", "The earlier wave."),
                Field("to_wave", "To", "The later wave."),
                Field("a", "Id", "One partner's id."),
                Field("name_a", "Between", "One partner."),
                Field("b", "And id", "The other's id."),
                Field("name_b", "And", "The other partner."),
                Field("change", "Change", "new or lost."),
                rule,
            ),
        ),
    ]


def __getattr__(name: str):
    # SURVEY_TABLES is made on first use: the catalogue imports this module from its own last
    # lines, and this module needs the catalogue's classes.
    if name == "SURVEY_TABLES":
        return survey_tables()
    raise AttributeError(f"module 'lcpgraph.survey.tables' has no attribute {name!r}")
