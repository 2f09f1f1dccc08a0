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
from collections.abc import Callable, Hashable, Sequence

import networkx as nx
import numpy as np
import pandas as pd
from rapidfuzz import process
from rapidfuzz.distance import Indel

from lcpgraph import schema
from lcpgraph.analysis.frames import frame
from lcpgraph.exceptions import LcpGraphError
from lcpgraph.views import derived, pairs_in_runs, seats, units

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

# a possessive "'s" (at the end of a word), or else the apostrophe alone
_APOSTROPHE_RE = re.compile(r"['’`](?:s\b)?")
_WORD_RE = re.compile(r"[^\W_]+")
_SUFFIX_ENDS = frozenset(suffix[-1] for suffix in SUFFIXES)
_ABBREVIATED = frozenset(ABBREVIATIONS)
_REWRITTEN = _ABBREVIATED | STOPWORDS  # words that change a name's list of words

#: The ASCII characters that are not in a word (all but letters and digits) as spaces, except
#: "\n", which separates the names that :func:`_normalise_names` normalises as one string.
_ASCII_NON_WORD = str.maketrans({c: " " for c in map(chr, range(128)) if not (c.isalnum() or c == "\n")})


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
    if "'" in text or "’" in text or "`" in text:  # three scans in C are cheaper than a regex
        text = _APOSTROPHE_RE.sub("", text)
    # the runs between punctuation, spaces and underscores
    return _key(_WORD_RE.findall(text), name)


def _key(raw: list[str], name: str) -> str:
    """The key of ``name`` from its lower-cased words ``raw``: the word rules of :func:`normalise_name`.

    >>> _key(["the", "leeds", "pcn"], "The Leeds PCN")
    'care leeds network primary'
    """
    words = raw
    if not _ABBREVIATED.isdisjoint(raw):
        words = []
        for w in raw:
            words.extend(ABBREVIATIONS.get(w, (w,)))
    if not STOPWORDS.isdisjoint(words):
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


def _one_string(items: Sequence[str]) -> str | None:
    """``items`` joined by "\\n" when all are ASCII and none holds a "\\n", else None.

    Such a string can be lower-cased, rewritten and split back in C, all items at once, with
    the same result as item by item: ASCII needs no NFKD and lower-cases letter by letter, and
    "\\n" is neither in a word nor an apostrophe, "&" or "+", so no rule reaches across it.
    Only ASCII is batched: :func:`normalise_name`'s accent stripping and Unicode's context
    rules (Greek final sigma) are left to the one-by-one path.
    """
    text = "\n".join(items)
    return text if text.isascii() and text.count("\n") == len(items) - 1 else None


def _batch(
    items: Sequence[str], each: Callable[[str], str], batch: Callable[[str, Sequence[str]], list[str]]
) -> list[str]:
    """``[each(x) for x in items]``, with the ASCII items free of "\\n" done by ``batch`` at once."""
    if not items:
        return []
    text = _one_string(items)
    if text is not None:
        return batch(text, items)
    easy = [x.isascii() and "\n" not in x for x in items]
    done = iter(_batch([x for x, e in zip(items, easy, strict=True) if e], each, batch))
    return [next(done) if e else each(x) for x, e in zip(items, easy, strict=True)]


def _normalise_names(names: Sequence[str]) -> list[str]:
    """``[normalise_name(n) for n in names]``, the same keys, with the text work done in C.

    The ASCII names without a "\\n" (nearly all names) are joined into one string, which is
    lower-cased, has "&"/"+" and apostrophes rewritten, and its punctuation turned to spaces
    in a handful of C calls, then split into names and words; Python is left with sorting
    each name's words (and the word rules, for the names that hold a word they rewrite).
    Other names go through :func:`normalise_name` one by one.

    >>> _normalise_names(["Oakwood Lane MC", "St James's", "Café"])
    ['centre lane medical oakwood', 'james st', 'cafe']
    """
    return _batch(names, normalise_name, _normalise_ascii)


def _normalise_ascii(text: str, names: Sequence[str]) -> list[str]:
    """Keys of ``names``, ASCII and joined by "\\n" into ``text``, as :func:`normalise_name` makes them."""
    text = text.lower().replace("&", " and ").replace("+", " and ")
    if "'" in text or "`" in text:
        text = _APOSTROPHE_RE.sub("", text)
    # str.split() splits on the spaces made here, and findall's words are the ASCII letter
    # and digit runs left between them.
    keys = []
    for line, name in zip(text.translate(_ASCII_NON_WORD).split("\n"), names, strict=True):
        words = line.split()
        if words and _REWRITTEN.isdisjoint(words) and words[-1] not in _SUFFIX_ENDS:
            words.sort()  # most names: no word to rewrite, so the key is the sorted words
            keys.append(" ".join(words))
        else:
            keys.append(_key(words, name))
    return keys


