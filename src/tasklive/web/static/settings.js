// The Settings dialog: time zone, asking before single deletes, the calendar feed, access tokens,
// the CalDAV address for phones and task apps.

import { TokenList } from "./accesstokens.js";
import * as api from "./api.js";
import { announce, browserZone, byId, confirmThen, copyText, el } from "./dom.js";
import { PushSettings } from "./push.js";
import { TransferSettings } from "./transfer.js";

function zoneNames() {
  return typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
}

export class SettingsDialog {
  /** `onZoneChanged(account)` runs after the account's time zone changed; `onImported()` after
   * an import; `onAccountDeleted()` once the account is gone. */
  constructor({ onZoneChanged = () => {}, onImported = () => {}, onAccountDeleted = () => {} } = {}) {
    this.onZoneChanged = onZoneChanged;
    this.transfer = new TransferSettings({ onImported, onDeleted: onAccountDeleted });
    this.dialog = byId("settings");
    this.errorLine = byId("settings-error");
    this.zoneSelect = byId("timezone-select");
    this.approveDeletes = byId("approve-deletes");
    this.tokens = new TokenList();
    this.push = new PushSettings((text) => this.showError(text));
    this.account = null;
    byId("open-settings").addEventListener("click", () => this.open());
    byId("close-settings").addEventListener("click", () => this.dialog.close());
    this.dialog.addEventListener("close", () => {
      this.tokens.forgetSecret();
      byId("open-settings").focus();
    });
    byId("timezone-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.saveZone(this.zoneSelect.value);
    });
    byId("timezone-browser").addEventListener("click", () => this.saveZone(browserZone()));
    this.approveDeletes.addEventListener("change", () => this.saveApproval());
    byId("copy-feed").addEventListener("click", (event) => {
      copyText(byId("feed-url").value, event.currentTarget, "Calendar link copied");
    });
    byId("copy-caldav").addEventListener("click", (event) => {
      copyText(byId("caldav-url").value, event.currentTarget, "CalDAV address copied");
    });
    byId("replace-feed").addEventListener("click", (event) => {
      const prompt = "Replace? The old link stops working";
      confirmThen(event.currentTarget, () => this.replaceFeed(), prompt);
    });
  }

  /** Show the dialog and fill it from the service; `data-state` is "ready" once filled. */
  async open() {
    this.showError("");
    this.dialog.dataset.state = "loading";
    if (!this.dialog.open) this.dialog.showModal();
    try {
      const [account] = await Promise.all([api.account.me(), this.tokens.load()]);
      this.show(account);
      await this.push.load(account);
      this.dialog.dataset.state = "ready";
    } catch (error) {
      this.showError(error.message);
      this.dialog.dataset.state = "failed";
    }
  }

  close() {
    if (this.dialog.open) this.dialog.close();
  }

  show(account) {
    this.account = account;
    this.fillZones(account.timezone);
    byId("timezone-current").textContent = `Your account uses ${account.timezone}.`;
    const here = browserZone();
    const suggest = byId("timezone-browser");
    suggest.hidden = !here || here === account.timezone;
    suggest.textContent = `Use this browser's zone (${here})`;
    this.approveDeletes.checked = account.approve_deletes;
    byId("feed-url").value = account.calendar_feed_url;
    byId("caldav-url").value = `${window.location.origin}/caldav/`;
    byId("caldav-user").textContent = account.email;
  }

  /** Every zone the browser knows, plus the account's and the browser's own if it lacks them. */
  fillZones(current) {
    const names = new Set(zoneNames());
    for (const name of [current, browserZone()]) if (name) names.add(name);
    if (this.zoneSelect.options.length !== names.size) {
      const options = [...names].sort().map((name) => el("option", { value: name, text: name }));
      this.zoneSelect.replaceChildren(...options);
    }
    this.zoneSelect.value = current;
  }

  async saveZone(zone) {
    if (!zone || zone === this.account?.timezone) return;
    await this.change({ timezone: zone }, `Time zone set to ${zone}`);
    if (this.account?.timezone === zone) this.onZoneChanged(this.account);
  }

  async saveApproval() {
    const wanted = this.approveDeletes.checked;
    const said = wanted ? "Chat will ask before deleting a task" : "Chat will delete single tasks without asking";
    const saved = await this.change({ approve_deletes: wanted }, said);
    if (!saved) this.approveDeletes.checked = !wanted;
  }

  async replaceFeed() {
    this.showError("");
    try {
      this.show(await api.account.replaceFeed());
      announce("New calendar link made. The old link no longer works.");
    } catch (error) {
      this.showError(error.message);
    }
  }

  /** PATCH the account; true when it worked (then `said` is announced). */
  async change(changes, said) {
    this.showError("");
    try {
      this.show(await api.account.update(changes));
      announce(said);
      return true;
    } catch (error) {
      this.showError(error.message);
      return false;
    }
  }

  showError(text) {
    this.errorLine.textContent = text;
  }
}
