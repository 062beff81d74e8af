// Toasts: short notes in a corner (reminders, "Deleted · Undo"), each with a way to dismiss it.

import { announce, byId, el } from "./dom.js";

/** Show a toast for `ms`; `action` ({label, run}) adds a button that runs it and closes the toast. */
export function showToast(text, { action = null, ms = 20000, dataset = {} } = {}) {
  const close = () => toast.remove();
  const toast = el("div", { class: "toast", role: "status", dataset },
    el("span", { class: "toast-text", text }),
    action
      ? el("button", {
          type: "button", class: "link", text: action.label,
          onclick: () => {
            close();
            action.run();
          },
        })
      : null,
    el("button", {
      type: "button", class: "icon-button", text: "Dismiss", "aria-label": `Dismiss: ${text}`,
      onclick: close,
    }),
  );
  byId("toasts").append(toast);
  announce(text);
  setTimeout(close, ms);
  return toast;
}
