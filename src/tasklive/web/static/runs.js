// One agent run on screen: its live step list, the streaming reply, and a cancel button.

import { announce, el } from "./dom.js";

const STEP_STATES = {
  running: "in progress",
  ok: "done",
  failed: "failed",
  stopped: "stopped",
};

/** A reply bubble; the text is set as text, never parsed as HTML. */
export function messageBubble(role, content, { time = "", note = "" } = {}) {
  return el("article", { class: `message ${role}`, "aria-label": role === "user" ? "You" : "tasklive" },
    el("div", { class: "bubble", text: content }),
    time || note ? el("div", { class: "meta small", text: [note, time].filter(Boolean).join(" · ") }) : null,
  );
}

export class RunView {
  constructor({ conversationId = null, onCancel = null } = {}) {
    this.runId = null;
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
      const icon = el("span", { class: "step-icon", role: "img" });
      const label = el("span", { class: "step-text" });
      step = { node: el("li", { class: "step" }, icon, label), icon, label };
      this.steps.set(key, step);
      this.stepList.append(step.node);
    }
    step.node.dataset.state = state;
    step.icon.setAttribute("aria-label", STEP_STATES[state]);
    if (text) step.label.textContent = text;
    return step;
  }

  settleThinking() {
    const thinking = this.steps.get("thinking");
    if (thinking?.node.dataset.state === "running") this.step("thinking", "", "ok");
    const sending = this.steps.get("sending");
    if (sending) {
      sending.node.remove();
      this.steps.delete("sending");
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

  /** Apply one live event of this run. */
  apply(event) {
    if (this.done && event.event_type !== "agent_done") return;
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
      case "agent_message_delta":
        this.settleThinking();
        if (event.delta) this.ensureBubble().append(event.delta);
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

  /** The run ended: settle every step, show the final reply or what went wrong. */
  finish({ response = null, error = null, cancelled = false, toolCalls = null }) {
    if (this.done) {
      if (response && this.bubble && this.bubble.textContent !== response) {
        this.bubble.textContent = response;
      }
      return;
    }
    this.done = true;
    this.cancelButton.hidden = true;
    this.settleThinking();
    if (toolCalls) {
      // The final answer can overtake the live events: it settles the tool steps in order.
      const toolKeys = [...this.steps.keys()].filter((key) => key !== "thinking");
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
    const thinking = this.steps.get("thinking");
    if (thinking && this.steps.size > 1) {
      thinking.node.remove();
      this.steps.delete("thinking");
    }
    if (response) this.ensureBubble().textContent = response;
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
    const sending = this.steps.get("sending");
    if (sending) {
      sending.node.remove();
      this.steps.delete("sending");
    }
    for (const [key, step] of this.steps) {
      if (step.node.dataset.state === "running") this.step(key, "", "stopped");
    }
    this.showNotice(text, "error", action);
    announce(text);
  }
}
