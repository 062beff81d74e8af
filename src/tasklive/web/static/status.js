// The connection indicator: live, reconnecting (with a countdown), offline, unavailable.

import { announce, byId } from "./dom.js";

let ticker = null;

function secondsUntil(time) {
  return Math.max(0, Math.ceil((time - Date.now()) / 1000));
}

function describe(status) {
  switch (status.state) {
    case "connecting":
      return "Connecting…";
    case "live":
      return status.via === "sse" ? "Live (fallback stream)" : "Live";
    case "reconnecting": {
      const seconds = secondsUntil(status.retryAt ?? 0);
      return seconds > 0 ? `Reconnecting in ${seconds} s` : "Reconnecting…";
    }
    case "offline": {
      const seconds = secondsUntil(status.retryAt ?? 0);
      return seconds > 0 ? `Offline · retrying in ${seconds} s` : "Offline · retrying…";
    }
    case "unavailable":
      return "Live updates unavailable";
    default:
      return "Not connected";
  }
}

/** Show a connection status, ticking the countdown once a second while one is pending. */
export function showConnection(status) {
  const box = byId("connection");
  const text = byId("connection-text");
  if (box.dataset.state !== status.state && box.dataset.state !== "idle") {
    announce(`Connection: ${describe({ ...status, retryAt: 0 })}`);
  }
  box.hidden = false;
  box.dataset.state = status.state;
  const waiting = ["reconnecting", "offline", "unavailable"].includes(status.state);
  byId("reconnect-now").hidden = !waiting;
  byId("live-banner").hidden = status.state !== "unavailable";
  box.title =
    status.state === "unavailable"
      ? "Chat still works; replies appear when they are complete."
      : "";
  const render = () => {
    const next = describe(status);
    if (text.textContent !== next) text.textContent = next;
  };
  render();
  clearInterval(ticker);
  ticker = status.retryAt ? setInterval(render, 250) : null;
}

export function hideConnection() {
  clearInterval(ticker);
  byId("connection").hidden = true;
  byId("connection").dataset.state = "idle";
  byId("live-banner").hidden = true;
}
