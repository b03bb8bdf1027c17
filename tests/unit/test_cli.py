"""`python -m dashboard scenario`: each format, and bad input exits 2 with one line."""

import io
import json
import subprocess
import sys

import pytest
import shapely


def test_json_has_the_documented_keys(run):
    code, out, _ = run("scenario", "--zone", "30", "40", "--format", "json")
    assert code == 0
    data = json.loads(out)
    for key in (
        "scenario",
        "zone_area_km2",
        "band_area_km2",
        "governorates",
        "districts",
        "settlements",
        "population_inside",
        "posts",
        "towns",
    ):
        assert key in data
    assert data["scenario"]["inner_km"] == 30 and data["scenario"]["segment"] == "west"
    assert 0 <= data["governorates"]["Idlib"] <= 1 and data["districts"]["Afrin"] == pytest.approx(1, abs=1e-3)
    settlement = data["settlements"][0]
    assert {"name", "population", "distance_to_border_km", "inside"} <= set(settlement)
    post = data["posts"][0]
    assert {"name", "status", "distance_to_border_km", "inside"} <= set(post)
    assert set(data["towns"]) >= {"Idlib", "Afrin", "A'zaz", "Aleppo"}
    assert data["towns"]["Afrin"]["inside"] is True


def test_geojson_is_a_feature_collection_of_band_zone_and_corridor(run):
    code, out, _ = run("scenario", "--zone", "20", "35", "--corridor", "6", "--format", "geojson")
    assert code == 0
    data = json.loads(out)
    assert data["type"] == "FeatureCollection"
    kinds = [f["properties"]["kind"] for f in data["features"]]
    assert kinds == ["band", "zone", "corridor"]
    lon, lat = shapely.get_coordinates(shapely.from_geojson(json.dumps(data["features"][0]["geometry"])))[0]
    assert 35 < lon < 43 and 32 < lat < 38  # lon/lat, not metres


def test_table_is_for_people(run):
    code, out, _ = run("scenario", "--segment", "all", "--as-of", "2019-09-01")
    assert code == 0
    assert "Idlib governorate inside" in out and "Morek" in out and "encircled" in out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["scenario", "--zone", "40", "30"], "the outer depth"),
        (["scenario", "--zone", "30"], "--zone"),
        (["scenario", "--zone", "a", "b"], "a number of kilometres, in digits"),
        (["scenario", "--segment", "north"], "--segment"),
        (["scenario", "--corridor", "-1"], "the M4 corridor"),
        (["scenario", "--post-radius", "500"], "the radius around each post"),
        (["scenario", "--as-of", "2020-02-30"], "--as-of"),
        (["scenario", "--as-of", "2016-01-01"], "the date of the posts' status"),
        (["scenario", "--format", "pdf"], "--format"),
        (["nonsense"], "invalid choice"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(run, args, needle):
    code, out, err = run(*args)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and needle in err


def test_module_entry_point_runs_in_a_real_process():
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "dashboard",
            "scenario",
            "--zone",
            "0",
            "30",
            "--segment",
            "all",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["zone_area_km2"] == pytest.approx(21_600, rel=0.01)


def test_figures_scan_lists_mentions_with_registry_status(run):
    code, out, _ = run("figures", "scan")
    assert code == 0
    lines = out.strip().splitlines()
    assert "'nearly 4 million'\tS16" in out and "'30-40 kilometers'\tS27" in out
    assert lines[-1].endswith("0 unreviewed")


def test_figures_scan_of_a_new_folder_marks_unreviewed(run, tmp_path):
    (tmp_path / "new.txt").write_text("Some 300 families fled in June 2021.", encoding="utf-8")
    code, out, _ = run("figures", "scan", str(tmp_path))
    assert code == 0
    assert "UNREVIEWED" in out and out.strip().splitlines()[-1].endswith("2 unreviewed")


def test_figures_check_passes_and_bad_folder_exits_2(run):
    code, out, _ = run("figures", "check")
    assert code == 0 and out.strip().endswith("0 problems")
    code, _, err = run("figures", "scan", "/no/such/folder")
    assert code == 2 and "not a folder" in err


def test_the_table_spells_each_figure_with_the_scenarios_own_numbers(run):
    code, out, _ = run("scenario", "--segment", "all", "--zone", "10", "20", "--corridor", "6", "--post-radius", "5")
    assert code == 0
    for line in ("Zone (0–20 km) area:", "Band (10–20 km) area:", "M4 corridor area (6 km either side):"):
        assert line in out
    assert "Area around manned posts (radius 5 km):" in out and "People in need inside (HNO 2023):" in out
    assert "outer" not in out.split("Governorates")[0]  # no placeholder words where a number belongs


@pytest.fixture
def deck_db(tmp_path, monkeypatch):
    from dashboard.exchange import decks

    monkeypatch.setenv(decks.DB_ENV, str(tmp_path / "decks.sqlite3"))
    store = decks.DeckStore()
    steps = decks.default_sequence()[:1]
    store.save("Morning brief", steps, None)
    return store, steps


@pytest.mark.parametrize("kind", ["pptx", "pdf", "html"])
def test_briefing_writes_each_format_from_a_saved_deck(run, deck_db, tmp_path, kind):
    out = tmp_path / f"brief.{kind}"
    code, _, err = run("briefing", "--deck", "Morning brief", "--format", kind, "--out", str(out))
    assert code == 0, err
    data = out.read_bytes()
    if kind == "pptx":
        from pptx import Presentation

        deck = Presentation(io.BytesIO(data))
        assert len(deck.slides) == 5  # title, the one step, the two comparisons, sources
        title = [s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame][1]
        assert title == "Morning brief"
    elif kind == "pdf":
        assert data.startswith(b"%PDF") and b"%%EOF" in data[-1024:]
    else:
        assert data.startswith(b"<!DOCTYPE html>") and deck_db[1][0].title.encode() in data
    assert "map 1 of 1" in err or kind == "html"
    assert not list(tmp_path.glob("*.partial"))


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--deck", "No such deck", "--format", "pptx"], "no saved deck 'No such deck'"),
        (["--deck", "Morning brief", "--version", "9", "--format", "pdf"], "no saved deck version 9"),
        (["--default", "--format", "docx"], "invalid choice: 'docx'"),
        (["--format", "pptx"], "one of the arguments --deck --default is required"),
        (["--deck", "Morning brief", "--version", "99999999999999999999", "--format", "pptx"], "no saved deck"),
        (["--default", "--version", "3", "--format", "pptx"], "--version goes with --deck"),
        (["--default", "--format", "html", "--title", "T"], "--title and --classification are for pptx and pdf"),
        (["--default", "--format", "pptx", "--out", ""], "--out must name a file"),
        (["--default", "--format", "pptx", "--out", "."], "--out must name a file"),
    ],
)
def test_briefing_with_a_bad_deck_or_format_exits_2_with_one_line(run, deck_db, tmp_path, args, needle):
    """Each is refused before anything is built (a folder given as --out once failed after the whole build)."""
    if "--out" not in args:
        args = [*args, "--out", str(tmp_path / "x.pptx")]
    code, out, err = run("briefing", *args)
    assert code == 2 and needle in err and len(err.strip().splitlines()) == 1 and out == ""
    assert not (tmp_path / "x.pptx").exists()


