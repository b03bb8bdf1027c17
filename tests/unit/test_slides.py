"""The briefing exports: the PowerPoint file read back with python-pptx, the PDF read back with poppler
(pdftotext, pdftoppm), the map pictures measured; bad sequences give a message or a clean file."""

from __future__ import annotations

import datetime as dt
import html
import io
import math
import re
import subprocess
from dataclasses import replace

import pyproj
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Pt

from dashboard.exchange.decks import default_sequence
from dashboard.model import metrics
from dashboard.model.impact import assess
from dashboard.model.scenario import DEFAULT, Step
from dashboard.render import images, slides
from dashboard.render.fonts import text_width
from dashboard.render.static_map import _mercator_px as static_map_px
from dashboard.render.static_map import legend_keys, print_map, scale_bar_marks, slide_map
from dashboard.render.style import LEGEND

MADE = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)
HOSTILE = "<script>alert(1)</script> **bold** \x00\x1b[31m\u202eevil\u202c " + "long " * 1_980  # ~10,000 characters


@pytest.fixture(scope="module")
def default_deck(geo):
    steps = default_sequence()
    impacts = [assess(geo, s.scenario) for s in steps]
    return steps, impacts, slides.briefing_slides(geo, steps, impacts, made=MADE)


@pytest.fixture(scope="module")
def pptx_file(default_deck):
    heard = []
    data = slides.to_pptx(default_deck[2], lambda done, of, what: heard.append((done, of, what)))
    return Presentation(io.BytesIO(data)), heard


@pytest.fixture(scope="module")
def pdf_text(default_deck, tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "briefing.pdf"
    path.write_bytes(slides.to_pdf(default_deck[2]))
    # -raw: the text in the order the page draws it, so a wrapped legend label beside a second column of labels
    # reads as one label (the default reading order interleaves the two columns line by line)
    pages = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True)
    return path, pages.stdout.split("\f")[:-1]


def test_the_pdf_is_set_in_the_shipped_font_file_its_maps_too(pdf_text):
    """The maps are SVG set by WeasyPrint; the @font-face rules give it the file vl-convert draws the PNGs
    with (render/fonts.py), whatever fonts the system has."""
    listed = subprocess.run(["pdffonts", str(pdf_text[0])], capture_output=True, text=True, check=True).stdout
    families = {line.split()[0].split("+")[-1].replace("-", "") for line in listed.splitlines()[2:]}
    assert families == {"DejaVuSans", "DejaVuSansBold"}, listed


def texts_of(slide) -> list[str]:
    out = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            out.append(shape.text_frame.text)
        if shape.has_table:
            out.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return out


def runs_of(slide):
    for shape in slide.shapes:
        frames = [shape.text_frame] if shape.has_text_frame else []
        if shape.has_table:
            frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
        for frame in frames:
            for para in frame.paragraphs:
                yield from para.runs


