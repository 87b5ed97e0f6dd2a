"""The analytics pages and the data tables, measured in Chromium on a laptop and on a phone.

On the laptop (1366 px) the analytics use a wide column and show every column of a table; on
the phone (360 px) the tables of three columns or more, and the tables of lessons, become one
labelled card per row; at both, chart text shows at 12 CSS px or more and stays in its chart.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from ..support import PASSWORD, SLUG
from ..test_analytics import BASE, story  # noqa: F401  (the fixture)
from .steps import log_in

pytestmark = pytest.mark.browser

LAPTOP, PHONE = {"width": 1366, "height": 768}, {"width": 360, "height": 740}
SIZES = {"laptop": LAPTOP, "phone": PHONE}
LESSON_WITH_A_TABLE = f"/courses/{SLUG}/lessons/values-and-principles"

# Each chart's text: its size on screen (the font size in the chart's units times the chart's
# scale) and whether it lies inside the chart's box.
CHART_TEXT = """svg => {
  const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll("text")].map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
            inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5
                    && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5};
  });
}"""

# A table and the box it shows in: the wrapper that would scroll it, else its parent. Cells of a
# header row hidden for the phone's cards (kept for screen readers) are left out.
TABLE_FIT = """table => {
  const box = table.closest(".table-wrap") || table.parentElement;
  const frame = box.getBoundingClientRect();
  const cells = [...table.querySelectorAll("th, td")].filter(c => {
    const head = c.closest("thead");
    return !(head && getComputedStyle(head).position === "absolute")
      && getComputedStyle(c).display !== "none";
  });
  return {
    scrolls: box.scrollWidth > box.clientWidth || table.scrollWidth > table.clientWidth,
    clipped: cells.filter(c => {
      const r = c.getBoundingClientRect();
      return r.left < frame.left - 0.5 || r.right > frame.right + 0.5;
    }).map(c => c.textContent.trim()),
    cells: cells.length,
  };
}"""

# Each body cell of a table: its column's header, its label, the label drawn before it, and how
# it is laid out.
CELL_LABELS = """table => {
  const heads = [...table.querySelectorAll("thead th")].map(th => th.textContent.trim());
  return [...table.querySelectorAll("tbody tr")].flatMap(tr => [...tr.children].map((c, i) => ({
    header: heads[i], label: c.getAttribute("data-label"), tag: c.tagName,
    before: getComputedStyle(c, "::before").content, display: getComputedStyle(c).display,
    empty: c.textContent.trim() === "",
  })));
}"""


def page_at(browser: Browser, size: dict) -> Page:
    return browser.new_context(viewport=size).new_page()


def no_sideways_scroll(page: Page) -> None:
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def assert_charts_readable(page: Page) -> int:
    charts = page.locator("svg.chart").all()
    assert charts
    for chart in charts:
        for text in chart.evaluate(CHART_TEXT):
            assert text["px"] >= 12, f"{text['text']!r} shows at {text['px']:.1f} px"
            assert text["inside"], f"{text['text']!r} runs out of its chart"
    return len(charts)


def assert_tables_fit(page: Page, selector: str) -> None:
    tables = page.locator(selector).all()
    assert tables
    for table in tables:
        table.scroll_into_view_if_needed()
        fit = table.evaluate(TABLE_FIT)
        assert fit["cells"] and not fit["scrolls"] and fit["clipped"] == [], fit


def assert_cards(table) -> None:
    """Every value of the table shows as a labelled line of a card, labelled by its column."""
    cells = table.evaluate(CELL_LABELS)
    assert cells
    for cell in cells:
        if cell["empty"]:
            assert cell["display"] == "none", cell  # no label without a value
            continue
        assert cell["display"] in {"block", "grid"}, cell  # a line of a card, not a column
        if cell["tag"] == "TD":
            assert cell["label"] == cell["header"], cell
            assert cell["label"] in cell["before"], cell  # shown, hidden from screen readers
            assert cell["before"].endswith('/ ""'), cell


def assert_still_a_table(page: Page, cells: int) -> None:
    """Chromium's accessibility tree still has the table, its headers and its cells."""
    cdp = page.context.new_cdp_session(page)
    nodes = [n for n in cdp.send("Accessibility.getFullAXTree")["nodes"] if not n["ignored"]]
    roles = [n["role"]["value"] for n in nodes if "role" in n]
    assert "table" in roles and "columnheader" in roles and "row" in roles
    assert roles.count("cell") + roles.count("rowheader") >= cells