def _distinguishing(key: str) -> str:
    """The words of a normalised key that tell siblings apart (numbers, compass points).

    Returned as one string of the distinct such words, sorted and space-separated: equal
    exactly when the sets of words are, and, unlike 100,000 sets, no work for the garbage
    collector.

    >>> _distinguishing("2 care leeds north north pcn")
    '2 north'
    """
    # A word of letters only has no digit (letters and digits are separate Unicode classes) and
    # a number is all digits: both tests run in C and spare most words a per-character scan.
    return " ".join(
        sorted(
            {
                w
                for w in key.split()
                if w in DISTINGUISHING or (not w.isalpha() and (w.isdigit() or any(c.isdigit() for c in w)))
            }
        )
    )


def _distinguishing_all(keys: Sequence[str]) -> list[str]:
    """``[_distinguishing(k) for k in keys]`` for keys made by :func:`normalise_name`, in numpy.

    The ASCII keys without a "\\n" are joined into one string and read as bytes: its words, which
    have a digit and which are compass points are found with array operations, and the kept
    words are copied out, one space between words and a "\\n" between keys. A key's words are
    sorted, so a word it repeats is next to itself and is dropped by comparing neighbours.
    Other keys go through :func:`_distinguishing` one by one.

    >>> _distinguishing_all(["2 care leeds north north pcn", "leeds", "1 5 5 p1"])
    ['2 north', '', '1 5 p1']
    """
    return _batch(keys, _distinguishing, _distinguishing_ascii)


