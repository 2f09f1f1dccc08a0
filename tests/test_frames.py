"""analysis.frames.frame builds the table pandas would build from the rows, dtypes and all."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lcpgraph.analysis.frames import frame

COLUMNS = ["id", "name", "count", "share", "flag"]
TYPES = {"count": "int64", "share": "float64", "flag": "bool"}
ROW = st.tuples(
    st.text(max_size=3),
    st.one_of(st.text(max_size=3), st.none()),
    st.integers(-(2**40), 2**40),
    st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-100, 100)),
    st.booleans(),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(ROW, max_size=6))
def test_frame_is_the_frame_pandas_builds_from_the_rows(rows):
    got = frame(rows, COLUMNS, TYPES)
    want = pd.DataFrame(rows, columns=COLUMNS).astype(TYPES)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert got.columns.dtype == want.columns.dtype
    assert isinstance(got.index, pd.RangeIndex)


def test_an_empty_frame_keeps_its_types():
    df = frame([], COLUMNS, TYPES)
    assert list(df.columns) == COLUMNS
    assert [str(t) for t in df.dtypes] == ["object", "object", "int64", "float64", "bool"]
    assert df.empty and np.dtype("int64") == df["count"].dtype


def test_a_row_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="every row must have 5 values"):
        frame([("a", "b", 1, 1.0, True), ("a", "b", 1, 1.0)], COLUMNS, TYPES)
