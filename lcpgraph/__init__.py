"""lcpgraph: map health-and-care partnerships as a network.

>>> import lcpgraph
>>> G = lcpgraph.load()              # the bundled Leeds data
>>> G.graph["name"]
'leeds'
"""

from importlib.metadata import PackageNotFoundError, version

from lcpgraph.analysis.communities import (
    adjusted_rand_index,
    communities,
    community_agreement,
    normalised_mutual_information,
    official_lcps,
)
from lcpgraph.analysis.duplication import duplicate_records, duplicated_functions, meeting_burden, overlapping_forums
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
    "communities",
    "community_agreement",
    "counts_by_kind_and_sector",
    "duplicate_records",
    "duplicated_functions",
    "load",
    "meeting_burden",
    "memberships",
    "normalised_mutual_information",
    "official_lcps",
    "organisation_projection",
    "overlapping_forums",
    "partners_per_lcp",
    "simple_graph",
]
