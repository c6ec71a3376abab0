"""Open a generated report.html in headless Chromium: offline, error-free, every chart drawn.

Skips where Debian's ``chromium`` is absent (CI installs it: ``.ci/run`` ``ensure_chromium``).
"""

import pytest

from backtest.report import write_report
from tests.builders.runs import make_market_making_run
from tests.integration.report.chromium import CHROMIUM, HeadlessChromium

pytestmark = pytest.mark.skipif(
    not CHROMIUM.is_file(),
    reason=f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)",
)

EXPECTED_CHARTS = [
    "chart-equity",
    "chart-pnl",
    "chart-drawdown",
    "chart-quotes-btcusdt-binance",
    "chart-inventory-btcusdt-binance",
    "chart-quotes-ethusdt-binance",
    "chart-inventory-ethusdt-binance",
]

# For each figure.chart: its id, whether it has an <svg> with a rendered size, and how many of
# its series paths have a non-empty bounding box in the laid-out page.
_CHARTS_JS = """
[...document.querySelectorAll('figure.chart')].map(figure => {
  const svg = figure.querySelector('svg');
  const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
  const drawn = [...figure.querySelectorAll('path.series')].filter(path => {
    const b = path.getBBox();
    return path.getTotalLength() > 0 && (b.width > 0 || b.height > 0);
  });
  return {id: figure.id, width: box.width, height: box.height, drawn: drawn.length,
          ticks: figure.querySelectorAll('.tick-label').length};
})
"""


@pytest.fixture(scope="module")
def browser_session(tmp_path_factory: pytest.TempPathFactory):
    """Write a two-instrument report, open it in Chromium, save a screenshot; yield both."""
    tmp_path = tmp_path_factory.mktemp("report-browser")
    run_dir = make_market_making_run(tmp_path)
    write_report(run_dir)
    with HeadlessChromium() as browser:
        browser.open((run_dir / "report.html").as_uri())
        screenshot = browser.screenshot(tmp_path / "report.png")
        yield browser, screenshot


def test_report_loads_without_console_errors_or_exceptions(browser_session):
    browser, _ = browser_session
    problems = [
        event["params"]
        for event in browser.events_named("Runtime.exceptionThrown", "Runtime.consoleAPICalled")
        if event["method"] == "Runtime.exceptionThrown" or event["params"]["type"] == "error"
    ]
    problems += [
        event["params"]["entry"]
        for event in browser.events_named("Log.entryAdded")
        if event["params"]["entry"]["level"] == "error"
    ]
    assert problems == []


def test_report_requests_nothing_but_its_own_file(browser_session):
    browser, _ = browser_session
    urls = [
        event["params"]["request"]["url"]
        for event in browser.events_named("Network.requestWillBeSent")
    ]
    assert len(urls) == 1
    assert urls[0].startswith("file://")
    assert urls[0].endswith("/report.html")


def test_report_shows_every_chart_with_drawn_series_and_axes(browser_session):
    browser, _ = browser_session
    charts = browser.evaluate(_CHARTS_JS)
    assert [chart["id"] for chart in charts] == EXPECTED_CHARTS
    for chart in charts:
        assert chart["width"] > 400, chart
        assert chart["height"] > 100, chart
        assert chart["drawn"] >= 1, chart
        assert chart["ticks"] >= 4, chart


def test_report_shows_title_and_statistics_table(browser_session):
    browser, _ = browser_session
    title, heading, stat_rows = browser.evaluate(
        "[document.title, document.querySelector('h1').innerText,"
        " document.querySelectorAll('#stats-table tbody tr:not(.group)').length]"
    )
    assert title == "Backtest report: as_maker"
    assert heading == "Backtest report: as_maker"
    assert stat_rows >= 16


def test_report_screenshot_is_a_png_of_the_full_page(browser_session):
    _, screenshot = browser_session
    data = screenshot.read_bytes()
    height = int.from_bytes(data[20:24], "big")
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert height > 2000
