// One agent run on screen: its live step list, the streaming reply, and a cancel button.

import { approvalCard, resolveCard } from "./approvals.js";
import { announce, copyText, el } from "./dom.js";
import { renderMarkdown } from "./markdown.js";

const STEP_STATES = {
  running: "in progress",
  ok: "done",
  failed: "failed",
  stopped: "stopped",
};

const WAITING_STEPS = new Set(["sending", "thinking"]);
const LATE_EVENTS = new Set(["agent_done", "approval_resolved"]);

/** A message bubble: the user's text as text, a reply as sanitized Markdown with a copy button. */
export function messageBubble(role, content, { time = "", note = "" } = {}) {
  const label = role === "user" ? "You" : "tasklive";
  if (role !== "assistant") {
    return el("article", { class: `message ${role}`, "aria-label": label },
      el("div", { class: "bubble", text: content }),
      time || note ? el("div", { class: "meta small", text: [note, time].filter(Boolean).join(" · ") }) : null,
    );
  }
  const bubble = el("div", { class: "bubble markdown" });
  renderMarkdown(bubble, content);
  const copy = el("button", {
    type: "button", class: "icon-button copy", text: "Copy", "aria-label": "Copy reply",
    onclick: () => copyText(bubble.dataset.source, copy, "Reply copied"),
  });
  return el("article", { class: "message assistant", "aria-label": label },
    bubble,
    el("div", { class: "meta small" }, time ? el("span", { text: time }) : null, copy),
  );
}

/** A stored reply with the steps its run took (as the messages API lists them). */
export function pastRun(message, time) {
  const steps = message.steps.map((step) => {
    const shown = stepNode(false);
    setStep(shown, step.message || step.tool, step.ok ? "ok" : "failed");
    return shown.node;
  });
  return el("div", { class: "run finished", dataset: { runId: message.run_id ?? "" } },
    el("div", { class: "run-head" }, el("ol", { class: "steps", "aria-label": "Progress" }, steps)),
    messageBubble("assistant", message.content, { time }),
  );
}

function stepNode(waiting) {
  const icon = el("span", { class: "step-icon", role: "img" });
  const label = el("span", { class: "step-text" });
  return { node: el("li", { class: waiting ? "step waiting" : "step" }, icon, label), icon, label };
}

function setStep(step, text, state) {
  step.node.dataset.state = state;
  step.icon.setAttribute("aria-label", STEP_STATES[state]);
  if (text) step.label.textContent = text;
}

export class RunView {
  constructor({ conversationId = null, onCancel = null, onAnswer = null } = {}) {
    this.runId = null;
    this.onAnswer = onAnswer;
    this.cards = new Map(); // approval_id -> card
    this.conversationId = conversationId;
    this.done = false;
    this.steps = new Map();
    this.stepList = el("ol", { class: "steps", "aria-label": "Progress" });
    this.cancelButton = el("button", {
      type: "button", class: "secondary small-button", text: "Cancel", hidden: true,
      onclick: () => onCancel?.(this),
    });
    this.notice = el("p", { class: "notice", role: "alert", hidden: true });
    this.bubble = null;
    this.element = el("div", { class: "run" },
      el("div", { class: "run-head" }, this.stepList, this.cancelButton),
      this.notice,
    );
  }

  /** Bind the run id once it is known (from the first event or the POST answer). */
  bind(runId) {
    this.runId = runId;
    this.element.dataset.runId = runId;
    if (!this.done) this.cancelButton.hidden = false;
  }

  step(key, text, state = "running") {
    let step = this.steps.get(key);
    if (!step) {
      step = stepNode(WAITING_STEPS.has(key));
      this.steps.set(key, step);
      this.stepList.append(step.node);
    }
    setStep(step, text, state);
    return step;
  }

  /** The waiting steps ("Sending", "Thinking") give way to real progress or the reply. */
  settleThinking() {
    for (const key of WAITING_STEPS) {
      this.steps.get(key)?.node.remove();
      this.steps.delete(key);
    }
  }

