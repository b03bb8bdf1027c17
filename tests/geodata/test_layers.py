"""The committed layers load, are valid EPSG:4326, and hold the figures measured on their sources."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
import shapely
import shapely.ops
from pyproj import Geod

from dashboard.sources import layers

ROOT = layers.GEODATA_DIR.parent

GEOD = Geod(ellps="WGS84")


def geodesic_km2(geom) -> float:
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


@pytest.mark.parametrize("name", list(layers.LAYERS))
def test_layer_is_valid_epsg4326_with_ids_and_names(layer, name):
    frame = layer(name)
    assert frame.crs.to_epsg() == 4326
    assert frame.geometry.is_valid.all()
    assert not frame.geometry.is_empty.any()
    assert frame["id"].is_unique
    assert frame["name"].notna().all() and (frame["name"].str.len() > 0).all()


@pytest.mark.parametrize("name", list(layers.LAYERS))
def test_coordinates_are_rounded_to_five_decimals(name):
    text = layers.layer_path(name).read_text(encoding="utf-8")
    coords = shapely.get_coordinates(
        shapely.from_geojson([json.dumps(f["geometry"]) for f in json.loads(text)["features"]])
    )
    assert (abs(coords * 1e5 - (coords * 1e5).round()) < 1e-6).all()


def test_all_layers_together_are_under_3_mb():
    total = sum(layers.layer_path(n).stat().st_size for n in layers.LAYERS)
    assert total < 3_000_000


REFERENCE_EVENTS = ROOT.parent / "shared" / "reference" / "ucdp_ged211_north_syria.csv"


def test_the_events_table_holds_every_event_of_the_committed_copy_with_its_deaths_per_year():
    events = layers.load_events()
    copy = pd.read_csv(ROOT / "geodata" / "authored" / "ucdp_ged211_north_syria.csv")
    assert len(events) == len(copy) == 35_916 and events["id"].is_unique
    per_year = events.groupby(events["date"].str[:4])["best"].sum()
    assert per_year.to_dict() == copy.groupby(copy["date_start"].str[:4])["best"].sum().to_dict()
    assert per_year["2019"] == 8_245 and per_year["2020"] == 4_035
    assert (events["low"] <= events["best"]).all() and (events["best"] <= events["high"]).all()
    assert set(events["violence"]) == {"state-based", "non-state", "one-sided"}
    assert events["date"].min() >= "2004-01-01" and events["date"].max() <= "2020-12-31"
    balyun = events.loc[events["id"] == 338066].iloc[0]  # 27 Feb 2020: the strike that killed Turkish soldiers
    assert balyun["date"] == "2020-02-27" and balyun["best"] >= 33


@pytest.mark.skipif(not REFERENCE_EVENTS.exists(), reason="../shared/reference is not beside the project")
def test_the_committed_copy_of_the_events_is_the_reference_file():
    copy = ROOT / "geodata" / "authored" / "ucdp_ged211_north_syria.csv"
    assert copy.read_bytes() == REFERENCE_EVENTS.read_bytes()


def test_countries_hold_syria_turkiye_and_neighbours(layer):
    ids = set(layer("countries")["id"])
    assert {"SYR", "TUR", "IRQ", "JOR", "LBN"} <= ids


def test_border_runs_760_to_920_km_in_two_segments(layer):
    border = layer("border")
    assert set(border["segment"]) == {"west", "east"}
    total = sum(GEOD.geometry_length(g) for g in border.geometry) / 1000
    assert 760 <= total <= 920
    west = border.loc[border["segment"] == "west"].geometry.iloc[0]
    east = border.loc[border["segment"] == "east"].geometry.iloc[0]
    # west starts at the Mediterranean (~35.9 E), east ends at the Tigris tripoint (~42.4 E),
    # and they meet where the Euphrates crosses (~38.0 E)
    assert west.coords[0][0] < 36.2 and east.coords[-1][0] > 42.0
    assert west.coords[-1] == pytest.approx(east.coords[0])
    assert 37.9 < west.coords[-1][0] < 38.1


def test_fourteen_governorates_and_turkish_border_provinces(layer):
    govs = layer("governorates")
    syrian = govs.loc[govs["country"] == "Syria"]
    assert len(syrian) == 14
    assert {"Hatay", "Kilis", "Gaziantep", "Şanlıurfa", "Mardin", "Şırnak"} <= set(govs["name"])
    idlib = syrian.loc[syrian["id"] == "SY07"].geometry.iloc[0]
    assert 5500 <= geodesic_km2(idlib) <= 6200


def test_governorates_tile_syria(layer):
    govs = layer("governorates")
    syria = layer("countries").set_index("id").geometry["SYR"]
    union = shapely.union_all(govs.loc[govs["country"] == "Syria"].geometry.values)
    assert geodesic_km2(shapely.symmetric_difference(union, syria)) < 1.0


def test_afrin_district_area(layer):
    afrin = layer("districts").set_index("id").geometry["SY0203"]
    assert 1800 <= geodesic_km2(afrin) <= 2100
    subs = layer("subdistricts")
    assert set(subs.loc[subs["district_id"] == "SY0203", "name"]) == {
        "Afrin",
        "Bulbul",
        "Jandairis",
        "Ma'btali",
        "Raju",
        "Sharan",
        "Sheikh El-Hadid",
    }


FITTED = ["SY02", "SY05", "SY06", "SY07", "SY08", "SY09", "SY10", "SY11"]  # every governorate a zone can reach


@pytest.mark.parametrize("gov_id", FITTED)
def test_districts_and_subdistricts_tile_their_governorate(layer, gov_id):
    gov = layer("governorates").set_index("id").geometry[gov_id]
    for name in ("districts", "subdistricts"):
        units = layer(name)
        units = units.loc[units["governorate_id"] == gov_id].geometry.values
        union = shapely.union_all(units)
        gaps = geodesic_km2(shapely.difference(gov, union))
        spill = geodesic_km2(shapely.difference(union, gov))
        overlap = sum(geodesic_km2(g) for g in units) - geodesic_km2(union)
        tolerance = max(1.0, 2e-4 * geodesic_km2(gov))  # 1 km², or 0.02 % of the largest governorates
        assert gaps < tolerance and spill < tolerance and abs(overlap) < tolerance, (name, gaps, spill, overlap)


def test_subdistricts_carry_population_with_source_and_year(layer):
    subs = layer("subdistricts")
    hno = pd.read_csv(ROOT / "geodata" / "authored" / "hno2023_subdistricts.csv")
    fitted = hno.loc[hno["admin1Pcode"].isin(FITTED) & (hno["admin3Pcode"] != "SY100001")]  # Arwad: an island
    assert sorted(subs["id"]) == sorted(fitted["admin3Pcode"])
    assert subs["pop_2023"].notna().all() and (subs["pop_2023"] > 0).all()
    assert subs["pop_2023_source"].str.contains("2023").all()
    assert subs["pop_2004_source"].dropna().str.contains("2004").all()
    # the sub-district totals add up to OCHA's governorate totals
    assert subs.loc[subs["governorate_id"] == "SY07", "pop_2023"].sum() == 2_927_392
    assert subs.loc[subs["governorate_id"] == "SY02", "pop_2023"].sum() == 4_226_203
    merged = subs.merge(fitted, left_on="id", right_on="admin3Pcode", suffixes=("", "_hno"), validate="1:1")
    assert len(merged) == len(subs)
    assert (merged["pop_2023"] == merged["population_total_2023"]).all()
    assert (merged["pin_2023"] == merged["people_in_need_2023"]).all()
    assert merged["severity_2023"].between(1, 5).all()
    shares = merged[["share_gos", "share_nws", "share_nes", "share_raata", "share_tall_refaat"]].sum(axis=1)
    assert ((shares - 1).abs() < 0.011).all()


def test_every_governorate_a_zone_can_reach_has_subdistricts(layer):
    """Within 100 km (the deepest zone) of the border lie exactly the fitted governorates (Homs is 101 km away)."""
    from dashboard.model.geography import load_geography

    geo = load_geography()
    near = {r.id for r in geo.governorates.itertuples() if shapely.distance(r.geometry, geo.borders["all"]) < 100_000}
    assert near == set(FITTED)
    assert set(layer("subdistricts")["governorate_id"]) == set(FITTED)


def test_settlements_have_units_and_population_vintage(layer):
    places = layer("settlements")
    assert len(places) > 300
    populated = places.loc[places["population"].notna()]
    assert populated["population_vintage"].notna().all()
    idlib_city = places.set_index("id").loc["gn169389"]
    assert idlib_city["subdistrict"] == "Idleb" and idlib_city["governorate_id"] == "SY07"
    afrin = places.set_index("id").loc["gn174186"]
    assert afrin["district_id"] == "SY0203"


def test_twelve_astana_posts_inside_syria_with_status_dates(layer):
    posts = layer("posts")
    syria = layer("countries").set_index("id").geometry["SYR"]
    astana = posts.loc[posts["kind"] == "astana"]
    assert sorted(astana["number"].astype(int)) == list(range(1, 13))
    assert astana.geometry.within(syria).all()
    assert astana["coord_confidence"].notna().all() and astana["coord_basis"].notna().all()
    assert (astana["coord_uncertainty_km"] > 0).all()
    for _, post in posts.iterrows():
        established = dt.date.fromisoformat(post["established"])
        assert dt.date(2017, 10, 1) <= established <= dt.date(2023, 1, 1)
        for col in ("encircled", "evacuated"):
            if isinstance(post[col], str):
                assert dt.date.fromisoformat(post[col]) >= established
        assert len(post["sources"]) >= 1
    geocoded = astana.loc[astana["coord_basis"].str.startswith("geocoded")]
    assert len(geocoded) >= 3  # Salwa, Sheikh Aqil, al-Zaytuna, al-Rashidin had no published coordinates


def test_roads_are_approximate_and_mark_the_patrol_stretch(layer):
    roads = layer("roads").set_index("id")
    assert {"M4-west", "M5-south", "M4-patrol-2020"} <= set(roads.index)
    assert roads["accuracy"].str.startswith("approximate").all()
    patrol_km = GEOD.geometry_length(roads.geometry["M4-patrol-2020"]) / 1000
    assert 50 <= patrol_km <= 90  # Trumba to Ain al-Hour along the M4 is roughly 70 km


def test_rivers_are_named_only_where_a_cited_town_sits_on_them(layer):
    rivers = layer("rivers")
    named = rivers.loc[rivers["named"]]
    assert set(named["name"]) == {"Orontes", "Afrin", "Euphrates"}
    assert named["source"].str.contains("Wikipedia|SANA").all()
    assert (~rivers.loc[~rivers["named"], "source"].str.contains("named from")).all()
    settlements = layer("settlements").set_index("id")
    for river, town in (("Orontes", "gn169023"), ("Afrin", "gn174186"), ("Euphrates", "gn169179")):
        line = shapely.union_all(named.loc[named["name"] == river].geometry.values)
        point = settlements.geometry[town]
        nearest = shapely.shortest_line(point, line).coords[-1]
        assert GEOD.inv(point.x, point.y, *nearest)[2] < 3000, (river, town)
    euphrates = shapely.union_all(named.loc[named["name"] == "Euphrates"].geometry.values)
    border = shapely.union_all(layer("border").geometry.values)
    crossing = shapely.intersection(euphrates, border)
    assert not crossing.is_empty and abs(shapely.get_coordinates(crossing)[0][0] - 38.02) < 0.05  # at Jarablus


def test_places_carry_arabic_and_turkish_names_with_their_sources(layer):
    """Coverage as SOURCES.md states it; every name has a source; the key towns have all three."""
    from dashboard.model.geography import KEY_TOWNS
    from dashboard.sources.names import is_arabic

    expected = {"governorates": (20, 20), "districts": (37, 12), "subdistricts": (152, 19), "settlements": (310, 22)}
    expected["posts"] = (12, 14)
    for name, (arabic, turkish) in expected.items():
        frame = layer(name)
        assert (int(frame["name_ar"].notna().sum()), int(frame["name_tr"].notna().sum())) == (arabic, turkish), name
        named = frame["name_ar"].notna() | frame["name_tr"].notna()
        assert frame.loc[named, "names_source"].notna().all(), name
        assert all(is_arabic(n) for n in frame["name_ar"].dropna()), name
    towns = layer("settlements").set_index("id").loc[list(KEY_TOWNS.values())]
    assert towns["name_ar"].notna().all() and towns["name_tr"].notna().all()
    assert (towns["names_source"].str.contains("http")).all()  # the Turkish name's report
    idlib = towns.loc["gn169389"]
    assert (idlib["name_ar"], idlib["name_tr"]) == ("إدلب", "İdlib") and "Idleb" in idlib["aliases"]
    governorates = layer("governorates").set_index("id")
    assert governorates.loc["SY07", ["name_ar", "name_tr"]].tolist() == ["إدلب", "İdlib"]
    posts = layer("posts").set_index("id")
    assert posts.loc["OP09", ["name_ar", "name_tr"]].tolist() == ["مورك", "Morik"]
    # a district or sub-district named after a key town has the town's Turkish name and the town's source
    districts = layer("districts").set_index("id")
    assert districts.loc["SY0704", "name_tr"] == "Cisr eş-Şuğur"
    assert "its namesake key town's" in districts.loc["SY0704", "names_source"]
    assert layer("subdistricts").set_index("id").loc["SY070003", "name_tr"] == towns.loc["gn164816", "name_tr"]
    assert "Arabic: " in posts.loc["OP09", "names_source"] and "Turkish: " in posts.loc["OP09", "names_source"]


def test_the_names_the_press_uses_replace_the_wrong_ones_each_with_its_source(layer):
    """Issue 26: Kobani's Arabic is عين العرب (GeoNames' first Arabic was عرب بينار), Qamishli's القامشلي (not the
    Kurdish-derived القامشلو), Hasakah's Turkish Haseke (Natural Earth: "Hasiçi"), and Idlib governorate's Turkish
    agrees with the town's (Natural Earth: "İdlip"). The replaced spellings stay searchable as aliases."""
    towns = layer("settlements").set_index("id")
    govs = layer("governorates").set_index("id")
    assert towns.loc["gn172256", "name_ar"] == "عين العرب" and "عرب بينار" in towns.loc["gn172256", "aliases"]
    assert towns.loc["gn173377", ["name_ar", "name_tr"]].tolist() == ["القامشلي", "Kamışlı"]
    assert towns.loc["gn173811", "name_tr"] == govs.loc["SY08", "name_tr"] == "Haseke"
    assert govs.loc["SY07", "name_tr"] == towns.loc["gn169389", "name_tr"] == "İdlib"
    assert "İdlip" in govs.loc["SY07", "aliases"] and "Hasiçi" in govs.loc["SY08", "aliases"]
    turkish = {
        "gn163750": "Tel Abyad",
        "gn165509": "Resulayn",
        "gn173377": "Kamışlı",
        "gn168325": "Han Şeyhun",
        "gn169023": "Cisr eş-Şuğur",
        "gn174186": "Afrin",
        "gn165571": "Raco",
        "gn169190": "Cinderes",
        "gn168519": "Keseb",
        "gn164898": "Salkin",
    }
    for gn, name in turkish.items():
        assert towns.loc[gn, "name_tr"] == name
        assert "Turkish: " in towns.loc[gn, "names_source"] and "http" in towns.loc[gn, "names_source"], gn
    for gn in ("gn172256", "gn173377"):
        assert "Arabic: " in towns.loc[gn, "names_source"] and "http" in towns.loc[gn, "names_source"]
    subs = layer("subdistricts").set_index("id")
    assert subs.loc["SY080200", "name_ar"] == "القامشلي"  # the namesake rule follows the town


