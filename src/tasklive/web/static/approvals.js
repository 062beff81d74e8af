// Approval cards: a run waits for the user's yes or no before a bulk-destructive tool runs.

import { announce, el } from "./dom.js";

const OUTCOMES = {
  approved: "Approved",
  denied: "Denied",
  expired: "Expired: nobody answered in time",
  cancelled: "Cancelled",
  superseded: "Set aside: you sent another message",
};

/**
 * The card for an `approval_required` event, as a step of its run.
 * `answer(approvalId, approved)` sends the choice and resolves to an error text or null.
 */
export function approvalCard(event, answer) {
  const question = el("span", { class: "approval-question", text: event.message || `Run ${event.tool}?` });
  const status = el("span", { class: "approval-status", role: "status" });
  const choose = async (approved) => {
    for (const button of buttons.querySelectorAll("button")) button.disabled = true;
    status.textContent = approved ? "Approving…" : "Denying…";
    const error = await answer(event.approval_id, approved);
    if (error && card.dataset.state === "pending") {
      status.textContent = error;
      for (const button of buttons.querySelectorAll("button")) button.disabled = false;
    }
  };
  const buttons = el("span", { class: "approval-buttons" },
    el("button", { type: "button", class: "small-button", text: "Approve", onclick: () => choose(true) }),
    el("button", {
      type: "button", class: "secondary small-button", text: "Deny", onclick: () => choose(false),
    }),
  );
  const card = el("li", {
    class: "approval", role: "group", "aria-label": "Approval needed",
    dataset: { approvalId: event.approval_id, state: "pending", tool: event.tool || "" },
  }, question, buttons, status);
  announce(`Approval needed: ${question.textContent}`);
  return card;
}

/** Settle a card with the outcome from `approval_resolved` (approved, denied, expired, cancelled, superseded). */
export function resolveCard(card, event) {
  const outcome = event.status || (event.approved ? "approved" : "denied");
  card.dataset.state = outcome;
  card.querySelector(".approval-buttons")?.remove();
  card.querySelector(".approval-status").textContent = OUTCOMES[outcome] ?? outcome;
  announce(OUTCOMES[outcome] ?? outcome);
}
