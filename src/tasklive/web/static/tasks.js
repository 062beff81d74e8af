// The task panel: numbered tasks, complete toggles, inline edit, delete, filter, live updates.

import * as api from "./api.js";
import { announce, byId, confirmThen, el } from "./dom.js";
import { detailInputs, taskChips } from "./taskfields.js";

const EMPTY_TEXT = {
  all: "No tasks yet. Add one here or ask in the chat.",
  pending: "Nothing pending. Nice work!",
  completed: "No completed tasks yet.",
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
    byId("add-task-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.add();
    });
  }

  reset() {
    this.tasks.clear();
    this.rows.clear();
    this.list.replaceChildren();
    this.editingId = null;
    this.showError("");
  }

  /** Load every task over HTTP (the source of truth after a reconnect). */
  async load() {
    const generation = ++this.generation;
    this.changedDuringLoad = new Map(); // id -> newer task, or null when deleted meanwhile
    const loaded = new Map();
    let offset = 0;
    try {
      for (;;) {
        const page = await api.tasks.page(offset);
        for (const task of page.items) loaded.set(task.id, task);
        offset += page.items.length;
        if (page.items.length === 0 || offset >= page.total) break;
      }
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
    if (fresh && !current) this.rows.get(task.id)?.classList.add("fresh");
  }

  forget(taskId) {
    this.changedDuringLoad?.set(taskId, null);
    if (!taskId || !this.tasks.delete(taskId)) return;
    if (this.editingId === taskId) this.editingId = null;
    this.rows.delete(taskId);
    this.render();
  }

  visible(task) {
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
    const empty = byId("task-empty");
    empty.hidden = shown.length > 0;
    empty.textContent = this.query ? `No tasks match “${this.query}”.` : EMPTY_TEXT[this.filter];
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
    const task = this.tasks.get(taskId);
    const row = this.rows.get(taskId);
    if (!task || !row) return;
    this.editingId = taskId;
    const title = el("input", {
      type: "text", class: "task-edit", maxlength: "200",
      "aria-label": `New title for task #${task.number}`,
    });
    title.value = task.title;
    const description = el("textarea", {
      rows: "2", maxlength: "2000", placeholder: "Description (optional)",
      "aria-label": `Description of task #${task.number}`,
    });
    description.value = task.description || "";
    const details = detailInputs(task);
    const finish = () => {
      this.editingId = null;
      row.parts = null;
      row.classList.remove("editing");
      this.render();
      this.rows.get(taskId)?.parts?.editButton.focus();
    };
    const save = async () => {
      const changes = {};
      const newTitle = title.value.trim();
      const newDescription = description.value.trim();
      if (!newTitle) {
        this.showError("A task needs a title.");
        title.focus();
        return;
      }
      if (newTitle !== task.title) changes.title = newTitle;
      if (newDescription !== (task.description || "")) changes.description = newDescription;
      Object.assign(changes, details.changes());
      if (Object.keys(changes).length === 0) {
        finish();
        return;
      }
      try {
        const updated = await api.tasks.update(taskId, changes);
        this.tasks.set(taskId, updated);
        this.showError("");
        announce(`Task #${task.number} saved`);
        finish();
      } catch (error) {
        this.showError(error.message, error);
        title.focus();
      }
    };
    const keys = (event) => {
      if (event.key === "Escape") finish();
      else if (event.key === "Enter" && (event.target === title || event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        save();
      }
    };
    for (const input of [title, description, ...details.inputs]) {
      input.addEventListener("keydown", keys);
    }
    row.classList.add("editing");
    row.replaceChildren(
      el("span", { class: "task-number", text: `#${task.number}` }),
      el("div", { class: "task-editor" }, title, description, details.node),
      el("div", { class: "task-actions" },
        el("button", { type: "button", class: "icon-button", text: "Save", onclick: save }),
        el("button", { type: "button", class: "icon-button", text: "Cancel", onclick: finish }),
      ),
    );
    title.focus();
    title.select();
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
      announce(`Task #${task.number} deleted`);
    } catch (error) {
      if (error.status !== 404) {
        this.showError(error.message, error);
        this.upsert(task);
      }
    }
  }

  async add() {
    const input = byId("new-task-title");
    const title = input.value.trim();
    if (!title) {
      this.showError("Type a title for the new task.");
      input.focus();
      return;
    }
    try {
      const task = await api.tasks.create(title);
      input.value = "";
      this.showError("");
      this.upsert(task, { fresh: true });
      announce(`Added task #${task.number}`);
    } catch (error) {
      this.showError(error.message, error);
    }
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
