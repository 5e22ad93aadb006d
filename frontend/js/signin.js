// Signing in: the #/login page, and the dialog that signs in again in place when a session ends.
//
// Both use one form (username, password, a clear error). The dialog leaves the page under it as
// it is: the editor's forms and drafts stay, and the request that met the 401 is sent again.

import { api } from "./api.js";
import { h, icon } from "./dom.js";
import { openDialog } from "./dialog.js";
import { currentUser } from "./session.js";

let counter = 0;

/** A username + password form; `onSignedIn(user)` once the server has signed the browser in. */
function signInForm({ onSignedIn, username = "", submitLabel = "Sign in", extra = null }) {
  const id = `signin-${++counter}`;
  const error = h("p", { class: "form-error", role: "alert", id: `${id}-error`, hidden: true });
  const userField = h("input", { id: `${id}-username`, name: "username", type: "text", required: true,
                                 maxlength: 40, autocomplete: "username", value: username,
                                 autocapitalize: "none", spellcheck: "false" });
  const passwordField = h("input", { id: `${id}-password`, name: "password", type: "password", required: true,
                                     maxlength: 200, autocomplete: "current-password" });
  const submit = h("button", { type: "submit", class: "button button-primary" }, submitLabel);
  const showError = (message) => {
    error.textContent = message;
    error.hidden = false;
    for (const field of [userField, passwordField]) field.setAttribute("aria-describedby", error.id);
  };
  const form = h("form", {
    class: "signin-form",
    onsubmit: async (event) => {
      event.preventDefault();
      if (submit.disabled) return;
      if (!userField.value.trim() || !passwordField.value) {
        showError("Give your username and your password.");
        (userField.value.trim() ? passwordField : userField).focus();
        return;
      }
      submit.disabled = true;
      error.hidden = true;
      try {
        const { data } = await api.login(userField.value.trim(), passwordField.value);
        passwordField.value = "";
        await onSignedIn(data.user);
      } catch (failure) {
        showError(failure.status === 401 ? "Wrong username or password." : failure.message);
        passwordField.select();
        passwordField.focus();
      } finally {
        submit.disabled = false;
      }
    },
  },
    error,
    h("div", { class: "field" }, h("label", { for: userField.id }, "Username"), userField),
    h("div", { class: "field" }, h("label", { for: passwordField.id }, "Password"), passwordField),
    h("div", { class: "form-actions" }, extra, submit));
  form.focusFirst = () => (userField.value ? passwordField : userField).focus();
  return form;
}

const LOGIN_ERRORS = {
  token: "That sign-in link does not work: it may have been revoked. Sign in with your username and password, or ask for a new link.",
};

/** Only addresses inside the web app are followed after signing in. */
function safeNext(next) {
  return next && next.startsWith("#/") && !next.startsWith("#/login") ? next : "#/";
}

/** The #/login page; `query` is the address's query (error=token, next=#/…). */
export function mountLogin(root, { query }) {
  const next = safeNext(query.get("next"));
  const signedIn = currentUser();
  const form = signInForm({ onSignedIn: () => { window.location.hash = next; } });
  const problem = LOGIN_ERRORS[query.get("error")] || null;
  root.replaceChildren(h("div", { class: "auth-page" },
    h("section", { class: "auth-card", "aria-labelledby": "page-heading" },
      h("h1", { id: "page-heading", tabindex: "-1" }, "Sign in to argmap"),
      h("p", { class: "auth-sub" }, "Map debates with your group: theses, their supports and objections."),
      problem ? h("p", { class: "notice notice-warning auth-notice", role: "alert" }, icon("alert", { size: 18 }),
                  h("span", { class: "notice-text" }, problem)) : null,
      signedIn ? h("p", { class: "auth-sub" }, `You are signed in as ${signedIn.display_name}. `,
                   h("a", { href: next }, "Go on")) : null,
      form,
      h("p", { class: "auth-foot" },
        "No account? Open a share link someone sent you to join as a guest, or ask the admin for an account."))));
  document.title = "Sign in · argmap";
  form.focusFirst();
  return { destroy() {}, update: () => false };
}

/**
 * The session ended while the person was working: ask them to sign in again, over the page.
 * Resolves true once signed in, false when they close it.
 */
export function signInAgainDialog({ username = currentUser()?.username || "" } = {}) {
  const returnFocus = document.activeElement;
  return new Promise((resolve) => {
    let signedIn = false;
    const titleId = `dialog-title-${++counter}`;
    const form = signInForm({
      username, submitLabel: "Sign in and carry on",
      extra: h("button", { type: "button", class: "button", onclick: () => dialog.close() }, "Cancel"),
      onSignedIn: () => {
        signedIn = true;
        dialog.close();
      },
    });
    const dialog = h("dialog", { class: "dialog", "aria-labelledby": titleId, dataset: { keep: "" } },
      h("div", { class: "dialog-head" },
        h("h2", { id: titleId, class: "dialog-title" }, "Your session has ended"),
        h("button", { type: "button", class: "icon-button", "aria-label": "Close",
                      onclick: () => dialog.close() }, icon("close"))),
      h("p", { class: "dialog-message" },
        "Sign in again to carry on. What you typed is kept, and your change is sent once you are signed in."),
      form);
    dialog.addEventListener("close", () => resolve(signedIn));
    openDialog(dialog, returnFocus);
    form.focusFirst();
  });
}
