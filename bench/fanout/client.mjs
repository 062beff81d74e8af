// Fan-out benchmark clients: N WebSockets to one URL; counts the bench events each receives.
// stdin "arm <expected>" -> "armed"; once every socket has <expected> events (or 60 s pass),
// prints one JSON line {received, sockets, seconds, p50_ms, p99_ms, worst_ms, short, fewest, closed},
// worst_ms being the highest latency of each event number, short the sockets that got fewer than
// <expected>, fewest the least any socket got, closed {code: sockets} of the sockets the server
// closed (a closed socket counts as done). stdin "close" ends it.
//
// Plain TCP sockets and a small frame reader (server frames are unmasked): with a WebSocket
// library and JSON.parse per message this one process, not the server, limited a burst.
import { randomBytes } from "node:crypto";
import { connect } from "node:net";
import { createInterface } from "node:readline";

const url = new URL(process.argv[2]);
const count = Number(process.argv[3]);
const now = () => (performance.timeOrigin + performance.now()) / 1000;
const SENT_AT = Buffer.from('"sent_at":');
const CALL = Buffer.from('"tool_call_id":"call-');

let expected = 0, done = 0, received = 0, firstSent = Infinity, lastRecv = 0, timer = null;
let latencies = new Float64Array(0);
let worst = []; // the highest latency of each event number, in ms
const counts = new Array(count).fill(0);
const closed = new Array(count).fill(null); // the close code (or "no close frame") of each socket
const sockets = [];

function report() {
  clearTimeout(timer);
  const sorted = latencies.subarray(0, received).sort();
  const q = (p) => (received ? sorted[Math.min(received - 1, Math.floor(p * received))] * 1000 : null);
  const line = { received, sockets: count, seconds: lastRecv - firstSent, p50_ms: q(0.5), p99_ms: q(0.99) };
  const short = counts.filter((n) => n < expected).length;
  const codes = {};
  for (const code of closed) if (code !== null) codes[code] = (codes[code] || 0) + 1;
  const tally = { short, fewest: Math.min(...counts), closed: codes };
  console.log(JSON.stringify({ ...line, ...tally, worst_ms: Array.from(worst, (ms) => Math.round(ms || 0)) }));
  expected = 0;
}

function numberAfter(data, key) {
  const at = data.indexOf(key);
  if (at < 0) return undefined;
  let end = at + key.length;
  while (end < data.length && data[end] !== 44 && data[end] !== 125 && data[end] !== 34) end++;
  return Number(data.latin1Slice(at + key.length, end));
}

function onText(i, data) {
  if (!expected) return;
  const sentAt = numberAfter(data, SENT_AT);
  if (sentAt === undefined) return;
  const t = now();
  const latency = t - sentAt;
  if (received < latencies.length) latencies[received] = latency;
  received++;
  const number = numberAfter(data, CALL);
  if (!(worst[number] >= latency * 1000)) worst[number] = latency * 1000;
  if (sentAt < firstSent) firstSent = sentAt;
  lastRecv = t;
  if (++counts[i] === expected && ++done === count) report();
}

// A socket the server ended: it cannot get more, so it counts as done.
function ended(i, code) {
  if (closed[i] !== null) return;
  closed[i] = code;
  if (expected && counts[i] < expected && ++done === count) report();
}

function pong(socket, payload) {
  const mask = randomBytes(4);
  const masked = Buffer.from(payload);
  for (let k = 0; k < masked.length; k++) masked[k] ^= mask[k & 3];
  socket.write(Buffer.concat([Buffer.from([0x8a, 0x80 | masked.length]), mask, masked]));
}

// Reads whole frames from `data`; answers the part of an unfinished frame at its end.
function frames(i, socket, data) {
  let at = 0;
  while (at + 2 <= data.length) {
    const opcode = data[at] & 0x0f;
    let length = data[at + 1] & 0x7f, start = at + 2;
    if (length === 126) {
      if (start + 2 > data.length) break;
      length = data.readUInt16BE(start);
      start += 2;
    } else if (length === 127) {
      if (start + 8 > data.length) break;
      length = Number(data.readBigUInt64BE(start));
      start += 8;
    }
    if (start + length > data.length) break;
    const payload = data.subarray(start, start + length);
    if (opcode === 1) onText(i, payload);
    else if (opcode === 9) pong(socket, payload);
    else if (opcode === 8) {
      ended(i, payload.length >= 2 ? payload.readUInt16BE(0) : 1005);
      socket.destroy();
    }
    at = start + length;
  }
  return at === data.length ? null : data.subarray(at);
}

function open(i) {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let rest = null, upgraded = false;
    socket.setNoDelay(true);
    socket.on("connect", () => {
      const key = randomBytes(16).toString("base64");
      socket.write(
        `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\n` +
          `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
    socket.on("data", (chunk) => {
      let data = rest ? Buffer.concat([rest, chunk]) : chunk;
      if (!upgraded) {
        const end = data.indexOf("\r\n\r\n");
        if (end < 0) return void (rest = data);
        if (!data.latin1Slice(0, 12).startsWith("HTTP/1.1 101")) {
          return reject(new Error(data.latin1Slice(0, end)));
        }
        upgraded = true;
        resolve(socket);
        data = data.subarray(end + 4);
      }
      rest = frames(i, socket, data);
    });
    socket.on("error", reject);
    socket.on("close", () => ended(i, "no close frame"));
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
    expected = Number(arg);
    received = lastRecv = 0;
    done = closed.filter((code) => code !== null).length; // sockets closed earlier stay done
    firstSent = Infinity;
    latencies = new Float64Array(expected * count);
    worst = [];
    counts.fill(0);
    timer = setTimeout(report, 60000);
    console.log("armed");
  } else if (command === "close") {
    for (const socket of sockets) socket.destroy();
    process.exit(0);
  }
});
