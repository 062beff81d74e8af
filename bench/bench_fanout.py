"""Live-event fan-out side by side: tasklive's hub, the naive loop, raw websockets broadcast().

Each server runs in its own process pinned to core 0, the Node `ws` clients in other processes on
core 1 (`ws` is installed with npm into ~/.cache/tasklive-bench on first use). Runs are interleaved
and repeated; the medians and ratios are printed. Then a stalled-tab run and idle memory per socket.

    .venv/bin/python bench/bench_fanout.py [--sockets 1000] [--events 20,200] [--rounds 2]
    .venv/bin/python bench/bench_fanout.py --redis-instances 3 --sockets 999 --events 200

`cpu us/msg` is the server process's own CPU time per delivered message: on a loaded machine it
is steadier than msgs/s and p99, which depend on how much of a core each process gets.
The parts live in bench/fanout/: servers, processes (servers and clients), runs, report.
"""

import argparse
import os
import time

from fanout import report
from fanout.processes import Clients, ServerProcess, ensure_node_ws
from fanout.runs import redis_run, run_once, stall_run
from fanout.servers import MODES, SERVERS

REDIS_URL = os.environ.get("TASKLIVE_TEST_REDIS_URL", "redis://127.0.0.1:6379")


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
        "--redis-instances", type=int, default=0, help="only measure events/s through Redis"
    )
    return parser.parse_args()


def main() -> None:
    args = arguments()
    if args.serve:
        SERVERS[args.serve]()
        return
    ensure_node_ws()
    event_counts = [int(n) for n in args.events.split(",")]
    if args.redis_instances:
        report.print_redis(
            redis_run(args.redis_instances, max(event_counts), args.sockets, REDIS_URL)
        )
        return
    servers = {mode: ServerProcess(mode) for mode in MODES}
    clients: dict[str, Clients] = {}
    try:
        memory = {}
        for mode, server in servers.items():
            before = server.rss_kib()
            clients[mode] = Clients(server.ws_url(), args.sockets)
            time.sleep(1.0)  # let the server finish setting the sockets up
            memory[mode] = (server.rss_kib() - before) / args.sockets
        results: dict[tuple[str, int], list[dict]] = {}
        for _ in range(args.rounds):
            for events in event_counts:
                for mode in MODES:
                    result = run_once(servers[mode], clients[mode], events)
                    results.setdefault((mode, events), []).append(result)
        report.print_bursts(results, event_counts)
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
        report.print_memory(args.sockets, memory)
        for client in clients.values():
            client.close()
        clients.clear()
        calm, stalled, outcome = stall_run(
            servers["tasklive"], args.stall_sockets, args.stall_events
        )
        report.print_stall(args.stall_sockets, args.stall_events, calm, stalled, outcome)
    finally:
        for client in clients.values():
            client.process.kill()
        for server in servers.values():
            server.stop()


if __name__ == "__main__":
    main()
