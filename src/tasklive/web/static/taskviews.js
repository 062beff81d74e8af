// Task views (today, overdue, upcoming: judged by the service in the user's time zone) and the
// list filter, for the task panel.

import * as api from "./api.js";
import { byId, el } from "./dom.js";

const ANY = "any";

export class TaskViews {
  /** `onChange()` is called whenever what the panel should show may have changed. */
  constructor(onChange) {
    this.onChange = onChange;
    this.view = ANY;
    this.list = "";
    this.ids = null; // ids of the tasks in the current view; null: no view chosen
    this.loading = null;
    this.again = false;
    this.select = byId("task-list-filter");
    for (const radio of document.querySelectorAll('input[name="task-view"]')) {
      radio.addEventListener("change", () => {
        this.view = radio.value;
        this.refresh();
      });
    }
    this.select.addEventListener("change", () => {
      this.list = this.select.value;
      this.onChange();
    });
  }

  get name() {
    return this.view === ANY ? "" : this.view;
  }

  allows(task) {
    if (this.list && task.list !== this.list) return false;
    return this.ids === null || this.ids.has(task.id);
  }

  /** Ask the service which tasks are in the view; asks while one is out coalesce into one more. */
  async refresh() {
    if (this.view === ANY) {
      this.ids = null;
      this.onChange();
      return;
    }
    if (this.loading) {
      this.again = true;
      return;
    }
    const view = this.view;
    this.loading = api.tasks.every(`status=all&view=${encodeURIComponent(view)}`);
    try {
      const tasks = await this.loading;
      if (view === this.view) this.ids = new Set(tasks.map((task) => task.id));
    } catch {
      // Keep the last answer; the next change or reconnect asks again.
    } finally {
      this.loading = null;
    }
    this.onChange();
    if (this.again) {
      this.again = false;
      this.refresh();
    }
  }

  /** Offer every list the tasks use, keeping the one chosen. */
  showLists(tasks) {
    const names = [...new Set(tasks.map((task) => task.list).filter(Boolean))].sort();
    if (this.list && !names.includes(this.list)) names.push(this.list);
    const current = [...this.select.options].slice(1).map((option) => option.value);
    if (current.join("\n") !== names.join("\n")) {
      this.select.replaceChildren(
        el("option", { value: "", text: "All lists" }),
        ...names.map((name) => el("option", { value: name, text: name })),
      );
      this.select.value = this.list;
    }
    this.select.hidden = names.length === 0;
  }
}
