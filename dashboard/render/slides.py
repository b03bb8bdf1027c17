"""The briefing as slides: one model of the deck (:func:`briefing_slides`), drawn two ways, as an editable
PowerPoint file (python-pptx) and as a PDF (WeasyPrint, one page per slide, maps as vector SVG). Pure: no
Streamlit, no browser, no network.

Why these two libraries: python-pptx writes real text boxes, tables and speaker notes (a briefer edits them in
PowerPoint); WeasyPrint lays out HTML and CSS with Pango, so long names wrap and Arabic is shaped, and it keeps
Vega's SVG as vectors. WeasyPrint needs the system Pango library (Debian: ``libpango-1.0-0
libpangoft2-1.0-0``); without it the PDF says so and the other formats still work.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from dashboard.model import metrics, population, returns
from dashboard.model.geography import Geography
from dashboard.model.impact import POPULATION_SOURCE, Impact
from dashboard.model.scenario import Step, month_run_label
from dashboard.render import fonts, images, maps, months
from dashboard.render.pack import TEMPLATES, inputs_hash
from dashboard.render.report import METHOD_NOTE
from dashboard.render.static_map import legend_keys, slide_map
from dashboard.render.style import CHART, LEGEND, PAGE, VERMILLION, WHITE
from dashboard.sources.layers import ATTRIBUTION
from dashboard.sources.text import clean_notes, clean_text

DEFAULT_CLASSIFICATION = "UNCLASSIFIED // FOR BRIEFING"
DEFAULT_TITLE = "Northwest Syria: safe-zone scenarios"
TITLE_CHARS = 90  # a slide title longer than this is cut (the full title goes into the notes)
NOTES_ON_PAGE_LINES = 2  # lines of the speaker notes printed under a PDF page's map (all are in the .pptx)
COMPARED_PER_SLIDE = 3  # scenarios side by side on one comparison slide, readable at 14 pt
SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5  # 16:9
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
MIN_PT = 14  # nothing smaller: read from the back of a room

MAP_W_IN, FACTS_X_IN, FACTS_W_IN = 6.2, 6.6, 6.35  # a scenario slide: the map left, its facts right
MAP_H_IN = MAP_W_IN * 540 / 720  # the static map's 720 × 540 px
ON_LINES_IN = 0.6  # the height the PDF page gives the line under the map
ON_LINES = "Large towns a line crosses (see notes)"
LEGEND_ROW_IN = 0.27
FACTS_LABEL_IN = 2.9
Progress = Callable[[int, int, str], None]  # (done, of, what is being drawn)


@dataclass(frozen=True)
class Slide:
    """One slide, whatever it is drawn with: text, an optional table (header row first), an optional map."""

    kind: str  # "title", "scenario", "compare" or "sources"
    title: str
    lines: tuple[str, ...] = ()
    table: tuple[tuple[str, ...], ...] = ()
    impact: Impact | None = field(default=None, compare=False, repr=False)  # the scenario its map draws
    map_alt: str = ""
    legend: tuple[tuple[str, str, float, str], ...] = ()  # (label, colour, opacity, shape) of what the map draws
    notes: str = ""  # the briefer's notes for this slide, as typed (cleaned)
    line_notes: str = ""  # which large towns count or not depending on where a line falls, in full
    on_lines: str = ""  # the same in a line under the map (the full sentences are in the speaker notes)
    full_title: str = ""  # the title as typed, where the slide's title had to be cut
    source: str = ""
    title_pt: int = 28  # the largest size at which the title fits its line (its slide's lines, for the first)
    lead_pt: int = 16  # the same for the line under it
    grid: tuple | None = field(default=None, compare=False, repr=False)  # small multiples: (Grid, its panels)


@dataclass(frozen=True)
class Briefing:
    geo: Geography = field(repr=False, compare=False)
    title: str
    classification: str
    made: dt.datetime
    digest: str
    slides: tuple[Slide, ...]

    @property
    def maps(self) -> int:
        return len({s.impact.scenario for s in self.slides if s.impact is not None})


def _short(text: str, limit: int = TITLE_CHARS) -> str:
    return clean_text(text, limit)


TEXT_WIDTH_IN = 12.5  # a slide's text column
TITLE_SIZES = (28, 24, 20, 18)
OPENING_SIZES = (40, 34, 28, 24)
LEAD_SIZES = (16, 15, 14)


def width_in(text: str, pt: float = MIN_PT, bold: bool = False) -> float:
    """How wide a line of this text is, in inches, at this size, in the DejaVu Sans the PDF is set in
    (PowerPoint's Calibri is narrower, so what fits here fits there)."""
    return fonts.text_width(text, pt, bold) / 72


def text_lines(text: str, box_in: float, pt: float = MIN_PT, bold: bool = False) -> int:
    """How many lines the text takes in a box this wide, wrapped at spaces (0.2 in of the box is its margins)."""
    usable = max(box_in - 0.2, 0.1)
    lines, line = 1, ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if line and width_in(trial, pt, bold) > usable:
            lines, line = lines + 1, word
        else:
            line = trial
        while width_in(line, pt, bold) > usable and len(line) > 1:  # a word wider than the box breaks anywhere
            cut = max(1, int(len(line) * usable / width_in(line, pt, bold)))
            lines, line = lines + 1, line[cut:]
    return lines


def fitted(
    text: str, sizes: tuple[int, ...], box_in: float = TEXT_WIDTH_IN, lines: int = 1, bold: bool = True
) -> tuple[str, int]:
    """The largest size at which the text fits in ``lines`` lines; failing the smallest, the text is cut
    (with an ellipsis) until it fits at that size."""
    for pt in sizes:
        if text_lines(text, box_in, pt, bold) <= lines:
            return text, pt
    while len(text) > 2 and text_lines(text, box_in, sizes[-1], bold) > lines:
        text = text.rstrip("…")[:-1].rstrip() + "…"
    return text, sizes[-1]


def scenario_slide(geo: Geography, step: Step, impact: Impact) -> Slide:
    title = clean_text(step.title, 10_000) or impact.scenario.label()
    shown, title_pt = fitted(_short(title), TITLE_SIZES)
    said = impact.scenario.label() + (f"; {metrics.months_shown(step, impact, short=True)}" if step.months else "")
    lead, lead_pt = fitted(said, LEAD_SIZES, bold=False)
    return Slide(
        kind="scenario",
        title=shown,
        title_pt=title_pt,
        lines=(lead,),
        lead_pt=lead_pt,
        table=(("Metric", "This scenario"), *((m.label, m.aloud(impact)) for m in metrics.headlines(impact))),
        impact=impact,
        legend=tuple(
            (label, paint.hex, max(paint.opacity, 0.35), shape)
            for label, paint, shape in (LEGEND[key] for key in legend_keys(impact, everything=False))
        ),
        map_alt=maps.alt_text(impact),
        notes=clean_notes(step.notes),
        line_notes=" ".join(metrics.where_the_line_falls(impact)),
        on_lines=f"{ON_LINES}: {metrics.towns_on_the_lines(impact)}." if impact.straddling else "",
        full_title=title if shown != title else "",
        source=(
            f"Sources: {POPULATION_SOURCE} (placed where people live, with a range); GeoNames places; observation "
            f"posts from cited reports, status on {impact.scenario.as_of:%d %b %Y}; zones geodesic on WGS84."
        ),
    )


def returns_slide(geo: Geography, step: Step, impact: Impact) -> Slide | None:
    """A step's returns what-if as a table slide (before and after), or None where the step has none."""
    result = returns.of_step(geo, impact, step.returns)
    if result is None:
        return None
    title, title_pt = fitted(_short(f"What-if: {step.returns.people:,} people settle in the zone"), TITLE_SIZES)
    if isinstance(result, str):
        return Slide(
            kind="compare",
            title=title,
            title_pt=title_pt,
            table=(("What-if", "Not shown"), (step.returns.label(), result)),
        )
    return Slide(
        kind="compare",
        title=title,
        title_pt=title_pt,
        table=(
            (f"Rule: {returns.RULES[step.returns.rule]}", "Before", "After"),
            *returns.briefing_rows(result, top=4),
        ),
        notes=f"{returns.summary(result)}\n{impact.scenario.label()}\n{returns.NEED_ASSUMPTION}",
        source=(
            "People today: the dashboard's estimate (OCHA 2023 HNO). In need at today's ratio: an assumption. "
            f"Housing: {result.household_size:g} people per household (HNAP 2021)."
        ),
    )


COMPARE_TABLE_IN = 5.5  # from under the title to above the source line
COMPARE_LABEL_IN = 2.9


def compare_slides(steps: list[Step], impacts: list[Impact]) -> list[Slide]:
    """The metrics of every scenario side by side, in two groups (the zone, its people, posts and towns; then
    the conflict events of the window): up to three scenarios a slide, fewer where their figures or titles
    wrap so much that the table would run past the slide."""
    events = set(metrics.EVENT_METRICS)
    groups = (
        ("The scenarios side by side", [m for m in metrics.CATALOGUE if m not in events]),
        ("Conflict events side by side (UCDP)", list(metrics.EVENT_METRICS)),
    )
    pairs = list(zip(steps, impacts, strict=True))
    out = []
    for heading, group in groups:
        tables = []
        start = 0
        while start < len(pairs):
            for size in range(min(COMPARED_PER_SLIDE, len(pairs) - start), 0, -1):
                table = _compare_table(group, pairs[start : start + size], start)
                if size == 1 or sum(row_heights_in(table, TEXT_WIDTH_IN, COMPARE_LABEL_IN)) <= COMPARE_TABLE_IN:
                    break
            tables.append(table)
            start += size
        out += [
            Slide(
                kind="compare",
                title=heading + (f" ({k} of {len(tables)})" if len(tables) > 1 else ""),
                table=table,
                source="Each figure as on its scenario's slide; ranges are the estimate's low–high."
                if group[0] not in events
                else "UCDP GED 21.1 (CC BY 4.0), each scenario's own window; lower bounds: "
                "only events located to the place.",
            )
            for k, table in enumerate(tables, start=1)
        ]
    return out


def _compare_table(group: list, chunk: list[tuple[Step, Impact]], start: int) -> tuple[tuple[str, ...], ...]:
    header = ("Metric", *(f"{start + k + 1}. {_short(s.title, 45)}" for k, (s, _) in enumerate(chunk)))
    keys = [m for m in group if any(m.shown(i) for _, i in chunk)]  # the rows these scenarios need
    return (header, *((m.label, *((m.aloud(i) if m.shown(i) else "—") for _, i in chunk)) for m in keys))


def sources_slide() -> Slide:
    return Slide(
        kind="sources",
        title="Sources and method",
        lines=(
            METHOD_NOTE,
            f"People: {POPULATION_SOURCE}; {population.METHOD}",
            "Observation posts: authored from cited reports, each with its source; statuses on each slide's date.",
            ATTRIBUTION,
        ),
    )


def briefing_slides(
    geo: Geography,
    steps: list[Step],
    impacts: list[Impact],
    *,
    title: str = DEFAULT_TITLE,
    classification: str = DEFAULT_CLASSIFICATION,
    made: dt.datetime | None = None,
    grids: tuple = (),
) -> Briefing:
    """The deck: a title slide, a slide per scenario, the comparison, the small multiples of each of ``grids``
    (:class:`months.Grid`, a slide per six panels), and sources and method."""
    if not steps:
        raise ValueError("The sequence is empty: add a scenario before making slides.")
    made = made or dt.datetime.now(dt.UTC).replace(microsecond=0)
    title, opening_pt = fitted(_short(title) or DEFAULT_TITLE, OPENING_SIZES, 11.7, lines=2)
    classification = clean_text(classification, 80)
    opening = Slide(
        kind="title",
        title=title,
        title_pt=opening_pt,
        lines=(
            f"{len(steps)} scenario{'s' * (len(steps) != 1)} · prepared {made:%d %B %Y, %H:%M} UTC",
            "Zones measured in kilometres on the Earth; every figure with its source and, where estimated, its range.",
        ),
    )
    return Briefing(
        geo=geo,
        title=title,
        classification=classification,
        made=made,
        digest=inputs_hash(steps),
        slides=(
            opening,
            *(
                slide
                for s, i in zip(steps, impacts, strict=True)
                for slide in (scenario_slide(geo, s, i), returns_slide(geo, s, i))
                if slide is not None
            ),
            *compare_slides(steps, impacts),
            *(slide for grid in grids for slide in grid_slides(grid)),
            sources_slide(),
        ),
    )


def grid_slides(grid: months.Grid) -> list:
    """A slide per six panels: its title says the step and the months; its line the scenario; the picture is
    drawn when the deck is (:func:`months.slide_grid`); the key and the sources are its source line and notes."""
    chunks = grid.chunks(months.PANELS_PER_SLIDE)
    out = []
    for k, panels in enumerate(chunks):
        of = f" ({k + 1} of {len(chunks)})" if len(chunks) > 1 else ""
        out.append(
            Slide(
                kind="grid",
                title=months.grid_title(grid, panels) + of,
                lines=(grid.scenario.label().rsplit("; as of", 1)[0] + "; posts as of each panel's last day",),
                title_pt=24,
                lead_pt=14,
                map_alt="Small multiples: " + ", ".join(month_run_label(a, b) for a, b in panels),
                notes="\n".join(months.grid_notes(grid)),
                source=f"{months.EVENTS_SOURCE}: discs' area ∝ deaths, lower bounds. Boundaries administrative; "
                "no front line drawn.",
                grid=(grid, panels),
            )
        )
    return out


def slide_png(geo: Geography, impact: Impact) -> bytes:
    """A scenario slide's map as PowerPoint takes it: a PNG at 1.5× (about 180 dpi on the slide)."""
    return images.png(slide_map(geo, impact), scale=1.5)


def slide_svg(geo: Geography, impact: Impact) -> str:
    """A scenario slide's map for the PDF, as vectors."""
    return images.svg_data_uri(slide_map(geo, impact))


Picture = Callable[[Geography, Impact], object]


def grid_png(chart) -> bytes:
    """A small-multiples slide's picture for PowerPoint, at 1.5× as the maps are."""
    return images.png(chart, scale=1.5)


def _each_map(briefing: Briefing, picture: Picture, progress: Progress | None, grid_picture=grid_png) -> list:
    """Each slide's map, drawn once per scenario (a deck that repeats a scenario draws it once); ``progress``
    hears which map is being drawn, of how many."""
    drawn: dict = {}
    out = []
    for slide in briefing.slides:
        if slide.grid is not None:
            out.append(grid_picture(months.slide_grid(briefing.geo, *slide.grid)))
            continue
        if slide.impact is None:
            out.append(None)
            continue
        key = slide.impact.scenario
        if key not in drawn:
            if progress:
                progress(len(drawn), briefing.maps, slide.title)
            drawn[key] = picture(briefing.geo, slide.impact)
        out.append(drawn[key])
    if progress:
        progress(briefing.maps, briefing.maps, "")
    return out


def speaker_notes(slide: Slide) -> str:
    """The notes a presenter sees: the briefer's, then the whole title where the slide had to cut it."""
    parts = [slide.notes, f"Full title: {slide.full_title}" if slide.full_title else "", slide.line_notes]
    return "\n\n".join(p for p in parts if p)


def notes_on_page(notes: str) -> str:
    """As much of the notes as fits in two lines under a PDF page's map (the rest is in the .pptx)."""
    text, _ = fitted(clean_text(notes, 400), (MIN_PT,), MAP_W_IN, lines=NOTES_ON_PAGE_LINES, bold=False)
    return text


def _over_white(colour: str, opacity: float) -> str:
    """The solid colour a translucent swatch shows on white (a slide's shapes are drawn opaque)."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 - (255 - c) * opacity):02X}" for c in rgb)


def row_heights_in(rows, width_in: float, first_col_in: float) -> list[float]:
    """About how tall each row of a table of 14 pt text is once its cells wrap (python-pptx lays no text out;
    the rows are set to these heights, and a viewer only ever makes a row taller)."""
    other = (width_in - first_col_in) / max(len(rows[0]) - 1, 1)
    return [
        0.07
        + 0.26
        * max(text_lines(row[0], first_col_in, bold=k == 0), *(text_lines(v, other, bold=k == 0) for v in row[1:]))
        for k, row in enumerate(rows)
    ]


# ---------------------------------------------------------------------------------------------- PowerPoint
def to_pptx(briefing: Briefing, progress: Progress | None = None, picture: Picture = slide_png) -> bytes:
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    pictures = _each_map(briefing, picture, progress)
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(SLIDE_W_IN), Inches(SLIDE_H_IN)
    blank = deck.slide_layouts[6]
    ink = RGBColor.from_string(PAGE["ink"].hex[1:])
    grey = RGBColor.from_string(CHART["subtitle"].hex[1:])
    accent = RGBColor.from_string(VERMILLION.hex[1:])

    def text_box(slide, left, top, width, height, paragraphs, size, colour=ink, bold=False, align=None):
        box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        frame = box.text_frame
        frame.word_wrap = True
        for k, text in enumerate(paragraphs):
            para = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
            if align is not None:
                para.alignment = align
            run = para.add_run()
            run.text = text
            run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, colour
        return box

    def banner(slide):
        from pptx.enum.text import PP_ALIGN

        if briefing.classification:
            text_box(slide, 0.4, 0.05, 12.5, 0.35, [briefing.classification], MIN_PT, accent, True, PP_ALIGN.CENTER)

    def table(slide, rows, left, top, width, first_col_in):
        heights = row_heights_in(rows, width, first_col_in)
        shape = slide.shapes.add_table(
            len(rows), len(rows[0]), Inches(left), Inches(top), Inches(width), Inches(sum(heights))
        )
        grid = shape.table
        for row, height in zip(grid.rows, heights, strict=True):
            row.height = Inches(height)
        grid.columns[0].width = Inches(first_col_in)
        rest = (width - first_col_in) / max(len(rows[0]) - 1, 1)
        for c in range(1, len(rows[0])):
            grid.columns[c].width = Inches(rest)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                cell = grid.cell(r, c)
                cell.text = value
                cell.margin_top = cell.margin_bottom = Inches(0.03)
                for para in cell.text_frame.paragraphs:
                    for run in para.runs:
                        run.font.size = Pt(MIN_PT)
                        run.font.bold = r == 0
                        run.font.color.rgb = RGBColor.from_string(WHITE.hex[1:]) if r == 0 else ink
                cell.fill.solid()
                cell.fill.fore_color.rgb = (
                    RGBColor.from_string(PAGE["ink"].hex[1:]) if r == 0 else RGBColor.from_string(WHITE.hex[1:])
                )
        return shape

    def legend(slide, entries, top):
        from pptx.enum.shapes import MSO_SHAPE

        half = -(-len(entries) // 2)
        label_w = FACTS_W_IN / 2 - 0.4
        tops = [top, top]  # each column's next free line: a label that wraps pushes the next one down
        for k, (label, colour, opacity, shape) in enumerate(entries):
            column = k // half
            left, row_top = FACTS_X_IN + column * FACTS_W_IN / 2, tops[column]
            tops[column] += LEGEND_ROW_IN * text_lines(label, label_w)
            kind, height = {"circle": (MSO_SHAPE.OVAL, 0.2), "stroke": (MSO_SHAPE.RECTANGLE, 0.06)}.get(
                shape, (MSO_SHAPE.RECTANGLE, 0.2)
            )
            swatch = slide.shapes.add_shape(
                kind, Inches(left), Inches(row_top + 0.13 - height / 2), Inches(0.3), Inches(height)
            )
            swatch.fill.solid()
            swatch.fill.fore_color.rgb = RGBColor.from_string(_over_white(colour, opacity)[1:])
            swatch.line.color.rgb = grey
            swatch.line.width = Pt(0.5)
            text_box(slide, left + 0.35, row_top - 0.07, label_w, 0.3, [label], MIN_PT, ink)

    for slide_model, picture in zip(briefing.slides, pictures, strict=True):
        slide = deck.slides.add_slide(blank)
        banner(slide)
        if slide_model.kind == "title":
            text_box(slide, 0.8, 2.0, 11.7, 1.8, [slide_model.title], slide_model.title_pt, ink, True)
            text_box(slide, 0.8, 3.9, 11.7, 1.4, list(slide_model.lines), 20, grey)
        else:
            text_box(slide, 0.4, 0.4, TEXT_WIDTH_IN, 0.7, [slide_model.title], slide_model.title_pt, ink, True)
            if slide_model.lines and slide_model.kind == "scenario":
                text_box(slide, 0.4, 1.1, TEXT_WIDTH_IN, 0.45, list(slide_model.lines), slide_model.lead_pt, grey)
        if slide_model.kind == "scenario":
            slide.shapes.add_picture(io.BytesIO(picture), Inches(0.3), Inches(1.6), width=Inches(MAP_W_IN))
            slide.shapes[-1].name = "Map: " + slide_model.lines[0][:200]
            if slide_model.on_lines:
                text_box(slide, 0.3, 1.65 + MAP_H_IN, MAP_W_IN, 0.6, [slide_model.on_lines], MIN_PT, grey)
            table(slide, slide_model.table, FACTS_X_IN, 1.6, FACTS_W_IN, FACTS_LABEL_IN)
            legend(
                slide,
                slide_model.legend,
                1.6 + sum(row_heights_in(slide_model.table, FACTS_W_IN, FACTS_LABEL_IN)) + 0.15,
            )
        elif slide_model.kind == "compare":
            table(slide, slide_model.table, 0.4, 1.3, TEXT_WIDTH_IN, COMPARE_LABEL_IN)
        elif slide_model.kind == "grid":
            text_box(slide, 0.4, 1.0, TEXT_WIDTH_IN, 0.45, list(slide_model.lines), slide_model.lead_pt, grey)
            width, height = images.png_size(picture)
            tall = min(months.SLIDE_GRID_H_IN, TEXT_WIDTH_IN * height / width)
            left = (SLIDE_W_IN - tall * width / height) / 2
            slide.shapes.add_picture(io.BytesIO(picture), Inches(left), Inches(1.5), height=Inches(tall))
            slide.shapes[-1].name = "Small multiples: " + slide_model.title[:200]
        elif slide_model.kind == "sources":
            text_box(slide, 0.4, 1.3, 12.5, 5.6, list(slide_model.lines), MIN_PT, ink)
        if slide_model.source:
            text_box(slide, 0.4, 6.95, 12.5, 0.5, [slide_model.source], MIN_PT, grey)
        speaker = speaker_notes(slide_model)
        if speaker:
            slide.notes_slide.notes_text_frame.text = speaker
    deck.core_properties.title = briefing.title
    deck.core_properties.subject = f"Inputs SHA-256 {briefing.digest}"
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------------- PDF
class PdfUnavailable(RuntimeError):
    """The PDF library or the system library it draws text with is missing."""


def to_pdf(briefing: Briefing, progress: Progress | None = None, picture: Picture = slide_svg) -> bytes:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: the Pango library is not on the system
        msg = (
            "PDF needs WeasyPrint and the system Pango library (Debian: apt-get install libpango-1.0-0 "
            f"libpangoft2-1.0-0): {exc}"
        )
        raise PdfUnavailable(msg) from None
    pictures = _each_map(briefing, picture, progress, images.svg_data_uri)
    html = TEMPLATES.get_template("slides.html.j2").render(
        briefing=briefing,
        slides=[
            {"slide": s, "map": picture, "notes": notes_on_page(s.notes)}
            for s, picture in zip(briefing.slides, pictures, strict=True)
        ],
        width=SLIDE_W_IN,
        height=SLIDE_H_IN,
        map_w=MAP_W_IN,
        on_lines_w=ON_LINES_IN * 720 / 540,  # the map drawn that much narrower leaves two lines for them
        facts_w=FACTS_W_IN,
        label_w=FACTS_LABEL_IN,
        min_pt=MIN_PT,
        ink=PAGE["ink"].hex,
        rule=PAGE["rule"].hex,
        grey=CHART["subtitle"].hex,
        accent=VERMILLION.hex,
        font_faces=fonts.css_font_faces(),
    )
    # its maps are data: URIs and nothing else is ever fetched: no text in a deck can make the server reach
    # a network or read a file
    only_inline = weasyprint.urls.URLFetcher(allowed_protocols={"data"})
    return weasyprint.HTML(string=html, base_url=None, url_fetcher=only_inline).write_pdf()
