"""Two library choices, each measured against hand-written code in the same run (ratios):

- the memo of the border's reach per depth (``model/impact.depth_reach``): cachetools' ``LRUCache`` against
  the ``OrderedDict`` with ``move_to_end``/``popitem`` the engine keeps, on the calls a slider makes (one
  thumb moves: one miss, one hit per step), under the same lock, alone and inside ``assess``. cachetools
  measured slower (1.26–2.45× per call; 6–9 % per step, within this shared machine's noise but not below
  it), so the engine keeps its own;
- the fuzzy match of place names (``model/places._within``): rapidfuzz's Levenshtein distance with a cutoff
  (the engine's since it gave the same answers ~19× faster) against the hand dynamic programme it replaced,
  over every pair of the gazetteer's names the search compares (both at least 4 letters, lengths within 2;
  1 edit allowed under 7 letters, else 2), answers checked identical pair by pair.

Run: ``.venv/bin/python -m bench.libraries`` (a few minutes; the hand fuzzy check dominates).
"""

from __future__ import annotations

import collections
import statistics
import threading
import time

import cachetools
from rapidfuzz.distance import Levenshtein

from dashboard.model import places
from dashboard.model.geography import load_geography

KEPT = 32


def hand_within(a: str, b: str, most: int) -> bool:
    """The edit-distance check ``model/places.py`` had before rapidfuzz (stops once it cannot be within)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > most:
            return False
        previous = current
    return previous[-1] <= most


def library_within(a: str, b: str, most: int) -> bool:
    return Levenshtein.distance(a, b, score_cutoff=most) <= most


def hand_lru(memo: collections.OrderedDict, lock, key, make):
    with lock:
        held = memo.get(key)
        if held is not None:
            memo.move_to_end(key)
            return held
    value = make()
    with lock:
        memo[key] = value
        while len(memo) > KEPT:
            memo.popitem(last=False)
    return value


def library_lru(memo: cachetools.LRUCache, lock, key, make):
    with lock:
        held = memo.get(key)
        if held is not None:
            return held
    value = make()
    with lock:
        memo[key] = value
    return value


def _time(fn, rounds: int = 7) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def lru_figures(steps: int = 200_000) -> tuple[float, float]:
    """Seconds per slider-like call, (hand, library): the outer thumb walks new depths, the inner is held."""

    def run(lookup, memo):
        lock = threading.Lock()
        for step in range(steps):
            lookup(memo, lock, ("west", 30.0), tuple)  # the held thumb: a hit
            lookup(memo, lock, ("west", 40.0 + step % 97), tuple)  # the moved one: mostly a miss

    hand = _time(lambda: run(hand_lru, collections.OrderedDict()))
    library = _time(lambda: run(library_lru, cachetools.LRUCache(maxsize=KEPT)))
    return hand / (2 * steps), library / (2 * steps)


def step_figures(rounds: int = 5) -> dict[tuple[str, str], float]:
    """Seconds per slider step's ``assess`` (median) by (memo, "new" or "kept" depth): the outer thumb walks
    41–100 km (each depth new to the memo), then back over the last 20 (each kept), the inner held at 30 km;
    the two memos take turns each round, so a busy machine slows both alike."""
    from dashboard.model import impact
    from dashboard.model.scenario import Scenario

    geo = load_geography()
    library_reach = impact.depth_reach
    lock = threading.Lock()

    def hand_reach(geo, segment, depth_km):
        return hand_lru(geo.reaches, lock, (segment, depth_km), lambda: impact._reach(geo, segment, depth_km))

    depths = [*range(41, 101), *range(99, 80, -1)]
    per = collections.defaultdict(list)
    for _ in range(rounds):
        for which, reach, memo in (
            ("hand", hand_reach, collections.OrderedDict),
            ("library", library_reach, lambda: cachetools.LRUCache(maxsize=KEPT)),
        ):
            object.__setattr__(geo, "reaches", memo())
            impact.depth_reach = reach
            try:
                for n, outer in enumerate(depths):
                    start = time.perf_counter()
                    impact.assess(geo, Scenario(inner_km=30.0, outer_km=float(outer)))
                    per[which, "new" if n < 60 else "kept"].append(time.perf_counter() - start)
            finally:
                impact.depth_reach = library_reach
    return {key: statistics.median(times) for key, times in per.items()}


def name_pairs() -> list[tuple[str, str, int]]:
    gazetteer = places.Gazetteer(places.build_gazetteer(load_geography().layers_lonlat))
    names = sorted({key[1] for keys in gazetteer.keys for key in keys})
    by_length = collections.defaultdict(list)
    for name in names:
        by_length[len(name)].append(name)
    return [
        (name, query, 1 if len(query) < 7 else 2)
        for query in names
        if len(query) >= 4
        for length in range(len(query) - 2, len(query) + 3)
        for name in by_length.get(length, [])
    ]


def fuzzy_figures(pairs) -> tuple[float, float, int]:
    """Seconds over every pair, (hand, library), and how many pairs answered differently."""
    start = time.perf_counter()
    hand = [hand_within(a, b, most) for a, b, most in pairs]
    hand_s = time.perf_counter() - start
    start = time.perf_counter()
    library = [library_within(a, b, most) for a, b, most in pairs]
    library_s = time.perf_counter() - start
    return hand_s, library_s, sum(h != lib for h, lib in zip(hand, library, strict=True))


def main() -> None:
    hand, library = lru_figures()
    print(f"reach memo, per call: hand OrderedDict {hand * 1e6:.2f} µs, cachetools LRUCache {library * 1e6:.2f} µs")
    print(f"  cachetools / hand = {library / hand:.2f}")
    steps = step_figures()
    for kind in ("new", "kept"):
        hand, library = steps["hand", kind], steps["library", kind]
        print(
            f"slider step to a {kind} depth (assess, median): "
            f"hand {hand * 1e3:.2f} ms, cachetools {library * 1e3:.2f} ms"
        )
        print(f"  cachetools / hand = {library / hand:.3f}")
    pairs = name_pairs()
    hand_s, library_s, differ = fuzzy_figures(pairs)
    print(
        f"fuzzy names, {len(pairs):,} pairs: hand {hand_s:.1f} s, rapidfuzz {library_s:.2f} s, {differ} answers differ"
    )
    print(f"  rapidfuzz / hand = {library_s / hand_s:.3f}")


if __name__ == "__main__":
    main()
