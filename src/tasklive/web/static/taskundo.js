// Undo for a delete made in the task panel, through the activity log's undo.

import * as api from "./api.js";
import { showToast } from "./toasts.js";

/** The newest change in the activity log that is not undone yet, or null. */
async function latestChange() {
  const { items } = await api.activity.recent(1);
  return items[0] && !items[0].undone ? items[0] : null;
}

/**
 * Offer "Undo" for the task just deleted. The service undoes the newest change, so the offer
 * stands only while that is still this delete; `restore(tasks)` puts the tasks back on screen.
 */
export async function offerUndo(task, restore) {
  let change;
  try {
    change = await latestChange();
  } catch {
    return; // no offer when the log cannot be read; the delete itself went through
  }
  if (!change?.summary.startsWith(`Deleted #${task.number}:`)) return;
  showToast(`Deleted task #${task.number}`, {
    ms: 10000,
    action: {
      label: "Undo",
      run: async () => {
        try {
          if ((await latestChange())?.id !== change.id) {
            showToast("That delete can't be undone here any more: other changes came after it.");
            return;
          }
          restore((await api.activity.undo()).tasks);
        } catch (error) {
          showToast(error.message);
        }
      },
    },
  });
}
