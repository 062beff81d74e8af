// Browser-like idle clients: N sockets to one URL with Node's `ws` package and its defaults
// (permessage-deflate offered, as browsers do), sending the headers a browser tab sends,
// `batch` connecting at once. Prints "ready {extension: sockets}" (what the server accepted)
// once all are open; stdin "close" ends it. Usage: url count batch node_modules_dir
import { createRequire } from "node:module";
import { createInterface } from "node:readline";

const [url, count, batch, modules] = process.argv.slice(2);
const WebSocket = createRequire(`${modules}/`)("ws");
const options = {
  origin: new URL(url).origin.replace(/^ws/, "http"),
  headers: {
    "User-Agent":
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Accept-Language": "en-US,en;q=0.9",
    "Accept-Encoding": "gzip, deflate, br, zstd",
    "Cache-Control": "no-cache",
    Pragma: "no-cache",
  },
};
const sockets = [];
const accepted = {};

function open() {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options);
    socket.on("open", () => {
      const extension = socket.extensions || "none";
      accepted[extension] = (accepted[extension] || 0) + 1;
      resolve(socket);
    });
    socket.on("error", reject);
  });
}

for (let start = 0; start < Number(count); start += Number(batch)) {
  const opening = [];
  for (let i = start; i < Math.min(Number(count), start + Number(batch)); i++) opening.push(open());
  sockets.push(...(await Promise.all(opening)));
}
console.log(`ready ${JSON.stringify(accepted)}`);

createInterface({ input: process.stdin }).on("line", (line) => {
  if (line.trim() === "close") {
    for (const socket of sockets) socket.terminate();
    process.exit(0);
  }
});
