"""Printing the figures: medians, ratios against the naive loop and raw websockets."""

from typing import Any

from fanout.runs import STALL_PAD, medians
from fanout.servers import MODES


def ratio(a: float, b: float) -> float:
    return a / max(b, 1e-9)


def print_bursts(results: dict[tuple[str, int], list[dict]], event_counts: list[int]) -> None:
    print("\nfan-out to one user's sockets (medians of the rounds)")
    print(
        f"{'events':>7} {'server':>9} {'msgs/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'cpu us/msg':>10} {'complete':>9}"
    )
    for events in event_counts:
        summary = {mode: medians(results[(mode, events)]) for mode in MODES}
        for mode, m in summary.items():
            print(
                f"{events:>7} {mode:>9} {m['msgs_per_s']:>9.0f} {m['p50_ms']:>8.1f} "
                f"{m['p99_ms']:>8.1f} {m['cpu_us_per_msg']:>10.1f} {m['complete']!s:>9}"
            )
        ours, naive, raw = summary["tasklive"], summary["naive"], summary["raw"]
        print(
            f"{'':>7} ratios: tasklive/naive {ratio(ours['msgs_per_s'], naive['msgs_per_s']):.2f}x "
            f"msgs/s, tasklive/raw {ratio(ours['msgs_per_s'], raw['msgs_per_s']):.2f}x msgs/s, "
            f"p99 tasklive/naive {ratio(ours['p99_ms'], naive['p99_ms']):.2f}, "
            "server CPU per msg tasklive/naive "
            f"{ratio(ours['cpu_us_per_msg'], naive['cpu_us_per_msg']):.2f} "
            f"tasklive/raw {ratio(ours['cpu_us_per_msg'], raw['cpu_us_per_msg']):.2f}"
        )


def print_paced(runs: dict[str, list[dict]], events: int, gap: float) -> None:
    print(f"\npaced: {events} events, one every {gap * 1000:.0f} ms (medians of the rounds)")
    print(f"{'server':>9} {'p50 ms':>8} {'p99 ms':>8} {'cpu us/msg':>10} {'complete':>9}")
    summary = {mode: medians(results) for mode, results in runs.items()}
    for mode, m in summary.items():
        print(
            f"{mode:>9} {m['p50_ms']:>8.1f} {m['p99_ms']:>8.1f} {m['cpu_us_per_msg']:>10.1f} "
            f"{m['complete']!s:>9}"
        )
    p99 = ratio(summary["tasklive"]["p99_ms"], summary["naive"]["p99_ms"])
    print(f"{'':>9} p99 tasklive/naive {p99:.2f}")


def print_memory(figures: dict[str, dict[int, float | None]], accepted: dict[str, str]) -> None:
    counts = sorted({count for by_count in figures.values() for count in by_count})
    print("\nidle memory: server RSS growth per socket, KiB (a fresh server for each figure)")
    print(f"{'server':>40} " + " ".join(f"{f'{n} sockets':>13}" for n in counts))
    for name, by_count in figures.items():
        cells = [by_count.get(n) for n in counts]
        text = [f"{kib:>13.1f}" if kib is not None else f"{'not installed':>13}" for kib in cells]
        print(f"{name:>40} " + " ".join(text))
    print(
        "client.mjs opens 100 at a time with a bare handshake; browser-like clients are Node's ws\n"
        "package with a browser's headers, offering permessage-deflate, 100 at a time unless said."
    )
    for name, said in accepted.items():
        print(f"{name:>40} got {said} (extension: sockets, at the last count)")


def print_probe(mode: str, events: int, probes: list[dict[str, Any]]) -> None:
    """What the server did during each burst: its own time per event, GC pauses, SQL."""
    for probe in probes:
        print(
            f"  {mode:>9} {events:>4} events: server {probe['event_ms_p50']:.1f} ms per event "
            f"(max {probe['event_ms_max']:.1f}), GC {probe['gc']} {probe['gc_ms_total']:.1f} ms "
            f"(max {probe['gc_ms_max']:.1f}), SQL statements {len(probe['queries'])} "
            f"({sum(q[1] for q in probe['queries']):.1f} ms)"
        )


def print_stall(sockets: int, events: int, gap: float, runs: dict[str, Any]) -> None:
    pace = f"a {gap * 1000:.0f} ms pause after each" if gap else "as fast as the server goes"
    print(
        f"\nstalled tab: {sockets} healthy sockets of one user, {events} events of "
        f"{STALL_PAD // 1024} KiB, {pace}; then the same with one more tab that never reads "
        f"(medians of {len(runs['calm'])} rounds, fresh tabs each round)"
    )
    print(
        f"{'':>16}  {'events/s':>8} {'msgs/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'complete':>9} "
        f"{'short tabs':>10} {'fewest':>7}  healthy tabs closed by the server"
    )
    for label, key in (("no stalled tab", "calm"), ("one stalled tab", "stalled")):
        results = runs[key]
        m = medians(results)
        closed: dict[str, int] = {}
        for result in results:
            for code, n in result["closed"].items():
                closed[code] = closed.get(code, 0) + n
        text = ", ".join(f"{n} with {code}" for code, n in closed.items()) or "none"
        print(
            f"{label:>16}: {m['msgs_per_s'] / sockets:>8.0f} {m['msgs_per_s']:>8.0f} "
            f"{m['p50_ms']:>8.1f} {m['p99_ms']:>8.1f} "
            f"{m['complete']!s:>9} {sum(r['short'] for r in results):>10} "
            f"{min(r['fewest'] for r in results):>7}  {text}"
        )
    calm, stalled = medians(runs["calm"]), medians(runs["stalled"])
    print(f"{'':>16}  p99 stalled/calm {ratio(stalled['p99_ms'], calm['p99_ms']):.2f}")
    for number, outcome in enumerate(runs["outcomes"], 1):
        print(f"{f'stalled tab {number}':>16}: {outcome}")


def print_redis(run: dict[str, Any]) -> None:
    events, slowest = run["events"], run["slowest_seconds"]
    print(
        f"\nthrough Redis: {run['instances']} instances, {run['per_instance']} sockets each, "
        f"{events} events"
    )
    print(
        f"  publishing took {run['published_seconds']:.2f} s: "
        f"{events / run['published_seconds']:.0f} events/s published"
    )
    print(
        f"  every instance delivered within {slowest:.2f} s: {events / slowest:.0f} events/s, "
        f"{run['received'] / slowest:.0f} msgs/s in all, p99 {run['p99_ms']:.1f} ms, "
        f"complete: {run['complete']}"
    )
    print(
        "  server CPU (all instances): "
        f"{run['cpu_seconds'] * 1e6 / max(1, run['received']):.1f} us per message"
    )
