"""Analyses of the partnership graph, one module per family; each returns a DataFrame.

Re-exports, one per line (``name as name`` marks each as public).
"""

from lcpgraph.analysis.brokerage import brokerage as brokerage
from lcpgraph.analysis.centrality import centrality as centrality
from lcpgraph.analysis.communities import adjusted_rand_index as adjusted_rand_index
from lcpgraph.analysis.communities import communities as communities
from lcpgraph.analysis.communities import community_agreement as community_agreement
from lcpgraph.analysis.communities import normalised_mutual_information as normalised_mutual_information
from lcpgraph.analysis.communities import official_lcps as official_lcps
from lcpgraph.analysis.duplication import duplicate_records as duplicate_records
from lcpgraph.analysis.duplication import duplicated_functions as duplicated_functions
from lcpgraph.analysis.duplication import meeting_burden as meeting_burden
from lcpgraph.analysis.duplication import overlapping_forums as overlapping_forums
from lcpgraph.analysis.gaps import citywide_reach as citywide_reach
from lcpgraph.analysis.gaps import critical_ties as critical_ties
from lcpgraph.analysis.gaps import empty_boards as empty_boards
from lcpgraph.analysis.gaps import isolated_partners as isolated_partners
from lcpgraph.analysis.gaps import missing_sectors as missing_sectors
from lcpgraph.analysis.gaps import peripheral_partners as peripheral_partners
from lcpgraph.analysis.gaps import sector_contact_matrix as sector_contact_matrix
from lcpgraph.analysis.gaps import sector_coverage as sector_coverage
from lcpgraph.analysis.gaps import sectors_that_never_meet as sectors_that_never_meet
from lcpgraph.analysis.gaps import single_points_of_failure as single_points_of_failure
from lcpgraph.analysis.gaps import unreported_lcps as unreported_lcps
