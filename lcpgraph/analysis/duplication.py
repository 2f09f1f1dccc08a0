"""Duplication: probable duplicate records, overlapping forums, meeting burden, duplicated services.

The seed material says mapping the partnerships "gives the opportunity to identify
duplication and gaps". This module covers four kinds of duplication:

* :func:`duplicate_records` — the same organisation (or forum, or person) entered twice;
* :func:`overlapping_forums` — two partnerships or boards with much the same members
  (parallel meetings with the same people);
* :func:`meeting_burden` — organisations and people who sit in many forums;
* :func:`duplicated_functions` — two or more partners offering the same service in the same
  LCP footprint.

Nothing is merged or changed: every function returns a table for a person to review.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from rapidfuzz import process
from rapidfuzz.distance import Indel

from lcpgraph import schema
from lcpgraph.exceptions import LcpGraphError
from lcpgraph.views import MEMBERSHIP_KINDS, forum_members, lcps, memberships

__all__ = [
    "DUPLICATE_COLUMNS",
    "duplicate_records",
    "duplicated_functions",
    "meeting_burden",
    "normalise_name",
    "normalise_service",
    "overlapping_forums",
]

#: Columns of :func:`duplicate_records`, in order.
DUPLICATE_COLUMNS: tuple[str, ...] = (
    "kind",
    "id_a",
    "name_a",
    "id_b",
    "name_b",
    "score",
    "name_similarity",
    "shared_identifiers",
    "reason",
)

#: Words (after lower-casing and splitting on punctuation) rewritten to one spelling, so that
#: "Oakwood Lane MC" and "Oakwood Lane Medical Centre" read alike. "St" stands for both Saint
#: and Street in names, so both are written "st".
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "mc": ("medical", "centre"),
    "hc": ("health", "centre"),
    "ctr": ("centre",),
    "cntr": ("centre",),
    "center": ("centre",),
    "saint": ("st",),
    "street": ("st",),
    "rd": ("road",),
    "ln": ("lane",),
    "ave": ("avenue",),
    "sq": ("square",),
    "hosp": ("hospital",),
    "uni": ("university",),
    "univ": ("university",),
    "assoc": ("association",),
    "assn": ("association",),
    "grp": ("group",),
    "svc": ("services",),
    "svcs": ("services",),
    "dept": ("department",),
    "govt": ("government",),
    "natl": ("national",),
    "ft": ("foundation", "trust"),
    "pcn": ("primary", "care", "network"),
    "vol": ("voluntary",),
}

#: Words dropped wherever they appear: "&" is read as "and", so "A & B" and "A and B" agree.
STOPWORDS: frozenset[str] = frozenset({"the", "and", "of", "for", "in", "at"})

#: Legal-form and NHS-status endings dropped from the end of a name (repeatedly), so that
#: "Leeds Teaching Hospitals NHS Trust" and "Leeds Teaching Hospitals" agree.
SUFFIXES: tuple[tuple[str, ...], ...] = (
    ("nhs", "foundation", "trust"),
    ("foundation", "trust"),
    ("nhs", "trust"),
    ("nhs",),
    ("ltd",),
    ("limited",),
    ("cic",),
    ("cio",),
    ("plc",),
    ("llp",),
    ("inc",),
)

#: Words that tell sibling bodies apart ("Leeds North" and "Leeds South", "PCN 1" and "PCN 2"):
#: two names whose sets of these words (or of words containing a digit) differ are never
#: flagged on name similarity alone, however alike the rest of the name is.
DISTINGUISHING: frozenset[str] = frozenset({"north", "south", "east", "west", "central", "inner", "outer"})

_POSSESSIVE_RE = re.compile(r"['’`]s\b")
_APOSTROPHE_RE = re.compile(r"['’`]")
_NON_WORD_RE = re.compile(r"[\W_]+")
_SUFFIX_ENDS = frozenset(suffix[-1] for suffix in SUFFIXES)


def normalise_name(name: str) -> str:
    """Normalise a name for fuzzy matching: the key :func:`duplicate_records` compares.

    Lower case, accents stripped, "&"/"+" read as "and", possessive "'s" and other
    punctuation removed, :data:`ABBREVIATIONS` expanded, :data:`STOPWORDS` (including a
    leading "The") and :data:`SUFFIXES` such as "Ltd" or "NHS Trust" dropped, and the words
    sorted so that word order does not matter. Letters of any script are kept. A name that
    would normalise to nothing is kept as its lower-cased words (or, failing that, itself).

    Examples
    --------
    >>> normalise_name("Oakwood Lane MC")
    'centre lane medical oakwood'
    >>> normalise_name("The Oakwood Lane Medical Centre Ltd.")
    'centre lane medical oakwood'
    >>> normalise_name("St James's University Hospital")
    'hospital james st university'
    """
    if name.isascii():
        text = name.lower()  # NFKD leaves ASCII as it is, and it has no accents to strip
    else:
        text = unicodedata.normalize("NFKD", name)
        text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("&", " and ").replace("+", " and ")
    text = _APOSTROPHE_RE.sub("", _POSSESSIVE_RE.sub("", text))
    raw = [w for w in _NON_WORD_RE.split(text) if w]
    words: list[str] = []
    for w in raw:
        words.extend(ABBREVIATIONS.get(w, (w,)))
    words = [w for w in words if w not in STOPWORDS]
    # most names end in no suffix: look at the last word before trying every suffix
    stripped = len(words) > 1 and words[-1] in _SUFFIX_ENDS
    while stripped:
        stripped = False
        for suffix in SUFFIXES:
            if len(words) > len(suffix) and tuple(words[-len(suffix) :]) == suffix:
                words = words[: -len(suffix)]
                stripped = True
    if not words:
        words = raw or [name.strip().lower()]
    return " ".join(sorted(words))


def _distinguishing(key: str) -> frozenset[str]:
    """The words of a normalised key that tell siblings apart (numbers, compass points)."""
    # A word of letters only has no digit (letters and digits are separate Unicode classes) and
    # a number is all digits: both tests run in C and spare most words a per-character scan.
    return frozenset(
        [
            w
            for w in key.split()
            if w in DISTINGUISHING or (not w.isalpha() and (w.isdigit() or any(c.isdigit() for c in w)))
        ]
    )


def _different_words(a: str, b: str, word_threshold: float = 80.0) -> bool:
    """Whether two keys each have a word the other lacks, and no two of those words are alike.

    "Morley Health Centre" and "Otley Health Centre" are two places, not one name typed
    twice: the words that differ (morley, otley) are only 73% alike. A typo ("Leds" for
    "Leeds") leaves a pair of differing words that are alike, and is still flagged.

    >>> _different_words("centre health morley", "centre health otley")
    True
    >>> _different_words("age leeds uk", "age leds uk")
    False
    """
    wa, wb = set(a.split()), set(b.split())
    only_a, only_b = wa - wb, wb - wa
    if not only_a or not only_b:
        return False
    return all(_similarity(x, y) < word_threshold for x in only_a for y in only_b)


def _similarity(a: str, b: str) -> float:
    """Indel similarity of two strings in percent (rapidfuzz ``fuzz.ratio``)."""
    total = len(a) + len(b)
    return 100.0 if total == 0 else 100.0 * (total - Indel.distance(a, b)) / total


def _similar_pairs(
    keys: Sequence[str], threshold: float, *, max_cells: int = 8_000_000
) -> list[tuple[int, int, float]]:
    """Every pair ``(i, j, similarity)``, ``i < j``, of keys at least ``threshold`` % alike.

    Similarity is the normalised Indel similarity of rapidfuzz's ``fuzz.ratio``:
    ``100 * (la + lb - d) / (la + lb)`` with ``d`` the insert/delete distance. The answer is
    exactly that of comparing every pair, but two things keep the work down:

    * *length blocking*: two strings can be ``t`` % alike only when the longer is at most
      ``(200 - t) / t`` times the shorter (``d >= lb - la``), so keys are sorted by length and
      each is compared only with the keys after it inside that window;
    * the comparisons run in rapidfuzz's compiled ``process.cdist`` (SIMD, all cores) on
      blocks of at most ``max_cells`` pairs, so memory stays bounded.

    The threshold test is done in integers, ``100 * (total - d) >= t * total``, so it agrees
    with a brute-force loop to the last pair.
    """
    n = len(keys)
    if n < 2:
        return []
    order = sorted(range(n), key=lambda i: (len(keys[i]), keys[i]))
    sorted_keys = [keys[i] for i in order]
    lengths = np.fromiter((len(k) for k in sorted_keys), dtype=np.int64, count=n)
    order_arr = np.asarray(order, dtype=np.int64)
    ratio = (200.0 - threshold) / threshold if threshold > 0 else np.inf
    out: list[tuple[int, int, float]] = []
    i0 = 0
    while i0 < n:
        rows = max(1, min(n - i0, max_cells // max(1, n - i0)))
        i1 = i0 + rows
        # the longest key in this block decides how far the window reaches (+1: float safety)
        reach = lengths[i1 - 1] * ratio + 1 if np.isfinite(ratio) else np.inf
        j1 = n if not np.isfinite(reach) else int(np.searchsorted(lengths, reach, side="right"))
        dist = process.cdist(sorted_keys[i0:i1], sorted_keys[i0:j1], scorer=Indel.distance, dtype=np.int32, workers=-1)
        total = lengths[i0:i1, None] + lengths[None, i0:j1]
        ok = 100 * (total - dist) >= threshold * total
        ok &= np.arange(i0, i1)[:, None] < np.arange(i0, j1)[None, :]
        r, c = np.nonzero(ok)
        sims = np.where(total[r, c] == 0, 100.0, 100.0 * (total[r, c] - dist[r, c]) / np.maximum(total[r, c], 1))
        a = order_arr[r + i0]
        b = order_arr[c + i0]
        for x, y, s in zip(a.tolist(), b.tolist(), sims.tolist(), strict=True):
            out.append((x, y, s) if x < y else (y, x, s))
        i0 = i1
    out.sort()
    return out


def _reason(similarity: float, shared: Sequence[str]) -> str:
    parts = [f"share identifier{'s' if len(shared) > 1 else ''} {', '.join(shared)}"] if shared else []
    if similarity >= 100.0:
        parts.append("same name after normalisation")
    else:
        # rounded, but never up to 100: 100% is kept for names that normalise the same
        parts.append(f"names {min(99, round(similarity))}% alike after normalisation")
    return "; ".join(parts)


def duplicate_records(G: nx.MultiDiGraph, threshold: float = 90.0) -> pd.DataFrame:
    """Pairs of records that are probably the same body entered twice.

    Computed on the node records themselves (names and the ``identifiers`` attribute), not on
    any relationship view: a duplicate is a property of the data entry, whoever it is tied
    to. Only records of the same kind are compared. A pair is flagged when

    * the two share an external identifier (an org-id such as ``GB-NHS-RR8``) — a strong
      reason, flagged whatever the names; or
    * their names, after :func:`normalise_name`, are at least ``threshold`` % alike
      (rapidfuzz's ``fuzz.ratio`` on the sorted words, i.e. ``token_sort_ratio``), unless
      they differ in a number or a compass point (:data:`DISTINGUISHING`: "Leeds North CCG"
      and "Leeds South CCG" are siblings, not duplicates), or — at thresholds of 80 and
      above — each has a word the other lacks and those words are not alike ("Morley Health
      Centre" and "Otley Health Centre" name two places). Lower thresholds are a loose search
      and keep such pairs.

    Pairs are only reported, never merged. All pairs are compared exactly, with length
    blocking and compiled batch comparison (see ``_similar_pairs``), so 100,000 records take
    well under two minutes.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The loaded graph.
    threshold : float
        Lowest name similarity, in percent (0–100), that flags a pair. At the default 90,
        "Leeds Beckett University" and "Leeds Trinity University" (67% alike) are not flagged.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`DUPLICATE_COLUMNS`: ``kind``, ``id_a``, ``name_a``, ``id_b``, ``name_b``
        (``id_a < id_b``), ``score`` (100 when an identifier is shared, else the name
        similarity), ``name_similarity`` (percent, one decimal), ``shared_identifiers``
        (``"; "``-joined, empty when none) and ``reason`` (in words). Sorted by score
        (highest first), then kind, ``id_a``, ``id_b``.

    Raises
    ------
    LcpGraphError
        If ``threshold`` is not between 0 and 100.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("o1", kind="organisation", name="Oakwood Lane Medical Centre")
    >>> G.add_node("o2", kind="organisation", name="Oakwood Lane MC")
    >>> G.add_node("o3", kind="organisation", name="Harehills Surgery")
    >>> duplicate_records(G)[["id_a", "id_b", "score", "reason"]].to_dict("records")
    [{'id_a': 'o1', 'id_b': 'o2', 'score': 100.0, 'reason': 'same name after normalisation'}]
    """
    if not 0 <= threshold <= 100:
        raise LcpGraphError(f"threshold {threshold} is not a percentage; give a number from 0 to 100, e.g. 90")
    by_kind: dict[str, list[str]] = defaultdict(list)
    for n, k in G.nodes(data="kind"):
        by_kind[str(k)].append(n)
    rows = []
    for kind in sorted(by_kind):
        ids = sorted(by_kind[kind])
        names = {n: str(G.nodes[n].get("name", n)) for n in ids}
        keys = {n: normalise_name(names[n]) for n in ids}
        # one comparison per distinct key; records with the same key are 100% alike
        groups: dict[str, list[str]] = defaultdict(list)
        for n in ids:
            groups[keys[n]].append(n)
        unique = sorted(groups)
        pairs: dict[tuple[str, str], tuple[float, list[str]]] = {}
        for members in groups.values():
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    pairs[(a, b)] = (100.0, [])
        for i, j, sim in _similar_pairs(unique, threshold):
            if _distinguishing(unique[i]) != _distinguishing(unique[j]):
                continue
            if threshold >= 80 and _different_words(unique[i], unique[j]):
                continue  # a strict search: two places' names, not one name typed twice
            for a in groups[unique[i]]:
                for b in groups[unique[j]]:
                    pairs[(a, b) if a < b else (b, a)] = (sim, [])
        holders: dict[str, list[str]] = defaultdict(list)
        for n in ids:
            for ident in G.nodes[n].get("identifiers", ()) or ():
                holders[str(ident).strip().upper()].append(n)
        for ident, members in sorted(holders.items()):
            members = sorted(set(members))
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    sim, shared = pairs.get((a, b), (None, []))
                    if sim is None:
                        sim = _similarity(keys[a], keys[b])
                    pairs[(a, b)] = (sim, [*shared, ident])
        for (a, b), (sim, shared) in pairs.items():
            sim = round(sim, 1)
            score = 100.0 if shared else sim
            rows.append((kind, a, names[a], b, names[b], score, sim, "; ".join(shared), _reason(sim, shared)))
    df = pd.DataFrame(rows, columns=list(DUPLICATE_COLUMNS))
    df = df.astype({"score": "float64", "name_similarity": "float64"})
    df = df.sort_values(["score", "kind", "id_a", "id_b"], ascending=[False, True, True, True], kind="stable")
    return df.reset_index(drop=True)


def _names(G: nx.MultiDiGraph, ids: Sequence[str]) -> str:
    """Names of ``ids``, sorted by name then id, joined with "; "."""
    return "; ".join(sorted((str(G.nodes[n].get("name", n)) for n in ids), key=str.casefold))


def overlapping_forums(G: nx.MultiDiGraph, min_jaccard: float = 0.5, min_shared: int = 2) -> pd.DataFrame:
    """Pairs of forums (partnerships or boards) with much the same members.

    Computed on the affiliation network (:func:`lcpgraph.views.forum_members`: who is
    ``member_of`` or ``chairs`` which partnership or board — organisations, people and
    partnerships alike), because parallel meetings are about the same *people and bodies* in
    the room. Overlap is the Jaccard index ``|A ∩ B| / |A ∪ B|`` of the two member sets,
    computed for every pair at once as a sparse matrix product ``Bᵀ B``.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The loaded graph.
    min_jaccard : float
        Lowest Jaccard index (0–1) reported.
    min_shared : int
        Fewest shared members reported (so two one-member forums are not "100% alike").

    Returns
    -------
    pandas.DataFrame
        Columns ``forum_a``, ``name_a``, ``forum_b``, ``name_b`` (``forum_a < forum_b``),
        ``shared`` (members in both), ``jaccard``, ``members_a``, ``members_b`` (forum sizes).
        Sorted by Jaccard (highest first), then shared (most first), ``forum_a``, ``forum_b``.

    Examples
    --------
    Forums with members {a, b, c} and {b, c, d} share 2 of 4 distinct members:

    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from(["f", "g"], kind="partnership")
    >>> for m, f in [("a", "f"), ("b", "f"), ("c", "f"), ("b", "g"), ("c", "g"), ("d", "g")]:
    ...     G.add_node(m, kind="organisation"); _ = G.add_edge(m, f, kind="member_of")
    >>> overlapping_forums(G)[["forum_a", "forum_b", "shared", "jaccard"]].to_dict("records")
    [{'forum_a': 'f', 'forum_b': 'g', 'shared': 2, 'jaccard': 0.5}]
    """
    if not 0 <= min_jaccard <= 1:
        raise LcpGraphError(f"min_jaccard {min_jaccard} must be between 0 and 1, e.g. 0.5")
    fm = forum_members(G)
    forums = list(fm)
    members = sorted({m for ms in fm.values() for m in ms})
    index = {m: i for i, m in enumerate(members)}
    rows_i, cols_j = [], []
    for j, f in enumerate(forums):
        for m in fm[f]:
            rows_i.append(index[m])
            cols_j.append(j)
    B = sp.csr_matrix(
        (np.ones(len(rows_i), dtype=np.int64), (rows_i, cols_j)), shape=(len(members), len(forums)), dtype=np.int64
    )
    sizes = np.asarray(B.sum(axis=0)).ravel()
    C = sp.triu(B.T @ B, k=1).tocoo()
    shared = C.data
    union = sizes[C.row] + sizes[C.col] - shared
    jac = shared / union
    keep = (jac >= min_jaccard) & (shared >= max(1, min_shared))
    columns = ["forum_a", "name_a", "forum_b", "name_b", "shared", "jaccard", "members_a", "members_b"]
    rows = []
    for i, j, s, jc in zip(
        C.row[keep].tolist(), C.col[keep].tolist(), shared[keep].tolist(), jac[keep].tolist(), strict=True
    ):
        a, b = forums[i], forums[j]  # forums are sorted and i < j, so a < b
        rows.append((a, G.nodes[a].get("name", a), b, G.nodes[b].get("name", b), s, jc, int(sizes[i]), int(sizes[j])))
    df = pd.DataFrame(rows, columns=columns).astype(
        {"shared": "int64", "jaccard": "float64", "members_a": "int64", "members_b": "int64"}
    )
    df = df.sort_values(
        ["jaccard", "shared", "forum_a", "forum_b"], ascending=[False, False, True, True], kind="stable"
    )
    return df.reset_index(drop=True)


def meeting_burden(G: nx.MultiDiGraph, min_forums: int = 3) -> pd.DataFrame:
    """Organisations and people who sit in many forums (partnerships and boards).

    Computed on the affiliation network (:func:`lcpgraph.views.memberships`): a seat is a
    ``member_of`` or ``chairs`` tie to a partnership or board, counted once per forum
    however many ties there are. The count is the number of meetings a partner is expected
    at, which is the burden the interviews describe.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The loaded graph.
    min_forums : int
        Fewest forums for a row to be reported.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``name``, ``kind`` (organisation or person), ``sector`` (empty when
        none), ``forums`` (how many it sits in), ``chairs`` (how many of those it chairs),
        ``forum_names`` (``"; "``-joined, by name). Sorted by forums (most first), then
        chairs (most first), then id.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from(["f", "g"], kind="board")
    >>> G.add_node("a", kind="organisation", name="A")
    >>> _ = G.add_edge("a", "f", kind="member_of"); _ = G.add_edge("a", "g", kind="chairs")
    >>> meeting_burden(G, min_forums=2)[["id", "forums", "chairs"]].to_dict("records")
    [{'id': 'a', 'forums': 2, 'chairs': 1}]
    """
    chaired: dict[str, set[str]] = defaultdict(set)
    for u, v, k in G.edges(data="kind"):
        if k == "chairs" and G.nodes[v].get("kind") in schema.FORUM_KINDS:
            chaired[u].add(v)
    rows = []
    for n, forums in memberships(G).items():
        d = G.nodes[n]
        if d.get("kind") not in (schema.ORGANISATION, schema.PERSON) or len(forums) < min_forums:
            continue
        rows.append(
            (n, d.get("name", n), d["kind"], d.get("sector", ""), len(forums), len(chaired[n]), _names(G, forums))
        )
    columns = ["id", "name", "kind", "sector", "forums", "chairs", "forum_names"]
    df = pd.DataFrame(rows, columns=columns).astype({"forums": "int64", "chairs": "int64"})
    df = df.sort_values(["forums", "chairs", "id"], ascending=[False, False, True], kind="stable")
    return df.reset_index(drop=True)


def normalise_service(service: str) -> str:
    """Normalise a service name for matching: :func:`~lcpgraph.schema.normalise_term`, "&" as "and".

    >>> normalise_service(" Social-Prescribing ")
    'social prescribing'
    >>> normalise_service("Advice & Guidance")
    'advice and guidance'
    """
    return schema.normalise_term(service.replace("&", " and ").strip(" .,;:"))


def duplicated_functions(G: nx.MultiDiGraph, min_organisations: int = 2) -> pd.DataFrame:
    """Services offered by two or more organisations in the same LCP footprint.

    Computed on the affiliation network restricted to LCPs: an organisation is in an LCP's
    footprint when it is ``member_of`` (or ``chairs``) that LCP, and its services are the
    ``services`` attribute, matched after :func:`normalise_service`. Two partners in one LCP
    offering the same thing is where the seed documents look for duplication (or, read
    kindly, for choice).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The loaded graph.
    min_organisations : int
        Fewest organisations offering a service for a row to be reported (at least 2).

    Returns
    -------
    pandas.DataFrame
        Columns ``lcp`` (id), ``lcp_name``, ``service`` (normalised), ``organisations``
        (count), ``names`` (``"; "``-joined, by name), ``ids`` (``"; "``-joined, sorted).
        Sorted by LCP name, LCP id, then organisations (most first), then service.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("lcp", kind="partnership", type="lcp", name="North LCP")
    >>> G.add_node("a", kind="organisation", name="A", services=("Befriending",))
    >>> G.add_node("b", kind="organisation", name="B", services=("befriending", "advice"))
    >>> _ = G.add_edge("a", "lcp", kind="member_of"); _ = G.add_edge("b", "lcp", kind="member_of")
    >>> duplicated_functions(G)[["lcp", "service", "organisations", "names"]].to_dict("records")
    [{'lcp': 'lcp', 'service': 'befriending', 'organisations': 2, 'names': 'A; B'}]
    """
    lcp_ids = set(lcps(G))
    offered: dict[tuple[str, str], set[str]] = defaultdict(set)
    for u, v, k in G.edges(data="kind"):
        if k in MEMBERSHIP_KINDS and v in lcp_ids and G.nodes[u].get("kind") == schema.ORGANISATION:
            for s in G.nodes[u].get("services", ()) or ():
                key = normalise_service(str(s))
                if key:
                    offered[(v, key)].add(u)
    rows = []
    for (lcp, service), orgs in offered.items():
        if len(orgs) >= max(2, min_organisations):
            rows.append(
                (lcp, G.nodes[lcp].get("name", lcp), service, len(orgs), _names(G, orgs), "; ".join(sorted(orgs)))
            )
    columns = ["lcp", "lcp_name", "service", "organisations", "names", "ids"]
    df = pd.DataFrame(rows, columns=columns).astype({"organisations": "int64"})
    df = df.sort_values(
        ["lcp_name", "lcp", "organisations", "service"], ascending=[True, True, False, True], kind="stable"
    )
    return df.reset_index(drop=True)
