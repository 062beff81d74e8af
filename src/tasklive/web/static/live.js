// The live event stream: WebSocket first, Server-Sent Events as the fallback, resume by seq/epoch.

import { reachable } from "./api.js";
import { EVENT_TYPES } from "./events.js";

const BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15000];
const OFFLINE_AFTER_ATTEMPTS = 8;
const PING_EVERY_MS = 25000;
const PONG_WITHIN_MS = 10000;
const WS_FAILURES_BEFORE_SSE = 2;
const RETRY_WEBSOCKET_MS = 60000;
const POLICY_VIOLATION = 1008;

/**
 * Keeps one live connection for a user and reports through handlers:
 * onEvent(event), onStatus({state, via?, retryAt?}), onResync() when state must be reloaded
 * over HTTP, onSignedOut() when the session has ended.
 */
export class LiveConnection {
  constructor(userId, handlers) {
    this.userId = userId;
    this.handlers = handlers;
    this.epoch = null;
    this.lastSeq = 0;
    this.attempt = 0;
    this.wsFailures = 0;
    this.socket = null;
    this.source = null;
    this.timers = new Set();
    this.stopped = false;
    this.onOnline = () => this.retryNow();
    this.onOffline = () => this.status({ state: "offline" });
  }

  start() {
    window.addEventListener("online", this.onOnline);
    window.addEventListener("offline", this.onOffline);
    this.status({ state: "connecting" });
    this.connectWebSocket();
  }

  stop() {
    this.stopped = true;
    window.removeEventListener("online", this.onOnline);
    window.removeEventListener("offline", this.onOffline);
    this.clearTimers();
    this.closeSocket();
    this.closeSource();
  }

  /** Skip the countdown and try the WebSocket again now. */
  retryNow() {
    if (this.stopped) return;
    this.clearTimers();
    this.closeSocket();
    this.closeSource();
    this.wsFailures = 0;
    this.status({ state: "reconnecting", retryAt: Date.now() });
    this.connectWebSocket();
  }

  /** Send a frame when a WebSocket is open; returns whether it went out. */
  send(frame) {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  status(status) {
    this.current = status;
    this.handlers.onStatus(status);
  }

  later(ms, action) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  clearTimers() {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    clearInterval(this.pinger);
    this.pinger = null;
  }

  closeSocket() {
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      socket.close();
    }
  }

  closeSource() {
    const source = this.source;
    this.source = null;
    if (source) source.close();
  }

