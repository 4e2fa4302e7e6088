"""Batch entry points: data frames in, the same kind of data frame out.

Everything here is conversion between the caller's containers and Arrow; the scoring
and validation happen in the Rust extension with the interpreter lock released.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import _news2
from ._records import instance_of

#: The input columns ``score_batch`` reads; any other column is ignored.
VITAL_COLUMNS = (
    "respiration_rate",
    "spo2",
    "spo2_scale",
    "on_oxygen",
    "systolic_bp",
    "pulse",
    "consciousness",
    "temperature",
)


def _kind(data: Any) -> str:
    """Which kind of container ``data`` is: its result comes back as the same kind."""
    if instance_of(data, "pandas", "DataFrame"):
        return "pandas"
    if instance_of(data, "polars", "DataFrame"):
        return "polars"
    if instance_of(data, "polars", "LazyFrame"):
        raise TypeError("score_batch takes a polars DataFrame: call .collect() on the LazyFrame first")
    if instance_of(data, "pyarrow", "Table") or instance_of(data, "pyarrow", "RecordBatch"):
        return "pyarrow"
    if isinstance(data, Mapping):
        return "dict"
    if hasattr(data, "__arrow_c_stream__") or hasattr(data, "__arrow_c_array__"):
        return "arrow"
    raise TypeError(
        "score_batch takes a pandas or polars DataFrame, a pyarrow Table or RecordBatch, "
        f"an object with the Arrow PyCapsule interface, or a dict of columns; got {type(data).__name__}"
    )


def _array(name: str, values: Any) -> Any:
    """One column as a pyarrow array; NaN and None both become null (missing)."""
    import pyarrow as pa

    try:
        if hasattr(values, "__arrow_c_stream__") and not hasattr(values, "__array__"):
            return pa.chunked_array(values)
        # NaN already means missing, so float data is taken as it is (zero-copy); only
        # object data needs pandas' reading of NaN as null (``["A", nan]`` is text).
        dtype = getattr(values, "dtype", None)
        kind = getattr(dtype, "kind", "O")
        if name == "consciousness" and kind == "O" and dtype is not None and not _arrow_backed(dtype):
            text = _object_text(values)
            if text is not None:
                return text
        if _is_numpy_bool(dtype) and getattr(values, "ndim", 0) == 1:
            return _bits(values)
        return pa.array(values, from_pandas=kind not in "fiub")
    except (pa.ArrowInvalid, pa.ArrowTypeError) as e:
        raise TypeError(f"column {name!r} cannot be read as one type: {e}") from e


def _is_numpy_bool(dtype: Any) -> bool:
    """numpy's own ``bool`` (no nulls), not pandas' nullable ``boolean``."""
    import numpy as np

    return isinstance(dtype, np.dtype) and dtype == np.dtype(bool)


def _bits(values: Any) -> Any:
    """A numpy ``bool`` column as an Arrow boolean array: packed by numpy in one call,
    where pyarrow reads it a byte at a time (a tenth of the time for a million rows)."""
    import numpy as np
    import pyarrow as pa

    flags = np.asarray(values)
    packed = np.packbits(flags, bitorder="little")
    return pa.Array.from_buffers(pa.bool_(), len(flags), [None, pa.py_buffer(packed)])


def _arrow_backed(dtype: Any) -> bool:
    """Whether a pandas column already holds Arrow data (the ``str`` dtype of pandas 3,
    ``string[pyarrow]``, an ``ArrowDtype``): pyarrow takes it as it is, where reading it as
    objects would first make a Python string of every row."""
    return getattr(dtype, "storage", None) == "pyarrow" or hasattr(dtype, "pyarrow_dtype")


def _object_text(values: Any) -> Any:
    """A numpy or pandas object column of text read by the extension (pyarrow would copy
    every string); ``None`` when it holds anything but text, None and NaN, or is not a
    plain numpy object array, and pyarrow reads it as before."""
    import numpy as np

    array = values.to_numpy() if hasattr(values, "to_numpy") else values
    if not isinstance(array, np.ndarray) or array.dtype != np.dtype(object) or array.ndim != 1:
        return None
    return _news2._object_text_arrow(array)


def _pandas_to_arrow(frame: Any) -> Any:
    import pyarrow as pa

    columns = [c for c in VITAL_COLUMNS if c in frame.columns]
    return pa.table({c: _array(c, frame[c]) for c in columns})


def _dict_to_arrow(data: Mapping[str, Any]) -> Any:
    import pyarrow as pa

    columns = [c for c in VITAL_COLUMNS if c in data]
    arrays = {c: _array(c, data[c]) for c in columns}
    lengths = {c: len(a) for c, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        raise ValueError(f"score_batch: columns differ in length: {lengths}")
    return pa.table(arrays)


def _polars_input(frame: Any) -> Any:
    """The vital columns of a polars frame. An all-null column (polars dtype ``Null``) is
    given a concrete type first: polars exports it with a buffer that Arrow readers refuse."""
    import polars as pl

    null_as = {"consciousness": pl.String, "on_oxygen": pl.Boolean}
    columns = [c for c in frame.columns if c in VITAL_COLUMNS]
    return frame.select(
        [pl.col(c).cast(null_as.get(c, pl.Float64)) if frame.schema[c] == pl.Null else pl.col(c) for c in columns]
    )


def _infers_string(pd: Any) -> bool:
    """Whether pandas reads text as its ``str`` dtype (pandas 3, or the 2.x option)."""
    try:
        return bool(pd.get_option("future.infer_string"))
    except KeyError:  # pandas < 2.1 has no such option
        return False


def _to_pandas(columns: dict[str, Any], index: Any) -> Any:
    """The output of ``_score_arrow_numpy`` as a pandas frame: nullable ``UInt8`` scores,
    an ordered categorical risk and an object (text or None) error column, built on the
    extension's arrays without copying the scores."""
    import numpy as np
    import pandas as pd

    missing = columns.pop("missing")
    n = len(missing)
    frame: dict[str, Any] = {}
    for name, values in columns.items():
        if name == "risk":
            codes, labels = values
            frame[name] = pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(labels, ordered=True))
        elif name == "error":
            if _infers_string(pd):
                # What pyarrow's to_pandas gives text under pandas' string inference, built on
                # the extension's Arrow array (from objects, pandas checks every one of them).
                frame[name] = pd.array(values, dtype=pd.StringDtype("pyarrow", na_value=np.nan))
            else:
                rows, messages = values
                errors = np.empty(n, dtype=object)  # numpy fills an object array with None
                errors[rows] = messages
                # A Series of explicit dtype: a bare object array would be scanned for dates.
                frame[name] = pd.Series(errors, index=index, dtype=object, copy=False)
        else:
            # Each column gets its own mask: a shared one would let a write to one column
            # unmask the same row in the others.
            frame[name] = pd.arrays.IntegerArray(values, missing.copy())
    return pd.DataFrame(frame, index=index, copy=False)


