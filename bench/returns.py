"""Returns what-if benchmark (`python -m bench.returns`): what a change of N or rule costs on the Returns page
(the core's outcome and the choropleth's layer), beside floors measured in the same run: reading the engine's
sub-district table, and walking the layer's features. The sub-districts' parts of the zone are cut once per
scenario; the first layer of a scenario pays for them, a new what-if only recolours them."""

from __future__ import annotations

import statistics
import time

from dashboard.model import returns
from dashboard.model.geography import load_geography
from dashboard.model.impact import assess
from dashboard.model.scenario import DEFAULT, Scenario
from dashboard.render import returns_map

ROUNDS = 5


def ms(run) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def main() -> None:
    geo = load_geography()
    for scenario in (DEFAULT, Scenario(inner_km=0, outer_km=100, segment="all")):
        impact = assess(geo, scenario)
        start = time.perf_counter()
        zone = returns.zone_of(geo, impact)
        returns_map.increase_layer(geo, impact, returns.outcome(returns.WhatIf(), zone))
        first = (time.perf_counter() - start) * 1e3
        whatif = returns.WhatIf(2_000_000, "area")
        outcome = ms(lambda: returns.outcome(whatif, returns.zone_of(geo, impact)))  # noqa: B023
        result = returns.outcome(whatif, zone)
        layer = ms(lambda: returns_map.increase_layer(geo, impact, result))  # noqa: B023
        features = returns_map.increase_layer(geo, impact, result).data["features"]
        table = ms(lambda: impact.columns["subdistricts"]["people_zone"].sum())  # noqa: B023
        walk = ms(lambda: [f["properties"]["fill"] for f in features])  # noqa: B023
        print(
            f"{scenario.label()}: first what-if of the scenario {first:.1f} ms; a new what-if: outcome "
            f"{outcome:.2f} ms (floor, the table read {table:.3f} ms), layer {layer:.2f} ms (floor, the features "
            f"walked {walk:.3f} ms); {len(result.table['id'])} sub-districts"
        )


if __name__ == "__main__":
    main()