@pytest.mark.parametrize("size", SIZES)
def test_the_quiz_analytics_show_every_column_and_readable_charts(
        browser: Browser, live_server, story, size):  # noqa: F811
    page = page_at(browser, SIZES[size])
    log_in(page, live_server, "teacher@example.org", PASSWORD)
    page.goto(f"{live_server}{BASE}/quizzes")
    expect(page.get_by_text("Misleading:").first).to_be_visible()
    no_sideways_scroll(page)
    assert_tables_fit(page, "table.option-table")
    flagged = page.locator("table.option-table tr.is-flagged").first
    expect(flagged.get_by_role("cell", name="Most chosen wrong option")).to_be_visible()
    assert_charts_readable(page)
    main = page.locator("main").bounding_box()
    if size == "laptop":
        assert main["width"] > 900
        # The chart and its table side by side, the table with all four columns.
        pair = page.locator(".question-stat .chart-pair").first
        chart = pair.locator("svg.chart").bounding_box()
        table = pair.locator("table").bounding_box()
        assert chart["x"] + chart["width"] <= table["x"]
        expect(pair.get_by_role("columnheader", name="Share of answers")).to_be_visible()
        expect(pair.get_by_role("columnheader", name="Note")).to_be_visible()
    else:
        assert_cards(page.locator("table.option-table").first)
    page.context.close()


@pytest.mark.parametrize("size", SIZES)
def test_the_overview_charts_keep_their_labels_inside_and_readable(
        browser: Browser, live_server, story, size):  # noqa: F811
    page = page_at(browser, SIZES[size])
    log_in(page, live_server, "teacher@example.org", PASSWORD)
    page.goto(f"{live_server}{BASE}?start=2026-03-01&end=2026-03-31")
    expect(page.get_by_role("img", name="New enrolments per day")).to_be_visible()
    no_sideways_scroll(page)
    assert assert_charts_readable(page) == 2
    ticks = page.locator("#enrolments-chart .chart-tick")
    expect(ticks.last).to_have_text("2026-03-31")
    chart, last = (page.locator("#enrolments-chart").bounding_box(), ticks.last.bounding_box())
    assert last["x"] + last["width"] <= chart["x"] + chart["width"] + 0.5
    assert_tables_fit(page, "#funnel-table")
    if size == "laptop":
        assert page.locator("main").bounding_box()["width"] > 900
    else:
        assert_cards(page.locator("#funnel-table"))
    page.context.close()


def assert_stacked(page: Page, selector: str):
    """The (first) table ``selector`` finds, shown as labelled cards that fit the phone and
    are still a table to a screen reader."""
    table = page.locator(selector).first
    expect(table).to_be_visible()
    no_sideways_scroll(page)
    assert_tables_fit(page, selector)
    assert_cards(table)
    assert_still_a_table(page, table.locator("td").count())
    return table


def test_on_a_phone_quiz_results_are_labelled_cards(browser: Browser, live_server, story):  # noqa: F811
    page = page_at(browser, PHONE)
    log_in(page, live_server, "ada@example.org", PASSWORD)
    page.goto(f"{live_server}/dashboard")
    table = assert_stacked(page, "section[aria-labelledby=my-quizzes] table")
    expect(table.locator("td[data-label='Best score']").first).to_have_text("100%")
    page.context.close()


def test_on_a_phone_a_lessons_table_is_labelled_cards(browser: Browser, live_server, story):  # noqa: F811
    page = page_at(browser, PHONE)
    page.goto(live_server + LESSON_WITH_A_TABLE)
    table = assert_stacked(page, ".lesson-body table")
    expect(table.locator("td").first).to_have_attribute("data-label", "Value in the ILO definition")
    page.context.close()


def test_on_a_laptop_a_lessons_table_stays_a_grid(browser: Browser, live_server, story):  # noqa: F811
    page = page_at(browser, LAPTOP)
    page.goto(live_server + LESSON_WITH_A_TABLE)
    table = page.locator(".lesson-body table").first
    expect(table.locator("thead")).to_be_visible()
    assert table.evaluate("t => getComputedStyle(t).display") == "table"
    assert table.locator("td").first.evaluate("c => getComputedStyle(c).display") == "table-cell"
    assert_tables_fit(page, ".lesson-body table")
    page.context.close()
