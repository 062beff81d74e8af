// The service worker: keeps the app shell for offline use, shows each pushed reminder (always),
// and answers its Done and Snooze buttons with the subscription's own credential, no tab needed.
// The service fills in VERSION and SHELL when it serves this file (web/router.py).

const VERSION = "__VERSION__";
const SHELL = __SHELL__;
const SHELL_CACHE = `tasklive-shell-${VERSION}`;
const PUSH_CACHE = "tasklive-push";
// The page keeps this subscription's {id, credential, endpoint, public_key} here (push.js).
const CREDENTIAL_KEY = "/push-credential";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith("tasklive-shell-") && key !== SHELL_CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

// The page and its files come from the network when it answers, else from the cache; the API
// always goes to the network (the page's outbox keeps unsent messages meanwhile).
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname !== "/" && !url.pathname.startsWith("/static/")) return;
  const key = url.pathname === "/" ? "/" : url.pathname;
  event.respondWith((async () => {
    const cache = await caches.open(SHELL_CACHE);
    try {
      const response = await fetch(event.request);
      if (response.ok) await cache.put(key, response.clone());
      return response;
    } catch (error) {
      const cached = await cache.match(key);
      if (cached) return cached;
      throw error;
    }
  })());
});

async function saved() {
  const response = await (await caches.open(PUSH_CACHE)).match(CREDENTIAL_KEY);
  return response ? response.json() : null;
}

async function remember(value) {
  const body = new Response(JSON.stringify(value), { headers: { "Content-Type": "application/json" } });
  await (await caches.open(PUSH_CACHE)).put(CREDENTIAL_KEY, body);
}

function notify(data, note = "") {
  const known = Boolean(data.task_id);
  const body = (known ? `#${data.number} ${data.title}` : data.message || "You have a reminder.") + note;
  return self.registration.showNotification("Reminder", {
    body,
    tag: `reminder-${data.task_id ?? "tasklive"}`,
    renotify: true,
    requireInteraction: true,
    icon: "/static/icon-192.png",
    data,
    actions: known ? [{ action: "done", title: "Done" }, { action: "snooze", title: "Snooze 10 min" }] : [],
  });
}

// Every push shows a notification: a browser revokes subscriptions that push silently.
self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { message: event.data?.text() };
  }
  event.waitUntil(notify(data));
});

async function act(action, data) {
  const mine = await saved();
  let ok = false;
  if (mine) {
    try {
      const path = `/api/push/actions/${encodeURIComponent(data.task_id)}/${action}`;
      const response = await fetch(path, {
        method: "POST",
        credentials: "omit",
        headers: { Authorization: `Bearer ${mine.credential}`, "Content-Type": "application/json" },
        body: "{}",
      });
      ok = response.ok;
    } catch {
      ok = false;
    }
  }
  // Nothing is lost: a Done or Snooze that could not reach the service shows the reminder again.
  if (!ok) await notify(data, " (couldn't reach tasklive; open it to try again)");
}

async function openTask(data) {
  const url = new URL(data.url || "/", self.location.origin).href;
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
  if (open) {
    await open.focus();
    open.postMessage({ type: "open-task", task_id: data.task_id });
    return;
  }
  await self.clients.openWindow(url);
}

self.addEventListener("notificationclick", (event) => {
  const data = event.notification.data || {};
  event.notification.close();
  const work = event.action === "done" || event.action === "snooze"
    ? act(event.action, data)
    : openTask(data);
  try {
    event.waitUntil(work);
  } catch {
    // Only an event the browser dispatched can be extended; `work` runs on regardless.
  }
});

// The browser replaced the subscription: subscribe again and tell the service, with this
// subscription's own credential (no session cookie is needed).
self.addEventListener("pushsubscriptionchange", (event) => {
  event.waitUntil((async () => {
    const mine = await saved();
    if (!mine) return;
    const subscription = event.newSubscription ?? await self.registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: mine.public_key,
    });
    const response = await fetch("/api/push/renew", {
      method: "POST",
      credentials: "omit",
      headers: { Authorization: `Bearer ${mine.credential}`, "Content-Type": "application/json" },
      body: JSON.stringify(subscription.toJSON()),
    });
    if (response.ok) await remember({ ...mine, endpoint: subscription.endpoint });
  })());
});
