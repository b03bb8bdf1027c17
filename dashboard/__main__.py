"""Command line: `python -m dashboard scenario ...` for briefing preparation (and `figures scan`)."""

from __future__ import annotations

import argparse
import json
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


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="python -m dashboard", description="NW Syria scenario tools")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    sc = sub.add_parser("scenario", help="what a safe-zone scenario covers")
    sc.add_argument(
        "--zone", nargs=2, type=float, metavar=("INNER_KM", "OUTER_KM"), default=(DEFAULT.inner_km, DEFAULT.outer_km)
    )
    for spec in FIELDS:  # every other scenario parameter, named as in the scenario's field list
        if spec.flag is None:
            continue
        kind = {
            "segment": {"choices": list(SEGMENTS)},
            "km": {"type": _read_as(spec), "metavar": "KM"},
            "date": {"type": _read_as(spec), "metavar": "YYYY-MM-DD"},
        }[spec.kind]
        sc.add_argument(spec.flag, dest=spec.name, default=getattr(DEFAULT, spec.name), help=spec.label, **kind)
    sc.add_argument("--format", choices=["table", "json", "geojson"], default="table")
    sc.add_argument(
        "--population-method",
        choices=list(POPULATION_METHODS),
        default=DEFAULT_POPULATION_METHOD,
        help="dasymetric (people where they live, with a range; the default), area or settlements",
    )
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
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "scenario":
        return run_scenario(parser, args)
    return run_figures(parser, args)


def run_scenario(parser, args) -> int:
    try:
        inner, outer = args.zone
        scenario = scenario_from_record({**vars(args), "inner_km": inner, "outer_km": outer})
    except ScenarioError as exc:
        parser.error(str(exc))
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


if __name__ == "__main__":
    raise SystemExit(main())
