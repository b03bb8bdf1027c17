"""Places a briefer names: the gazetteer, the search by any of their names, and what a scenario says of one.

The gazetteer holds the key towns, governorates, districts, sub-districts, observation posts and the other
GeoNames settlements, each with its English, Arabic and Turkish names and the other spellings its source
lists. A query is read through ``sources/names.py`` (case, diacritics, hamza and ayn marks, articles, Arabic
letter variants), and every place is scored by its best-matching name:

    100  the same name                 ("Idleb" = Idleb; "ادلب" = إدلب)
     90  the same consonants, three or more, both
         beginning with a vowel or both not     ("Edlib" → dlb = Idlib; not "Delibi")
     80  the start of a name           ("Jisr" → Jisr al-Shughur)
     70  the start of a word           ("Shughur" → Jisr al-Shughur)
     60  the start of the consonants, four or more ("Srqb" → Saraqib)
     50  inside a name                 ("arrat" → Maarrat al-Numan)
     40  one or two letters off        ("Idlbi" → Idlib; two for names of seven letters or more)

Near misses (below 60) are listed only when nothing matches better. Ties go to the kind a briefer most likely
means (key town, governorate, district, sub-district, post, settlement; a town that is the seat of a unit of
its own name ranks with the key towns: "Raqqa", "Qamishli", "Tell Abyad" list the town before the governorate,
district or sub-district named after it), then to the larger population, then to the name.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from rapidfuzz.distance import Levenshtein

from dashboard.model import metrics
from dashboard.model.geography import KEY_TOWNS, Geography
from dashboard.model.impact import Impact
from dashboard.sources import names

KINDS = {
    "town": "key town",
    "governorate": "governorate",
    "district": "district",
    "subdistrict": "sub-district",
    "post": "observation post",
    "settlement": "settlement",
}
RANK = {kind: rank for rank, kind in enumerate(KINDS)}
LAYER = {
    "town": "settlements",
    "settlement": "settlements",
    "governorate": "governorates",
    "district": "districts",
    "subdistrict": "subdistricts",
    "post": "posts",
}
ZOOM = {"town": 10, "settlement": 10.5, "post": 10.5, "subdistrict": 9.5, "district": 8.8, "governorate": 8}
LIMIT = 8  # suggestions shown as one types
RUN_WORDS = 8  # a longer query is read a run at a time in its first words only: each run is a search
STRONG = 60  # a match this good or better is of the name itself; below it, a near miss (one or two slips)


@dataclass(frozen=True)
class Place:
    kind: str
    id: str
    name: str
    name_ar: str | None
    name_tr: str | None
    aliases: tuple[str, ...]
    lon: float
    lat: float
    population: float | None
    seat: bool = False  # a settlement that a governorate, district or sub-district it lies in is named after

    @property
    def rank(self) -> int:
        """Its place among equal matches: a seat of a unit ranks with the key towns."""
        return RANK["town"] if self.seat else RANK[self.kind]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(n for n in (self.name, self.name_ar, self.name_tr, *self.aliases) if n)

    @property
    def label(self) -> str:
        """One line for a list of matches: its names in the three languages and what it is."""
        spelled = " · ".join(dict.fromkeys(n for n in (self.name, self.name_ar, self.name_tr) if n))
        return f"{spelled} ({KINDS[self.kind]})"

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class Match:
    place: Place
    score: int
    spelling: str  # the name that matched, as its source writes it


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None


def _aliases(value) -> tuple[str, ...]:
    if isinstance(value, (list, tuple, np.ndarray)):
        return tuple(str(v) for v in value if v)
    return ()


def build_gazetteer(layers_lonlat: dict) -> list[Place]:
    """Every place of the layers, the key towns as towns rather than settlements; posts' alternate names count."""
    towns = {gn: name for name, gn in KEY_TOWNS.items()}  # a key town goes by the briefing's name for it
    out = []
    for kind, layer in (
        ("governorate", "governorates"),
        ("district", "districts"),
        ("subdistrict", "subdistricts"),
        ("post", "posts"),
        ("settlement", "settlements"),
    ):
        frame = layers_lonlat[layer]
        if kind == "governorate":
            frame = frame[frame["country"] == "Syria"]
        points = frame.geometry.representative_point()
        for row, point in zip(frame.itertuples(index=False), points, strict=True):
            is_town = kind == "settlement" and row.id in towns
            aliases = _aliases(getattr(row, "aliases", None)) + _aliases(getattr(row, "alt_names", None))
            name = towns[row.id] if is_town else str(row.name)
            if name != row.name:
                aliases = (str(row.name), *aliases)
            population = getattr(row, "population", None) if kind == "settlement" else getattr(row, "pop_2023", None)
            seat = kind == "settlement" and _seat(str(row.name), row)
            out.append(
                Place(
                    kind="town" if is_town else kind,
                    id=str(row.id),
                    name=name,
                    name_ar=_text(getattr(row, "name_ar", None)),
                    name_tr=_text(getattr(row, "name_tr", None)),
                    aliases=aliases,
                    lon=round(point.x, 5),
                    lat=round(point.y, 5),
                    population=float(population) if population is not None and population == population else None,
                    seat=seat,
                )
            )
    return out


