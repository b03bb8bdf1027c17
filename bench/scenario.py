"""Scenario-engine benchmark: `make bench` prints the figures the README quotes.

Warm latency of computing all metrics over random scenarios (after warm-up), the cold start (load
layers + precompute), peak RSS, and a naive baseline that reads the layers, reprojects, buffers,
overlays and joins on every call. Wall and CPU time are both printed: on a shared virtual machine the
wall clock includes stalls when the host does not schedule the process (steal time), which CPU time
leaves out.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import time

import geopandas as gpd
import numpy as np

from dashboard.model.geography import load_geography
from dashboard.model.impact import assess
from dashboard.model.scenario import SEGMENTS, Scenario
from dashboard.model.zones import ground_crs
from dashboard.sources import layers


def random_scenarios(n: int, seed: int = 7) -> list[Scenario]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        inner = float(rng.integers(0, 99))
        outer = float(rng.integers(int(inner) + 1, 101))
        out.append(
            Scenario(
                inner_km=inner,
                outer_km=outer,
                segment=str(rng.choice(list(SEGMENTS))),
                corridor_km=float(rng.choice([0, 6, 10])),
                post_radius_km=float(rng.choice([0, 5, 15])),
                as_of=dt.date(2018, 1, 1) + dt.timedelta(days=int(rng.integers(0, 1500))),
            )
        )
    return out


def naive_assess(scenario: Scenario) -> dict:
    """The slow way: read, reproject, buffer, overlay and join everything on every call."""
    frames = {name: layers.load_layer(name) for name in ("countries", "border", "subdistricts", "settlements")}
    crs = ground_crs(38.61, 36.76)
    frames = {k: v.to_crs(crs) for k, v in frames.items()}
    border = frames["border"]
    if scenario.segment != "all":
        border = border.loc[border["segment"] == scenario.segment]
    line = border.union_all()
    syria = frames["countries"].loc[frames["countries"]["id"] == "SYR", ["geometry"]]
    zone = gpd.GeoDataFrame(geometry=[line.buffer(scenario.outer_km * 1000)], crs=crs).overlay(syria)
    band = zone.overlay(gpd.GeoDataFrame(geometry=[line.buffer(scenario.inner_km * 1000)], crs=crs), how="difference")
    pieces = frames["subdistricts"].overlay(zone, how="intersection")
    share = pieces.area.groupby(pieces["id"]).sum() / frames["subdistricts"].set_index("id").area
    people = (share.fillna(0) * frames["subdistricts"].set_index("id")["pop_2023"]).sum()
    inside = gpd.sjoin(frames["settlements"], zone, predicate="within")
    return {"zone": zone.area.sum(), "band": band.area.sum(), "people": people, "settlements": len(inside)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scenario", description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="random scenarios to time (default 200)")
    parser.add_argument("--naive", type=int, default=10, help="naive-baseline calls to time (default 10)")
    args = parser.parse_args(argv)

    t0, c0 = time.perf_counter(), time.process_time()
    geo = load_geography()
    cold, cold_cpu = time.perf_counter() - t0, time.process_time() - c0

    scenarios = random_scenarios(args.n + 20)
    for s in scenarios[:20]:  # warm-up
        assess(geo, s)
    times, cpu = [], []
    for s in scenarios[20:]:
        geo.reaches.clear()  # both depths new: the slider's reuse of the other thumb's depth is not timed here
        t, c = time.perf_counter(), time.process_time()
        assess(geo, s)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    naive = []
    for s in scenarios[20 : 20 + args.naive]:
        t = time.perf_counter()
        naive_assess(s)
        naive.append((time.perf_counter() - t) * 1000)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    median, p95 = statistics.median(times), float(np.percentile(times, 95))
    cpu_median, cpu_p95 = statistics.median(cpu), float(np.percentile(cpu, 95))
    naive_median = statistics.median(naive)
    print(f"scenarios timed           {len(times)} (after 20 warm-up)")
    print(f"warm median latency       {median:8.1f} ms   wall, {cpu_median:6.1f} ms CPU   (target <= 10 ms)")
    print(f"warm p95 latency          {p95:8.1f} ms   wall, {cpu_p95:6.1f} ms CPU   (target <= 25 ms)")
    print(f"naive baseline median     {naive_median:8.1f} ms   over {len(naive)} calls")
    print(f"speed-up vs naive         {naive_median / median:8.1f} x    (target >= 20 x)")
    print(f"cold start                {cold:8.2f} s    wall, {cold_cpu:6.2f} s CPU    (target <= 2 s)")
    print(f"peak RSS                  {rss_mb:8.0f} MB   (target <= 400 MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