def test_the_deck_has_a_title_a_slide_per_step_the_comparison_and_sources(pptx_file, default_deck):
    deck, heard = pptx_file
    steps, _, briefing = default_deck
    compare = [s for s in briefing.slides if s.kind == "compare"]
    per_group = -(-len(steps) // slides.COMPARED_PER_SLIDE)  # the default deck's titles are short
    zone = [s for s in compare if s.title.startswith("The scenarios side by side")]
    events = [s for s in compare if s.title.startswith("Conflict events side by side")]
    assert len(zone) + len(events) == len(compare)  # the zone and its people, then the conflict events
    assert len(events) == per_group
    assert per_group <= len(zone) <= len(steps)  # people with their ranges wrap: a slide may hold fewer
    assert len(deck.slides) == 1 + len(steps) + len(compare) + 1
    assert deck.slide_width / deck.slide_height == pytest.approx(16 / 9, rel=1e-3)
    titles = [texts_of(s)[1] for s in deck.slides]  # [0] is the classification line
    assert titles[0] == slides.DEFAULT_TITLE
    assert titles[1 : 1 + len(steps)] == [s.title for s in steps]
    assert titles[-1] == "Sources and method"
    assert all(texts_of(s)[0] == slides.DEFAULT_CLASSIFICATION for s in deck.slides)
    assert heard[0] == (0, len(steps), steps[0].title) and heard[-1][:2] == (len(steps), len(steps))


def test_each_scenario_slide_has_its_map_its_engine_figures_notes_and_legend(pptx_file, default_deck):
    deck, _ = pptx_file
    steps, impacts, _ = default_deck
    for slide, step, impact in zip(list(deck.slides)[1:], steps, impacts, strict=False):
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1
        width, _ = images.png_size(pictures[0].image.blob)
        assert width >= 1000  # drawn at 1.5× its size: about 180 dpi on the slide
        table = next(s for s in slide.shapes if s.has_table).table
        rows = {row.cells[0].text: row.cells[1].text for row in list(table.rows)[1:]}
        assert rows == {m.label: m.aloud(impact) for m in metrics.headlines(impact)}
        if impact.straddling:  # under the map: the large towns a line crosses, by name
            assert f"{slides.ON_LINES}: {metrics.towns_on_the_lines(impact)}." in texts_of(slide)
        said = slide.notes_slide.notes_text_frame.text  # the briefer's notes, then where the line falls
        assert said == "\n\n".join(p for p in (step.notes, *[" ".join(metrics.where_the_line_falls(impact))]) if p)
        words = texts_of(slide)
        for key in legend_keys(impact, everything=False):
            assert LEGEND[key][0] in words


def test_the_comparison_slides_hold_every_scenario_and_metric(pptx_file, default_deck):
    deck, _ = pptx_file
    steps, impacts, _ = default_deck
    tables = [next(s for s in slide.shapes if s.has_table).table for slide in list(deck.slides)[1 + len(steps) : -1]]
    columns = [cell.text for t in tables for cell in list(t.rows[0].cells)[1:]]
    assert [c.split(". ", 1)[1] for c in columns] == [s.title for s in steps] * 2  # two groups of metrics
    for metric in (metrics.BY_KEY["population_inside"], metrics.BY_KEY["deaths_inside"]):
        values = [
            cell.text
            for t in tables
            for row in t.rows
            if row.cells[0].text == metric.label
            for cell in list(row.cells)[1:]
        ]
        assert values == [metric.aloud(i) for i in impacts]


def test_no_text_on_any_slide_is_smaller_than_14_pt(pptx_file):
    deck, _ = pptx_file
    sizes = [run.font.size for slide in deck.slides for run in runs_of(slide)]
    assert sizes and all(size is not None and size >= Pt(slides.MIN_PT) for size in sizes)


def test_the_pdf_has_a_page_per_slide_with_the_same_words(pdf_text, default_deck):
    path, pages = pdf_text
    steps, impacts, briefing = default_deck
    assert len(pages) == len(briefing.slides)
    assert all(slides.DEFAULT_CLASSIFICATION in page for page in pages)
    for page, step, impact in zip(pages[1:], steps, impacts, strict=False):
        flat = " ".join(page.split())
        assert step.title in flat
        for m in metrics.headlines(impact):  # nothing cut off by the page's edge (a cell may wrap anywhere)
            assert "".join(m.aloud(impact).split()) in "".join(flat.split())
        for key in legend_keys(impact, everything=False):
            assert LEGEND[key][0].split(" (")[0] in flat
    assert "Sources and method" in pages[-1]
    out = path.parent / "page"
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(out)], check=True)
    assert len(list(path.parent.glob("page-*.png"))) == len(briefing.slides)


def test_the_pdf_keeps_the_maps_as_vectors(pdf_text):
    path, _ = pdf_text
    listed = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True).stdout
    assert len(listed.strip().splitlines()) <= 2  # the header lines alone: no map was turned into pixels


def test_an_empty_sequence_is_a_message_not_a_file(geo):
    with pytest.raises(ValueError, match="empty"):
        slides.briefing_slides(geo, [], [])