def score_batch(data: Any, *, spo2_scale: int | None = None, on_oxygen: bool | None = None) -> Any:
    """Scores every row of a data frame, with the interpreter lock released.

    ``data`` is a pandas or polars DataFrame, a pyarrow Table or RecordBatch (or anything
    with the Arrow PyCapsule interface), or a dict of numpy arrays or lists, with columns
    ``respiration_rate``, ``spo2``, ``systolic_bp``, ``pulse``, ``temperature`` (numbers),
    ``consciousness`` (text), and optionally ``on_oxygen`` (bool) and ``spo2_scale`` (1 or
    2); other columns are ignored. An absent ``on_oxygen``/``spo2_scale`` column takes the
    keyword, else air and Scale 1; a null inside a given column is missing.

    Returns the same kind of frame (pandas in, pandas out with the same index; polars in,
    polars out; pyarrow or a dict in, pyarrow out) with ``total`` (nullable integer),
    ``risk`` (ordered categorical), one ``<parameter>_score`` column per parameter and
    ``error``. NaN or null is missing; a row with a missing or impossible value gets null
    scores and, in ``error``, the message ``score`` would raise. One bad row never stops
    the batch. A missing column or a column of the wrong type raises before any scoring.
    """
    kind = _kind(data)
    if kind == "pandas":
        table = _pandas_to_arrow(data)
    elif kind == "dict":
        table = _dict_to_arrow(data)
    elif kind == "polars":
        table = _polars_input(data)
    elif kind == "pyarrow":
        table = data.select([c for c in data.schema.names if c in VITAL_COLUMNS])
    else:
        table = data
    if kind == "pandas":
        import pandas as pd

        columns = _news2._score_arrow_numpy(
            table, spo2_scale=spo2_scale, on_oxygen=on_oxygen, error_arrow=_infers_string(pd)
        )
        return _to_pandas(columns, data.index)
    result = _news2._score_arrow(table, spo2_scale=spo2_scale, on_oxygen=on_oxygen, error_view=kind == "polars")
    if kind == "polars":
        import polars as pl

        return pl.from_arrow(result)
    return result


def _identifier_array(values: Any) -> Any:
    """Identifiers as an Arrow array; anything Arrow-capable is passed as it is."""
    if hasattr(values, "__arrow_c_array__") or hasattr(values, "__arrow_c_stream__"):
        return values
    return _array("identifiers", values)


def validate_cpf_batch(values: Any) -> Any:
    """Validates many CPFs at once: a list, numpy array, pandas or polars Series or pyarrow
    array of text. Returns a numpy bool array; null (None, NaN) is never valid. Integers
    are refused (``TypeError``): a CPF held as a number has lost its leading zeros."""
    return _news2._validate_cpf_arrow(_identifier_array(values))


def validate_cns_batch(values: Any) -> Any:
    """Validates many CNSs at once, as ``validate_cpf_batch`` does CPFs."""
    return _news2._validate_cns_arrow(_identifier_array(values))
