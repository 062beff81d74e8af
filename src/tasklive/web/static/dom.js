// Small DOM helpers. Text always goes in as text nodes, never as HTML.

/** Build an element: props set attributes (`text` sets textContent, `on*` adds listeners). */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") node.textContent = String(value);
    else if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child);
  }
  return node;
}

/** The element with this id (the page's elements all have ids). */
export function byId(id) {
  return document.getElementById(id);
}

/** Tell screen readers about progress through the page's aria-live region. */
export function announce(text) {
  const region = byId("announcer");
  region.textContent = "";
  // A fresh text node in a later task makes repeated messages announce again.
  setTimeout(() => {
    region.textContent = text;
  }, 30);
}

/** A short local time such as "14:05", or a date for older times. */
export function formatTime(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay
    ? date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })
    : date.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
}

/** The browser's IANA time zone, or "" when it can't tell. */
export function browserZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    return "";
  }
}

/** A random id for idempotent sends (works outside secure contexts too). */
export function randomId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** True when a scrollable element is showing (nearly) its bottom. */
export function nearBottom(node) {
  return node.scrollHeight - node.scrollTop - node.clientHeight < 80;
}

const CONFIRM_MS = 4000;

/** The first click arms the button (`prompt`, "Sure?"); a second one within a few seconds acts. */
export function confirmThen(button, action, prompt = "Sure?") {
  if (button.dataset.armed) {
    action();
    return;
  }
  const text = button.textContent;
  button.dataset.armed = "true";
  button.textContent = prompt;
  announce(prompt === "Sure?" ? "Press again to confirm" : `${prompt} Press again to confirm`);
  setTimeout(() => {
    delete button.dataset.armed;
    button.textContent = text;
  }, CONFIRM_MS);
}

const COPIED_FOR_MS = 1500;

/** Put text on the clipboard; the button says "Copied" for a moment and `spoken` is announced. */
export async function copyText(text, button, spoken = "Copied") {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const scratch = el("textarea", { class: "visually-hidden", "aria-hidden": "true" });
    scratch.value = text;
    document.body.append(scratch);
    scratch.select();
    document.execCommand("copy");
    scratch.remove();
  }
  button.dataset.label ||= button.textContent;
  const label = button.dataset.label;
  button.textContent = "Copied";
  announce(spoken);
  setTimeout(() => {
    button.textContent = label;
  }, COPIED_FOR_MS);
}