def test_a_200_step_sequence_draws_each_scenario_once_and_makes_a_clean_file(geo):
    scenarios = [DEFAULT, replace(DEFAULT, inner_km=0.0, outer_km=30.0)]
    steps = [Step(f"Step {k}", f"Notes {k}", scenarios[k % 2]) for k in range(200)]
    impacts = [assess(geo, s) for s in scenarios] * 100
    drawn = []

    def picture(g, impact):
        drawn.append(impact.scenario)
        return slides.slide_png(g, impact)

    briefing = slides.briefing_slides(geo, steps, impacts, made=MADE)
    data = slides.to_pptx(briefing, picture=picture)
    deck = Presentation(io.BytesIO(data))
    assert len(drawn) == 2
    for group in ("The scenarios side by side", "Conflict events side by side"):
        compared = [cell for s in briefing.slides if s.title.startswith(group) for cell in s.table[0][1:]]
        assert [c.split(". ", 1)[1] for c in compared] == [s.title for s in steps]  # each step once, in order
    assert len(deck.slides) == len(briefing.slides) == 1 + 200 + 2 * -(-200 // slides.COMPARED_PER_SLIDE) + 1


def test_markup_control_characters_and_long_text_come_out_as_plain_text(geo, tmp_path):
    step = Step(HOSTILE, HOSTILE + "\nsecond line", DEFAULT)
    impact = assess(geo, DEFAULT)
    briefing = slides.briefing_slides(geo, [step], [impact], title=HOSTILE, classification=HOSTILE, made=MADE)
    deck = Presentation(io.BytesIO(slides.to_pptx(briefing)))
    words = "\n".join(t for s in deck.slides for t in texts_of(s))
    assert "<script>alert(1)</script>" in words  # shown as typed, as text
    assert not any(c in words for c in "\x00\x1b\u202e")
    title = texts_of(deck.slides[1])[1]
    assert len(title) <= slides.TITLE_CHARS
    notes = deck.slides[1].notes_slide.notes_text_frame.text
    assert "second line" in notes and "Full title: <script>" in notes
    pdf = tmp_path / "hostile.pdf"
    pdf.write_bytes(slides.to_pdf(briefing))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "<script>alert(1)</script>" in text and "\u202e" not in text


def test_the_scale_bar_is_as_long_on_the_ellipsoid_as_it_says():
    marks = scale_bar_marks()
    assert [m["km"] for m in marks] == [0, 25, 50]
    ellipsoid = pyproj.Geod(ellps="WGS84")
    for mark in marks:
        _, _, metres = ellipsoid.inv(marks[0]["lon"], mark["lat"], mark["lon"], mark["lat"])
        assert metres / 1000 == pytest.approx(mark["km"], rel=1e-4, abs=1e-6)  # within 5 m over 50 km
    assert marks[-1]["lon"] - marks[0]["lon"] == pytest.approx(50 / (111.32 * math.cos(math.radians(35.06))), rel=5e-3)


def test_the_map_image_is_wide_enough_for_a_slide_and_says_what_it_shows(geo):
    impact = assess(geo, replace(DEFAULT, corridor_km=6.0))
    chart = print_map(geo, impact, caption="A caption")
    assert images.png_size(images.png_at_least(chart, 1920))[0] >= 1920
    svg = images.svg(chart)
    for words in ("Legend", "M4 corridor", "50 km", "N", "A caption", "GeoNames"):
        assert words in svg


def test_a_broken_chart_is_refused_not_drawn_blank():
    broken = {"mark": "rule", "data": {"values": [{"a": 1}]}, "encoding": {"latitude": {"field": "a"}}}
    broken["projection"] = {"type": "mercator"}
    broken["encoding"]["latitude2"] = {"field": "a"}
    with pytest.raises(images.RenderError):
        images.png(broken)


TEXT_MARK = re.compile(
    r'<text aria-label="lon: ([\d.]+); lat: ([\d.]+); name: ([^"]+)"[^>]*text-anchor="(\w+)" '
    r'transform="translate\(([\d.]+),([\d.]+)\)"[^>]*font-size="([\d.]+)px"'
)


@pytest.mark.parametrize("scenario", [DEFAULT, replace(DEFAULT, corridor_km=6.0)])
def test_town_labels_on_the_drawn_map_never_overlap_and_sit_by_their_towns(geo, scenario):
    """Read back from the SVG vl-convert draws: where each label landed, against where the placer predicted."""
    impact = assess(geo, scenario)
    drawn = TEXT_MARK.findall(images.svg(slide_map(geo, impact)))
    names = {name for *_, name, _, _, _, _ in drawn}
    assert {"Idlib", "Aleppo", "Afrin"} <= names and len(names) >= 8
    boxes = []
    for lon, lat, name, anchor, x, y, size in drawn:
        ((px, py),) = static_map_px([{"lon": float(lon), "lat": float(lat)}], 720, 520)
        x, y, size = float(x), float(y), float(size)
        assert math.hypot(x - px, y - py) < 2 * size  # beside its own dot
        w = text_width(html.unescape(name), size)  # DejaVu Sans, letter by letter
        left = {"middle": x - w / 2, "start": x, "end": x - w}[anchor]
        boxes.append((name, left, y - 0.8 * size, left + w, y + 0.2 * size))
    for k, a in enumerate(boxes):
        for b in boxes[k + 1 :]:
            assert not (a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]), (a[0], b[0])


