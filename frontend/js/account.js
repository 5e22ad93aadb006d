// The header's account corner (who is signed in, "Your account", "Sign out", or "Sign in") and
// the "Your account" dialog: display name, username and password (a guest sets the last two to
// keep the account).

import { api } from "./api.js";
import { formDialog } from "./dialog.js";
import { h, icon, replace } from "./dom.js";
import { notify, notifyError } from "./notify.js";
import { currentUser, onSessionChange, updateUser } from "./session.js";

/** Draw the account corner into `root` and keep it up to date. */
export function mountAccount(root) {
  const draw = () => {
    const user = currentUser();
    if (!user) {
      replace(root, h("a", { class: "button button-small", href: loginHref() }, icon("user", { size: 14 }), "Sign in"));
      return;
    }
    replace(root,
      h("button", { type: "button", class: "account-button", onclick: accountDialog,
                    title: "Your account", "aria-label": `Your account: ${user.display_name}` },
        icon("user", { size: 15 }),
        h("span", { class: "account-name", dir: "auto" }, user.display_name),
        user.is_guest ? h("span", { class: "account-badge" }, "guest") : null),
      h("button", { type: "button", class: "button button-small button-quiet", onclick: signOut }, "Sign out"));
  };
  onSessionChange(draw);
  draw();
}

/** The sign-in page, coming back here afterwards. */
export function loginHref() {
  const here = window.location.hash || "#/";
  return here.startsWith("#/login") || here.startsWith("#/join") ? "#/login"
    : `#/login?next=${encodeURIComponent(here)}`;
}

async function signOut() {
  try {
    await api.logout();
    notify("You are signed out.", { kind: "success" });
  } catch (error) {
    // The session may be over already; the browser is signed out either way.
    if (error.status !== 401) notifyError(error, "Signing out failed:");
  }
  window.location.hash = "#/login";
}

export async function accountDialog() {
  const user = currentUser();
  if (!user) return;
  const fields = [
    { name: "display_name", label: "Display name", value: user.display_name, required: true, maxlength: 80,
      hint: "Shown in the history next to each change you make." },
    { name: "username", label: "Username", value: user.is_guest ? "" : user.username, maxlength: 40,
      hint: user.is_guest ? "You joined as a guest. Set a username and a password to keep this account and sign in again later." : null },
    { name: "password", label: user.is_guest ? "Password" : "New password (leave empty to keep it)", type: "password",
      maxlength: 200 },
  ];
  if (!user.is_guest) {
    fields.push({ name: "current_password", label: "Current password (to change the password)", type: "password",
                  maxlength: 200 });
  }
  const saved = await formDialog({
    title: "Your account",
    fields,
    submitLabel: "Save",
    submit: async (values) => {
      const changes = accountChanges(user, values);
      if (!Object.keys(changes).length) return null;
      const { data } = await api.updateMe(changes);
      return data;
    },
  });
  if (saved) {
    updateUser(saved);
    notify("Your account is saved.", { kind: "success" });
  }
}

function accountChanges(user, values) {
  const changes = {};
  const name = values.display_name.trim();
  const username = values.username.trim();
  if (!name) throw new Error("Give a display name.");
  if (name !== user.display_name) changes.display_name = name;
  if (username && username !== user.username) changes.username = username;
  if (values.password) {
    if (user.is_guest && !username) throw new Error("Set a username along with the password.");
    changes.password = values.password;
    if (!user.is_guest) {
      if (!values.current_password) throw new Error("Give your current password to set a new one.");
      changes.current_password = values.current_password;
    }
  }
  return changes;
}