def test_border_towns_just_outside_the_generalised_line_have_their_subdistrict(layer):
    """Tall Abyad, Kassab and Ayn al-Arab: GeoNames' point lies 0.4–0.6 km beyond Natural Earth's border, in no
    sub-district polygon; the build assigns the nearest, says so, and measures the gap on the ellipsoid."""
    towns = layer("settlements").set_index("id")
    subs = layer("subdistricts").set_index("id")
    for gn, pcode in (("gn163750", "SY110200"), ("gn168519", "SY060005"), ("gn172256", "SY020600")):
        town = towns.loc[gn]
        assert town["subdistrict_id"] == pcode and town["district_id"] == subs.loc[pcode, "district_id"], gn
        assert "outside Natural Earth's line" in town["subdistrict_note"], gn
        point = town.geometry
        _, near = shapely.ops.nearest_points(point, subs.loc[pcode].geometry)
        assert 0 < GEOD.inv(point.x, point.y, near.x, near.y)[2] / 1000 < 1.0, gn
    inside = towns.loc[towns["subdistrict_note"].isna() & towns["subdistrict_id"].notna()]
    assert len(inside) > 190  # the rest of the fitted governorates' places by point in polygon, with no note


def test_the_towns_briefings_name_that_geonames_lacks_are_added_with_their_sources(layer):
    """Sarmada, Atmeh, Qah and Deir Hassan (issue 26), from authored/settlements_added.csv: position and
    population each with a source; a population only where a source gives one, with its year."""
    towns = layer("settlements").set_index("id")
    expected = {
        "au-sarmada": ("Sarmada", 36.183, 36.717, 15000, "2007"),
        "au-atmeh": ("Atmeh", 36.31111, 36.68639, 2255, "2004"),
        "au-qah": ("Qah", 36.29639, 36.72528, 2262, "2004"),
        "au-deir-hassan": ("Deir Hassan", 36.23139, 36.7625, 1875, "2004"),
    }
    for pid, (name, lat, lon, people, year) in expected.items():
        town = towns.loc[pid]
        assert town["name"] == name and (round(town.geometry.y, 5), round(town.geometry.x, 5)) == (lat, lon)
        assert town["population"] == people and town["population_vintage"].startswith(f"{year}; ")
        assert town["source"].startswith("authored/settlements_added.csv") and "position: " in town["source"]
        assert "http" in town["source"] and town["name_ar"] and town["inside_syria"]
        assert (town["governorate_id"], town["district_id"], town["subdistrict_id"]) == ("SY07", "SY0703", "SY070301")
    assert towns.loc[towns.index.str.startswith("gn"), "source"].isna().all()  # GeoNames' own say so in names_source


def test_every_published_edge_point_lies_in_its_citys_extent(layer):
    """An extent is a disc of the published area cut at published edge points: no cut may remove another
    published edge, and an edge beyond the disc is reached (the extents' build once cut New Aleppo away)."""
    import csv

    import shapely

    extents = layer("extents").set_index("settlement_id")
    with (layers.GEODATA_DIR / "authored" / "town_extents.csv").open(encoding="utf-8") as fh:
        edges = [r for r in csv.DictReader(fh) if r["kind"] == "edge"]
    assert {r["settlement_id"] for r in edges} == set(extents.index)
    for r in edges:
        shape = extents.loc[r["settlement_id"], "geometry"]
        point = shapely.Point(float(r["lon"]), float(r["lat"]))
        assert shape.distance(point) < 1e-4, r["point"]  # on the 5-decimal grid (~10 m)
