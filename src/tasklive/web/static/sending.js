// Sending chat messages: the outbox, delivery states, failures and Retry (mixed into ChatPanel).

import * as api from "./api.js";
import { byId, el, formatTime, randomId } from "./dom.js";
import { STATE_NOTES } from "./outbox.js";
import { messageBubble } from "./runs.js";

export const sending = {
  /** A new message: kept in the outbox first, so nothing typed is ever lost. */
  send(text) {
    const entry = {
      clientMessageId: randomId(),
      text,
      conversationId: this.currentId,
      createdAt: new Date().toISOString(),
    };
    this.outbox.put(entry);
    this.deliver(this.showOutgoing(entry));
  },

  /** Put an outgoing message (and the run view for its reply) on screen. */
  showOutgoing(entry) {
    const view = this.newRunView(entry.conversationId);
    view.userNode = messageBubble("user", entry.text);
    const waiting = {
      view, entry, conversationId: entry.conversationId, clientMessageId: entry.clientMessageId,
    };
    this.pending.push(waiting);
    if (entry.conversationId === this.currentId) {
      byId("chat-empty")?.remove();
      this.messages.append(view.userNode, view.element);
      this.scrollToEnd();
    }
    return waiting;
  },

  /** POST one message (again: with the same client_message_id) and show how it went. */
  async deliver(waiting, state = "sending") {
    const { view, entry } = waiting;
    waiting.queued = false;
    setUserState(view, state);
    view.step("sending", STATE_NOTES[state]);
    if (!this.pending.includes(waiting)) this.pending.push(waiting);
    const body = { message: entry.text, client_message_id: entry.clientMessageId };
    if (waiting.conversationId) body.conversation_id = waiting.conversationId;
    try {
      const result = await api.chat.send(this.userId, body);
      this.outbox.remove(entry.clientMessageId);
      setUserState(view, "sent", formatTime(new Date().toISOString()));
      this.settle(waiting, result);
      return true;
    } catch (error) {
      if (error instanceof api.NetworkError) {
        this.queue(waiting);
        return false;
      }
      this.outbox.remove(entry.clientMessageId); // the service answered: it is not lost
      this.dropPending(waiting);
      this.sendFailed(waiting, error);
      return true;
    }
  },

  /** The service is out of reach: the message waits (in localStorage) for the connection. */
  queue(waiting) {
    waiting.queued = true;
    waiting.view.settleThinking();
    setUserState(waiting.view, "queued");
  },

  /** Show what the outbox still holds (after a reload); it goes out once the connection is live. */
  restoreOutbox() {
    for (const entry of this.outbox.entries()) {
      if (this.pending.some((p) => p.clientMessageId === entry.clientMessageId)) continue;
      this.queue(this.showOutgoing(entry));
    }
  },

  /** The connection is back: send what waited, oldest first, each once. */
  async flushOutbox() {
    if (this.flushing) return;
    this.flushing = true;
    try {
      for (const waiting of this.pending.filter((p) => p.queued)) {
        if (!(await this.deliver(waiting, "retrying"))) break;
        // The stored conversation now has it; reload so a replayed answer shows once.
        if (waiting.conversationId && waiting.conversationId === this.currentId) {
          await this.open(this.currentId);
        }
      }
    } finally {
      this.flushing = false;
    }
  },

  dropPending(waiting) {
    this.pending = this.pending.filter((p) => p !== waiting);
  },

  sendFailed(waiting, error) {
    const { view } = waiting;
    const status = error.status ?? 0;
    const body = error.body ?? {};
    if (status === 429) {
      const when = body.reset_at ? formatTime(body.reset_at) : "tomorrow";
      const limit = body.limit ? `all ${body.limit} messages` : "all your messages";
      setUserState(view, "failed");
      view.failed(`You've used ${limit} for today. You can chat again at ${when}.`);
    } else if (status === 503) {
      setUserState(view, "failed", "Saved · not answered");
      // model_error: the model answered, with an error or nothing usable; the body says which.
      const said =
        body.code === "model_error" && body.error
          ? `${body.error} Your message is saved.`
          : "The assistant can't be reached right now. Your message is saved — try again in a minute.";
      view.failed(said, this.retryButton(waiting));
    } else if (status === 404) {
      setUserState(view, "failed");
      view.failed("This conversation no longer exists. Start a new one.");
      this.loadConversations().catch(() => {});
    } else if (status >= 500) {
      setUserState(view, "failed", "No answer");
      view.failed(
        "The reply did not arrive. It may still finish; you can retry safely.",
        this.retryButton(waiting),
      );
    } else {
      setUserState(view, "failed");
      view.failed(error.message);
    }
  },

  /** Retry sends the same client_message_id: the service runs a failed turn again. */
  retryButton(failed) {
    return el("button", {
      type: "button", class: "link", text: "Retry",
      onclick: () => {
        const view = this.newRunView(failed.conversationId);
        view.userNode = failed.view.userNode;
        failed.view.element.replaceWith(view.element);
        this.outbox.put(failed.entry);
        this.deliver({ ...failed, view }, "retrying");
      },
    });
  },
};

/** Mark a user message sending, sent, queued, retrying or failed, with the line under it. */
export function setUserState(view, state, note = STATE_NOTES[state]) {
  const node = view.userNode;
  if (!node) return;
  node.dataset.state = state;
  let meta = node.querySelector(".meta");
  if (!meta) {
    meta = el("div", { class: "meta small" });
    node.append(meta);
  }
  meta.textContent = note ?? "";
}