  socketUrl() {
    const url = new URL(`/ws/${encodeURIComponent(this.userId)}/chat`, window.location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    if (this.epoch !== null) {
      url.searchParams.set("last_seq", String(this.lastSeq));
      url.searchParams.set("epoch", this.epoch);
    }
    return url;
  }

  connectWebSocket() {
    if (this.stopped) return;
    let established = false;
    let socket;
    try {
      socket = new WebSocket(this.socketUrl());
    } catch {
      this.afterFailedConnect();
      return;
    }
    this.socket = socket;
    socket.onmessage = (message) => {
      this.lastHeard = Date.now();
      const event = parse(message.data);
      if (!event) return;
      if (event.event_type === "connection_established") {
        established = true;
        this.onEstablished(event, "websocket");
        this.startPinging(socket);
        return;
      }
      this.receive(event);
    };
    socket.onclose = (close) => {
      if (this.socket !== socket) return;
      this.socket = null;
      clearInterval(this.pinger);
      if (this.stopped) return;
      if (close.code === POLICY_VIOLATION) {
        this.checkSession();
      } else if (established) {
        this.scheduleReconnect();
      } else {
        this.afterFailedConnect();
      }
    };
  }

  onEstablished(event, via) {
    this.attempt = 0;
    this.wsFailures = 0;
    if (event.epoch !== undefined && event.epoch !== null) {
      if (this.epoch === null) {
        this.lastSeq = Number(event.seq) || 0;
      } else if (String(event.epoch) !== String(this.epoch)) {
        this.lastSeq = Number(event.seq) || 0;
        this.handlers.onResync();
      }
      this.epoch = String(event.epoch);
    }
    this.status({ state: "live", via });
  }

  receive(event) {
    if (event.event_type === "pong") return;
    if (event.event_type === "connection_established") {
      this.onEstablished(event, "sse");
      return;
    }
    if (event.event_type === "resumed") {
      if (event.recovered === false) this.handlers.onResync();
      return;
    }
    if (typeof event.seq === "number") {
      const sameEpoch = event.epoch === undefined || String(event.epoch) === String(this.epoch);
      if (sameEpoch && event.seq <= this.lastSeq) return; // already seen (replayed twice)
      if (!sameEpoch && this.epoch !== null) this.handlers.onResync();
      if (event.epoch !== undefined) this.epoch = String(event.epoch);
      this.lastSeq = event.seq;
    }
    this.handlers.onEvent(event);
  }

  startPinging(socket) {
    clearInterval(this.pinger);
    this.pinger = setInterval(() => {
      if (socket.readyState !== WebSocket.OPEN) return;
      const sentAt = Date.now();
      socket.send(JSON.stringify({ type: "ping" }));
      this.later(PONG_WITHIN_MS, () => {
        if (this.socket === socket && (this.lastHeard ?? 0) < sentAt) {
          this.closeSocket(); // half-open connection: nothing came back
          this.scheduleReconnect();
        }
      });
    }, PING_EVERY_MS);
  }

  async checkSession() {
    const probe = await reachable();
    if (this.stopped) return;
    if (probe.up && !probe.signedIn && probe.status === 401) {
      this.stop();
      this.handlers.onSignedOut();
    } else {
      this.afterFailedConnect();
    }
  }

  /** The WebSocket never opened: tell a down service from a blocked WebSocket. */
  async afterFailedConnect() {
    const probe = await reachable();
    if (this.stopped) return;
    if (probe.status === 401) {
      this.stop();
      this.handlers.onSignedOut();
      return;
    }
    if (probe.up) {
      this.wsFailures += 1;
      if (this.wsFailures >= WS_FAILURES_BEFORE_SSE) {
        this.connectEventSource();
        return;
      }
    }
    this.scheduleReconnect();
  }

  scheduleReconnect() {
    if (this.stopped) return;
    this.clearTimers();
    const base = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    this.attempt += 1;
    const retryAt = Date.now() + delay;
    const offline = !navigator.onLine || this.attempt > OFFLINE_AFTER_ATTEMPTS;
    this.status({ state: offline ? "offline" : "reconnecting", retryAt });
    this.later(delay, () => this.connectWebSocket());
  }

  connectEventSource() {
    if (this.stopped) return;
    this.clearTimers();
    let opened = false;
    const url = new URL(`/api/${encodeURIComponent(this.userId)}/events`, window.location.href);
    const resuming = this.epoch !== null;
    if (resuming) {
      url.searchParams.set("last_seq", String(this.lastSeq));
      url.searchParams.set("epoch", this.epoch);
    }
    const source = new EventSource(url, { withCredentials: true });
    this.source = source;
    const handle = (message) => {
      const event = parse(message.data);
      if (event) this.receive(event);
    };
    source.onmessage = handle;
    for (const type of EVENT_TYPES) source.addEventListener(type, handle);
    source.onopen = () => {
      if (!opened && !resuming) this.handlers.onResync(); // events before this stream are unknown
      opened = true;
      this.attempt = 0;
      this.status({ state: "live", via: "sse" });
      // Keep trying to get back to a WebSocket now and then.
      this.later(RETRY_WEBSOCKET_MS, () => this.upgradeToWebSocket());
    };
    source.onerror = () => {
      if (this.source !== source) return;
      if (source.readyState === EventSource.CLOSED) {
        this.closeSource();
        if (opened) {
          this.scheduleReconnect();
        } else {
          this.status({ state: "unavailable" });
          this.later(RETRY_WEBSOCKET_MS, () => this.retryNow());
        }
      } else {
        this.status({ state: "reconnecting", retryAt: Date.now() });
      }
    };
  }

  upgradeToWebSocket() {
    if (this.stopped || !this.source) return;
    const probe = new WebSocket(this.socketUrl());
    probe.onmessage = (message) => {
      const event = parse(message.data);
      if (event?.event_type !== "connection_established") return;
      probe.close();
      this.retryNow();
    };
    probe.onclose = () => {
      if (this.source) this.later(RETRY_WEBSOCKET_MS, () => this.upgradeToWebSocket());
    };
  }
}

function parse(data) {
  try {
    const value = JSON.parse(data);
    return value && typeof value === "object" ? value : null;
  } catch {
    return null;
  }
}