POST_MARK = re.compile(
    r'<path aria-label="lon: [\d.]+; lat: [\d.]+; status: [^"]*"[^>]*transform="translate\(([\d.]+),([\d.]+)\)" '
    r'd="M([\d.]+),0'
)


@pytest.mark.parametrize("draw", ["slide", "print"])
def test_town_labels_on_the_static_maps_stay_clear_of_post_markers(geo, draw):
    """Issue 27: Jisr al-Shughur, Saraqib and Aleppo touched post markers in the PDF and PNG maps. Read back
    from the SVG: each label's ink box (DejaVu Sans widths) against each drawn post circle and its outline."""
    impact = assess(geo, DEFAULT)
    chart = slide_map(geo, impact) if draw == "slide" else print_map(geo, impact, caption="x")
    svg = images.svg(chart)
    posts = [(float(x), float(y), float(r) + 0.3) for x, y, r in POST_MARK.findall(svg)]
    assert len(posts) >= 12
    names = set()
    for _lon, _lat, name, anchor, x, y, size in TEXT_MARK.findall(svg):
        x, y, size = float(x), float(y), float(size)
        w = text_width(html.unescape(name), size)
        left = {"middle": x - w / 2, "start": x, "end": x - w}[anchor]
        top, right, bottom = y - 0.8 * size, left + w, y + 0.2 * size
        for px, py, r in posts:  # the nearest point of the box to the circle's centre lies outside the circle
            nx, ny = min(max(px, left), right), min(max(py, top), bottom)
            assert math.hypot(nx - px, ny - py) > r, (name, (px, py))
        names.add(name)
    assert {"Idlib", "Aleppo"} <= names


def test_arabic_in_a_title_and_notes_is_shaped_text_in_the_pdf_and_the_deck(geo, tmp_path):
    step = Step("إدلب: المنطقة الآمنة", "ملاحظات: جسر الشغور", DEFAULT)
    briefing = slides.briefing_slides(geo, [step], [assess(geo, DEFAULT)], made=MADE)
    pdf = tmp_path / "arabic.pdf"
    pdf.write_bytes(slides.to_pdf(briefing))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "إدلب" in text and "المنطقة" in text and "الشغور" in text  # as characters, not boxes
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "DejaVu-Sans" in fonts
    assert "Oblique" not in fonts  # DejaVu's oblique face has no Arabic: the notes drew as stray glyphs in it
    deck = Presentation(io.BytesIO(slides.to_pptx(briefing)))
    assert texts_of(deck.slides[1])[1] == "إدلب: المنطقة الآمنة"


@pytest.mark.parametrize(
    "title",
    [
        "Observation posts before the 2020 withdrawals and Turkish reinforcement of Idlib",
        "W" * 119,
        "إدلب: المنطقة الآمنة على طول الحدود التركية السورية بعمق ثلاثين إلى أربعين كيلومترا",
    ],
)
def test_a_long_title_is_set_on_one_line_and_loses_nothing_below_it(geo, title, tmp_path):
    """A title that wrapped pushed the map, table, legend and source line off the PDF page."""
    impact = assess(geo, replace(DEFAULT, corridor_km=6.0))
    briefing = slides.briefing_slides(geo, [Step(title, "One line of notes.", impact.scenario)], [impact], made=MADE)
    slide = briefing.slides[1]
    assert slides.text_lines(slide.title, slides.TEXT_WIDTH_IN, slide.title_pt, bold=True) == 1
    assert slide.title_pt >= 18
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(slides.to_pdf(briefing))
    page = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(pdf), "-"], capture_output=True, text=True).stdout
    flat = " ".join(page.split())
    for m in metrics.headlines(impact):  # a cell may wrap anywhere
        assert "".join(m.aloud(impact).split()) in "".join(flat.split())
    assert LEGEND["corridor"][0] in flat and "Sources: OCHA" in flat and "One line of notes." in flat


def test_comparison_tables_with_long_titles_take_more_slides_rather_than_run_off_one(geo):
    impact = assess(geo, DEFAULT)
    steps = [Step("Observation posts before the 2020 withdrawals, with a long title", "", DEFAULT)] * 5
    briefing = slides.briefing_slides(geo, steps, [impact] * 5, made=MADE)
    for slide in (s for s in briefing.slides if s.kind == "compare"):
        assert sum(slides.row_heights_in(slide.table, slides.TEXT_WIDTH_IN, slides.COMPARE_LABEL_IN)) <= 5.5
