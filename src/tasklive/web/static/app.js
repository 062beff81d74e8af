// Entry point: decides between the sign-in screen and the app, and wires the live stream.

import * as api from "./api.js";
import { showForm, wireAuthForms } from "./auth.js";
import { ChatPanel } from "./chat.js";
import { byId } from "./dom.js";
import { isRunEvent, isTaskEvent } from "./events.js";
import { LiveConnection } from "./live.js";
import { wirePaneSwitch } from "./panes.js";
import { forgetThisBrowser, registerWorker } from "./push.js";
import { showReminder, wireReminderButton } from "./reminders.js";
import { SettingsDialog } from "./settings.js";
import { hideConnection, showConnection } from "./status.js";
import { TaskPanel } from "./tasks.js";

const tasks = new TaskPanel();
let live = null;
const chat = new ChatPanel({
  onTasksChanged: (changed) => changed.forEach((t) => tasks.upsert(t)),
  sendFrame: (frame) => live?.send(frame) ?? false,
});
let resyncing = null;
const settings = new SettingsDialog({
  onZoneChanged: () => resync(),
  onImported: () => resync(),
  onAccountDeleted: () => leaveApp("Your account and all its data were deleted."),
});

function show(view) {
  byId("loading-view").hidden = view !== "loading";
  byId("auth-view").hidden = view !== "auth";
  byId("app-view").hidden = view !== "app";
  byId("account").hidden = view !== "app";
  document.body.dataset.view = view;
}

/** Reload everything over HTTP; overlapping requests share one reload. */
function resync() {
  resyncing ??= Promise.allSettled([tasks.load(), chat.refresh()]).finally(() => {
    resyncing = null;
  });
  return resyncing;
}

/** Live again: what waited in the outbox goes out, and stale "can't reach" errors go away. */
async function connectionBack() {
  tasks.connectionBack();
  await resyncing;
  chat.flushOutbox();
}

function handleEvent(event) {
  if (isTaskEvent(event)) tasks.handleEvent(event);
  if (event.event_type === "reminder") showReminder(event);
  if (isRunEvent(event)) chat.handleRunEvent(event);
}

async function enterApp(user) {
  show("app");
  byId("account-name").textContent = user.name || user.email;
  byId("account-name").title = `Signed in as ${user.email}`;
  chat.start(user.id);
  live?.stop();
  live = new LiveConnection(user.id, {
    onEvent: handleEvent,
    onStatus: (status) => {
      showConnection(status);
      if (status.state === "live") connectionBack();
    },
    onResync: resync,
    onSignedOut: () => leaveApp("Your session has ended. Please sign in again."),
  });
  live.start();
  await resync();
  // Someone who already went to type elsewhere (the add box) keeps their place.
  if (!document.activeElement || document.activeElement === document.body) {
    byId("message-input").focus();
  }
  openLinkedTask();
}

/** A reminder's link (`/#task=<id>`) or click shows that task in the task panel. */
function openTask(taskId) {
  document.querySelector(".pane-switch button[data-pane='tasks']")?.click();
  tasks.reveal(taskId);
}

function openLinkedTask() {
  const match = /^#task=([0-9a-f]{1,64})$/.exec(window.location.hash);
  if (match) openTask(match[1]);
}

function leaveApp(notice = "") {
  live?.stop();
  live = null;
  settings.close();
  hideConnection();
  tasks.reset();
  chat.reset();
  show("auth");
  showForm("sign-in", notice);
}

async function signOut() {
  await forgetThisBrowser();
  try {
    await api.auth.signOut();
  } catch {
    // Signing out locally still matters when the service cannot be reached.
  }
  leaveApp("You have signed out.");
}

async function boot() {
  wireAuthForms(enterApp);
  wirePaneSwitch();
  wireReminderButton();
  registerWorker(openTask);
  window.addEventListener("hashchange", openLinkedTask);
  byId("sign-out").addEventListener("click", signOut);
  byId("reconnect-now").addEventListener("click", () => live?.retryNow());
  api.onUnauthorized(() => {
    if (live) leaveApp("Your session has ended. Please sign in again.");
  });
  try {
    const session = await api.auth.session();
    await enterApp(session.user);
  } catch (error) {
    show("auth");
    const notice = error instanceof api.NetworkError ? error.message : "";
    showForm("sign-in", notice);
  }
}

boot();
