// Replies as Markdown: marked turns text into HTML, raw HTML stays text, DOMPurify cleans the rest.

import DOMPurify from "./vendor/purify.es.js";
import { Marked } from "./vendor/marked.esm.js";

const escapes = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escapeHtml = (text) => text.replace(/[&<>"']/g, (char) => escapes[char]);

const markdown = new Marked({
  gfm: true,
  breaks: true,
  renderer: {
    // HTML written in a reply is shown as the text it is, never as markup.
    html: ({ text }) => escapeHtml(text),
  },
});

DOMPurify.addHook("afterSanitizeAttributes", (node) => {
  if (node.tagName === "A") {
    node.setAttribute("target", "_blank");
    node.setAttribute("rel", "noopener noreferrer");
  }
});

// The sanitized result comes back as nodes, so no HTML string is ever assigned to the page.
const PURIFY = {
  RETURN_DOM_FRAGMENT: true,
  FORBID_TAGS: ["img", "svg", "math", "style", "form", "input", "button", "textarea", "select"],
  FORBID_ATTR: ["style", "class", "id"],
};

/** Render Markdown text into a node, safely; the source text is kept on node.dataset.source. */
export function renderMarkdown(node, text) {
  node.dataset.source = text;
  node.replaceChildren(DOMPurify.sanitize(markdown.parse(text), PURIFY));
}
