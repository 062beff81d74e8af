// The chat panel: conversations, messages in order, sending, and each run's live progress.

import * as api from "./api.js";
import { wireComposer } from "./composer.js";
import { renderConversationList } from "./conversations.js";
import { byId, el, formatTime, nearBottom } from "./dom.js";
import { following } from "./following.js";
import { Outbox } from "./outbox.js";
import { messageBubble, pastRun } from "./runs.js";
import { sending } from "./sending.js";

const PAGE_SIZE = 50;
export class ChatPanel {
  /** `sendFrame(frame)` puts a frame on the live socket; false when there is none open. */
  constructor({ onTasksChanged, sendFrame = () => false }) {
    this.onTasksChanged = onTasksChanged;
    this.sendFrame = sendFrame;
    this.userId = null;
    this.conversations = [];
    this.currentId = null;
    this.runs = new Map(); // run_id -> RunView
    this.pending = []; // sends from this tab still waiting for their run's first event
    this.elsewhere = new Map(); // run_id -> events so far, for runs in conversations not shown
    this.messages = byId("messages");
    this.input = byId("message-input");
    this.loadToken = 0;
    this.outbox = new Outbox();
    wireComposer((text) => this.send(text));
    byId("new-conversation").addEventListener("click", () => this.open(null, { focus: true }));
  }

  start(userId) {
    this.userId = userId;
    const stored = localStorage.getItem(this.storageKey());
    this.currentId = stored || null;
    this.openLatest = stored === null; // a new device: show the latest conversation, not a blank one
    this.outbox.start(userId);
    this.restoreOutbox();
  }

  reset() {
    this.outbox.stop();
    this.userId = null;
    this.conversations = [];
    this.currentId = null;
    this.runs.clear();
    this.elsewhere.clear();
    this.pending = [];
    this.showMessages([]);
    byId("conversation-list").replaceChildren();
  }

  storageKey() {
    return `tasklive.conversation.${this.userId}`;
  }

  /** Reload the conversation list and the open conversation over HTTP. */
  async refresh() {
    const wanted = this.currentId;
    this.elsewhere.clear(); // what we knew of other runs may be stale; their next event brings it back
    await this.loadConversations();
    if (this.currentId !== wanted) return; // the user moved on (or started one) meanwhile
    const latest = this.openLatest && !wanted ? this.conversations[0]?.id : null;
    this.openLatest = false;
    const exists = this.conversations.some((c) => c.id === wanted);
    await this.open(latest ?? (exists ? wanted : null));
  }

  async loadConversations() {
    this.conversations = await api.chat.conversations(this.userId);
    this.renderConversations();
  }

  /** Conversations with a run going now, here or elsewhere: id -> "replying" or "asking". */
  runningConversations() {
    const running = new Map();
    const mark = (id, asking) => {
      if (asking || !running.has(id)) running.set(id, asking ? "asking" : "replying");
    };
    for (const backlog of this.elsewhere.values()) mark(backlog[0].conversation_id, asks(backlog));
    for (const view of this.runs.values()) {
      if (!view.done) mark(view.conversationId, view.waitsForApproval());
    }
    return running;
  }

  renderConversations() {
    renderConversationList(this.conversations, this.currentId, this.runningConversations(), {
      onOpen: (conversation) => this.open(conversation.id),
      onDelete: (conversation) => this.deleteConversation(conversation),
    });
  }

  async deleteConversation(conversation) {
    try {
      await api.chat.deleteConversation(this.userId, conversation.id);
    } catch (error) {
      if (error.status !== 404) {
        this.flash(error.message);
        return;
      }
    }
    this.conversations = this.conversations.filter((c) => c.id !== conversation.id);
    if (this.currentId === conversation.id) await this.open(null);
    else this.renderConversations();
  }

  /** Show a conversation (null: a new, empty one). */
  async open(conversationId, { focus = false } = {}) {
    this.currentId = conversationId;
    localStorage.setItem(this.storageKey(), conversationId ?? "");
    this.renderConversations();
    const conversation = this.conversations.find((c) => c.id === conversationId);
    byId("chat-heading").textContent = conversation?.title || "New conversation";
    const token = ++this.loadToken;
    let messages = [];
    if (conversationId) {
      try {
        messages = await api.chat.messages(this.userId, conversationId);
      } catch (error) {
        if (token !== this.loadToken) return;
        if (error.status === 404) {
          await this.open(null);
          return;
        }
        this.flash(error.message);
      }
    }
    if (token !== this.loadToken) return;
    this.followElsewhere(conversationId);
    this.showMessages(messages);
    if (focus) this.input.focus();
  }

