// Settings: import tasks (a dry run first, then the real one), export links, deleting the account.

import * as api from "./api.js";
import { announce, byId, el } from "./dom.js";

const CONFIRM_WORD = "DELETE";
const ERRORS_LISTED = 20;

/** POST a file to /api/import with upload progress; resolves to the report, throws ApiError. */
function upload(format, file, dryRun, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const query = new URLSearchParams({ format, dry_run: String(dryRun) });
    xhr.open("POST", `/api/import?${query}`);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.upload.onload = () => onProgress(1);
    xhr.onerror = () => reject(new api.NetworkError());
    xhr.onload = () => {
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(new api.ApiError(xhr.status, body));
    };
    const form = new FormData();
    form.append("file", file);
    xhr.send(form);
  });
}

const counted = (count, noun) => `${count.toLocaleString("en")} ${noun}${count === 1 ? "" : "s"}`;

/** "Would create 3 tasks and update 1; 2 unchanged.", "Created 1 task.", as the terminal says it. */
function summary(report, dryRun) {
  const { created, updated, skipped: unchanged } = report;
  const [create, update] = dryRun ? ["Would create", "update"] : ["Created", "updated"];
  let said;
  if (created && updated) said = `${create} ${counted(created, "task")} and ${update} ${updated}`;
  else if (created) said = `${create} ${counted(created, "task")}`;
  else if (updated) said = `${dryRun ? "Would update" : "Updated"} ${counted(updated, "task")}`;
  else said = dryRun ? "Nothing would change" : "Nothing changed";
  if (unchanged && !(created || updated)) {
    said += `: ${counted(unchanged, "task")} ${unchanged === 1 ? "is" : "are"} unchanged.`;
  } else said += unchanged ? `; ${unchanged.toLocaleString("en")} unchanged.` : ".";
  const problems = report.errors.length + (report.errors_not_shown || 0);
  return problems ? `${said} ${counted(problems, "problem")}, listed below.` : said;
}

export class TransferSettings {
  /** `onImported()` after an import changed tasks; `onDeleted()` once the account is gone. */
  constructor({ onImported = () => {}, onDeleted = () => {} } = {}) {
    this.onImported = onImported;
    this.onDeleted = onDeleted;
    this.form = byId("import-form");
    this.file = byId("import-file");
    this.format = byId("import-format");
    this.progress = byId("import-progress");
    this.status = byId("import-status");
    this.errors = byId("import-errors");
    this.confirm = byId("import-confirm");
    this.checked = null;
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.run(true);
    });
    this.confirm.addEventListener("click", () => this.run(false));
    for (const input of [this.file, this.format]) {
      input.addEventListener("change", () => this.reset());
    }
    this.wireDeletion();
  }

  reset() {
    this.checked = null;
    this.confirm.hidden = true;
    this.status.textContent = "";
    this.errors.replaceChildren();
    this.progress.hidden = true;
  }

  async run(dryRun) {
    const file = this.file.files[0];
    if (!file) {
      this.status.textContent = "Choose a file first.";
      return;
    }
    this.form.dataset.state = "busy";
    this.confirm.hidden = true;
    this.errors.replaceChildren();
    this.progress.hidden = false;
    this.progress.value = 0;
    this.status.textContent = dryRun ? "Checking the file…" : "Importing…";
    try {
      const report = await upload(this.format.value, file, dryRun, (done) => {
        this.progress.value = done;
        if (done >= 1) this.status.textContent = dryRun ? "Reading the tasks…" : "Saving the tasks…";
      });
      this.showReport(report, dryRun);
      if (dryRun) {
        this.confirm.hidden = report.created + report.updated === 0;
      } else {
        announce(summary(report, false));
        this.onImported();
      }
      this.form.dataset.state = dryRun ? "checked" : "imported";
    } catch (error) {
      this.status.textContent = error.message;
      this.form.dataset.state = "failed";
    } finally {
      this.progress.hidden = true;
    }
  }

  showReport(report, dryRun) {
    this.status.textContent = summary(report, dryRun);
    const shown = report.errors.slice(0, ERRORS_LISTED);
    this.errors.replaceChildren(
      ...shown.map((error) => el("li", { text: `${error.item}: ${error.reason}` })),
    );
  }

  wireDeletion() {
    const form = byId("delete-account-form");
    const typed = byId("delete-confirm-word");
    const password = byId("delete-password");
    const button = byId("delete-account");
    const error = byId("delete-error");
    byId("delete-account-start").addEventListener("click", (event) => {
      event.currentTarget.hidden = true;
      form.hidden = false;
      typed.focus();
    });
    const ready = () => {
      button.disabled = typed.value.trim() !== CONFIRM_WORD || !password.value;
    };
    typed.addEventListener("input", ready);
    password.addEventListener("input", ready);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (button.disabled) return;
      error.textContent = "";
      button.disabled = true;
      try {
        await api.request("DELETE", "/api/auth/me", { password: password.value });
        password.value = "";
        this.onDeleted();
      } catch (failure) {
        error.textContent = failure.message;
        ready();
      }
    });
  }
}
