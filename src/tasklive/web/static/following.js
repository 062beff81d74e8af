// Following runs live: this tab's sends, other tabs' runs, approvals (mixed into ChatPanel).

import * as api from "./api.js";
import { formatTime, nearBottom } from "./dom.js";
import { RunView } from "./runs.js";
import { setUserState } from "./sending.js";

export const following = {
  /** A run view whose Cancel and approval buttons act through this panel. */
  newRunView(conversationId) {
    return new RunView({
      conversationId,
      onCancel: (run) => this.cancel(run),
      onAnswer: (approvalId, approved) => this.answerApproval(approvalId, approved),
    });
  },

  /** Approve or deny over the socket, or over HTTP when it is down; an error text or null. */
  async answerApproval(approvalId, approved) {
    if (this.sendFrame({ type: "approve", approval_id: approvalId, approved })) return null;
    try {
      await api.chat.approve(this.userId, approvalId, approved);
      return null;
    } catch (error) {
      return error.message;
    }
  },

  /** Apply a run event from the live stream, from this tab's sends or anyone else's. */
  handleRunEvent(event) {
    let view = this.runs.get(event.run_id);
    if (!view) {
      view = this.adopt(event);
      if (!view) {
        this.noteElsewhere(event);
        return;
      }
    }
    const follow = nearBottom(this.messages);
    view.apply(event);
    if (event.event_type.startsWith("approval_")) this.renderConversations();
    if (event.event_type === "agent_done") {
      if (!view.mine) this.afterForeignRun(view);
      this.loadConversations().then(() => this.updateHeading()).catch(() => {});
    }
    if (follow && this.currentVisible(view)) this.scrollToEnd();
  },

  /** A run in a conversation not on screen: keep its events for the badge and for opening it. */
  noteElsewhere(event) {
    const backlog = this.elsewhere.get(event.run_id) ?? [];
    const first = backlog.length === 0;
    backlog.push(event);
    if (event.event_type === "agent_done") this.elsewhere.delete(event.run_id);
    else this.elsewhere.set(event.run_id, backlog);
    const known = this.conversations.some((c) => c.id === event.conversation_id);
    if (event.event_type === "agent_done" || !known) this.loadConversations().catch(() => {});
    else if (first || event.event_type.startsWith("approval_")) this.renderConversations();
  },

  /** Opening a conversation with a run going elsewhere shows that run as it is now. */
  followElsewhere(conversationId) {
    for (const [runId, backlog] of this.elsewhere) {
      if (conversationId && backlog[0].conversation_id === conversationId) {
        this.followRun(runId, conversationId);
      }
    }
  },

  /** Find the view for a run seen for the first time: one of our sends, or another tab's. */
  adopt(event) {
    const known = this.conversations.some((c) => c.id === event.conversation_id);
    const index = event.client_message_id
      ? this.pending.findIndex((p) => p.clientMessageId === event.client_message_id)
      : this.pending.findIndex(
          (p) => p.conversationId === event.conversation_id || (p.conversationId === null && !known),
        );
    if (index >= 0) {
      const [waiting] = this.pending.splice(index, 1);
      const view = waiting.view;
      view.mine = true;
      view.bind(event.run_id);
      setUserState(view, "sent", formatTime(new Date().toISOString()));
      view.conversationId = event.conversation_id;
      this.runs.set(event.run_id, view);
      if (waiting.conversationId === null && this.currentId === null && this.currentVisible(view)) {
        this.currentId = event.conversation_id;
        localStorage.setItem(this.storageKey(), event.conversation_id);
      }
      return view;
    }
    if (event.conversation_id !== this.currentId) return null;
    // Another tab (or client) is talking in the conversation we show: follow it live.
    const view = this.followRun(event.run_id, event.conversation_id);
    this.open(this.currentId); // shows their message, then this run after it
    return view;
  },

  /** A view for a run started elsewhere, brought up to date with what was seen of it so far. */
  followRun(runId, conversationId) {
    const view = this.newRunView(conversationId);
    view.bind(runId);
    for (const event of this.elsewhere.get(runId) ?? []) view.apply(event);
    this.elsewhere.delete(runId);
    this.runs.set(runId, view);
    return view;
  },

  afterForeignRun(view) {
    if (view.conversationId === this.currentId) this.open(this.currentId);
  },
};
