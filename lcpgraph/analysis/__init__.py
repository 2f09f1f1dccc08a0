"""Analyses of the partnership graph, one module per family; each returns a DataFrame.

* :mod:`~lcpgraph.analysis.centrality` — who holds the network together;
* :mod:`~lcpgraph.analysis.brokerage` — who links sectors that would otherwise not meet;
* :mod:`~lcpgraph.analysis.gaps` — who is left out, what is missing, what hangs by a thread;
* :mod:`~lcpgraph.analysis.duplication` — duplicate records, parallel forums, meeting burden;
* :mod:`~lcpgraph.analysis.communities` — who clusters with whom, against the local units.

Import a function from its module (``from lcpgraph.analysis.gaps import isolated_partners``)
or from the package top (``lcpgraph.isolated_partners``).
"""
