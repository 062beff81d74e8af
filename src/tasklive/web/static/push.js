// Reminders beyond the tab: the service worker, this browser's push subscription, the list of
// subscribed browsers, and where reminders go (push, e-mail or both) in Settings.

import * as api from "./api.js";
import { announce, byId, confirmThen, el, formatTime } from "./dom.js";

const PUSH_CACHE = "tasklive-push";
const CREDENTIAL_KEY = "/push-credential";
const CHANNELS = { push: "Push", email: "E-mail", both: "Both" };

const workerSupported = () => "serviceWorker" in navigator;
const pushSupported = () => workerSupported() && "PushManager" in window && "Notification" in window;
const onIos = () => /iPad|iPhone|iPod/.test(navigator.userAgent)
  || (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
const standalone = () => window.matchMedia?.("(display-mode: standalone)").matches
  || navigator.standalone === true;

/** Install the service worker (app shell offline, pushed reminders); a click on a reminder
 * with the page open calls `onOpenTask(taskId)`. */
export function registerWorker(onOpenTask) {
  if (!workerSupported()) return;
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data?.type === "open-task" && event.data.task_id) onOpenTask(event.data.task_id);
  });
}

/** Keep this subscription's credential where the service worker reads it (Done, Snooze). */
export async function rememberCredential(value) {
  const body = new Response(JSON.stringify(value), { headers: { "Content-Type": "application/json" } });
  await (await caches.open(PUSH_CACHE)).put(CREDENTIAL_KEY, body);
}

async function forgetCredential() {
  await (await caches.open(PUSH_CACHE)).delete(CREDENTIAL_KEY);
}

async function savedCredential() {
  const response = await (await caches.open(PUSH_CACHE)).match(CREDENTIAL_KEY);
  return response ? response.json() : null;
}

/** On sign-out, while the session still holds: the service forgets this browser's push
 * subscription, the browser drops it, and the Done/Snooze credential is deleted. Each step
 * is tried whatever the others did; none stops the sign-out. */
export async function forgetThisBrowser() {
  const saved = await savedCredential().catch(() => null);
  const current = await currentSubscription().catch(() => null);
  let id = saved?.id;
  if (!id && current) {
    const listed = await api.push.subscriptions().catch(() => []);
    id = listed.find((s) => s.endpoint === current.endpoint)?.id;
  }
  if (id) await api.push.unsubscribe(id).catch(() => {});
  await current?.unsubscribe().catch(() => {});
  await forgetCredential().catch(() => {});
}

async function currentSubscription() {
  if (!pushSupported()) return null;
  const registration = await navigator.serviceWorker.getRegistration("/");
  return registration ? registration.pushManager.getSubscription() : null;
}

/** A short name for a browser from its user agent ("Chrome on Android"). */
export function describeAgent(agent) {
  const browser = [["Edg/", "Edge"], ["Firefox/", "Firefox"], ["Chrome/", "Chrome"], ["Safari/", "Safari"]]
    .find(([mark]) => agent.includes(mark))?.[1] ?? "A browser";
  const system = [["Android", "Android"], ["iPhone", "iPhone"], ["iPad", "iPad"], ["Mac OS", "macOS"],
    ["Windows", "Windows"], ["Linux", "Linux"]].find(([mark]) => agent.includes(mark))?.[1];
  return system ? `${browser} on ${system}` : browser;
}

/** The Settings section "Reminders": this browser, the others, and the channel choice. */
export class PushSettings {
  constructor(showError) {
    this.showError = showError;
    this.list = byId("push-list");
    this.toggle = byId("push-toggle");
    this.status = byId("push-status");
    this.key = null;
    this.endpoint = null;
    this.toggle.addEventListener("click", () => (this.endpoint ? this.turnOff() : this.turnOn()));
    for (const input of document.querySelectorAll("input[name='reminder-channel']")) {
      input.addEventListener("change", () => this.saveChannel(input.value));
    }
  }

  /** Fill the section; a failure here is said in the dialog and leaves the rest usable. */
  async load(account) {
    this.account = account;
    let key, subscriptions, current;
    try {
      [key, subscriptions, current] = await Promise.all([
        api.push.key(), api.push.subscriptions(), currentSubscription().catch(() => null),
      ]);
    } catch (error) {
      this.showError(error.message);
      return;
    }
    this.key = key;
    const known = current && subscriptions.some((s) => s.endpoint === current.endpoint);
    this.endpoint = known ? current.endpoint : null;
    byId("reminder-channel").hidden = !key.email;
    const chosen = document.querySelector(`input[name='reminder-channel'][value='${account.reminder_channel}']`);
    if (chosen) chosen.checked = true;
    byId("push-ios").hidden = !(onIos() && !standalone());
    this.render(subscriptions);
  }

  render(subscriptions) {
    const usable = pushSupported() && !(onIos() && !standalone());
    this.toggle.hidden = !usable;
    this.toggle.textContent = this.endpoint ? "Turn off on this browser" : "Get reminders on this browser";
    this.status.textContent = !pushSupported()
      ? "This browser cannot receive push reminders."
      : this.endpoint ? "This browser gets reminders even with every tab closed." : "";
    this.list.replaceChildren(...subscriptions.map((s) => this.row(s)));
  }

  row(subscription) {
    const mine = subscription.endpoint === this.endpoint;
    const name = mine ? "This browser" : describeAgent(subscription.user_agent);
    const used = subscription.last_used_at
      ? ["last reminded ", el("time", { datetime: subscription.last_used_at, text: formatTime(subscription.last_used_at) })]
      : ["added ", el("time", { datetime: subscription.created_at, text: formatTime(subscription.created_at) })];
    const remove = el("button", {
      type: "button", class: "icon-button danger", text: "Remove",
      "aria-label": `Stop reminders on ${name}`,
      onclick: (event) => confirmThen(event.currentTarget, () => this.remove(subscription, mine)),
    });
    return el("li", { class: "token", dataset: { subscriptionId: subscription.id } },
      el("span", { class: "token-name", text: name, title: subscription.user_agent }),
      el("span", { class: "muted small" }, ...used),
      remove,
    );
  }

  async turnOn() {
    this.showError("");
    try {
      if ((await Notification.requestPermission()) !== "granted") {
        this.showError("Notifications are blocked for this site; allow them in the browser's settings.");
        return;
      }
      const registration = await navigator.serviceWorker.ready;
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true, applicationServerKey: this.key.public_key,
      });
      const made = await api.push.subscribe(subscription.toJSON());
      await rememberCredential({
        id: made.id, credential: made.credential, endpoint: made.endpoint, public_key: this.key.public_key,
      });
      announce("This browser will get reminders");
    } catch (error) {
      this.showError(error.message || "This browser could not subscribe to push.");
    }
    await this.load(this.account);
  }

  async turnOff() {
    const current = await currentSubscription();
    const row = (await api.push.subscriptions()).find((s) => s.endpoint === current?.endpoint);
    if (row) await this.remove(row, true);
  }

  async remove(subscription, mine) {
    this.showError("");
    try {
      await api.push.unsubscribe(subscription.id);
      if (mine) {
        await (await currentSubscription())?.unsubscribe();
        await forgetCredential();
      }
      announce("Reminders stopped on that browser");
    } catch (error) {
      this.showError(error.message);
    }
    await this.load(this.account);
  }

  async saveChannel(channel) {
    this.showError("");
    try {
      this.account = await api.account.update({ reminder_channel: channel });
      announce(`Reminders go by ${CHANNELS[channel].toLowerCase()}`);
    } catch (error) {
      this.showError(error.message);
      await this.load(this.account);
    }
  }
}