def _seat(name: str, row) -> bool:
    """Whether a settlement gives its name to a unit it lies in (Ar Raqqah: Ar-Raqqa governorate and district)."""
    own = names.skeleton(name)
    units = (getattr(row, kind, None) for kind in ("subdistrict", "district", "governorate"))
    return bool(own) and any(isinstance(u, str) and names.skeleton(u) == own for u in units)


class Gazetteer:
    """The places with the three keys of each of their names made once, so a query costs only comparisons."""

    def __init__(self, places: list[Place]):
        self.places = places
        self.keys = [
            [
                (spelling, names.compact(spelling), names.skeleton(spelling), names.words(spelling))
                for spelling in p.names
            ]
            for p in places
        ]
        self.by_key = {p.key: p for p in places}

    def search(self, query: str, limit: int = LIMIT) -> list[Match]:
        """The places whose names best match ``query``, best first; none for an empty or unreadable query.

        A query no name matches well as a whole ("Idlib إدلب İdlip", "the road to Saraqib") is read again a
        run of words at a time (one to three, in its first eight words): the run with the best match wins, the
        longest on a tie."""
        found = self._search(query, limit)
        if found and found[0].score >= STRONG:
            return found
        runs = _runs(names.words(query)[:RUN_WORDS])
        tried = [(self._search(run, limit), run) for run in runs]
        best = [(m, run) for m, run in tried if m and m[0].score >= STRONG]
        if not best:
            return found
        return max(best, key=lambda pair: (pair[0][0].score, len(names.compact(pair[1]))))[0]

    def _search(self, query: str, limit: int) -> list[Match]:
        compact = names.compact(query)
        if not compact:
            return []
        skeleton = names.skeleton(query)
        found = []
        for place, keys in zip(self.places, self.keys, strict=True):
            best, spelling = 0, ""
            for name, name_compact, name_skeleton, name_words in keys:
                score = _score(compact, skeleton, name_compact, name_skeleton, name_words)
                if score > best:
                    best, spelling = score, name
            if best:
                found.append(Match(place, best, spelling))
        found.sort(key=lambda m: (-m.score, m.place.rank, -(m.place.population or 0), m.place.name))
        if found and found[0].score >= STRONG:  # a name that matches well hides the near misses
            found = [m for m in found if m.score >= STRONG]
        return found[:limit]


def _runs(words: list[str], longest: int = 3) -> list[str]:
    """The query's runs of one to ``longest`` words, shorter than the whole (a place name has at most three)."""
    return [
        " ".join(words[i : i + n])
        for n in range(1, min(longest, len(words) - 1) + 1)
        for i in range(len(words) - n + 1)
    ]


def _score(query: str, query_skeleton: str, name: str, name_skeleton: str, name_words: list[str]) -> int:
    if name == query:
        return 100
    if len(query_skeleton) >= 3 and name_skeleton == query_skeleton and _starts_alike(query, name):
        return 90
    if len(query) >= 2 and name.startswith(query):
        return 80
    if len(query) >= 2 and any(w.startswith(query) for w in name_words[1:]):
        return 70
    if len(query_skeleton) >= 4 and name_skeleton.startswith(query_skeleton):
        return 60
    if len(query) >= 3 and query in name:
        return 50
    if len(query) >= 4 and abs(len(name) - len(query)) <= 2 and _within(name, query, 1 if len(query) < 7 else 2):
        return 40
    return 0


