// The conversation list: switch by clicking, delete with a second click to confirm.

import { byId, el, formatTime } from "./dom.js";

const CONFIRM_MS = 4000;

/** Render the list, marking the open conversation. */
export function renderConversationList(conversations, currentId, { onOpen, onDelete }) {
  byId("conversation-empty").hidden = conversations.length > 0;
  byId("conversation-list").replaceChildren(
    ...conversations.map((conversation) => {
      const title = conversation.title || "New conversation";
      const current = conversation.id === currentId;
      const deleteButton = el("button", {
        type: "button", class: "icon-button danger", text: "Delete",
        "aria-label": `Delete conversation “${title}”`,
        onclick: () => confirmThen(deleteButton, () => onDelete(conversation)),
      });
      return el("li", { class: current ? "conversation current" : "conversation" },
        el("button", {
          type: "button", class: "conversation-open",
          "aria-current": current ? "true" : null,
          onclick: () => onOpen(conversation),
        },
          el("span", { class: "conversation-title", text: title }),
          el("span", { class: "muted small", text: formatTime(conversation.updated_at) }),
        ),
        deleteButton,
      );
    }),
  );
}

/** The first click arms the button ("Sure?"); a second one within a few seconds acts. */
function confirmThen(button, action) {
  if (button.dataset.armed) {
    action();
    return;
  }
  button.dataset.armed = "true";
  button.textContent = "Sure?";
  setTimeout(() => {
    delete button.dataset.armed;
    button.textContent = "Delete";
  }, CONFIRM_MS);
}
