"""`Register.report`: the auditor's report from Python."""

from __future__ import annotations

import datetime
import re
import stat
from pathlib import Path

import pytest
from conftest import add_system

import daicho

INVENTORY = Path(__file__).resolve().parents[2] / "examples" / "inventory"


def counts(html: str) -> dict[str, int]:
    """The page's numbers by the key it gives each (`summary.by_kind.information`)."""
    return {key: int(n) for key, n in re.findall(r'data-count="([^"]+)">(\d+)<', html)}


def test_the_report_holds_the_summary_and_the_check(
    register: daicho.Register, tmp_path: Path
) -> None:
    register.import_csv(INVENTORY / "assets.csv", links=INVENTORY / "links.csv")
    today = datetime.date(2026, 11, 25)
    path = tmp_path / "報告書.html"
    findings = register.report(path, today=today, city="みなと市")
    check = register.check(today=today)
    assert findings == len(check.findings) > 0
    html = path.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="ja">' in html
    assert "みなと市" in html and "監査報告書" in html
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    numbers = counts(html)
    summary = register.summary()
    for key in ("total", "in_scope", "excluded", "disposed", "links"):
        assert numbers[f"summary.{key}"] == summary[key]
    for kind, n in summary["by_kind"].items():
        assert numbers[f"summary.by_kind.{kind}"] == n
    for org, levels in summary["by_organization"].items():
        for level, n in levels.items():
            assert numbers[f"summary.by_organization.{org}.{level}"] == n
    severities = [f.severity for f in check.findings]
    for severity in ("error", "warning", "info"):
        assert numbers[f"check.severity.{severity}"] == severities.count(severity)


def test_english_escaped_and_not_written_over(register: daicho.Register, tmp_path: Path) -> None:
    add_system(register, name="<script>alert(1)</script> & 課")
    path = tmp_path / "report.html"
    register.report(str(path), lang="en")
    html = path.read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "audit report" in html
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 課" in html
    assert "http://" not in html and "https://" not in html
    with pytest.raises(FileExistsError):
        register.report(path)
    register.report(path, overwrite=True)
    assert '<html lang="ja">' in path.read_text(encoding="utf-8")


def test_an_unknown_language_is_refused(register: daicho.Register, tmp_path: Path) -> None:
    with pytest.raises(daicho.DaichoError, match="lang"):
        register.report(tmp_path / "r.html", lang="fr")  # type: ignore[arg-type]
    assert not (tmp_path / "r.html").exists()


def test_as_of_a_past_day_is_that_days_register(
    register: daicho.Register, tmp_path: Path
) -> None:
    add_system(register, name="基幹系 <今日>")
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    path = tmp_path / "as-of.html"
    assert register.report(path, as_of=yesterday, lang="en") == 0
    html = path.read_text(encoding="utf-8")
    assert counts(html)["summary.total"] == register.summary(as_of=yesterday)["total"] == 0
    assert f'data-as-of="{yesterday.isoformat()}"' in html
    assert "基幹系" not in html
    # The register itself is as it was, and its report today counts the system.
    register.report(path, overwrite=True, as_of=datetime.date.today().isoformat())
    html = path.read_text(encoding="utf-8")
    assert counts(html)["summary.total"] == register.summary()["total"] == 1
    assert "基幹系 &lt;今日&gt;" in html
    assert counts(html)["findings.status.open"] == 0
    with pytest.raises(ValueError):
        register.report(path, overwrite=True, as_of="yesterday")