def _starts_alike(a: str, b: str) -> bool:
    """Both begin with a vowel, or both with a consonant: Edlib is Idlib, but Delibi is not Idleb."""
    return (a[:1] in "aeiouy") == (b[:1] in "aeiouy")


def _within(a: str, b: str, most: int) -> bool:
    """Whether the edit distance between ``a`` and ``b`` is at most ``most``: rapidfuzz, which stops once it
    cannot be (the same answers as the hand-written programme it replaced, over every pair of names the
    search compares, ~19 times faster: ``python -m bench.libraries``)."""
    return Levenshtein.distance(a, b, score_cutoff=most) <= most


# --- what a scenario says of a place ------------------------------------------------------------------


def _yes(flag) -> str:
    return "yes" if bool(flag) else "no"


def _share(value: float) -> str:
    return f"{value:.0%}" if value >= 0.005 or value == 0 else "under 1%"


def card(geo: Geography, impact: Impact, place: Place) -> list[tuple[str, str]]:
    """The place's card for the current scenario: its names, what and where it is, its people with their
    source, its distance to the border, what of the scenario covers it, the nearest post and its sources.
    Rows of (label, plain text): the UI and the CLI show them as text, never as markup."""
    s = impact.scenario
    layer = geo.layers_lonlat[LAYER[place.kind]]
    row = layer.loc[layer["id"] == place.id].iloc[0]
    rows = [("English", place.name), ("Arabic", place.name_ar or "—"), ("Turkish", place.name_tr or "—")]
    rows.append(("What it is", KINDS[place.kind]))
    point = geo.to_ground(shapely.points(place.lon, place.lat))
    if place.kind in ("town", "settlement"):
        rows += _settlement_rows(geo, impact, row)
    elif place.kind == "post":
        rows += _post_rows(impact, row)
    else:
        rows += _unit_rows(geo, impact, place, row)
    if place.kind != "post":
        rows.append(_nearest_post(geo, impact, point))
    rows.append(("Scenario", s.label()))
    rows.append(("Names from", _text(row.get("names_source")) or "—"))
    return rows


def within(geo: Geography, place: Place) -> list[str]:
    """The keys of the units that hold a place, smallest first (its sub-district, district, governorate): a
    click on the map finds the sub-district, and its card leads on to its district and governorate."""
    layer = geo.layers_lonlat[LAYER[place.kind]]
    row = layer.loc[layer["id"] == place.id].iloc[0]
    keys = []
    for kind in ("subdistrict", "district", "governorate"):
        unit = row.get(f"{kind}_id")
        if isinstance(unit, str) and unit and kind != place.kind:
            keys.append(f"{kind}:{unit}")
    return keys


def _where(row) -> str:
    parts = [row.get("subdistrict"), row.get("district"), row.get("governorate")]
    return ", ".join(str(p) for p in parts if isinstance(p, str) and p) or "—"


def _settlement_rows(geo: Geography, impact: Impact, row) -> list[tuple[str, str]]:
    table = impact.settlements
    hit = table.loc[table["id"] == row["id"]].iloc[0]
    population = row.get("population")
    added = _text(row.get("source"))  # a town GeoNames lacks, from the authored table with its sources
    vintage = _text(row.get("population_vintage")) if added else "GeoNames; year not stated per place"
    people = f"{population:,.0f} ({vintage})" if population == population and population else "—"
    rows = [("Sub-district, district, governorate", _where(row)), ("Population", people)]
    if added:
        rows.append(("Position", added))
    subs = geo.layers_lonlat["subdistricts"]
    sub = subs.loc[subs["id"] == row.get("subdistrict_id")]
    if len(sub):
        sub = sub.iloc[0]
        note = _text(row.get("subdistrict_note"))
        rows.append(
            (
                "Its sub-district",
                f"{sub['pop_2023']:,.0f} people, {sub['pin_2023']:,.0f} in need, severity {sub['severity_2023']} of 5 "
                "(OCHA Syria 2023 HNO)" + (f"; {note}" if note else ""),
            )
        )
    if not hit["in_syria"]:
        beyond = (
            "its point lies just beyond Natural Earth's generalised border, outside the outline zones are drawn in: "
            "no zone covers the point (its sub-district's card gives the share of the sub-district inside)"
            if _text(row.get("subdistrict_note"))
            else "outside Syria: no zone covers it"
        )
        return [*rows, ("In the scenario", beyond)]
    on_line = [
        sentence
        for town, sentence in zip(impact.straddling, metrics.where_the_line_falls(impact), strict=True)
        if town["id"] == row["id"]
    ]
    return [
        *rows,
        *((("Where the line falls", " ".join(on_line)),) if on_line else ()),
        ("Distance to the border", f"{hit['distance_to_border_km']:.1f} km (geodesic, to the scenario's segment)"),
        ("In the zone", _yes(hit["inside"])),
        ("In the band", _yes(hit["in_band"])),
        ("In the M4 corridor", _yes(hit["in_corridor"]) if impact.scenario.corridor_km else "no corridor drawn"),
        ("Within a post's radius", _yes(hit["near_post"]) if impact.scenario.post_radius_km else "no radius drawn"),
    ]


