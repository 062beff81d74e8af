// The "Add a task" box: what the quick-add reader recognises is highlighted as you type.

import * as api from "./api.js";
import { announce, byId, el } from "./dom.js";
import { PRIORITY_NAMES, dueText } from "./taskfields.js";

const PREVIEW_DELAY_MS = 150;
const DAYS = { MO: "Monday", TU: "Tuesday", WE: "Wednesday", TH: "Thursday", FR: "Friday", SA: "Saturday", SU: "Sunday" };
const UNITS = { DAILY: "day", WEEKLY: "week", MONTHLY: "month", YEARLY: "year", HOURLY: "hour" };

/** "every 2 weeks", "every Monday, Friday" for the common RRULEs; the rule itself otherwise. */
export function repeatText(rule) {
  const parts = Object.fromEntries(String(rule).split(";").map((part) => part.split("=")));
  const unit = UNITS[parts.FREQ];
  if (!unit) return String(rule);
  const interval = Number(parts.INTERVAL || 1);
  const days = (parts.BYDAY || "").split(",").filter((day) => DAYS[day]);
  if (days.length && interval === 1 && unit === "week") {
    if (days.length === 5 && !days.includes("SA") && !days.includes("SU")) return "every weekday";
    return `every ${days.map((day) => DAYS[day]).join(", ")}`;
  }
  const every = interval === 1 ? `every ${unit}` : `every ${interval} ${unit}s`;
  return days.length ? `${every} on ${days.map((day) => DAYS[day]).join(", ")}` : every;
}

/** "15 minutes before" from an offset in seconds, minutes or an ISO duration. */
function offsetText(value) {
  let minutes = null;
  if (typeof value === "number") minutes = Math.round(value / 60);
  const iso = /^-?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(String(value));
  if (iso) minutes = (Number(iso[1] || 0) * 24 + Number(iso[2] || 0)) * 60 + Number(iso[3] || 0);
  if (minutes === null) return String(value);
  minutes = Math.abs(minutes);
  if (minutes % 1440 === 0 && minutes) return plural(minutes / 1440, "day");
  if (minutes % 60 === 0 && minutes) return plural(minutes / 60, "hour");
  return plural(minutes, "minute");
}

function plural(count, unit) {
  return `${count} ${unit}${count === 1 ? "" : "s"} before`;
}

function looksLikeMoment(value) {
  return typeof value === "string" && /^\d{4}-\d{2}-\d{2}/.test(value);
}

/** What a chip says about one recognised span (spoken too, so it reads as a phrase). */
export function spanText(span) {
  const { kind, value } = span;
  if (kind === "due") return `Due ${looksLikeMoment(value) ? dueText(value) : value}`;
  if (kind === "priority") return PRIORITY_NAMES[value] ?? `Priority ${value}`;
  if (kind === "label") return `#${value}`;
  if (kind === "list") return `List ${value}`;
  if (kind === "recurrence") return `Repeats ${repeatText(value)}`;
  if (kind === "reminder") {
    return `Reminder ${looksLikeMoment(value) ? dueText(value) : offsetText(value)}`;
  }
  if (kind === "description") return `Note: ${value}`;
  return String(value);
}

/** Where each code point of `text` starts in UTF-16 units (the service counts code points). */
function codeUnitStarts(text) {
  const starts = [];
  let index = 0;
  for (const character of text) {
    starts.push(index);
    index += character.length;
  }
  starts.push(index);
  return starts;
}

/** The service's spans as UTF-16 ranges of `text`, in order, without overlaps. */
export function placeSpans(text, spans) {
  const starts = codeUnitStarts(text);
  const at = (offset) => starts[Math.max(0, Math.min(offset, starts.length - 1))];
  const placed = spans
    .map((span) => ({ ...span, from: at(span.start), to: at(span.end) }))
    .filter((span) => span.to > span.from)
    .sort((a, b) => a.from - b.from);
  let end = 0;
  return placed.filter((span) => {
    if (span.from < end) return false;
    end = span.to;
    return true;
  });
}

/** The spans still true of `after` when one stretch of `before` was edited: those before the
 * edit stay, those after it move with their words, those it touched go. */
export function keptSpans(spans, before, after) {
  let prefix = 0;
  while (prefix < before.length && prefix < after.length && before[prefix] === after[prefix]) {
    prefix += 1;
  }
  let suffix = 0;
  while (
    suffix < before.length - prefix && suffix < after.length - prefix
    && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]
  ) suffix += 1;
  const tail = before.length - suffix;
  const shift = after.length - before.length;
  return spans.flatMap((span) => {
    if (span.to <= prefix) return [span];
    if (span.from >= tail) return [{ ...span, from: span.from + shift, to: span.to + shift }];
    return [];
  });
}

