"""Live-event fan-out side by side: tasklive's hub, the naive loop, raw websockets broadcast().

Each server runs in its own process pinned to core 0, the Node clients (bench/fanout/client.mjs, no
packages needed) in other processes on core 1. Runs are interleaved and repeated, after one
warm-up burst each; the medians and ratios are printed. Then a paced run, a stalled-tab run and
idle memory per socket.

    .venv/bin/python bench/bench_fanout.py [--sockets 1000] [--events 20,200] [--rounds 2]
        [--memory-sockets 1000,5000] [--probe] [--only bursts|stall|memory ...]
    .venv/bin/python bench/bench_fanout.py --redis-instances 3 --sockets 999 --events 200

`cpu us/msg` is the server process's own CPU time per delivered message: on a loaded machine it
is steadier than msgs/s and p99, which depend on how much of a core each process gets.
p99 is measured by the clients: from an event's creation on the server to its arrival. When the
one client process cannot keep up with a fast server, the backlog sits in its sockets and counts
as latency (fast servers then look slow), so the clients parse frames themselves, cheaply;
`--probe` prints the server's own time per event, GC pauses and SQL during each burst.
The stalled-tab run paces its 4 KiB events (`--stall-gap`) so that the healthy clients keep up:
a client that falls about 512 events behind is closed with 1013 by design, so an unpaced burst on
a loaded machine measured the client process rather than the stall. It prints, per run, how many
healthy tabs missed events and any the server closed (with the code), and how each stalled tab
ended: a 1013 close frame, or none when it took nothing for the server's 10 s of patience.
The idle-memory table starts a fresh server per figure, with tasklive also on each of uvicorn's
WebSocket implementations (wsproto's row needs `pip install wsproto`), and with browser-like
clients (bench/fanout/ws_client.mjs: Node's `ws` package, which npm installs into a temp directory
the first time; 100 at a time, and 1,000 at once as after a restart), to tasklive as it is and to
tasklive accepting permessage-deflate.
The parts live in bench/fanout/: servers, processes (servers and clients), runs, report.
"""

import argparse
import os
import time

from fanout import report
from fanout.processes import Clients, ServerProcess
from fanout.runs import idle_memory, redis_run, run_once, stall_run, warm_up
from fanout.servers import MODES, SERVERS

REDIS_URL = os.environ.get("TASKLIVE_TEST_REDIS_URL", "redis://127.0.0.1:6379")
PARTS = ("bursts", "stall", "memory")


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--sockets", type=int, default=1000)
    parser.add_argument("--events", default="20,200", help="comma-separated burst sizes")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--paced-events", type=int, default=100)
    parser.add_argument(
        "--paced-gap", type=float, default=0.1, help="seconds between paced events (0: none)"
    )
    parser.add_argument("--stall-events", type=int, default=2000)
    parser.add_argument("--stall-sockets", type=int, default=20)
    parser.add_argument(
        "--stall-gap",
        type=float,
        default=0.002,
        help="seconds between stalled-run events (0: none)",
    )
    parser.add_argument(
        "--memory-sockets", default="1000,5000", help="idle-memory socket counts (empty: none)"
    )
    parser.add_argument(
        "--probe", action="store_true", help="also print what each server did during each burst"
    )
    parser.add_argument(
        "--redis-instances", type=int, default=0, help="only measure events/s through Redis"
    )
    parser.add_argument(
        "--only", choices=PARTS, action="append", help="run only this part (may repeat)"
    )
    return parser.parse_args()


def main() -> None:
    args = arguments()
    if args.serve:
        SERVERS[args.serve]()
        return
    event_counts = [int(n) for n in args.events.split(",")]
    if args.redis_instances:
        report.print_redis(
            redis_run(args.redis_instances, max(event_counts), args.sockets, REDIS_URL)
        )
        return
    parts = args.only or PARTS
    if "bursts" in parts:
        bursts(args, event_counts)
    if "stall" in parts:
        stall(args)
    if "memory" in parts and args.memory_sockets:
        report.print_memory(*idle_memory([int(n) for n in args.memory_sockets.split(",")]))


def bursts(args: argparse.Namespace, event_counts: list[int]) -> None:
    """The interleaved bursts, then the paced run, to each server's own clients."""
    env = {"BENCH_PROBE": "1"} if args.probe else None
    servers = {mode: ServerProcess(mode, env) for mode in MODES}
    clients: dict[str, Clients] = {}
    try:
        for mode, server in servers.items():
            clients[mode] = Clients(server.ws_url(), args.sockets)
        time.sleep(1.0)  # let the servers finish setting the sockets up
        for mode in MODES:
            warm_up(servers[mode], clients[mode])
        results: dict[tuple[str, int], list[dict]] = {}
        probes: dict[tuple[str, int], list[dict]] = {}
        for _ in range(args.rounds):
            for events in event_counts:
                for mode in MODES:
                    result = run_once(servers[mode], clients[mode], events)
                    results.setdefault((mode, events), []).append(result)
                    if servers[mode].probing:
                        probes.setdefault((mode, events), []).append(
                            servers[mode].get("/bench/probe")
                        )
        report.print_bursts(results, event_counts)
        for (mode, events), runs in probes.items():
            report.print_probe(mode, events, runs)
        if args.paced_gap:
            paced: dict[str, list[dict]] = {mode: [] for mode in MODES}
            for _ in range(args.rounds):
                for mode in MODES:
                    paced[mode].append(
                        run_once(
                            servers[mode], clients[mode], args.paced_events, gap=args.paced_gap
                        )
                    )
            report.print_paced(paced, args.paced_events, args.paced_gap)
        for client in clients.values():
            client.close()
        clients.clear()
    finally:
        for client in clients.values():
            client.process.kill()
        for server in servers.values():
            server.stop()


def stall(args: argparse.Namespace) -> None:
    """Healthy tabs of one user without, then with, a tab of theirs that never reads."""
    server = ServerProcess("tasklive")
    try:
        runs = stall_run(server, args.stall_sockets, args.stall_events, args.stall_gap, args.rounds)
        report.print_stall(args.stall_sockets, args.stall_events, args.stall_gap, runs)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
