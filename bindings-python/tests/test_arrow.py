"""`Register.to_arrow()`, `to_pandas()`, `to_polars()` and `arrow_stream()`: the columns of
`to_records()` as Arrow, held to `to_records()` value for value."""

from __future__ import annotations

import datetime
import json
import math
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

import pytest
from conftest import Location, add_system

import daicho

INVENTORY = Path(__file__).resolve().parents[2] / "examples" / "inventory"

CODES = [
    "kind",
    "organization",
    "confidentiality",
    "integrity",
    "availability",
    "segment",
    "medium",
    "hosting",
    "retention",
    "exclusion_reason",
]
TEXTS = [
    "id",
    "asset_number",
    "name",
    "department",
    "manager",
    "location",
    "provider",
    "contract",
    "disposed_by",
    "disposal_method",
    "disposal_approver",
    "disposal_certificate",
    "notes",
    "extra",
]
FLAGS = ["personal", "sensitive", "my_number"]
INTEGERS = ["record_count", "version"]
DATES = ["reviewed_on", "disposed_on"]
TIMES = ["created_at", "updated_at"]


@pytest.fixture
def minato(new_location: Callable[[str], Location]) -> Iterator[daicho.Register]:
    """The shipped sample inventory (みなと市), assets and links."""
    with daicho.Register.create(new_location("minato.db")) as register:
        register.import_csv(INVENTORY / "assets.csv", links=INVENTORY / "links.csv")
        yield register


def as_record(row: dict[str, Any]) -> dict[str, Any]:
    """An Arrow row (`to_pylist()`, `to_dicts()`) with `to_records()`'s value types:
    controls as a tuple, extra attributes as a dict."""
    row = dict(row)
    row["controls"] = tuple(row["controls"])
    row["extra"] = None if row["extra"] is None else json.loads(row["extra"])
    return row


def add_edge_cases(register: daicho.Register) -> None:
    """Assets with every optional value missing, extra attributes, Japanese and quoted
    text, a disposal, and the largest count."""
    add_system(register, name="最小限の資産")
    add_system(
        register,
        name='全部入り "引用" \\ 資産',
        organization="fire",
        department="消防本部 警防課",
        manager="山田 太郎",
        segment="mynumber",
        medium="server",
        my_number=True,
        personal=True,
        sensitive=True,
        record_count=2**63 - 1,
        controls=["mfa", "backup", "encryption"],
        retention="permanent",
        reviewed_on=datetime.date(2025, 4, 8),
        notes="一行目\n二行目",
        extra={"事務": "住民基本台帳事務", "key \"q\"": "値\n改行", "順序": "二番目"},
    )
    paper = register.add(
        kind="information",
        name="紙の台帳",
        organization="education",
        confidentiality="2",
        integrity="1",
        availability="1",
        medium="paper",
        exclusion_reason="school_education",
    )
    register.dispose(
        paper.id,
        expected_version=paper.version,
        date=datetime.date(2025, 3, 31),
        person="総務課 鈴木",
        method="溶解",
    )


def test_the_schema_types_each_column(register: daicho.Register) -> None:
    pa = pytest.importorskip("pyarrow")
    add_system(register)
    table = register.to_arrow()
    assert table.column_names == list(daicho.types.AssetRecord.__annotations__)
    dictionary = pa.dictionary(pa.int32(), pa.string())
    for name in CODES:
        assert table.schema.field(name).type == dictionary, name
    for name in TEXTS:
        assert table.schema.field(name).type == pa.string(), name
    for name in FLAGS:
        assert table.schema.field(name).type == pa.bool_(), name
    for name in INTEGERS:
        assert table.schema.field(name).type == pa.int64(), name
    for name in DATES:
        assert table.schema.field(name).type == pa.date32(), name
    for name in TIMES:
        assert table.schema.field(name).type == pa.timestamp("us", tz="UTC"), name
    assert table.schema.field("controls").type == pa.list_(pa.string())


def test_the_sample_inventory_is_to_records_value_for_value(minato: daicho.Register) -> None:
    pytest.importorskip("pyarrow")
    records = minato.to_records()
    table = minato.to_arrow()
    assert table.num_rows == len(records) == 68
    assert [as_record(row) for row in table.to_pylist()] == records


