// The conversation list: switch by clicking, a live badge while a reply is being written anywhere,
// delete with a second click to confirm.

import { byId, confirmThen, el, formatTime } from "./dom.js";

/** Render the list, marking the open one; `running` maps ids to "replying" or "asking". */
export function renderConversationList(conversations, currentId, running, { onOpen, onDelete }) {
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
          running.has(conversation.id)
            ? el("span", {
                class: `badge live small ${running.get(conversation.id)}`,
                text: running.get(conversation.id) === "asking" ? "Needs your approval" : "Replying now",
              })
            : el("span", { class: "muted small", text: formatTime(conversation.updated_at) }),
        ),
        deleteButton,
      );
    }),
  );
}
