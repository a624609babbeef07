"""The Python examples in examples/python run, and print what they promise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import Location

import daicho

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "python"


def run_example(name: str, *args: str) -> str:
    completed = subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""
    return completed.stdout


def test_my_number_systems(location: Location) -> None:
    pytest.importorskip("pandas")
    db = location
    with daicho.Register.create(db) as register:
        common: dict[str, Any] = {"integrity": "2", "availability": "2"}
        juki = register.add(
            kind="ア",
            name="住民基本台帳システム",
            organization="市長部局",
            confidentiality="3B",
            segment="マイナンバー利用事務系",
            record_count=312_540,
            **common,
        )
        register.add(
            kind="ア",
            name="税務システム",
            organization="市長部局",
            confidentiality="3A",
            segment="mynumber",
            my_number=True,
            **common,
        )
        water = register.add(
            kind="ア",
            name="水道料金システム",
            organization="水道局",
            confidentiality="3B",
            segment="lgwan",
            **common,
        )
        register.add(
            kind="ア",
            name="庁内メール",
            organization="市長部局",
            confidentiality="2",
            segment="lgwan",
            **common,
        )
        for name, target in (("住民票データ", juki), ("個人番号付き口座データ", water)):
            info = register.add(
                kind="イ", name=name, organization="mayor", confidentiality="3B", my_number=True, **common
            )
            register.link(info, "stored_on", target)
        plain = register.add(kind="イ", name="広報原稿", organization="mayor", confidentiality="2", **common)
        register.link(plain, "stored_on", juki)

    assert run_example("my_number_systems.py", str(db)) == (
        "特定個人情報を保有するシステム: 3 件\n"
        "\n"
        "市長部局 (mayor): 2 件\n"
        "  - 住民基本台帳システム  機密性3B  mynumber  312,540人  格納情報 1 件\n"
        "  - 税務システム  機密性3A  mynumber\n"
        "\n"
        "水道局 (waterworks): 1 件\n"
        "  - 水道料金システム  機密性3B  lgwan  格納情報 1 件\n"
    )


def test_my_number_systems_on_an_empty_register(location: Location) -> None:
    pytest.importorskip("pandas")
    db = location
    daicho.Register.create(db).close()
    assert run_example("my_number_systems.py", str(db)) == "特定個人情報を保有するシステム: 0 件\n"


def test_my_number_systems_on_the_sample_inventory(location: Location) -> None:
    pytest.importorskip("pandas")
    inventory = EXAMPLES.parent / "inventory"
    db = location
    with daicho.Register.create(db) as register:
        register.import_csv(inventory / "assets.csv", links=inventory / "links.csv")
    # The file server in the LGWAN segment holds 特定個人情報 through a stored_on link:
    # the kind of gap the script is for.
    assert run_example("my_number_systems.py", str(db)) == (
        "特定個人情報を保有するシステム: 6 件\n"
        "\n"
        "市長部局 (mayor): 6 件\n"
        "  - 介護保険システム  機密性3B  mynumber  71,405人  格納情報 1 件\n"
        "  - 住民基本台帳システム  機密性3B  mynumber  312,540人  格納情報 1 件\n"
        "  - 住民基本台帳システム遠隔地バックアップ  機密性3B  mynumber  312,540人\n"
        "  - 国民健康保険システム  機密性3B  mynumber  58,213人  格納情報 1 件\n"
        "  - 庁内ファイルサーバ  機密性3B  lgwan  格納情報 1 件\n"
        "  - 税務システム  機密性3B  mynumber  241,870人  格納情報 1 件\n"
    )
