"""Tables as rows: data frames, Arrow tables and dicts of columns as mappings, for the
entry points that work record by record (``assemble``, ``replay``)."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import Any


def instance_of(data: Any, module: str, name: str) -> bool:
    """Whether ``data`` is ``module.name``, without importing ``module``."""
    loaded = sys.modules.get(module)
    cls = getattr(loaded, name, None) if loaded is not None else None
    return isinstance(cls, type) and isinstance(data, cls)


def records(data: Any, keys: Sequence[str]) -> Any:
    """``data`` as an iterable of mappings holding (at most) ``keys``.

    Takes a pandas or polars DataFrame, a pyarrow Table or RecordBatch, a dict of columns,
    or an iterable of mappings (returned as it is).
    """
    if instance_of(data, "pandas", "DataFrame"):
        return data[[c for c in keys if c in data.columns]].to_dict("records")
    if instance_of(data, "polars", "DataFrame"):
        return data.select([c for c in keys if c in data.columns]).to_dicts()
    if instance_of(data, "pyarrow", "Table") or instance_of(data, "pyarrow", "RecordBatch"):
        return data.select([c for c in keys if c in data.schema.names]).to_pylist()
    if isinstance(data, Mapping):
        columns = [c for c in keys if c in data]
        return [dict(zip(columns, row)) for row in zip(*(data[c] for c in columns))]
    return data
