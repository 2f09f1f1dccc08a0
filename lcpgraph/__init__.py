"""lcpgraph: map health-and-care partnerships as a network.

>>> import lcpgraph
>>> G = lcpgraph.load()              # the bundled Leeds data
>>> G.graph["name"]
'leeds'
"""

from importlib.metadata import PackageNotFoundError, version

from lcpgraph.analysis.brokerage import brokerage
from lcpgraph.analysis.centrality import centrality
from lcpgraph.analysis.communities import (
    adjusted_rand_index,
    communities,
    community_agreement,
    normalised_mutual_information,
    official_lcps,
)
from lcpgraph.analysis.duplication import duplicate_records, duplicated_functions, meeting_burden, overlapping_forums
from lcpgraph.analysis.gaps import (
    citywide_reach,
    critical_ties,
    empty_boards,
    isolated_partners,
    missing_sectors,
    peripheral_partners,
    sector_contact_matrix,
    sector_coverage,
    sectors_that_never_meet,
    single_points_of_failure,
    unreported_lcps,
)
from lcpgraph.exceptions import LcpGraphError, NotFoundError, Problem, ValidationError
from lcpgraph.load import load
from lcpgraph.summary import counts_by_kind_and_sector, partners_per_lcp
from lcpgraph.views import memberships, organisation_projection, simple_graph

try:
    __version__ = version("lcpgraph")
except PackageNotFoundError:  # running from a checkout that is not installed
    __version__ = "0+unknown"

__all__ = [
    "LcpGraphError",
    "NotFoundError",
    "Problem",
    "ValidationError",
    "adjusted_rand_index",
    "brokerage",
    "centrality",
    "citywide_reach",
    "communities",
    "community_agreement",
    "counts_by_kind_and_sector",
    "critical_ties",
    "duplicate_records",
    "duplicated_functions",
    "empty_boards",
    "isolated_partners",
    "load",
    "meeting_burden",
    "memberships",
    "missing_sectors",
    "normalised_mutual_information",
    "official_lcps",
    "organisation_projection",
    "overlapping_forums",
    "partners_per_lcp",
    "peripheral_partners",
    "sector_contact_matrix",
    "sector_coverage",
    "sectors_that_never_meet",
    "simple_graph",
    "single_points_of_failure",
    "unreported_lcps",
]
