"""The server-side bar chart: a well-formed SVG with one bar a number, none for a hidden count,
and every text escaped."""

import xml.etree.ElementTree as ET

from reports.charts import BAR_WIDTH, STACKED, bar_chart
from reports.suppression import HIDDEN, SMALL

SVG = "{http://www.w3.org/2000/svg}"


def test_bars_are_scaled_to_the_largest_number_and_hidden_counts_get_none() -> None:
    svg = bar_chart("Bashkitë <2026>", [("Kukës", 20), ("Has", SMALL), ("Tropojë", 10),
                                         ("Gjithsej", HIDDEN)])
    root = ET.fromstring(svg)

    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Bashkitë <2026>"
    widths = [int(rect.get("width")) for rect in root.iter(f"{SVG}rect")]
    assert widths == [BAR_WIDTH, BAR_WIDTH // 2]  # Kukës and Tropojë; no bar for <5 or *
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert ["Has", "<5"] == texts[texts.index("Has"):texts.index("Has") + 2]
    assert "*" in texts


def test_names_cannot_inject_markup() -> None:
    svg = bar_chart("t", [('<script>alert(1)</script>"&', 7)])

    assert "<script>" not in svg and "&lt;script&gt;" in svg
    ET.fromstring(svg)  # still well-formed
    assert bar_chart("empty", []).count("<rect") == 0


def test_the_narrow_layout_puts_each_label_above_its_bar_and_ids_are_the_charts_own() -> None:
    svg = bar_chart("Kanalet", [("Telegram", 16), ("WhatsApp", 8), ("Web", SMALL)],
                    "chart-channels", STACKED)
    root = ET.fromstring(svg)

    assert int(root.get("width")) <= 340
    assert [(r.get("x"), int(r.get("width"))) for r in root.iter(f"{SVG}rect")] == [
        ("0", STACKED.bar_width), ("0", STACKED.bar_width // 2)]
    assert root.get("aria-labelledby") == "chart-channels-title"
    assert root.find(f"{SVG}title").get("id") == "chart-channels-title"
    assert "style=" not in svg  # a page that allows no inline style draws it the same