export class QuickAddBox {
  /** `onCreated(task)` after Enter made one; `showError(text, error)` says what went wrong. */
  constructor({ onCreated, showError }) {
    this.onCreated = onCreated;
    this.showError = showError;
    this.input = byId("new-task-title");
    this.mirror = byId("quick-mirror");
    this.recognised = byId("quick-recognised");
    this.text = "";
    this.spans = [];
    this.spoken = "";
    this.timer = null;
    this.inFlight = null;
    this.adding = false;
    this.input.addEventListener("input", () => this.changed());
    for (const name of ["scroll", "keyup", "click", "select", "focus"]) {
      this.input.addEventListener(name, () => this.followScroll());
    }
  }

  /** The text changed: keep the highlights it did not touch, and ask the reader again soon. */
  changed() {
    const text = this.input.value;
    this.spans = keptSpans(this.spans, this.text, text);
    this.text = text;
    this.paint();
    clearTimeout(this.timer);
    this.inFlight?.abort();
    if (!text.trim()) {
      this.show([]);
      return;
    }
    this.timer = setTimeout(() => this.preview(text), PREVIEW_DELAY_MS);
  }

  async preview(text) {
    const controller = new AbortController();
    this.inFlight = controller;
    let answer;
    try {
      answer = await api.tasks.quickPreview(text, { signal: controller.signal });
    } catch (error) {
      if (controller.signal.aborted || this.input.value !== text) return;
      // Not a task (yet), or no answer: nothing is recognised; Enter will say why.
      if (error instanceof api.ApiError || error instanceof api.NetworkError) this.show([]);
      return;
    } finally {
      if (this.inFlight === controller) this.inFlight = null;
    }
    if (this.input.value !== text) return;
    this.show(answer.spans ?? []);
  }

  /** Highlight `spans` (the service's, for the current text) and say what they are. */
  show(spans) {
    this.spans = placeSpans(this.text, spans);
    this.paint();
    // "at 11 on tuesday" may come as two spans of one due time: one chip says it.
    const said = [...new Set(this.spans.map((span) => `${span.kind}\n${spanText(span)}`))];
    const chips = said.map((entry) => {
      const [kind, text] = entry.split("\n");
      return el("span", { class: "chip quick-chip", dataset: { kind }, text });
    });
    const spoken = chips.map((chip) => chip.textContent).join(", ");
    if (spoken === this.spoken) return; // unchanged: a live region would say it all again
    this.spoken = spoken;
    this.recognised.replaceChildren(
      ...(chips.length ? [el("span", { class: "visually-hidden", text: "Recognised: " })] : []),
      ...chips.flatMap((chip, index) =>
        index ? [el("span", { class: "visually-hidden", text: ", " }), chip] : [chip]),
    );
  }

  /** Draw the text behind the input with each recognised span marked. */
  paint() {
    const parts = [];
    let at = 0;
    for (const span of this.spans) {
      if (span.from > at) parts.push(this.text.slice(at, span.from));
      parts.push(el("mark", { class: "quick-span", dataset: { kind: span.kind } },
        this.text.slice(span.from, span.to)));
      at = span.to;
    }
    parts.push(this.text.slice(at));
    this.mirror.replaceChildren(...parts);
    this.followScroll();
  }

  /** A long line scrolls inside the input; the highlights scroll with it. */
  followScroll() {
    requestAnimationFrame(() => {
      this.mirror.scrollLeft = this.input.scrollLeft;
    });
  }

  clear() {
    clearTimeout(this.timer);
    this.inFlight?.abort();
    this.input.value = "";
    this.text = "";
    this.show([]);
  }

  /** Enter: the reader makes the task; the box empties and the task shows in the list. */
  async submit() {
    const text = this.input.value.trim();
    if (!text) {
      this.showError("Type a task, e.g. “call the landlord tomorrow 9am p1 #home”.");
      this.input.focus();
      return;
    }
    if (this.adding) return;
    this.adding = true;
    try {
      const { task, spans } = await api.tasks.quickAdd(text);
      if (this.input.value.trim() === text) this.clear();
      this.showError("");
      this.onCreated(task);
      const said = [...new Set((spans ?? []).map(spanText))].join(", ");
      const details = said ? ` (${said})` : "";
      announce(`Added task #${task.number}: ${task.title}${details}`);
    } catch (error) {
      this.showError(error.message, error);
    } finally {
      this.adding = false;
    }
  }
}