def _packed(b: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Each word's first 7 bytes (zeros after its end) and its length mod 256, as one integer.

    Two words of at most 7 bytes are equal exactly when their integers are.
    """
    code = (lengths.astype(np.uint64) & np.uint64(255)) << np.uint64(56)
    for k in range(7):
        byte = np.where(lengths > k, b[np.minimum(starts + k, len(b) - 1)], 0)
        code |= byte.astype(np.uint64) << np.uint64(8 * k)
    return code


_COMPASS = sorted(DISTINGUISHING)
assert all(w.isascii() and len(w) <= 7 for w in _COMPASS)  # so that _packed tells them apart
_COMPASS_CODES = _packed(
    np.frombuffer("".join(_COMPASS).encode("ascii"), dtype=np.uint8),
    np.cumsum([0] + [len(w) for w in _COMPASS[:-1]]),
    np.array([len(w) for w in _COMPASS]),
)
_COMPASS_LENGTHS = np.unique([len(w) for w in _COMPASS])
_COMPASS_FIRST = np.unique([ord(w[0]) for w in _COMPASS])


def _distinguishing_ascii(text: str, keys: Sequence[str]) -> list[str]:
    """:func:`_distinguishing` of ``keys``, ASCII and joined by "\\n" into ``text``.

    Every step is an array operation over the bytes or the words, none a Python loop.
    """
    b = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    # str.split()'s ASCII whitespace: tab to carriage return, the four separators, space
    space = (b == 32) | ((b - np.uint8(9)) < 5) | ((b - np.uint8(28)) < 4)
    begins, finishes = ~space, ~space
    begins[1:] &= space[:-1]
    finishes[:-1] &= space[1:]
    starts, ends = np.flatnonzero(begins), np.flatnonzero(finishes) + 1
    lengths = ends - starts
    count = np.int32 if len(b) < 2**31 else np.int64  # running counts: int32 sums faster
    line = np.cumsum(b == 10, dtype=count)[starts]  # which key each word is in
    digit = (b - np.uint8(48)) < 10
    digits = np.cumsum(digit, dtype=count)  # digits up to and including each byte
    kept = digits[ends - 1] - digits[starts] + digit[starts] > 0  # words with a digit
    # compass points: only words of their lengths and first letters need the full comparison
    maybe = np.flatnonzero(~kept & np.isin(lengths, _COMPASS_LENGTHS))
    maybe = maybe[np.isin(b[starts[maybe]], _COMPASS_FIRST)]
    kept[maybe[np.isin(_packed(b, starts[maybe], lengths[maybe]), _COMPASS_CODES)]] = True
    # A key's words are sorted, so a word it repeats comes right after itself: a kept word the
    # same length as the one before it in its key is compared with it byte by byte.
    check = np.flatnonzero(kept[1:] & kept[:-1] & (line[1:] == line[:-1]) & (lengths[1:] == lengths[:-1])) + 1
    for k in range(int(lengths[check].max()) if len(check) else 0):
        at = np.minimum(k, lengths[check] - 1)  # past a word's end, its last byte again
        check = check[b[starts[check] + at] == b[starts[check - 1] + at]]
    kept[check] = False
    # copy the kept words out, then put a space before each but the first of its key, and a
    # newline before each key but the first
    starts, lengths, line = starts[kept], lengths[kept], line[kept]
    offset = np.concatenate([[0], np.cumsum(lengths)])
    chars = np.repeat(starts - offset[:-1], lengths) + np.arange(int(offset[-1]))
    spaces = offset[1:-1][line[1:] == line[:-1]]
    newlines = offset[np.searchsorted(line, np.arange(1, len(keys)))]
    at = np.concatenate([spaces, newlines])
    fill = np.concatenate([np.full(len(spaces), 32, np.uint8), np.full(len(newlines), 10, np.uint8)])
    return np.insert(b[chars], at, fill).tobytes().decode("ascii").split("\n")


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


#: A list of at most this many keys is compared pair by pair in :func:`_similar_pairs`: most
#: blocks are this small, and a call into rapidfuzz's cdist costs more than their few pairs.
_FEW_KEYS = 16

#: Keys compared in one batch by :func:`_similar_pairs`; a list no longer than this is
#: compared whole, as filtering it costs more than it saves.
_GROUP_ROWS = 64

#: Character classes of the count filter in :func:`_similar_pairs`. More classes prune more
#: pairs but make more, smaller cells; three was fastest on digit-free synthetic names.
_COUNT_CLASSES = 3

#: A batch of fewer comparisons than this runs in one thread: starting rapidfuzz's worker
#: threads (about 0.1 ms) costs more than they save on a small batch.
_PARALLEL_CELLS = 100_000


def _similar_pairs(
    keys: Sequence[str], threshold: float, *, max_cells: int = 8_000_000, group_rows: int = _GROUP_ROWS
) -> list[tuple[int, int, float]]:
    """Every pair ``(i, j, similarity)``, ``i < j``, of keys at least ``threshold`` % alike.

    Similarity is rapidfuzz's ``fuzz.ratio``, the normalised Indel similarity
    ``100 * (T - d) / T`` with ``T = la + lb`` and ``d`` the insert/delete distance
    (rapidfuzz's ``Indel.distance``; computed from the integer distance, not taken from
    ``fuzz.ratio``'s own float, so that values such as 98.75 round as they always have). The
    answer is exactly that of comparing every pair — the threshold test is done in integers,
    ``100 * (T - d) >= t * T``, so it agrees with a brute-force loop to the last pair — but a
    pair is only compared when it can pass. Lists of up to :data:`_FEW_KEYS` keys are
    compared pair by pair; longer ones in batches:

    * *count filter*: an insertion or a deletion changes the count of one character by one,
      so ``d`` is at least the sum over character classes of the difference in the two keys'
      counts of that class (the classes are :data:`_COUNT_CLASSES` groups of characters of
      about equal frequency; with one class this is the usual length filter). Keys with the
      same counts form a *cell*; a batch of about ``group_rows`` keys from neighbouring cells
      is compared only with the keys of cells whose counts are near enough to pass for some
      key of the batch;
    * the comparisons run in rapidfuzz's compiled ``process.cdist`` (``Indel.distance`` with
      a ``score_cutoff``, SIMD, all cores for large batches) on blocks of at most
      ``max_cells`` pairs, so memory stays bounded.
    """
    n = len(keys)
    if n < 2:
        return []
    if n <= _FEW_KEYS:
        return _few_similar_pairs(keys, threshold)
    lengths = np.fromiter(map(len, keys), dtype=np.int64, count=n)
    if n <= group_rows:
        order = np.arange(n)
        batches: list[tuple[int, int, np.ndarray]] = [(0, n, order)]
    else:
        order, batches = _count_filter(keys, lengths, threshold, group_rows)
    sorted_keys = [keys[i] for i in order.tolist()]
    sorted_lengths = lengths[order]
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for r0, r1, cols in batches:
        col_keys = sorted_keys if len(cols) == n else [sorted_keys[c] for c in cols.tolist()]
        longest_col = int(sorted_lengths[cols].max())
        step = max(1, max_cells // len(cols))
        for a in range(r0, r1, step):
            b = min(r1, a + step)
            # No pair of these rows and columns can pass at a distance above `cutoff` (+1: float
            # safety); rapidfuzz reports every larger distance as cutoff + 1, and stops early.
            cutoff = int((int(sorted_lengths[a:b].max()) + longest_col) * (100 - threshold) // 100) + 1
            dist = process.cdist(
                sorted_keys[a:b],
                col_keys,
                scorer=Indel.distance,
                score_cutoff=cutoff,
                dtype=np.int8 if cutoff < 127 else np.int32,
                workers=_workers() if (b - a) * len(cols) >= _PARALLEL_CELLS else 1,
            )
            r, c = np.nonzero(dist <= cutoff)
            rows, cols_hit = r + a, cols[c]
            once = rows < cols_hit  # each unordered pair once
            found.append((rows[once], cols_hit[once], dist[r[once], c[once]].astype(np.int64)))
    rows = np.concatenate([f[0] for f in found])
    cols = np.concatenate([f[1] for f in found])
    dist = np.concatenate([f[2] for f in found])
    total = sorted_lengths[rows] + sorted_lengths[cols]
    ok = 100 * (total - dist) >= threshold * total
    rows, cols, dist, total = rows[ok], cols[ok], dist[ok], total[ok]
    sims = np.where(total == 0, 100.0, 100.0 * (total - dist) / np.maximum(total, 1))
    a, b = order[rows], order[cols]
    i, j = np.minimum(a, b), np.maximum(a, b)
    by_pair = np.lexsort((j, i))
    return list(zip(i[by_pair].tolist(), j[by_pair].tolist(), sims[by_pair].tolist(), strict=True))


def _blocked_similar_pairs(
    keys: Sequence[str], block: np.ndarray, threshold: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_similar_pairs` inside each block: pairs ``i < j`` with ``block[i] == block[j]``.

    Returns arrays ``i``, ``j`` and ``similarity``, ordered by ``i`` then ``j``, holding exactly
    the pairs (and, to the last bit, the similarities) that :func:`_similar_pairs` of each
    block's keys would give. Blocks of at most :data:`_GROUP_ROWS` keys, which are most
    blocks, are done all at once: their pairs are made in numpy, the pairs whose lengths
    alone rule them out (``d >= |la - lb|``) are dropped, and the rest are compared in one
    call of rapidfuzz's ``process.cpdist`` — no Python work per pair or per block. Larger
    blocks go through :func:`_similar_pairs` one by one.

    >>> i, j, sim = _blocked_similar_pairs(["ab", "abc", "abd", "ab"], np.array([0, 0, 0, 1]), 80)
    >>> i.tolist(), j.tolist(), [round(s, 1) for s in sim.tolist()]
    ([0, 0], [1, 2], [80.0, 80.0])
    """
    n = len(keys)
    block = np.asarray(block)
    order = np.argsort(block, kind="stable")  # grouped by block, each block in index order
    ordered = block[order]
    starts = np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]])) if n else np.zeros(0, np.int64)
    sizes = np.diff(np.concatenate([starts, [n]]))
    small = sizes <= _GROUP_ROWS
    found_i, found_j, found_sim = [], [], []
    index = order[np.repeat(small, sizes)]
    p, q = pairs_in_runs(sizes[small])
    if len(p):
        lengths = np.fromiter(map(len, keys), dtype=np.int64, count=n)
        i, j = index[p], index[q]
        total = lengths[i] + lengths[j]
        possible = 100 * (total - np.abs(lengths[i] - lengths[j])) >= threshold * total
        i, j, total = i[possible], j[possible], total[possible]
    if len(p) and len(i):
        cutoff = int(int(total.max()) * (100 - threshold) // 100) + 1  # as in _similar_pairs
        key_array = np.array(keys, dtype=object)
        dist = process.cpdist(
            key_array[i],
            key_array[j],
            scorer=Indel.distance,
            score_cutoff=cutoff,
            dtype=np.int8 if cutoff < 127 else np.int32,
            workers=_workers() if len(i) >= _PARALLEL_CELLS else 1,
        ).astype(np.int64)
        ok = 100 * (total - dist) >= threshold * total
        i, j, dist, total = i[ok], j[ok], dist[ok], total[ok]
        found_i.append(i)
        found_j.append(j)
        found_sim.append(np.where(total == 0, 100.0, 100.0 * (total - dist) / np.maximum(total, 1)))
    for start, size in zip(starts[~small].tolist(), sizes[~small].tolist(), strict=True):
        members = order[start : start + size]
        pairs = _similar_pairs([keys[k] for k in members.tolist()], threshold)
        if pairs:
            a, b, sim = (np.array(x) for x in zip(*pairs, strict=True))
            found_i.append(members[a])
            found_j.append(members[b])
            found_sim.append(sim.astype(np.float64))
    if not found_i:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float64)
    i, j, sim = np.concatenate(found_i), np.concatenate(found_j), np.concatenate(found_sim)
    by_pair = np.lexsort((j, i))
    return i[by_pair], j[by_pair], sim[by_pair]