def test_briefing_to_a_missing_folder_exits_2(run, tmp_path):
    code, _, err = run("briefing", "--default", "--format", "pptx", "--out", str(tmp_path / "no" / "x.pptx"))
    assert code == 2 and "does not exist" in err


def test_briefing_from_a_deck_database_that_is_not_one_exits_1_with_one_line(run, tmp_path, monkeypatch):
    from dashboard.exchange import decks

    broken = tmp_path / "decks.sqlite3"
    broken.write_bytes(b"not a database at all" * 100)
    monkeypatch.setenv(decks.DB_ENV, str(broken))
    code, _, err = run("briefing", "--deck", "x", "--format", "pptx", "--out", str(tmp_path / "x.pptx"))
    assert code == 1 and "cannot be read" in err and len(err.strip().splitlines()) == 1


def test_place_finds_an_arabic_name_and_says_what_the_scenario_covers(run):
    code, out, err = run("place", "إدلب", "--limit", "2")
    assert code == 0 and err == ""
    assert "Idlib · إدلب · İdlib (key town)" in out and "Idlib · إدلب · İdlib (governorate)" in out
    assert "In the zone: yes" in out and "Distance to the border: 25.9 km" in out
    code, out, _ = run("place", "Idleb", "--zone", "0", "20", "--limit", "1")
    assert code == 0 and "In the zone: no" in out  # Idlib city is 25.9 km from the border


def test_place_as_json_gives_each_match_with_its_card(run):
    code, out, _ = run("place", "Morik", "--corridor", "6", "--format", "json")
    data = json.loads(out)
    best = data["places"][0]
    assert code == 0 and (best["kind"], best["id"], best["name_tr"], best["matched"]) == (
        "post",
        "OP09",
        "Morik",
        "Morik",
    )
    assert best["card"]["Status on 2020-03-05"] == "encircled" and best["card"]["In the M4 corridor"] == "no"
    assert "M4 corridor 6 km" in data["scenario"]


@pytest.mark.parametrize("query", ["zzzqqq", "", "\u202e\x07", "<b>" * 3000])
def test_place_with_no_match_exits_1_with_one_clean_line(run, query):
    code, out, err = run("place", query)
    assert code == 1 and out == ""
    assert err.startswith("no place matches ") and err.count("\n") == 1 and len(err) < 120
    assert "\u202e" not in err and "\x07" not in err


def test_place_refuses_a_bad_scenario_with_one_line(run):
    code, _, err = run("place", "Idlib", "--zone", "40", "30")
    assert code == 2 and err.count("\n") == 1 and "the inner depth (40 km) must be less than the outer" in err


def test_place_with_only_near_misses_says_nothing_matched_and_exits_1(run):
    """Issue 27: `place Sarmada` printed Markada (252 km away) as the answer. A near miss is not an answer."""
    code, out, err = run("place", "Markadx")
    assert code == 1 and out == ""
    assert err.startswith("no place matches 'Markadx'; nearest spellings: ") and "Markada" in err


def test_cli_numbers_are_digits_and_minus_zero_is_zero(run):
    code, _, err = run("scenario", "--zone", "30", "4_5")
    assert code == 2 and "in digits" in err
    code, out, _ = run("scenario", "--zone", "-0", "40")
    assert code == 0 and out.startswith("Scenario: 0–40 km band") and "-0–" not in out and "-0 " not in out


def test_cli_refuses_a_reversed_events_window_in_words(run):
    code, _, err = run("scenario", "--events-from", "2020-06-01", "--events-to", "2020-05-01")
    assert code == 2 and "the end of the events window" in err and "must not end before it starts" in err


def test_a_reader_that_stops_early_ends_the_output_without_a_traceback():
    """`python -m dashboard scenario --format json | head -c 100`: the JSON is larger than a pipe holds, so the
    write meets the closed pipe; the tool ends quietly (status 141, as for SIGPIPE) instead of a traceback."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "scenario", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    head = proc.stdout.read(100)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert head.startswith(b"{")
    assert proc.wait() == 141
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
