// Personal access tokens in Settings: the list, a new one (its secret shown once), revoking.

import * as api from "./api.js";
import { announce, byId, confirmThen, copyText, el, formatTime } from "./dom.js";

export class TokenList {
  constructor() {
    this.list = byId("token-list");
    this.empty = byId("token-empty");
    this.errorLine = byId("token-error");
    this.nameInput = byId("token-name");
    this.secret = byId("token-secret");
    this.fresh = byId("token-new");
    this.shownId = null;
    byId("token-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.create(event.submitter ?? null);
    });
    byId("copy-token").addEventListener("click", (event) => {
      copyText(this.secret.value, event.currentTarget, "Token copied");
    });
  }

  /** Fetch and show the account's tokens (names and dates only: the service keeps no secrets). */
  async load() {
    try {
      this.render(await api.account.tokens());
    } catch (error) {
      this.showError(error.message);
    }
  }

  render(tokens) {
    this.list.replaceChildren(...tokens.map((token) => this.row(token)));
    this.empty.hidden = tokens.length > 0;
  }

  row(token) {
    const revoke = el("button", {
      type: "button", class: "icon-button danger", text: "Revoke",
      "aria-label": `Revoke token ${token.name}`,
      onclick: (event) => confirmThen(event.currentTarget, () => this.revoke(token)),
    });
    return el("li", { class: "token", dataset: { tokenId: token.id } },
      el("span", { class: "token-name", text: token.name }),
      el("span", { class: "muted small" },
        "created ",
        el("time", { datetime: token.created_at, text: formatTime(token.created_at) }),
      ),
      revoke,
    );
  }

  async create(button) {
    const name = this.nameInput.value.trim();
    this.showError("");
    if (!name) {
      this.showError("Give the token a name, such as “laptop MCP”.");
      this.nameInput.focus();
      return;
    }
    if (button) button.disabled = true;
    try {
      const made = await api.account.createToken(name);
      this.nameInput.value = "";
      this.showSecret(made);
      await this.load();
    } catch (error) {
      this.showError(error.message);
      this.nameInput.focus();
    } finally {
      if (button) button.disabled = false;
    }
  }

  showSecret(made) {
    this.shownId = made.id;
    byId("token-new-text").textContent =
      `Your new token “${made.name}”. Copy it now: it won't be shown again.`;
    this.secret.value = made.token;
    this.fresh.hidden = false;
    this.secret.focus();
    this.secret.select();
    announce(`Token ${made.name} created. Copy it now: it won't be shown again.`);
  }

  /** Drop a shown secret from the page (the dialog closed, or its token was revoked). */
  forgetSecret() {
    this.shownId = null;
    this.secret.value = "";
    this.fresh.hidden = true;
  }

  async revoke(token) {
    this.showError("");
    try {
      await api.account.revokeToken(token.id);
      if (this.shownId === token.id) this.forgetSecret();
      announce(`Token ${token.name} revoked`);
      await this.load();
      this.nameInput.focus();
    } catch (error) {
      this.showError(error.message);
    }
  }

  showError(text) {
    this.errorLine.textContent = text;
  }
}
