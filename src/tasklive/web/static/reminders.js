// Reminders: a toast on every tab, and a system notification once the user has allowed them.

import { announce, byId, el } from "./dom.js";

const TOAST_MS = 20000;

const supported = () => typeof Notification !== "undefined";

/** Show "Enable reminders" only while the browser could still be asked (a click must ask). */
export function wireReminderButton() {
  const button = byId("enable-reminders");
  const update = () => {
    button.hidden = !supported() || Notification.permission !== "default";
  };
  button.addEventListener("click", async () => {
    try {
      await Notification.requestPermission();
    } finally {
      update();
      if (supported() && Notification.permission === "granted") announce("Reminders enabled");
    }
  });
  update();
}

/** A `reminder` event: a toast here, and a notification (one per reminder across tabs). */
export function showReminder(event) {
  const text = event.message || "Reminder";
  const toast = el("div", { class: "toast", role: "status", dataset: { taskId: event.task_id ?? "" } },
    el("span", { class: "toast-text", text }),
    el("button", {
      type: "button", class: "icon-button", text: "Dismiss", "aria-label": "Dismiss reminder",
      onclick: () => toast.remove(),
    }),
  );
  byId("toasts").append(toast);
  setTimeout(() => toast.remove(), TOAST_MS);
  if (supported() && Notification.permission === "granted") {
    try {
      // The same tag in every tab: the system shows one notification, not one per tab.
      new Notification("tasklive", { body: text, tag: `reminder-${event.task_id}-${event.seq ?? ""}` });
    } catch {
      // Some browsers only allow notifications from a service worker; the toast is enough.
    }
  }
}
