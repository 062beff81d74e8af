// Fan-out benchmark clients: N WebSockets to one URL; counts the bench events each receives.
// stdin "arm <expected>" -> "armed"; once every socket has <expected> events (or 60 s pass),
// prints one JSON line {received, sockets, seconds, p50_ms, p99_ms}. stdin "close" ends it.
import { createInterface } from "node:readline";
import { createRequire } from "node:module";

const require = createRequire(process.env.BENCH_NODE_MODULES + "/");
const WebSocket = require("ws");
const [url, count] = [process.argv[2], Number(process.argv[3])];
const now = () => (performance.timeOrigin + performance.now()) / 1000;

let expected = 0, done = 0, latencies = [], firstSent = Infinity, lastRecv = 0, timer = null;
const counts = new Array(count).fill(0);
const sockets = [];

function report() {
  clearTimeout(timer);
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] * 1000 : null;
  const received = counts.reduce((a, b) => a + b, 0);
  console.log(JSON.stringify({ received, sockets: count, seconds: lastRecv - firstSent, p50_ms: q(0.5), p99_ms: q(0.99) }));
  expected = 0;
}

function onMessage(i, data) {
  if (!expected) return;
  const event = JSON.parse(data);
  if (event.sent_at === undefined) return;
  const t = now();
  latencies.push(t - event.sent_at);
  if (event.sent_at < firstSent) firstSent = event.sent_at;
  lastRecv = t;
  if (++counts[i] === expected && ++done === count) report();
}

async function open(i) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.on("message", (data) => onMessage(i, data));
    ws.on("open", () => resolve(ws));
    ws.on("error", reject);
  });
}

for (let start = 0; start < count; start += 100) {
  const batch = [];
  for (let i = start; i < Math.min(count, start + 100); i++) batch.push(open(i));
  sockets.push(...(await Promise.all(batch)));
}
console.log("ready");

createInterface({ input: process.stdin }).on("line", (line) => {
  const [command, arg] = line.trim().split(" ");
  if (command === "arm") {
    expected = Number(arg); done = 0; latencies = []; firstSent = Infinity; lastRecv = 0;
    counts.fill(0);
    timer = setTimeout(report, 60000);
    console.log("armed");
  } else if (command === "close") {
    for (const ws of sockets) ws.terminate();
    process.exit(0);
  }
});
