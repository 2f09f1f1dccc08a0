"""lcpgraph: map health-and-care partnerships as a network.

>>> import lcpgraph
>>> G = lcpgraph.load()              # the bundled Leeds data
>>> G.graph["name"]
'leeds'
"""

from importlib.metadata import PackageNotFoundError, version

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
    "counts_by_kind_and_sector",
    "load",
    "memberships",
    "organisation_projection",
    "partners_per_lcp",
    "simple_graph",
]
