// Editing a task in place: title, description and every detail; Enter saves, Escape cancels.

import * as api from "./api.js";
import { announce, el } from "./dom.js";
import { detailInputs } from "./taskfields.js";

/** Replace a task's row with its editor (`panel` is the TaskPanel). */
export function editInPlace(panel, taskId) {
  const task = panel.tasks.get(taskId);
  const row = panel.rows.get(taskId);
  if (!task || !row) return;
  panel.editingId = taskId;
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
    panel.editingId = null;
    row.parts = null;
    row.classList.remove("editing");
    panel.render();
    panel.rows.get(taskId)?.parts?.editButton.focus();
  };
  const save = async () => {
    const changes = {};
    const newTitle = title.value.trim();
    const newDescription = description.value.trim();
    if (!newTitle) {
      panel.showError("A task needs a title.");
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
      panel.tasks.set(taskId, updated);
      panel.showError("");
      announce(`Task #${task.number} saved`);
      finish();
    } catch (error) {
      panel.showError(error.message, error);
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