  showMessages(messages) {
    const atBottom = nearBottom(this.messages);
    const nodes = [];
    if (messages.length >= PAGE_SIZE) nodes.push(this.earlierButton(messages[0].id));
    nodes.push(...messages.map((message) => this.messageNode(message)));
    // Runs still going (or still sending) in this conversation stay visible after a reload.
    const replied = new Set(messages.filter((m) => m.role === "assistant").map((m) => m.run_id));
    for (const view of this.runs.values()) {
      if (!view.done && view.conversationId === this.currentId && !replied.has(view.runId)) {
        nodes.push(view.element);
      }
    }
    for (const { view } of this.pending) {
      if (view.conversationId === this.currentId) nodes.push(view.userNode, view.element);
    }
    if (nodes.length === 0) nodes.push(byId("chat-empty") ?? emptyHint());
    this.messages.replaceChildren(...nodes);
    for (const [runId, view] of this.runs) {
      if (view.done && !this.messages.contains(view.element)) this.runs.delete(runId);
    }
    // Another conversation opens at its end; a reload of this one keeps a reader where they were.
    if (atBottom || this.shownId !== this.currentId) this.scrollToEnd();
    this.shownId = this.currentId;
  }

  messageNode(message) {
    // A run this tab watched keeps its steps (and approval cards) when the conversation reloads.
    const view = message.role === "assistant" ? this.runs.get(message.run_id) : null;
    if (view?.done) {
      view.showReply(message.content);
      return view.element;
    }
    const time = formatTime(message.created_at);
    if (message.steps?.length) return pastRun(message, time);
    return messageBubble(message.role, message.content, { time });
  }

  earlierButton(beforeId) {
    const button = el("button", {
      type: "button", class: "link earlier", text: "Show earlier messages",
      onclick: async () => {
        try {
          const older = await api.chat.messages(this.userId, this.currentId, { before: beforeId });
          const nodes = older.map((message) => this.messageNode(message));
          if (older.length >= PAGE_SIZE) nodes.unshift(this.earlierButton(older[0].id));
          button.replaceWith(...nodes);
        } catch (error) {
          this.flash(error.message);
        }
      },
    });
    return button;
  }

  scrollToEnd() {
    this.messages.scrollTop = this.messages.scrollHeight;
  }

  flash(text) {
    const note = el("p", { class: "notice", role: "alert", text });
    this.messages.append(note);
    this.scrollToEnd();
  }

  // ---- sending ----

  /** The POST answered: the reply is final even if live events never came. */
  settle(waiting, result) {
    this.dropPending(waiting);
    let view = waiting.view;
    const bound = this.runs.get(result.run_id);
    if (bound && bound !== view) {
      view.element.remove(); // the live stream had given this run its own view
      view = bound;
    } else if (!view.runId) {
      view.mine = true;
      view.bind(result.run_id);
      this.runs.set(result.run_id, view);
    }
    view.conversationId = result.conversation_id;
    if (waiting.conversationId === null && this.currentId === null && this.currentVisible(view)) {
      this.currentId = result.conversation_id;
      localStorage.setItem(this.storageKey(), result.conversation_id);
    }
    // A 202 (the run waits on an approval card) has no reply yet: its live events bring it.
    if (result.response !== undefined) {
      view.finish({
        response: result.response,
        cancelled: Boolean(result.cancelled),
        toolCalls: result.tool_calls,
      });
    }
    if (result.tasks?.length) this.onTasksChanged(result.tasks);
    this.loadConversations().then(() => this.updateHeading()).catch(() => {});
  }

  currentVisible(view) {
    return this.messages.contains(view.element);
  }

  updateHeading() {
    const conversation = this.conversations.find((c) => c.id === this.currentId);
    byId("chat-heading").textContent = conversation?.title || "New conversation";
  }

  async cancel(view) {
    if (!view.runId) return;
    view.cancelButton.disabled = true;
    try {
      await api.chat.cancel(this.userId, view.runId);
    } catch (error) {
      view.cancelButton.disabled = false;
      if (error.status !== 404) view.showNotice(error.message);
    }
  }

}

Object.assign(ChatPanel.prototype, sending, following);

/** Whether a run's events so far leave an approval card unanswered. */
function asks(events) {
  const open = new Set();
  for (const event of events) {
    if (event.event_type === "approval_required") open.add(event.approval_id);
    if (event.event_type === "approval_resolved") open.delete(event.approval_id);
  }
  return open.size > 0;
}

function emptyHint() {
  return el("p", {
    id: "chat-empty", class: "chat-empty",
    text: "Try “add a task to buy milk” or “what’s on my list?”",
  });
}
