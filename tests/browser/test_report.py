"""The auditor's report as a person sees it: the example city's report in
headless Chromium (Debian's `chromium`, driven by Playwright without a
browser download).

It checks that the page logs no console error and makes no request but its
own file, that every chart is drawn with a non-empty box, that it prints to
A4 pages with no table wider than the printable width, and it saves a
screenshot of the first page under `target/report/`, with the page and its
PDF (and into `docs/report.png` when `DAICHO_UPDATE_DOCS=1`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, sync_playwright
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "target" / "report"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A4 in PDF points, and its printable width in CSS pixels (96 per inch) with
# the style sheet's 12 mm side margins.
A4_POINTS = (595.28, 841.89)
PRINTABLE_WIDTH_PX = (210 - 2 * 12) / 25.4 * 96
CHARTS = 8


def daicho() -> Path:
    """The CLI, built when missing."""
    exe = ROOT / "target" / "debug" / "daicho"
    if not exe.exists():
        subprocess.run(
            ["cargo", "build", "--quiet", "--locked", "-p", "daicho-cli"], cwd=ROOT, check=True
        )
    return exe


def run(directory: Path, *args: str) -> None:
    """Runs the CLI in `directory` on its `register.db` (the cover shows that name)."""
    subprocess.run(
        [str(daicho()), *args],
        cwd=directory,
        env={**os.environ, "DAICHO_DB": "register.db", "DAICHO_ACTOR": "情報政策課 監査担当"},
        check=True,
        stdout=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def reports() -> Iterator[dict[str, Path]]:
    """The example register as `scripts/demo` builds it, with some risk
    assessments and changes, a recorded run with corrections taken up, and a
    campaign one section attested, and its report in Japanese and English."""
    with tempfile.TemporaryDirectory() as tmp:
        here = Path(tmp)
        inventory = ROOT / "examples" / "inventory"
        run(here, "init", "--policy", "niigata")
        run(here, "import", str(inventory / "assets.csv"))
        run(here, "import", "--links", str(inventory / "links.csv"))
        for asset, threat, likelihood, vulnerability in [
            ("住民基本台帳システム", "intentional", "3", "2"),
            ("住民基本台帳システム", "disaster", "1", "1"),
            ("LGWAN接続系ネットワーク", "unintentional", "2", "3"),
            ("インターネットメールサーバ", "intentional", "3", "3"),
            ("人事給与システム", "infrastructure", "2", "2"),
        ]:
            run(here, "risk", "set", asset, threat, likelihood, vulnerability)
        run(here, "edit", "人事給与システム", "--confidentiality", "3C")
        run(here, "edit", "戸籍届書（紙）", "--reviewed-on", "2026-11-25")
        run(here, "check", "--record", "--fail-on", "never")
        run(here, "findings", "set", "1", "--status", "in_progress", "--owner", "情報政策課")
        run(here, "findings", "set", "2", "--owner", "人事課", "--due", "2026-03-31")
        run(here, "campaign", "start", "2026", "--due", "2026-11-30")
        run(here, "attest", "--dept", "市民生活部 市民課", "--org", "mayor", "--by", "課長")
        files = {}
        for lang in ("ja", "en"):
            path = here / f"report-{lang}.html"
            # As of today: the changes just made fall in the last month shown.
            run(here, "report", "-o", path.name, "--city", "みなと市", "--lang", lang)
            files[lang] = path
        # Kept for a person to look at, beside the PDF and the screenshot.
        OUT.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(files["ja"], OUT / "report.html")
        yield files


@pytest.fixture(scope="module")
def browser() -> Iterator[BrowserContext]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            viewport={"width": 794, "height": 1123},
        )
        yield context
        context.close()


class Visit:
    """A page opened on a report, with what it logged and requested."""

    def __init__(self, context: BrowserContext, report: Path) -> None:
        self.url = report.as_uri()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page: Page = context.new_page()
        self.page.on(
            "console", lambda m: self.errors.append(m.text) if m.type == "error" else None
        )
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url}"))
        self.page.goto(self.url, wait_until="load")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_page_loads_nothing_and_logs_no_error(
    browser: BrowserContext, reports: dict[str, Path], lang: str
) -> None:
    visit = Visit(browser, reports[lang])
    visit.page.emulate_media(media="print")
    visit.page.pdf()
    assert visit.errors == []
    # Its own file is the only request, on screen and in print.
    assert visit.requests == [visit.url]
    visit.page.close()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_chart_is_drawn(browser: BrowserContext, reports: dict[str, Path], lang: str) -> None:
    visit = Visit(browser, reports[lang])
    boxes = visit.page.eval_on_selector_all(
        "svg.chart",
        "charts => charts.map(c => { const r = c.getBoundingClientRect();"
        " return [c.id, r.width, r.height, c.querySelectorAll('rect, text').length]; })",
    )
    assert len(boxes) == CHARTS, boxes
    for chart, width, height, marks in boxes:
        assert width > 0 and height > 0, chart
        assert marks > 0, chart
    # Every chart has its numbers in a table beside or below it.
    tables_after = visit.page.eval_on_selector_all(
        "svg.chart",
        "charts => charts.map(c => { const f = c.closest('figure');"
        " let n = f.nextElementSibling; while (n && n.tagName !== 'TABLE') n = n.nextElementSibling;"
        " return !!n; })",
    )
    assert all(tables_after), tables_after
    visit.page.close()


def test_it_prints_to_a4_with_every_table_inside_the_page(
    browser: BrowserContext, reports: dict[str, Path]
) -> None:
    visit = Visit(browser, reports["ja"])
    page = visit.page
    page.set_viewport_size({"width": int(PRINTABLE_WIDTH_PX), "height": 1000})
    page.emulate_media(media="print")
    widest = page.eval_on_selector_all(
        "table", "tables => tables.map(t => t.getBoundingClientRect().right)"
    )
    assert widest, "the report has tables"
    assert max(widest) <= PRINTABLE_WIDTH_PX + 0.5, max(widest)
    assert page.evaluate("document.documentElement.scrollWidth") <= PRINTABLE_WIDTH_PX + 0.5
    repeated = page.eval_on_selector_all(
        "thead", "heads => heads.every(h => getComputedStyle(h).display === 'table-header-group')"
    )
    assert repeated

    OUT.mkdir(parents=True, exist_ok=True)
    pdf = OUT / "report.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    pages = PdfReader(pdf).pages
    # The cover, then at least a page for each of the eight sections.
    assert len(pages) >= 9
    for number, sheet in enumerate(pages, 1):
        size = (float(sheet.mediabox.width), float(sheet.mediabox.height))
        assert abs(size[0] - A4_POINTS[0]) < 1 and abs(size[1] - A4_POINTS[1]) < 1, (number, size)
    page.close()


def test_a_screenshot_of_the_first_page(browser: BrowserContext, reports: dict[str, Path]) -> None:
    visit = Visit(browser, reports["ja"])
    OUT.mkdir(parents=True, exist_ok=True)
    shot = OUT / "report-first-page.png"
    visit.page.locator("section.cover").screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    if os.environ.get("DAICHO_UPDATE_DOCS") == "1":
        (ROOT / "docs").mkdir(exist_ok=True)
        shutil.copyfile(shot, ROOT / "docs" / "report.png")
    visit.page.close()