def _few_similar_pairs(keys: Sequence[str], threshold: float) -> list[tuple[int, int, float]]:
    """:func:`_similar_pairs` of a short list, one pair at a time (the same tests, in Python)."""
    out = []
    for i, a in enumerate(keys):
        for j in range(i + 1, len(keys)):
            total = len(a) + len(keys[j])
            d = Indel.distance(a, keys[j])
            if 100 * (total - d) >= threshold * total:
                out.append((i, j, 100.0 if total == 0 else 100.0 * (total - d) / total))
    return out


def _count_filter(
    keys: Sequence[str], lengths: np.ndarray, threshold: float, group_rows: int
) -> tuple[np.ndarray, list[tuple[int, int, np.ndarray]]]:
    """The count filter of :func:`_similar_pairs`: an order of the keys, and batches to compare.

    Returns ``order`` (key indices grouped by cell) and a list of ``(r0, r1, cols)``: compare
    the keys at positions ``r0 … r1 - 1`` of ``order`` with those at positions ``cols``.
    Every pair that can pass the threshold is in some batch, with its first key as a row.
    """
    n = len(keys)
    # Code points, as Python's len and rapidfuzz count them ("surrogatepass": any str encodes).
    codes = np.frombuffer("".join(keys).encode("utf-32-le", "surrogatepass"), dtype="<u4")
    chars, char_index, freq = np.unique(codes, return_inverse=True, return_counts=True)
    # Greedy balance: the commonest characters first, each into the class with least so far.
    # Which class a character lands in changes only the speed, never the answer.
    load = [0] * _COUNT_CLASSES
    class_of = np.zeros(len(chars), dtype=np.int64)
    for ch in np.lexsort((chars, -freq)).tolist():
        k = load.index(min(load))
        class_of[ch] = k
        load[k] += int(freq[ch])
    owner = np.repeat(np.arange(n), lengths)
    counts = np.bincount(owner * _COUNT_CLASSES + class_of[char_index.ravel()], minlength=n * _COUNT_CLASSES)
    counts = counts.reshape(n, _COUNT_CLASSES)
    # cells sorted by length, then counts, so the length window below is a range of cells
    cells, cell_of, size = np.unique(
        np.column_stack([lengths, counts]), axis=0, return_inverse=True, return_counts=True
    )
    cell_len, cell_counts = cells[:, 0], cells[:, 1:]
    order = np.argsort(cell_of.ravel(), kind="stable")
    start = np.concatenate([[0], np.cumsum(size)])
    ratio = (200.0 - threshold) / threshold if threshold > 0 else np.inf
    batches: list[tuple[int, int, np.ndarray]] = []
    g0 = 0
    n_cells = len(cells)
    while g0 < n_cells:
        g1 = int(np.searchsorted(start, start[g0] + group_rows, side="left"))
        g1 = min(max(g1, g0 + 1), n_cells)
        # a longer key can pass only inside the length window of the longest row (+1: float safety)
        end = n_cells
        if not np.isinf(ratio):
            end = int(np.searchsorted(cell_len, cell_len[g1 - 1] * ratio + 1, side="right"))
        # lower bound of d for each (row cell, column cell), and the same integer test as for d
        bound = np.abs(cell_counts[g0:g1, None, :] - cell_counts[None, g0:end, :]).sum(axis=2)
        total = cell_len[g0:g1, None] + cell_len[None, g0:end]
        near = np.flatnonzero((100 * (total - bound) >= threshold * total).any(axis=0)) + g0
        sizes = size[near]
        cols = np.repeat(start[near] - (np.cumsum(sizes) - sizes), sizes) + np.arange(int(sizes.sum()))
        batches.append((int(start[g0]), int(start[g1]), cols))
        g0 = g1
    return order, batches