def _post_rows(impact: Impact, row) -> list[tuple[str, str]]:
    table = impact.posts
    hit = table.loc[table["id"] == row["id"]].iloc[0]
    sources = hit["sources"]
    return [
        ("Governorate", str(row.get("governorate") or "—")),
        ("Status on " + impact.scenario.as_of.isoformat(), str(hit["status"])),
        ("Dates", str(hit["status_dates"])),
        ("Distance to the border", f"{hit['distance_to_border_km']:.1f} km (geodesic, to the scenario's segment)"),
        ("In the zone", _yes(hit["inside"])),
        ("In the band", _yes(hit["in_band"])),
        ("In the M4 corridor", _yes(hit["in_corridor"]) if impact.scenario.corridor_km else "no corridor drawn"),
        ("Position", f"{row.get('coord_basis')} (±{row.get('coord_uncertainty_km')} km)"),
        ("Sources", " ; ".join(str(x) for x in sources) if len(sources) else "—"),
    ]


UNIT_TABLES = {"governorate": "governorates", "district": "districts", "subdistrict": "subdistricts"}


def _unit_rows(geo: Geography, impact: Impact, place: Place, row) -> list[tuple[str, str]]:
    table = getattr(impact, UNIT_TABLES[place.kind])
    hit = table.loc[table["id"] == place.id]
    rows = []
    if place.kind == "subdistrict":
        rows.append(("District, governorate", f"{row['district']}, {row['governorate']}"))
    elif place.kind == "district":
        rows.append(("Governorate", str(row["governorate"])))
    if place.kind != "governorate":
        rows.append(("Population", f"{row['pop_2023']:,.0f} (OCHA Syria 2023 HNO)"))
    if place.kind == "subdistrict":
        rows.append(("People in need", f"{row['pin_2023']:,.0f}, severity {row['severity_2023']} of 5 (OCHA 2023 HNO)"))
    units = getattr(geo, UNIT_TABLES[place.kind])  # the same units in the ground CRS
    polygon = units.loc[units["id"] == place.id].geometry.iloc[0]
    near_km = shapely.distance(polygon, geo.borders[impact.scenario.segment]) / 1000.0
    rows.append(("Nearest point to the border", f"{near_km:.1f} km (geodesic, to the scenario's segment)"))
    if len(hit):
        hit = hit.iloc[0]
        rows.append(("Share in the zone", _share(float(hit["zone_share"]))))
        rows.append(("Share in the band", _share(float(hit["band_share"]))))
    else:  # a unit the zone can never reach (no row in the scenario's tables)
        rows.append(("Share in the zone", "0%"))
    return rows


def _nearest_post(geo: Geography, impact: Impact, point) -> tuple[str, str]:
    posts = geo.posts
    km = shapely.distance(posts.geometry.values, point) / 1000.0
    k = int(np.argmin(km))
    table = impact.posts
    status = table.loc[table["id"] == posts["id"].iloc[k], "status"].iloc[0]
    return (
        "Nearest observation post",
        f"{posts['name'].iloc[k]}, {km[k]:.1f} km; {status} on {impact.scenario.as_of.isoformat()}",
    )
