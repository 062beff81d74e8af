// A task's details beyond its title: chips to read them, and the inputs that edit them.

import { el } from "./dom.js";

export const PRIORITY_NAMES = { 1: "P1 urgent", 2: "P2 high", 3: "P3 medium", 4: "P4 low" };

/** The day part of a due value ("2026-12-01" or a date-time with offset). */
function dueDay(due) {
  return due ? String(due).slice(0, 10) : "";
}

function todayLocal() {
  const now = new Date();
  const month = String(now.getMonth() + 1).padStart(2, "0");
  const day = String(now.getDate()).padStart(2, "0");
  return `${now.getFullYear()}-${month}-${day}`;
}

/** A due value as people read it: "Tue 8 Dec", or a date and time. */
export function dueText(due) {
  const hasTime = String(due).length > 10;
  const date = new Date(hasTime ? due : `${due}T00:00:00`);
  if (Number.isNaN(date.getTime())) return String(due);
  const options = hasTime
    ? { dateStyle: "medium", timeStyle: "short" }
    : { weekday: "short", day: "numeric", month: "short" };
  return date.toLocaleString([], options);
}

/** Chips for due date, priority, list, labels and repetition (none when a task has none). */
export function taskChips(task) {
  const chips = [];
  if (task.due) {
    const overdue = !task.completed && dueDay(task.due) < todayLocal();
    chips.push(el("span", {
      class: overdue ? "chip due overdue" : "chip due",
      text: `${overdue ? "Overdue · " : "Due "}${dueText(task.due)}`,
    }));
  }
  if (task.priority) {
    chips.push(el("span", {
      class: `chip priority p${task.priority}`, text: PRIORITY_NAMES[task.priority],
    }));
  }
  if (task.list) chips.push(el("span", { class: "chip list", text: task.list }));
  for (const label of task.labels ?? []) chips.push(el("span", { class: "chip label", text: `#${label}` }));
  if (task.recurrence) chips.push(el("span", { class: "chip repeat", text: "Repeats", title: task.recurrence }));
  return chips;
}

/** Inputs for the due day, priority, list and labels; `changes()` says what the user altered. */
export function detailInputs(task) {
  const prefix = `task #${task.number}`;
  const due = el("input", { type: "date", "aria-label": `Due date of ${prefix}` });
  due.value = dueDay(task.due);
  const priority = el("select", { "aria-label": `Priority of ${prefix}` },
    el("option", { value: "", text: "No priority" }),
    ...[1, 2, 3, 4].map((n) => el("option", { value: String(n), text: PRIORITY_NAMES[n] })),
  );
  priority.value = task.priority ? String(task.priority) : "";
  const list = el("input", {
    type: "text", maxlength: "50", placeholder: "List", "aria-label": `List of ${prefix}`,
  });
  list.value = task.list || "";
  const labels = el("input", {
    type: "text", placeholder: "Labels, comma separated", "aria-label": `Labels of ${prefix}`,
  });
  labels.value = (task.labels ?? []).join(", ");
  const changes = () => {
    const found = {};
    if (due.value !== dueDay(task.due)) found.due = due.value || null;
    const newPriority = priority.value ? Number(priority.value) : null;
    if (newPriority !== (task.priority ?? null)) found.priority = newPriority;
    const newList = list.value.trim() || null;
    if (newList !== (task.list ?? null)) found.list = newList;
    const newLabels = labels.value.split(",").map((l) => l.trim().replace(/^#/, "").toLowerCase())
      .filter(Boolean);
    if (newLabels.join(",") !== (task.labels ?? []).join(",")) found.labels = newLabels;
    return found;
  };
  const node = el("div", { class: "task-details" }, due, priority, list, labels);
  return { node, changes, inputs: [due, priority, list, labels] };
}
