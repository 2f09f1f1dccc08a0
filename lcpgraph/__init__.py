"""lcpgraph: map health-and-care partnerships as a network.

>>> import lcpgraph
>>> G = lcpgraph.load()              # the bundled Leeds data
>>> G.graph["name"]
'leeds'

Names are imported on first use, so ``import lcpgraph`` (and ``lcpgraph --help``) does not
load igraph or rapidfuzz until an analysis needs them.
"""

from __future__ import annotations

import os
from importlib import import_module

# igraph's PageRank runs on OpenMP threads; on a busy two-core machine they wait for each other
# (3 s for a call that takes 6 ms on one thread). One thread unless the user says otherwise
# (OMP_NUM_THREADS, or `lcpgraph --jobs N`); read when igraph is first imported, which is later.
os.environ.setdefault("OMP_NUM_THREADS", "1")
# ``load`` is imported now, not on first use: its module has the same name, and importing the
# module (``from lcpgraph.load import RawTable``) would otherwise leave ``lcpgraph.load`` the module.
from lcpgraph.load import load as load

#: Public name -> the module that defines it.
_EXPORTS: dict[str, str] = {
    "LcpGraphError": "lcpgraph.exceptions",
    "NotFoundError": "lcpgraph.exceptions",
    "Problem": "lcpgraph.exceptions",
    "ValidationError": "lcpgraph.exceptions",
    "Place": "lcpgraph.place",
    "place_of": "lcpgraph.place",
    "at": "lcpgraph.views",
    "members": "lcpgraph.views",
    "memberships": "lcpgraph.views",
    "organisation_projection": "lcpgraph.views",
    "reporting_chain": "lcpgraph.views",
    "simple_graph": "lcpgraph.views",
    "units": "lcpgraph.views",
    "counts_by_kind_and_sector": "lcpgraph.summary",
    "partners_per_unit": "lcpgraph.summary",
    "brokerage": "lcpgraph.analysis.brokerage",
    "centrality": "lcpgraph.analysis.centrality",
    "adjusted_rand_index": "lcpgraph.analysis.communities",
    "communities": "lcpgraph.analysis.communities",
    "community_agreement": "lcpgraph.analysis.communities",
    "normalised_mutual_information": "lcpgraph.analysis.communities",
    "official_units": "lcpgraph.analysis.communities",
    "duplicate_records": "lcpgraph.analysis.duplication",
    "duplicated_functions": "lcpgraph.analysis.duplication",
    "meeting_burden": "lcpgraph.analysis.duplication",
    "overlapping_forums": "lcpgraph.analysis.duplication",
    "critical_ties": "lcpgraph.analysis.gaps",
    "empty_boards": "lcpgraph.analysis.gaps",
    "isolated_partners": "lcpgraph.analysis.gaps",
    "missing_sectors": "lcpgraph.analysis.gaps",
    "peripheral_partners": "lcpgraph.analysis.gaps",
    "place_wide_reach": "lcpgraph.analysis.gaps",
    "sector_contact_matrix": "lcpgraph.analysis.gaps",
    "sector_coverage": "lcpgraph.analysis.gaps",
    "sectors_that_never_meet": "lcpgraph.analysis.gaps",
    "single_points_of_failure": "lcpgraph.analysis.gaps",
    "unreported_units": "lcpgraph.analysis.gaps",
}

__all__ = sorted([*_EXPORTS, "load"])


def _version() -> str:
    # Asked for on first use: importlib.metadata costs ~10 ms of every command's start.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("lcpgraph")
    except PackageNotFoundError:  # running from a checkout that is not installed
        return "0+unknown"


def __getattr__(name: str):
    if name == "__version__":
        globals()[name] = value = _version()
        return value
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'lcpgraph' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
