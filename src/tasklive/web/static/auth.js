// Sign-up and sign-in forms, with a clear message for every failure.

import * as api from "./api.js";
import { browserZone, byId } from "./dom.js";

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Show one of the two forms ("sign-in" or "sign-up"), optionally with a notice above it. */
export function showForm(which, notice = "") {
  byId("sign-in-form").hidden = which !== "sign-in";
  byId("sign-up-form").hidden = which !== "sign-up";
  byId("auth-heading").textContent = which === "sign-in" ? "Sign in" : "Create your account";
  const box = byId("auth-notice");
  box.textContent = notice;
  box.hidden = !notice;
  byId(`${which}-email`).focus();
}

function signUpMessage(error) {
  if (error.status === 409) return "That email already has an account. Sign in instead?";
  if (error.status === 422) {
    const fields = (error.body.fields ?? []).map((f) => f.field).join(" ");
    if (fields.includes("password")) return "Use a password of at least 8 characters.";
    if (fields.includes("email")) return "Enter a valid email address, like name@example.com.";
  }
  return error.message;
}

function signInMessage(error) {
  if (error.status === 401) return error.body.error || "That email and password don't match.";
  if (error.status === 422) return "Enter your email address and password.";
  return error.message;
}

/** Wire both forms; onSignedIn(user) runs after a successful sign-in or sign-up. */
export function wireAuthForms(onSignedIn) {
  for (const button of document.querySelectorAll("[data-show]")) {
    button.addEventListener("click", () => showForm(button.dataset.show));
  }

  const submit = async (form, errorLine, attempt, describe) => {
    const button = form.querySelector('button[type="submit"]');
    errorLine.textContent = "";
    button.disabled = true;
    try {
      const result = await attempt();
      if (result) {
        form.reset();
        onSignedIn(result.user);
      }
    } catch (error) {
      errorLine.textContent = describe(error);
    } finally {
      button.disabled = false;
    }
  };

  byId("sign-in-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const errorLine = byId("sign-in-error");
    const email = byId("sign-in-email").value.trim();
    const password = byId("sign-in-password").value;
    submit(event.target, errorLine, async () => {
      if (!email || !password) {
        errorLine.textContent = "Enter your email address and password.";
        return null;
      }
      return api.auth.signIn(email, password);
    }, signInMessage).then(() => {
      if (errorLine.textContent) byId("sign-in-password").focus();
    });
  });

  byId("sign-up-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const errorLine = byId("sign-up-error");
    const name = byId("sign-up-name").value.trim();
    const email = byId("sign-up-email").value.trim();
    const password = byId("sign-up-password").value;
    submit(event.target, errorLine, async () => {
      if (!EMAIL_SHAPE.test(email)) {
        errorLine.textContent = "Enter a valid email address, like name@example.com.";
        return null;
      }
      if (password.length < 8) {
        errorLine.textContent = "Use a password of at least 8 characters.";
        return null;
      }
      return api.auth.signUp(email, password, name, browserZone());
    }, signUpMessage);
  });
}