  ensureBubble() {
    if (!this.bubble) {
      const article = messageBubble("assistant", "");
      this.bubble = article.querySelector(".bubble");
      this.element.append(article);
    }
    return this.bubble;
  }

  /** Show the reply so far (or the final one), rendered as Markdown. */
  showReply(text) {
    const bubble = this.ensureBubble();
    if (bubble.dataset.source !== text) renderMarkdown(bubble, text);
  }

  /** Apply one live event of this run. */
  apply(event) {
    // An answer to a card can arrive after the POST's final answer ended the run here.
    if (this.done && !LATE_EVENTS.has(event.event_type)) return;
    const key = event.tool_call_id ?? event.tool ?? "tool";
    switch (event.event_type) {
      case "agent_thinking":
        this.settleThinking();
        this.step("thinking", event.message || "Thinking…");
        announce(event.message || "Thinking");
        break;
      case "tool_starting":
        this.settleThinking();
        this.step(key, event.message || `Running ${event.tool}…`);
        announce(event.message || "Working");
        break;
      case "tool_progress":
        this.step(key, event.message);
        break;
      case "tool_complete":
        this.step(key, event.message || "Done", "ok");
        announce(event.message || "Done");
        break;
      case "tool_error":
        this.step(key, event.message || event.error || "That step failed", "failed");
        announce(event.message || "A step failed");
        break;
      case "approval_required":
        this.settleThinking();
        this.askApproval(event);
        break;
      case "approval_resolved":
        if (this.cards.has(event.approval_id)) resolveCard(this.cards.get(event.approval_id), event);
        break;
      case "agent_message_delta":
        this.settleThinking();
        if (event.delta) this.showReply((this.bubble?.dataset.source ?? "") + event.delta);
        break;
      case "agent_done":
        this.finish({
          response: event.response,
          error: event.error,
          cancelled: Boolean(event.cancelled),
        });
        break;
      default:
        break;
    }
  }

  waitsForApproval() {
    return [...this.cards.values()].some((card) => card.dataset.state === "pending");
  }

  askApproval(event) {
    if (this.cards.has(event.approval_id)) return;
    const answer = (id, approved) => this.onAnswer?.(id, approved) ?? Promise.resolve(null);
    const card = approvalCard(event, answer);
    this.cards.set(event.approval_id, card);
    this.stepList.append(card);
  }

  /** The run ended: settle every step, show the final reply or what went wrong. */
  finish({ response = null, error = null, cancelled = false, toolCalls = null }) {
    if (this.done) {
      if (response && this.bubble) this.showReply(response);
      return;
    }
    this.done = true;
    this.cancelButton.hidden = true;
    this.settleThinking();
    if (toolCalls) {
      // The final answer can overtake the live events: it settles the tool steps in order.
      const toolKeys = [...this.steps.keys()];
      toolCalls.forEach((call, index) => {
        const key = toolKeys[index] ?? `call-${index}`;
        const state = this.steps.get(key)?.node.dataset.state;
        if (state && state !== "running") return;
        this.step(key, call.summary || call.tool, call.ok ? "ok" : "failed");
      });
    }
    for (const [key, step] of this.steps) {
      if (step.node.dataset.state === "running") this.step(key, "", "stopped");
    }
    if (response) this.showReply(response);
    if (cancelled) {
      this.showNotice("Stopped. The reply was cancelled.", "info");
      announce("Cancelled");
    } else if (error) {
      this.showNotice(error);
      announce("The reply failed");
    } else {
      announce("Reply ready");
    }
    this.element.classList.add("finished");
  }

  showNotice(text, tone = "error", action = null) {
    this.notice.replaceChildren(el("span", { text }), ...(action ? [action] : []));
    this.notice.dataset.tone = tone;
    this.notice.hidden = false;
  }

  /** The send failed before a run started (or the answer never arrived). */
  failed(text, action = null) {
    this.done = true;
    this.cancelButton.hidden = true;
    this.settleThinking();
    for (const [key, step] of this.steps) {
      if (step.node.dataset.state === "running") this.step(key, "", "stopped");
    }
    this.showNotice(text, "error", action);
    announce(text);
  }
}
