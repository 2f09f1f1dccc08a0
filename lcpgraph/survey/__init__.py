"""The partner survey: relationship quality asked of the partners, scored in the open, offline.

Membership lists say who sits in which forum, not whether partners work together, trust each
other or find each other useful. A *roster survey* asks each partner about every other one;
this package

* writes the survey workbooks from a dataset's organisations and reads the returned ones
  (:mod:`lcpgraph.survey.instrument`);
* validates the answers kept as a dataset's ``ratings.csv`` (:mod:`lcpgraph.survey.ratings`);
* scores them, with the formulas written down and answers nobody gave kept *missing*, under
  three documented reconstruction rules and the range between them
  (:mod:`lcpgraph.survey.scores`);
* declares the tables for the catalogue (:mod:`lcpgraph.survey.tables`) and the report and map
  fragments (:mod:`lcpgraph.survey.render`).

Names are imported on first use, so importing this package costs nothing.

>>> from lcpgraph.survey import RULES
>>> list(RULES)
['either', 'both', 'respondent']
"""

from __future__ import annotations

from importlib import import_module

_EXPORTS: dict[str, str] = {
    "RULES": "lcpgraph.survey.scores",
    "collect": "lcpgraph.survey.instrument",
    "edge_styles": "lcpgraph.survey.render",
    "network_scores": "lcpgraph.survey.scores",
    "organisation_scores": "lcpgraph.survey.scores",
    "pair_status": "lcpgraph.survey.scores",
    "read_ratings": "lcpgraph.survey.ratings",
    "report_section": "lcpgraph.survey.render",
    "response_rates": "lcpgraph.survey.scores",
    "sensitivity": "lcpgraph.survey.scores",
    "tie_changes": "lcpgraph.survey.scores",
    "unit_section": "lcpgraph.survey.render",
    "validate_ratings": "lcpgraph.survey.ratings",
    "wave_changes": "lcpgraph.survey.scores",
    "write_workbooks": "lcpgraph.survey.instrument",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'lcpgraph.survey' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
