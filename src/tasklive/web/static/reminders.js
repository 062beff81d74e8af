// Reminders: a toast on every tab, and a system notification once the user has allowed them.

import { announce, byId } from "./dom.js";
import { showToast } from "./toasts.js";

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
  showToast(text, { dataset: { taskId: event.task_id ?? "" } });
  if (supported() && Notification.permission === "granted") {
    try {
      // The service worker's pushed notification has the same tag: the system shows one.
      new Notification("Reminder", { body: text, tag: `reminder-${event.task_id}` });
    } catch {
      // Some browsers only allow notifications from a service worker; the toast is enough.
    }
  }
}