@pytest.mark.parametrize(
    "filters",
    [
        {"my_number": True},
        {"organization": "mayor", "kind": "information"},
        {"min_confidentiality": "3A", "disposed": "include"},
        {"name_contains": "ｼｽﾃﾑ"},
        {"disposed": "only"},
        {"department": "存在しない課"},
        {"as_of": datetime.date.today(), "kind": "system_document"},
    ],
)
def test_filters_select_what_to_records_selects(
    minato: daicho.Register, filters: dict[str, Any]
) -> None:
    pytest.importorskip("pyarrow")
    table = minato.to_arrow(**filters)
    assert [as_record(row) for row in table.to_pylist()] == minato.to_records(**filters)


@pytest.mark.parametrize("labels", ["ja", "en"])
def test_labels_are_to_records_labels(
    minato: daicho.Register, labels: Literal["ja", "en"]
) -> None:
    pytest.importorskip("pyarrow")
    table = minato.to_arrow(labels=labels)
    records = minato.to_records(labels=labels)
    assert [as_record(row) for row in table.to_pylist()] == records
    assert "イ 情報" in table.column("kind").to_pylist() or labels == "en"


def test_edge_cases_are_to_records_value_for_value(register: daicho.Register) -> None:
    pytest.importorskip("pyarrow")
    add_edge_cases(register)
    table = register.to_arrow(disposed="include")
    rows = [as_record(row) for row in table.to_pylist()]
    assert rows == register.to_records(disposed="include")
    full = next(row for row in rows if row["name"].startswith("全部入り"))
    assert full["record_count"] == 2**63 - 1
    assert full["extra"] == {"事務": "住民基本台帳事務", "key \"q\"": "値\n改行", "順序": "二番目"}
    # The JSON text keeps the asset's order of keys.
    text = table.column("extra").to_pylist()[rows.index(full)]
    assert list(json.loads(text)) == ["事務", "key \"q\"", "順序"]
    least = next(row for row in rows if row["name"] == "最小限の資産")
    assert least["reviewed_on"] is None and least["extra"] is None and least["controls"] == ()
    paper = next(row for row in rows if row["name"] == "紙の台帳")
    assert paper["disposed_on"] == datetime.date(2025, 3, 31)


def test_an_empty_register_gives_an_empty_table_with_every_column(
    register: daicho.Register,
) -> None:
    pa = pytest.importorskip("pyarrow")
    table = register.to_arrow()
    assert table.num_rows == 0
    assert table.column_names == list(daicho.types.AssetRecord.__annotations__)
    assert table.schema.field("reviewed_on").type == pa.date32()
    assert len(register.arrow_stream()) == 0


def test_batches_hold_at_most_batch_size_rows(minato: daicho.Register) -> None:
    pa = pytest.importorskip("pyarrow")
    stream = minato.arrow_stream(batch_size=10)
    assert stream.num_batches == 7 and len(stream) == 68
    reader = pa.RecordBatchReader.from_stream(stream)
    sizes = [batch.num_rows for batch in reader]
    assert sizes == [10] * 6 + [8]
    # Each read of the stream starts from the first batch; the schema reads alone too.
    again = pa.table(stream)
    assert [as_record(row) for row in again.to_pylist()] == minato.to_records()
    assert pa.schema(stream) == again.schema
    with pytest.raises(daicho.ValidationError) as caught:
        minato.arrow_stream(batch_size=0)
    assert caught.value.field == "batch_size"


def test_many_batches_keep_the_order_and_values_of_to_records(
    register: daicho.Register,
) -> None:
    """3,000 assets: the register hands its rows over 1,024 at a time, the batches hold
    1,000, so that batches and hand-overs cross; names repeat, so that ids order them."""
    pa = pytest.importorskip("pyarrow")
    organizations = ["education", "mayor", "fire"]
    register.import_records(
        {
            "kind": ["network_system", "information", "system_document"][i % 3],
            "asset_number": f"N-{i:04}",
            "name": f"資産 {i % 97}",
            "organization": organizations[i % 3 if i % 7 else 0],
            "confidentiality": ["3A", "2", "1"][i % 3],
            "integrity": "2",
            "availability": "1",
            "segment": "lgwan" if i % 5 == 0 else None,
            "controls": ["mfa", "backup"] if i % 4 == 0 else [],
            "reviewed_on": datetime.date(2025, 1 + i % 12, 1 + i % 28) if i % 2 else None,
            "record_count": i if i % 3 else None,
            "notes": f"備考 {i}" if i % 11 == 0 else None,
            "extra": {"事務": f"事務 {i % 5}"} if i % 6 == 0 else {},
        }
        for i in range(3000)
    )
    stream = register.arrow_stream(batch_size=1000)
    assert stream.num_batches == 3 and len(stream) == 3000
    table = pa.table(stream)
    assert [as_record(row) for row in table.to_pylist()] == register.to_records()
    labelled = register.to_arrow(labels="ja", batch_size=999)
    assert [as_record(row) for row in labelled.to_pylist()] == register.to_records(labels="ja")
    # Each batch has a dictionary of its own: the codes it holds, each once.
    for batch in pa.RecordBatchReader.from_stream(register.arrow_stream(batch_size=1000)):
        column = batch.column("organization")
        assert sorted(column.dictionary.to_pylist()) == sorted(set(column.to_pylist()))