def _reason(similarity: float, shared: Sequence[str]) -> str:
    parts = [f"share identifier{'s' if len(shared) > 1 else ''} {', '.join(shared)}"] if shared else []
    if similarity >= 100.0:
        parts.append("same name after normalisation")
    else:
        # rounded, but never up to 100: 100% is kept for names that normalise the same
        parts.append(f"names {min(99, round(similarity))}% alike after normalisation")
    return "; ".join(parts)


def _workers() -> int:
    """Cores rapidfuzz may use: ``LCPGRAPH_JOBS`` (``lcpgraph --jobs``), else all of them."""
    import os

    jobs = os.environ.get("LCPGRAPH_JOBS", "")
    return int(jobs) if jobs.isdigit() and int(jobs) > 0 else -1


def _part_of_chain(G: nx.MultiDiGraph) -> Callable[[Hashable, Hashable], bool]:
    """A test ``nested(a, b)``: is one of two records part of the other, through containment ties?

    True when a chain of relationships whose role is containment (``part_of``) leads from ``a``
    to ``b`` or from ``b`` to ``a`` (a sub-locality inside a locality, or inside a body inside
    it). Two such records often share a name without being one body entered twice. Every
    relationship counts, ended ones too: a duplicate is a matter of how the data was entered.
    """
    containers: dict[Hashable, set[Hashable]] = {}

    def inside(n: Hashable) -> set[Hashable]:
        """Every body ``n`` is part of: walked from ``n`` alone, as few records are asked about."""
        if n not in containers:
            seen: set[Hashable] = set()
            stack = [n]
            while stack:
                for _, v, kind in G.out_edges(stack.pop(), data="kind"):
                    if schema.role_of(kind) == schema.CONTAINMENT and v not in seen:
                        seen.add(v)
                        stack.append(v)
            containers[n] = seen
        return containers[n]

    return lambda a, b: b in inside(a) or a in inside(b)


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
      and keep such pairs. Nor are two records flagged on their names when one is part of
      the other, directly or through a chain of ``part_of`` relationships (a "Market
      Harborough" sub-locality inside the "Market Harborough" locality is two bodies, not
      one entered twice); such a pair is still flagged if it shares an identifier.

    Pairs are only reported, never merged. Every pair is decided exactly as comparing all
    pairs would, but only pairs that can pass are compared: names are compared only with
    names that have the same numbers and compass points, and inside that only when their
    lengths and character counts are close enough (see ``_similar_pairs``); the comparisons
    run in rapidfuzz's compiled ``process.cpdist``/``process.cdist``. 100,000 synthetic
    records take about a third of a second (``scripts/bench_duplicates.py``).

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

    A sub-locality inside the locality of the same name is not a duplicate of it:

    >>> G.add_node("p1", kind="partnership", name="Market Harborough")
    >>> G.add_node("p2", kind="partnership", name="Market Harborough")
    >>> G.add_edge("p2", "p1", kind="part_of")
    0
    >>> duplicate_records(G)[["id_a", "id_b"]].values.tolist()
    [['o1', 'o2']]
    """
    if not 0 <= threshold <= 100:
        raise LcpGraphError(f"threshold {threshold} is not a percentage; give a number from 0 to 100, e.g. 90")
    nested = _part_of_chain(G)
    # One pass over the records: each kind's ids, names, and holders (by place in the kind's
    # list) of each identifier.
    ids_of: dict[str, list[str]] = defaultdict(list)
    names_of: dict[str, list[object]] = defaultdict(list)
    holders_of: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for n, data in G.nodes(data=True):
        kind = str(data.get("kind"))
        ids_of[kind].append(n)
        names_of[kind].append(data.get("name", n))
        for ident in data.get("identifiers", ()) or ():
            holders_of[kind][str(ident).strip().upper()].append(len(ids_of[kind]) - 1)
    rows = []
    for kind in sorted(ids_of):
        order = sorted(range(len(ids_of[kind])), key=ids_of[kind].__getitem__)  # by id
        ids = [ids_of[kind][r] for r in order]
        names = [str(names_of[kind][r]) for r in order]
        # Each record's name and key as numbers: distinct names, and distinct keys, in order of
        # their first record (pandas hashes in C; names repeat, so each is normalised once).
        name_code, distinct_names = pd.factorize(np.array(names, dtype=object))
        key_code, distinct_keys = pd.factorize(np.array(_normalise_names(distinct_names.tolist()), dtype=object))
        code = key_code[name_code]
        distinct: list[str] = distinct_keys.tolist()
        # One comparison per distinct key; records with the same key are 100% alike.
        count = np.bincount(code, minlength=len(distinct))
        first = np.full(len(distinct), -1, dtype=np.int64)
        first[code[::-1]] = np.arange(len(ids) - 1, -1, -1)  # the first record of each key
        # Records are numbered in id order, and pairs kept as (a, b) numbers, a < b, so that
        # only the pairs found ever need an id or a name (no id -> name dict of every record).
        more: dict[int, list[int]] = {}  # key -> all its records, if several
        repeated = count[code] > 1
        for k, r in zip(code[repeated].tolist(), np.flatnonzero(repeated).tolist(), strict=True):
            more.setdefault(k, []).append(r)
        pairs: dict[tuple[int, int], tuple[float, list[str]]] = {}
        for members in more.values():
            for i, a in enumerate(members[:-1]):
                for b in members[i + 1 :]:
                    if not nested(ids[a], ids[b]):
                        pairs[(a, b)] = (100.0, [])
        # Keys whose numbers or compass points differ are never flagged, so only keys with the
        # same such words are compared: exactly the same pairs, and far fewer comparisons.
        block, _ = pd.factorize(np.array(_distinguishing_all(distinct), dtype=object))
        first_record = first.tolist()
        found_i, found_j, found_sim = _blocked_similar_pairs(distinct, block, threshold)
        for i, j, sim in zip(found_i.tolist(), found_j.tolist(), found_sim.tolist(), strict=True):
            if threshold >= 80 and _different_words(distinct[i], distinct[j]):
                continue  # a strict search: two places' names, not one name typed twice
            for a in more.get(i) or [first_record[i]]:
                for b in more.get(j) or [first_record[j]]:
                    if not nested(ids[a], ids[b]):
                        pairs[(a, b) if a < b else (b, a)] = (sim, [])
        holders = holders_of.get(kind, {})
        in_order = np.empty(len(order), dtype=np.int64)
        in_order[order] = np.arange(len(order))  # a record's number from its place in ids_of
        for ident, members in sorted(holders.items()):
            members = sorted(set(in_order[members].tolist()))
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    sim, shared = pairs.get((a, b), (None, []))
                    if sim is None:
                        sim = _similarity(distinct[code[a]], distinct[code[b]])
                    pairs[(a, b)] = (sim, [*shared, ident])
        for (a, b), (sim, shared) in pairs.items():
            sim = round(sim, 1)
            score = 100.0 if shared else sim
            rows.append((kind, ids[a], names[a], ids[b], names[b], score, sim, "; ".join(shared), _reason(sim, shared)))
    rows.sort(key=lambda r: (-r[5], r[0], r[1], r[3]))  # score (highest first), kind, id_a, id_b
    return frame(rows, list(DUPLICATE_COLUMNS), {"score": "float64", "name_similarity": "float64"})


def _names(G: nx.MultiDiGraph, ids: Sequence[str]) -> str:
    """Names of ``ids``, sorted by name then id, joined with "; "."""
    return "; ".join(sorted((str(G.nodes[n].get("name", n)) for n in ids), key=str.casefold))


def overlapping_forums(G: nx.MultiDiGraph, min_jaccard: float = 0.5, min_shared: int = 2) -> pd.DataFrame:
    """Pairs of forums (partnerships or boards) with much the same members.

    Computed on the seats (:func:`lcpgraph.views.seats`: who sits in, chairs, supports or
    shares a post with which partnership or board — organisations, people and partnerships
    alike), because parallel meetings are about the same *people and bodies* in the room.
    Overlap is the Jaccard index ``|A ∩ B| / |A ∪ B|`` of the two member sets. The shared
    members of every pair are counted at once in numpy: each member's seats make one pair of
    forums per two forums it sits in, and ``np.unique`` counts each pair.

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
    columns = ["forum_a", "name_a", "forum_b", "name_b", "shared", "jaccard", "members_a", "members_b"]
    types = {"shared": "int64", "jaccard": "float64", "members_a": "int64", "members_b": "int64"}
    return frame(_overlap_rows(G, min_jaccard, min_shared), columns, types)


