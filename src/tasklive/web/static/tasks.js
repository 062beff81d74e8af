// The task panel: numbered tasks, complete toggles, inline edit, delete, filter, live updates.

import * as api from "./api.js";
import { announce, byId, confirmThen, el } from "./dom.js";
import { editInPlace } from "./taskeditor.js";
import { taskChips } from "./taskfields.js";
import { QuickAddBox } from "./quickadd.js";
import { offerUndo } from "./taskundo.js";
import { TaskViews } from "./taskviews.js";

const EMPTY_TEXT = {
  all: "No tasks yet. Add one here or ask in the chat.",
  pending: "Nothing pending. Nice work!",
  completed: "No completed tasks yet.",
  today: "Nothing due today.",
  overdue: "Nothing overdue.",
  upcoming: "Nothing coming up.",
};

export class TaskPanel {
  constructor() {
    this.tasks = new Map();
    this.rows = new Map();
    this.filter = "all";
    this.query = "";
    this.editingId = null;
    this.generation = 0;
    this.changedDuringLoad = null;
    this.views = new TaskViews(() => this.render());
    this.list = byId("task-list");
    this.errorLine = byId("task-error");
    for (const radio of document.querySelectorAll('input[name="task-filter"]')) {
      radio.addEventListener("change", () => {
        this.filter = radio.value;
        this.render();
      });
    }
    byId("task-search").addEventListener("input", (event) => {
      this.query = event.target.value.trim().toLowerCase();
      this.render();
    });
    this.quick = new QuickAddBox({
      onCreated: (task) => this.upsert(task, { fresh: true }),
      showError: (text, error) => this.showError(text, error),
    });
    byId("add-task-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.quick.submit();
    });
  }

  reset() {
    this.tasks.clear();
    this.rows.clear();
    this.list.replaceChildren();
    this.editingId = null;
    this.quick.clear();
    this.showError("");
  }

  /** Load every task over HTTP (the source of truth after a reconnect). */
  async load() {
    const generation = ++this.generation;
    this.changedDuringLoad = new Map(); // id -> newer task, or null when deleted meanwhile
    const loaded = new Map();
    try {
      for (const task of await api.tasks.every()) loaded.set(task.id, task);
    } catch (error) {
      if (generation === this.generation) this.changedDuringLoad = null;
      throw error;
    }
    if (generation !== this.generation) return; // a newer load is on its way
    for (const [id, task] of this.changedDuringLoad) {
      if (task === null) loaded.delete(id);
      else if (!loaded.has(id) || loaded.get(id).updated_at <= task.updated_at) loaded.set(id, task);
    }
    this.changedDuringLoad = null;
    this.tasks = loaded;
    this.render();
    this.viewsMayHaveChanged();
  }

  /** Apply a live `task_*` event, whatever made the change. */
  handleEvent(event) {
    if (event.event_type === "task_deleted") {
      this.forget(event.task_id ?? event.result?.id);
    } else if (event.result?.id) {
      this.upsert(event.result, { fresh: event.event_type === "task_created" });
    }
  }

  upsert(task, { fresh = false } = {}) {
    const current = this.tasks.get(task.id);
    if (current && current.updated_at > task.updated_at) return;
    this.tasks.set(task.id, task);
    this.changedDuringLoad?.set(task.id, task);
    this.render();
    this.viewsMayHaveChanged();
    if (fresh && !current) this.rows.get(task.id)?.classList.add("fresh");
  }

  forget(taskId) {
    this.changedDuringLoad?.set(taskId, null);
    if (!taskId || !this.tasks.delete(taskId)) return;
    if (this.editingId === taskId) this.editingId = null;
    this.rows.delete(taskId);
    this.render();
  }

  /** Which tasks are due today (or overdue, upcoming) is the service's answer: ask again. */
  viewsMayHaveChanged() {
    if (this.views.name) this.views.refresh();
  }

  visible(task) {
    if (!this.views.allows(task)) return false;
    if (this.filter === "pending" && task.completed) return false;
    if (this.filter === "completed" && !task.completed) return false;
    if (!this.query) return true;
    const text = `#${task.number} ${task.title} ${task.description || ""}`.toLowerCase();
    return text.includes(this.query);
  }

  render() {
    const all = [...this.tasks.values()].sort((a, b) => a.number - b.number);
    const shown = all.filter((task) => this.visible(task));
    const desired = shown.map((task) => this.row(task));
    // Move rows only where needed, so focus and an open edit survive live updates.
    let cursor = this.list.firstChild;
    for (const row of desired) {
      if (row === cursor) cursor = cursor.nextSibling;
      else this.list.insertBefore(row, cursor);
    }
    while (cursor) {
      const next = cursor.nextSibling;
      cursor.remove();
      cursor = next;
    }
    const pending = all.filter((task) => !task.completed).length;
    byId("task-summary").textContent = all.length
      ? `${pending} pending · ${all.length - pending} done`
      : "";
    byId("pane-task-count").textContent = pending ? `(${pending})` : "";
    this.views.showLists(all);
    const empty = byId("task-empty");
    empty.hidden = shown.length > 0;
    if (this.query) empty.textContent = `No tasks match “${this.query}”.`;
    else if (this.views.list && all.length) empty.textContent = `Nothing here in ${this.views.list}.`;
    else empty.textContent = EMPTY_TEXT[all.length ? this.views.name || this.filter : "all"];
  }

  row(task) {
    let row = this.rows.get(task.id);
    if (!row) {
      row = el("li", { class: "task", dataset: { id: task.id } });
      this.rows.set(task.id, row);
    }
    if (this.editingId === task.id) return row;
    if (!row.parts) this.build(row, task.id);
    // Update in place: rebuilding would drop the focus of a keyboard user.
    const { checkbox, number, title, description, editButton, deleteButton } = row.parts;
    checkbox.checked = task.completed;
    checkbox.setAttribute("aria-label", `Task #${task.number} complete`);
    number.textContent = `#${task.number}`;
    title.textContent = task.title;
    description.textContent = task.description || "";
    description.hidden = !task.description;
    row.parts.chips.replaceChildren(...taskChips(task));
    editButton.setAttribute("aria-label", `Edit task #${task.number}`);
    deleteButton.setAttribute("aria-label", `Delete task #${task.number}`);
    row.classList.toggle("done", task.completed);
    return row;
  }

  build(row, taskId) {
    const parts = {
      checkbox: el("input", {
        type: "checkbox",
        onchange: (event) => this.toggle(taskId, event.target.checked),
      }),
      number: el("span", { class: "task-number" }),
      title: el("span", { class: "task-title", ondblclick: () => this.edit(taskId) }),
      description: el("span", { class: "task-description" }),
      chips: el("span", { class: "chips" }),
      editButton: el("button", {
        type: "button", class: "icon-button", text: "Edit", onclick: () => this.edit(taskId),
      }),
      deleteButton: el("button", {
        type: "button", class: "icon-button danger", text: "Delete",
        onclick: (event) => confirmThen(event.currentTarget, () => this.remove(taskId)),
      }),
    };
    row.parts = parts;
    row.replaceChildren(
      parts.checkbox,
      parts.number,
      el("div", { class: "task-text" }, parts.title, parts.description, parts.chips),
      el("div", { class: "task-actions" }, parts.editButton, parts.deleteButton),
    );
  }

  /** Edit every field in place: Enter (in the title) saves, Escape cancels. */
  edit(taskId) {
    editInPlace(this, taskId);
  }

  async toggle(taskId, completed) {
    const task = this.tasks.get(taskId);
    if (!task) return;
    this.tasks.set(taskId, { ...task, completed });
    this.render();
    try {
      this.upsert(await api.tasks.update(taskId, { completed }));
      this.showError("");
      announce(`Task #${task.number} marked ${completed ? "complete" : "not complete"}`);
    } catch (error) {
      this.tasks.set(taskId, task);
      this.render();
      this.showError(error.message, error);
    }
  }

  async remove(taskId) {
    const task = this.tasks.get(taskId);
    if (!task) return;
    this.forget(taskId);
    try {
      await api.tasks.remove(taskId);
      this.showError("");
      offerUndo(task, (restored) => restored.forEach((t) => this.upsert(t)));
    } catch (error) {
      if (error.status !== 404) {
        this.showError(error.message, error);
        this.upsert(task);
      }
    }
  }

  /** Bring one task into view and mark it (a reminder's link or click); false if not shown. */
  reveal(taskId) {
    const row = this.rows.get(taskId);
    if (!row?.isConnected) return false;
    row.classList.remove("fresh");
    void row.offsetWidth; // restart the highlight
    row.classList.add("fresh");
    row.tabIndex = -1;
    row.scrollIntoView({ block: "center" });
    row.focus({ preventScroll: true });
    return true;
  }

  /** Say what went wrong; a network failure is remembered so the connection's return clears it. */
  showError(text, error = null) {
    this.errorLine.textContent = text;
    this.errorLine.dataset.network = String(error instanceof api.NetworkError);
  }

  connectionBack() {
    if (this.errorLine.dataset.network === "true") this.showError("");
  }
}
