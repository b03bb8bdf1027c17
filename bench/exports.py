"""Export benchmark (part of `make bench`): the time to build each briefing format for the default five-step
sequence, beside floors measured in the same run (this machine is noisy: compare the ratios).

Floors: python-pptx writing five empty slides; WeasyPrint laying out five plain pages; vl-convert drawing one
bar chart to PNG. What an export costs above them is the maps: each is a Vega-Lite map drawn by vl-convert.
"""

from __future__ import annotations

import io
import statistics
import time

from dashboard.exchange.decks import default_sequence
from dashboard.model.geography import load_geography
from dashboard.model.impact import assess
from dashboard.render import images, maps, pack, slides
from dashboard.render.static_map import print_map
from dashboard.sources import seeds

ROUNDS = 2


def timed(build) -> tuple[float, float, int]:
    """(wall s, CPU s, bytes) of the median round."""
    runs = []
    for _ in range(ROUNDS):
        wall, cpu = time.perf_counter(), time.process_time()
        size = len(build())
        runs.append((time.perf_counter() - wall, time.process_time() - cpu, size))
    return sorted(runs)[len(runs) // 2]


def empty_pptx() -> bytes:
    from pptx import Presentation

    deck = Presentation()
    for _ in range(5):
        deck.slides.add_slide(deck.slide_layouts[6])
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def plain_pdf() -> bytes:
    import weasyprint

    pages = "".join(f"<section style='page-break-after: always'><h1>Page {k}</h1></section>" for k in range(5))
    return weasyprint.HTML(string=f"<html><body>{pages}</body></html>").write_pdf()


def bar_png() -> bytes:
    return images.png(
        {
            "data": {"values": [{"a": k, "b": k * k} for k in range(10)]},
            "mark": "bar",
            "encoding": {"x": {"field": "a", "type": "ordinal"}, "y": {"field": "b", "type": "quantitative"}},
        }
    )


def main() -> int:
    geo = load_geography()
    steps = default_sequence()
    impacts = [assess(geo, s.scenario) for s in steps]
    timeline = seeds.load_table(seeds.TIMELINE)
    figures = pack.figure_charts_for_pack(seeds.load_registry(), seeds.load_table(seeds.EXTERNAL), timeline)
    briefing = slides.briefing_slides(geo, steps, impacts)
    bar_png()  # vl-convert's engine starts once per process: not part of any figure below
    floors = {"pptx": timed(empty_pptx), "pdf": timed(plain_pdf), "png": timed(bar_png)}
    rows = [
        ("PowerPoint, 5 steps (9 slides)", timed(lambda: slides.to_pptx(briefing)), "pptx"),
        ("PDF, 5 steps (9 pages)", timed(lambda: slides.to_pdf(briefing)), "pdf"),
        (
            "HTML pack, 5 steps + 4 charts",
            timed(lambda: pack.pack_html(geo, steps, impacts, figures, "", timeline)),
            "png",
        ),
        (
            "map image PNG (>= 1920 px)",
            timed(lambda: images.png_at_least(print_map(geo, impacts[0], maps.alt_text(impacts[0])), 1920)),
            "png",
        ),
        ("map image SVG", timed(lambda: images.svg(print_map(geo, impacts[0], maps.alt_text(impacts[0])))), "png"),
    ]
    print(f"export build times, median of {ROUNDS} rounds (wall / CPU), floors measured in the same run")
    for name, floor in floors.items():
        print(f"  floor {name:<5} {floor[0] * 1000:8.0f} ms wall {floor[1] * 1000:8.0f} ms CPU")
    for label, (wall, cpu, size), floor in rows:
        ratio = wall / floors[floor][0]
        print(f"  {label:<32} {wall:6.2f} s wall {cpu:6.2f} s CPU {size / 1e6:6.2f} MB  {ratio:7.0f}x floor {floor}")
    per_map = statistics.median([timed(lambda i=i: slides.slide_png(geo, i))[0] for i in impacts[:2]])
    print(f"  one slide map (PNG at 1.5x)      {per_map:6.2f} s wall")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
