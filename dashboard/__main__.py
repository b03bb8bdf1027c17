"""Command line: `python -m dashboard scenario ...` for briefing preparation (and `figures scan`)."""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys

from dashboard.model.impact import DEFAULT_POPULATION_METHOD, POPULATION_METHODS
from dashboard.model.scenario import DEFAULT, FIELDS, SEGMENTS, Field, ScenarioError, parse_field, scenario_from_record


class OneLineParser(argparse.ArgumentParser):
    """Bad arguments exit with status 2 and one line saying what is wrong."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


def _read_as(spec: Field):
    """An argparse type that reads an option as links and decks read the field (ranges are checked later,
    by the scenario, which names the field)."""

    def read(text: str):
        try:
            return parse_field(spec, text)
        except ValueError as exc:
            msg = f"invalid value {text!r}: {exc}"
            raise argparse.ArgumentTypeError(msg) from None

    return read


def _scenario_options(parser) -> None:
    """The scenario's options: the zone, then every other field, named as in the scenario's field list."""
    parser.add_argument(
        "--zone",
        nargs=2,
        type=_read_as(FIELDS[0]),  # digits, as a link reads them: float() alone would take "4_5" as 45
        metavar=("INNER_KM", "OUTER_KM"),
        default=(DEFAULT.inner_km, DEFAULT.outer_km),
    )
    for spec in FIELDS:
        if spec.flag is None:
            continue
        kind = {
            "segment": {"choices": list(SEGMENTS)},
            "km": {"type": _read_as(spec), "metavar": "KM"},
            "date": {"type": _read_as(spec), "metavar": "YYYY-MM-DD"},
        }[spec.kind]
        parser.add_argument(spec.flag, dest=spec.name, default=getattr(DEFAULT, spec.name), help=spec.label, **kind)


def _scenario(parser, args):
    try:
        inner, outer = args.zone
        return scenario_from_record({**vars(args), "inner_km": inner, "outer_km": outer})
    except ScenarioError as exc:
        parser.error(str(exc))


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="python -m dashboard", description="NW Syria scenario tools")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    sc = sub.add_parser("scenario", help="what a safe-zone scenario covers")
    _scenario_options(sc)
    sc.add_argument("--format", choices=["table", "json", "geojson"], default="table")
    sc.add_argument(
        "--population-method",
        choices=list(POPULATION_METHODS),
        default=DEFAULT_POPULATION_METHOD,
        help="dasymetric (people where they live, with a range; the default), area or settlements",
    )
    place = sub.add_parser("place", help="find a place by any of its names, and what a scenario says of it")
    place.add_argument("query", help="a name in English, Arabic or Turkish, any common spelling")
    _scenario_options(place)
    place.add_argument("--format", choices=["text", "json"], default="text")
    place.add_argument("--limit", type=int, default=5, help="at most this many matches (default 5)")
    brief = sub.add_parser("briefing", help="a briefing sequence as PowerPoint, PDF or the one-file HTML pack")
    which = brief.add_mutually_exclusive_group(required=True)
    which.add_argument("--deck", metavar="NAME", help="a saved deck (its latest version unless --version)")
    which.add_argument("--default", action="store_true", help="the dashboard's default five-step sequence")
    brief.add_argument("--version", type=int, default=None, help="a saved deck's version")
    brief.add_argument("--format", choices=["pptx", "pdf", "html"], required=True)
    brief.add_argument("--out", required=True, metavar="FILE")
    brief.add_argument("--title", default=None, help="the title slide's title (default: the deck's name)")
    brief.add_argument("--classification", default=None, help='the line on every slide, e.g. "UNCLASSIFIED"')
    ret = sub.add_parser("returns", help="the returns what-if: N people settling in a scenario's zone")
    ret.add_argument("--people", required=True, metavar="N", help="how many settle: a whole number, 0 to 4,000,000")
    ret.add_argument("--rule", default="population", help="population, area, subdistricts or towns")
    ret.add_argument(
        "--into", default="", metavar="CODES", help="for subdistricts or towns: comma-separated p-codes or GeoNames ids"
    )
    _scenario_options(ret)
    ret.add_argument("--format", choices=["table", "json"], default="table")
    brief.add_argument(
        "--grid",
        action="append",
        default=[],
        type=_grid_spec,
        metavar="FROM:TO[:STEP]",
        help="small multiples of the first step's scenario, e.g. 2019-04:2020-03:quarter (step month or quarter)",
    )
    _timeline_parser(sub)
    fig = sub.add_parser("figures", help="figures in the source texts")
    fig_sub = fig.add_subparsers(dest="figures_command", required=True, parser_class=OneLineParser)
    scan = fig_sub.add_parser("scan", help="list numeric mentions and whether the registry holds them")
    scan.add_argument("directory", nargs="?", default=None, help="folder of .txt seeds (default: seeds/)")
    scan.add_argument("--unreviewed", action="store_true", help="only mentions the registry lacks")
    fig_sub.add_parser("check", help="validate the registry against the texts")
    return parser


def run_figures(parser, args) -> int:
    from pathlib import Path

    from dashboard.sources import seeds

    directory = Path(args.directory) if getattr(args, "directory", None) else None
    if directory is not None and not directory.is_dir():
        parser.error(f"{directory} is not a folder")
    if args.figures_command == "check":
        problems = seeds.validate_registry(directory)
        for p in problems:
            print(p)
        print(f"{len(seeds.load_registry(directory))} figures, {len(problems)} problems")
        return 1 if problems else 0
    texts = seeds.seed_texts(directory)
    mentions = [m for name, text in texts.items() for m in seeds.scan_text(name, text)]
    try:
        registry = seeds.load_registry(directory)
    except FileNotFoundError:
        registry = []
    held = seeds.mark_registered(mentions, registry, texts)
    for m in mentions:
        status = held.get(m, "UNREVIEWED")
        if args.unreviewed and m in held:
            continue
        print(f"{m.file}:{m.start}\t{m.kind}\t{m.text!r}\t{status}\t{m.sentence}")
    print(f"{len(mentions)} mentions in {len(texts)} texts, {len(mentions) - len(held)} unreviewed")
    return 0


def main(argv: list[str] | None = None) -> int:
    try:
        return _dispatch(argv)
    except BrokenPipeError:
        # the reader went away (``| head``): what it did not read is not wanted, so end quietly as other command
        # line tools do; standard output goes to the null device so the flush at exit does not fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, what a shell reports for a tool ended by a closed pipe


def _dispatch(argv: list[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "scenario":
        return run_scenario(parser, args)
    if args.command == "briefing":
        return run_briefing(parser, args)
    if args.command == "place":
        return run_place(parser, args)
    if args.command == "returns":
        return run_returns(parser, args)
    if args.command == "timeline":
        return run_timeline(parser, args)
    return run_figures(parser, args)


def run_returns(parser, args) -> int:
    """The what-if for a scenario's zone: the zone's totals and one row per sub-district, as text or JSON."""
    from dashboard.model import returns

    scenario = _scenario(parser, args)
    try:
        whatif = returns.WhatIf(args.people, args.rule, args.into)
    except returns.ReturnsError as exc:
        parser.error(str(exc))
    from dashboard.model.geography import load_geography
    from dashboard.model.impact import assess
    from dashboard.sources.layers import GeodataError

    try:
        geo = load_geography()
    except GeodataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        result = returns.outcome(whatif, returns.zone_of(geo, assess(geo, scenario)))
    except returns.ReturnsError as exc:
        parser.error(str(exc))
    if args.format == "json":
        print(json.dumps(returns.to_json(result, scenario), ensure_ascii=False, indent=1))
        return 0
    print(returns.summary(result))
    print(f"Scenario: {scenario.label()}")
    print(returns.NEED_ASSUMPTION)
    header = ("sub-district", "district", "arrivals", "today", "after", "per km² before", "after", "housing")
    print("\t".join(header))
    t = result.table
    for i in sorted(range(len(t["id"])), key=lambda k: -t["arrivals"][k]):
        print(
            f"{t['name'][i]}\t{t['district'][i]}\t{t['arrivals'][i]:,}\t{t['people_today'][i]:,.0f}\t"
            f"{t['people_after'][i]:,.0f}\t{t['density_before'][i]:,.0f}\t{t['density_after'][i]:,.0f}\t"
            f"{t['housing_units'][i]:,}"
        )
    return 0


def run_briefing(parser, args) -> int:
    """Build a deck's briefing file offline; progress goes to standard error, the file to ``--out``."""
    from pathlib import Path

    from dashboard.exchange import decks

    def fail(message: str):
        parser.exit(2, f"{parser.prog} briefing: error: {message}\n")

    out = Path(args.out)
    if not args.out or out.is_dir():
        fail(f"--out must name a file, not {args.out!r}")
    if not out.parent.is_dir():
        fail(f"--out: folder {out.parent} does not exist")
    if not os.access(out.parent, os.W_OK):
        fail(f"--out: folder {out.parent} cannot be written to")
    if args.default and args.version is not None:
        fail("--version goes with --deck, not --default")
    if args.format == "html" and (args.title is not None or args.classification is not None):
        fail("--title and --classification are for pptx and pdf (the HTML pack has its own heading)")
    if args.default:
        name, steps = "Default briefing", decks.default_sequence()
    else:
        try:
            store = decks.open_store()
            saved = store.load(args.deck, args.version)
        except (KeyError, decks.DeckError, OverflowError):
            which = f"version {args.version} of " if args.version is not None else ""
            fail(
                f"no saved deck {which}{args.deck!r} in {store.location} (names: {', '.join(store.names()) or 'none'})"
            )
        except decks.StoreUnavailable as exc:
            print(f"error: {exc}; try again when it is back", file=sys.stderr)
            return 1
        except (sqlite3.Error, OSError) as exc:
            print(f"error: the deck database at {decks.default_path()} cannot be read: {exc}", file=sys.stderr)
            return 1
        name, steps = saved.name, saved.steps
    if not steps:
        fail(f"deck {name!r} has no steps")
    from dashboard.model.geography import load_geography
    from dashboard.model.impact import assess
    from dashboard.render import months, pack, slides
    from dashboard.sources import seeds
    from dashboard.sources.layers import GeodataError

    try:
        geo = load_geography()
    except GeodataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    impacts = [assess(geo, step.shown) for step in steps]
    grids = tuple(months.Grid(steps[0].scenario, first, last, step) for first, last, step in args.grid)

    def progress(done: int, of: int, what: str) -> None:
        print(f"map {done + 1} of {of}: {what}" if done < of else "laying out", file=sys.stderr)

    if args.format == "html":
        timeline = seeds.load_table(seeds.TIMELINE)
        figures = pack.figure_charts_for_pack(seeds.load_registry(), seeds.load_table(seeds.EXTERNAL), timeline)
        data = pack.pack_html(geo, steps, impacts, figures, "http://localhost:8501", timeline, grids=grids).encode(
            "utf-8"
        )
    else:
        briefing = slides.briefing_slides(
            geo,
            steps,
            impacts,
            title=args.title if args.title is not None else name,
            classification=args.classification if args.classification is not None else slides.DEFAULT_CLASSIFICATION,
            grids=grids,
        )
        try:
            data = (slides.to_pptx if args.format == "pptx" else slides.to_pdf)(briefing, progress)
        except slides.PdfUnavailable as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    partial = out.with_name(out.name + ".partial")
    try:
        partial.write_bytes(data)
        partial.replace(out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        print(f"error: {out} could not be written: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"wrote {out} ({len(data):,} bytes, {len(steps)} steps)", file=sys.stderr)
    return 0


def run_place(parser, args) -> int:
    """The places a name may mean, best first, each with its card for the scenario given."""
    scenario = _scenario(parser, args)
    if args.limit < 1:
        parser.error("--limit must be at least 1")
    from dashboard.model import places
    from dashboard.model.geography import load_geography
    from dashboard.model.impact import assess
    from dashboard.sources.layers import GeodataError
    from dashboard.sources.text import clean_text

    try:
        geo = load_geography()
    except GeodataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    matches = places.Gazetteer(places.build_gazetteer(geo.layers_lonlat)).search(args.query, limit=args.limit)
    if not matches or matches[0].score < places.STRONG:  # near misses are not an answer: say so, as the page does
        nearest = "; nearest spellings: " + ", ".join(m.place.label for m in matches) if matches else ""
        print(f"no place matches {clean_text(args.query, 80)!r}{nearest}", file=sys.stderr)
        return 1
    impact = assess(geo, scenario)
    found = [(m, dict(places.card(geo, impact, m.place))) for m in matches]
    if args.format == "json":
        records = [
            {
                "kind": m.place.kind,
                "id": m.place.id,
                "name": m.place.name,
                "name_ar": m.place.name_ar,
                "name_tr": m.place.name_tr,
                "matched": m.spelling,
                "score": m.score,
                "lon": m.place.lon,
                "lat": m.place.lat,
                "card": card,
            }
            for m, card in found
        ]
        print(
            json.dumps(
                {"query": args.query, "scenario": scenario.label(), "places": records}, ensure_ascii=False, indent=1
            )
        )
        return 0
    print(f"Scenario: {scenario.label()}")
    for m, card in found:
        print(f"\n{m.place.label}  [matched {m.spelling!r}]")
        for label in PLACE_LINES:
            if label in card:
                print(f"  {label}: {card[label]}")
    return 0


PLACE_LINES = (
    "Sub-district, district, governorate",
    "District, governorate",
    "Governorate",
    "Distance to the border",
    "Nearest point to the border",
    "In the zone",
    "In the band",
    "In the M4 corridor",
    "Share in the zone",
    "Share in the band",
    "In the scenario",
)


def run_scenario(parser, args) -> int:
    scenario = _scenario(parser, args)
    from dashboard.model.geography import load_geography
    from dashboard.model.impact import assess
    from dashboard.render import report
    from dashboard.sources.layers import GeodataError

    try:
        geo = load_geography()
    except GeodataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    impact = assess(geo, scenario, population_method=args.population_method)
    if args.format == "json":
        print(json.dumps(report.impact_dict(impact), ensure_ascii=False, indent=1))
    elif args.format == "geojson":
        print(json.dumps(report.zones_geojson(geo, impact), ensure_ascii=False))
    else:
        print(report.impact_table(impact))
    return 0


def _grid_spec(text: str) -> tuple[str, str, str]:
    """FROM:TO[:STEP] (months YYYY-MM within the events data's span; step month or quarter)."""
    from dashboard.model.timeline import MonthError, months_between, parse_month

    parts = text.split(":")
    step = parts[2] if len(parts) == 3 else "month"
    try:
        if len(parts) not in (2, 3):
            raise MonthError("expected FROM:TO or FROM:TO:STEP, e.g. 2019-04:2020-03:quarter")
        first, last = parse_month(parts[0]), parse_month(parts[1])
        months_between(first, last)
        if step not in ("month", "quarter"):
            raise MonthError(f"step {step!r}: month or quarter")
    except MonthError as exc:
        raise argparse.ArgumentTypeError(f"invalid grid {text!r}: {exc}") from None
    return first, last, step


def _month_arg(text: str) -> str:
    from dashboard.model.timeline import MonthError, parse_month

    try:
        return parse_month(text)
    except MonthError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _timeline_parser(sub) -> None:
    tl = sub.add_parser("timeline", help="a scenario month by month: events, deaths, posts, the texts' dates")
    tl.add_argument("--from", dest="first", type=_month_arg, default="2019-04", metavar="YYYY-MM")
    tl.add_argument("--to", dest="last", type=_month_arg, default="2020-03", metavar="YYYY-MM")
    _scenario_options(tl)
    tl.add_argument("--format", choices=["table", "json"], default="table")
    tl.add_argument("--png", metavar="FILE", help="also write the small multiples of the months as a PNG")
    tl.add_argument("--step", choices=["month", "quarter"], default="month", help="a panel per month or quarter")


def run_timeline(parser, args) -> int:
    """Per month of --from..--to: events and deaths inside, in the band, outside; posts by status on the
    month's last day; the seeds' dated events with their quotes. ``--png`` writes the small multiples."""
    scenario = _scenario(parser, args)
    if args.last < args.first:
        parser.error(f"--to {args.last} is before --from {args.first}")
    from pathlib import Path

    from dashboard.model import timeline
    from dashboard.model.geography import load_geography
    from dashboard.sources import seeds
    from dashboard.sources.layers import GeodataError

    try:
        geo = load_geography()
    except GeodataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    found = timeline.month_figures(
        geo, scenario, args.first, args.last, seeds.load_table(seeds.TIMELINE), seeds.load_registry()
    )
    from dashboard.render import months

    if args.format == "json":
        record = {"scenario": scenario.to_dict(), "outside": timeline.OUTSIDE, "months": [m.to_dict() for m in found]}
        for name in ("as_of", "events_from", "events_to"):  # each month is its own window and as-of date
            record["scenario"].pop(name)
        print(json.dumps(record, ensure_ascii=False, indent=1))
    else:
        print(months.months_table(scenario, found))
    if args.png:
        from dashboard.render import images

        grid = months.Grid(scenario, args.first, args.last, args.step)
        out = Path(args.png)
        for k, panels in enumerate(grid.chunks()):
            path = out if k == 0 else out.with_name(f"{out.stem}-{k + 1}{out.suffix}")
            try:
                path.write_bytes(images.png(months.grid_chart(geo, grid, panels)))
            except OSError as exc:
                print(f"error: {path} could not be written: {exc.strerror or exc}", file=sys.stderr)
                return 1
            print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