def _overlap_rows(G: nx.MultiDiGraph, min_jaccard: float, min_shared: int) -> list[tuple]:
    """:func:`overlapping_forums`' rows, sorted (also read by ``recommend.meet_together``, without a frame)."""
    if not 0 <= min_jaccard <= 1:
        raise LcpGraphError(f"min_jaccard {min_jaccard} must be between 0 and 1, e.g. 0.5")
    forums = sorted(derived(G).members)
    index = {f: j for j, f in enumerate(forums)}
    # One row per seat, grouped by member; each member's forums are sorted, so ascending here.
    held = [fs for fs in seats(G).values() if fs]
    seat_forum = np.fromiter((index[f] for fs in held for f in fs), dtype=np.int64)
    held_sizes = np.fromiter(map(len, held), dtype=np.int64, count=len(held))
    sizes = np.bincount(seat_forum, minlength=len(forums))
    # Every two forums a member sits in make a pair; a pair's count is its shared members.
    p, q = pairs_in_runs(held_sizes)
    pair_code, shared = np.unique(seat_forum[p] * len(forums) + seat_forum[q], return_counts=True)
    forum_i, forum_j = pair_code // max(1, len(forums)), pair_code % max(1, len(forums))
    union = sizes[forum_i] + sizes[forum_j] - shared
    jac = shared / union
    keep = (jac >= min_jaccard) & (shared >= max(1, min_shared))
    rows = []
    for i, j, s, jc in zip(
        forum_i[keep].tolist(), forum_j[keep].tolist(), shared[keep].tolist(), jac[keep].tolist(), strict=True
    ):
        a, b = forums[i], forums[j]  # forums are sorted and i < j, so a < b
        rows.append((a, G.nodes[a].get("name", a), b, G.nodes[b].get("name", b), s, jc, int(sizes[i]), int(sizes[j])))
    rows.sort(key=lambda r: (-r[5], -r[4], r[0], r[2]))  # most alike, most shared, then the forums' ids
    return rows


