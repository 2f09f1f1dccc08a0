"""Tables from rows: the one way the analyses build their DataFrames.

A report makes some thirty small tables, and on a city's data pandas' fixed costs outweigh the
work: ``DataFrame.astype`` takes half a millisecond even when nothing changes, and
``sort_values`` as long again. So an analysis sorts its rows in Python (a tuple key says the
order plainly) and :func:`frame` builds the table column by column, each numeric column made
with its dtype at once. A table with no rows keeps its dtypes, the other columns ``object``
(as ``pd.DataFrame([], columns=...)`` makes them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import itemgetter

import numpy as np
import pandas as pd

__all__ = ["frame"]


def frame(rows: Sequence[tuple], columns: Sequence[str], dtypes: Mapping[str, str] | None = None) -> pd.DataFrame:
    """A DataFrame of ``rows`` (tuples in the order of ``columns``), with numpy ``dtypes`` where given.

    Other columns are inferred as ``pd.DataFrame(rows, columns=columns)`` infers them (text
    becomes ``str``).

    >>> df = frame([("a", 1, True), ("b", 2, False)], ["id", "n", "ok"], {"n": "int64", "ok": "bool"})
    >>> [str(t) for t in df.dtypes]
    ['str', 'int64', 'bool']
    >>> [str(t) for t in frame([], ["id", "n"], {"n": "int64"}).dtypes]
    ['object', 'int64']
    """
    dtypes = dtypes or {}
    if not rows:
        return pd.DataFrame({c: np.array([], dtype=dtypes.get(c, object)) for c in columns}, copy=False)
    if set(map(len, rows)) != {len(columns)}:
        raise ValueError(f"every row must have {len(columns)} values, one per column")
    data = {}
    for i, c in enumerate(columns):
        # a column at a time, not zip(*rows): that makes an iterator per row, and on a region's
        # tens of thousands of rows so many new objects bring on a full garbage collection
        values = list(map(itemgetter(i), rows))
        t = dtypes.get(c)
        data[c] = values if t is None else np.array(values, dtype=t)
    return pd.DataFrame(data, copy=False)
