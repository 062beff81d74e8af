// The message box: Enter sends, Shift+Enter adds a line, a counter near the 10,000 limit.

import { byId } from "./dom.js";

export const MAX_CHARS = 10000;
const COUNTER_FROM = 9000;

/** Wire the composer; onSend(text) gets each message that may be sent. */
export function wireComposer(onSend) {
  const form = byId("composer");
  const input = byId("message-input");
  input.addEventListener("input", updateCounter);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim() || text.length > MAX_CHARS) return;
    input.value = "";
    updateCounter();
    onSend(text);
  });
}

function updateCounter() {
  const input = byId("message-input");
  const length = input.value.length;
  const counter = byId("char-count");
  const over = length > MAX_CHARS;
  let text = "";
  if (over) {
    const extra = length - MAX_CHARS;
    text = `${extra.toLocaleString()} ${extra === 1 ? "character" : "characters"} too long`;
  }
  else if (length >= COUNTER_FROM) text = `${length.toLocaleString()} / ${MAX_CHARS.toLocaleString()}`;
  counter.textContent = text;
  counter.classList.toggle("over", over);
  byId("send").disabled = over || !input.value.trim();
}