def meeting_burden(G: nx.MultiDiGraph, min_forums: int = 3) -> pd.DataFrame:
    """Organisations and people who sit in many forums (partnerships and boards).

    Computed on the seats (:func:`lcpgraph.views.seats`): a seat is a ``member_of``,
    ``chairs``, ``supports`` or ``shares_role`` tie to a partnership or board, counted once per forum
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
    columns = ["id", "name", "kind", "sector", "forums", "chairs", "forum_names"]
    return frame(_burden_rows(G, min_forums), columns, {"forums": "int64", "chairs": "int64"})


def _burden_rows(G: nx.MultiDiGraph, min_forums: int) -> list[tuple]:
    """:func:`meeting_burden`'s rows, sorted (also read by ``recommend.covered_seats``, without a frame)."""
    chaired: dict[str, set[str]] = defaultdict(set)
    for u, v, e in derived(G).edges:
        if e.get("kind") == "chairs" and G.nodes[v].get("kind") in schema.FORUM_KINDS:
            chaired[u].add(v)
    rows = []
    for n, forums in seats(G).items():
        d = G.nodes[n]
        if d.get("kind") not in (schema.ORGANISATION, schema.PERSON) or len(forums) < min_forums:
            continue
        rows.append(
            (n, d.get("name", n), d["kind"], d.get("sector", ""), len(forums), len(chaired[n]), _names(G, forums))
        )
    rows.sort(key=lambda r: (-r[4], -r[5], r[0]))  # most forums, most chairs, then id
    return rows


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

    An organisation is in a local unit when it is a member by :func:`lcpgraph.views.members`'s
    rule, and its services are the ``services`` attribute, matched after
    :func:`normalise_service`. Two partners in one unit offering the same thing is where the
    seed documents look for duplication (or, read kindly, for choice).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The loaded graph.
    min_organisations : int
        Fewest organisations offering a service for a row to be reported (at least 2).

    Returns
    -------
    pandas.DataFrame
        Columns ``unit`` (id), ``unit_name``, ``service`` (normalised), ``organisations``
        (count), ``names`` (``"; "``-joined, by name), ``ids`` (``"; "``-joined, sorted).
        Sorted by unit name, unit id, then organisations (most first), then service.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("lcp", kind="partnership", type="lcp", name="North LCP")
    >>> G.add_node("a", kind="organisation", name="A", services=("Befriending",))
    >>> G.add_node("b", kind="organisation", name="B", services=("befriending", "advice"))
    >>> _ = G.add_edge("a", "lcp", kind="member_of"); _ = G.add_edge("b", "lcp", kind="member_of")
    >>> duplicated_functions(G)[["unit", "service", "organisations", "names"]].to_dict("records")
    [{'unit': 'lcp', 'service': 'befriending', 'organisations': 2, 'names': 'A; B'}]
    """
    d = derived(G)
    offered: dict[tuple[str, str], set[str]] = defaultdict(set)
    for unit in units(G):
        for m in d.members[unit]:
            if d.kind[m] != schema.ORGANISATION:
                continue
            for s in G.nodes[m].get("services", ()) or ():
                key = normalise_service(str(s))
                if key:
                    offered[(unit, key)].add(m)
    rows = []
    for (unit, service), orgs in offered.items():
        if len(orgs) >= max(2, min_organisations):
            rows.append(
                (unit, G.nodes[unit].get("name", unit), service, len(orgs), _names(G, orgs), "; ".join(sorted(orgs)))
            )
    columns = ["unit", "unit_name", "service", "organisations", "names", "ids"]
    rows.sort(key=lambda r: (r[1], r[0], -r[3], r[2]))  # unit name, unit, most organisations, service
    return frame(rows, columns, {"organisations": "int64"})
