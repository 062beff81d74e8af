// On phones one pane shows at a time: the Chat/Tasks switch picks it (wider screens show both).

import { byId } from "./dom.js";

/** Wire the switch; returns a function that shows a pane by name ("chat" or "tasks"). */
export function wirePaneSwitch() {
  const view = byId("app-view");
  const buttons = view.querySelectorAll(".pane-switch button");
  const showPane = (name) => {
    view.dataset.pane = name;
    for (const button of buttons) {
      button.setAttribute("aria-pressed", String(button.dataset.pane === name));
    }
  };
  for (const button of buttons) button.addEventListener("click", () => showPane(button.dataset.pane));
  return showPane;
}
