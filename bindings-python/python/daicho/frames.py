"""DataFrame schemas for `Register.to_records()` rows.

pandas infers a usable frame from the rows as they are. polars infers each column's
type from the first 100 rows: where those lack an optional field (no manager yet), it
infers `Null` and then refuses the first row that has one. Give it the schema:

>>> import polars as pl  # doctest: +SKIP
>>> frame = pl.DataFrame(register.to_records(), schema=daicho.frames.polars_schema())  # doctest: +SKIP

The schema follows `daicho.types.AssetRecord`, whose keys are the rows' keys.

`register.to_polars()` and `register.to_pandas()` need no schema: they build the frame from
typed Arrow batches (codes as categories, `extra` as JSON text), with no dict per row.
"""

from __future__ import annotations

from typing import Any

from .types import AssetRecord


def polars_schema() -> dict[str, Any]:
    """The polars type of every key of a record, in the rows' order (polars must be
    installed). `extra` is a Python object column (its keys differ between cities)."""
    import polars as pl

    types: dict[str, Any] = {
        "str": pl.String,
        "bool": pl.Boolean,
        "int": pl.Int64,
        "Tuple[str, ...]": pl.List(pl.String),
        "datetime.date": pl.Date,
        "datetime.datetime": pl.Datetime("us", "UTC"),
        "Dict[str, str]": pl.Object,
    }
    schema: dict[str, Any] = {}
    for key, annotation in AssetRecord.__annotations__.items():
        # `from __future__ import annotations`: each is a forward reference's text.
        text = getattr(annotation, "__forward_arg__", annotation)
        if text.startswith("Optional[") and text.endswith("]"):
            text = text[len("Optional[") : -1]
        schema[key] = types[text]
    return schema
