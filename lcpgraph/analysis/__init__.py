"""Analyses of the partnership graph, one module per family; each returns a DataFrame.

Re-exports, one per line (``name as name`` marks each as public).
"""

from lcpgraph.analysis.communities import adjusted_rand_index as adjusted_rand_index
from lcpgraph.analysis.communities import communities as communities
from lcpgraph.analysis.communities import community_agreement as community_agreement
from lcpgraph.analysis.communities import normalised_mutual_information as normalised_mutual_information
from lcpgraph.analysis.communities import official_lcps as official_lcps
from lcpgraph.analysis.duplication import duplicate_records as duplicate_records
from lcpgraph.analysis.duplication import duplicated_functions as duplicated_functions
from lcpgraph.analysis.duplication import meeting_burden as meeting_burden
from lcpgraph.analysis.duplication import overlapping_forums as overlapping_forums