def test_bad_arguments_raise_as_to_records_does(minato: daicho.Register) -> None:
    pytest.importorskip("pyarrow")
    with pytest.raises(daicho.ValidationError):
        minato.to_arrow(labels="fr")  # type: ignore[arg-type]
    with pytest.raises(daicho.ValidationError):
        minato.to_arrow(organization="no-such-organization")
    with pytest.raises(TypeError):
        minato.to_arrow(no_such_filter=True)  # type: ignore[call-arg]


def test_a_closed_register_raises(minato: daicho.Register) -> None:
    minato.close()
    with pytest.raises(daicho.DaichoError):
        minato.arrow_stream()


def test_pandas_gets_categories_and_the_values_of_to_records(minato: daicho.Register) -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    add_edge_cases(minato)
    frame = minato.to_pandas(disposed="include")
    records = minato.to_records(disposed="include")
    assert list(frame.columns) == list(records[0])
    for name in CODES:
        assert isinstance(frame[name].dtype, pd.CategoricalDtype), name
    assert str(frame["created_at"].dtype) == "datetime64[us, UTC]"
    assert frame["personal"].dtype == bool
    for name in CODES + ["id", "name", "department", "notes"]:
        got = [None if pd.isna(v) else v for v in frame[name]]
        assert got == [r[name] for r in records], name  # type: ignore[literal-required]
    for name in DATES:
        got = [None if pd.isna(v) else v for v in frame[name]]
        assert got == [r[name] for r in records], name  # type: ignore[literal-required]
    assert list(frame["created_at"]) == [r["created_at"] for r in records]
    counts = [None if math.isnan(v) else int(v) for v in frame["version"].astype(float)]
    assert counts == [r["version"] for r in records]


def test_polars_gets_categoricals_and_the_values_of_to_records(
    minato: daicho.Register,
) -> None:
    pl = pytest.importorskip("polars")
    add_edge_cases(minato)
    frame = minato.to_polars(disposed="include")
    for name in CODES:
        assert frame.schema[name] == pl.Categorical, name
    assert frame.schema["reviewed_on"] == pl.Date
    assert frame.schema["created_at"] == pl.Datetime("us", "UTC")
    assert frame.schema["record_count"] == pl.Int64
    assert frame.schema["controls"] == pl.List(pl.String)
    rows = [as_record(row) for row in frame.to_dicts()]
    assert rows == minato.to_records(disposed="include")


@pytest.mark.parametrize(
    ("method", "missing", "extra"),
    [
        ("to_arrow", "pyarrow", "arrow"),
        ("to_pandas", "pandas", "pandas"),
        ("to_pandas", "pyarrow", "pandas"),
        ("to_polars", "polars", "polars"),
    ],
)
def test_a_missing_extra_is_named_in_the_import_error(
    register: daicho.Register,
    monkeypatch: pytest.MonkeyPatch,
    method: str,
    missing: str,
    extra: str,
) -> None:
    # A module set to None in sys.modules is one `import` cannot find.
    monkeypatch.setitem(sys.modules, missing, None)
    with pytest.raises(ImportError) as caught:
        getattr(register, method)()
    message = str(caught.value)
    assert f"pip install 'daicho[{extra}]'" in message
    assert message.startswith(f"{method}() には {missing} が必要です")
    assert f"({method}() needs {missing}: " in message


def test_polars_needs_no_pyarrow(minato: daicho.Register, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("polars")
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    assert minato.to_polars().height == 68
