// The join page (#/join/<token> for a map's share link, #/join/g/<token> for a group's invite):
// a signed-in person joins with one button; anyone else gives a display name and joins as a guest.

import { api } from "./api.js";
import { h, icon } from "./dom.js";
import { notify } from "./notify.js";
import { currentUser } from "./session.js";

const GONE = "This link does not work: it was revoked or has expired.";

/** Mount the join page for `token`; `group` for a group's invite link. */
export function mountJoin(root, { token, group = false }) {
  const user = currentUser();
  const what = group ? "group" : "map";
  const error = h("p", { class: "form-error", role: "alert", id: "join-error", hidden: true });
  const nameField = user ? null : h("input", {
    id: "join-name", type: "text", required: true, maxlength: 80, autocomplete: "name",
    "aria-describedby": "join-name-hint",
  });
  const submit = h("button", { type: "submit", class: "button button-primary" },
    user ? `Join the ${what}` : "Join as guest");
  const form = h("form", {
    class: "signin-form",
    onsubmit: async (event) => {
      event.preventDefault();
      if (submit.disabled) return;
      const name = nameField ? nameField.value.trim() : null;
      if (nameField && !name) {
        showError("Give the name the others will see next to your changes.");
        nameField.focus();
        return;
      }
      submit.disabled = true;
      error.hidden = true;
      try {
        const { data } = group ? await api.joinGroup(token, name) : await api.join(token, name);
        joined(data, group);
      } catch (failure) {
        showError(failure.status === 404 ? GONE : failure.message);
        submit.disabled = false;
      }
    },
  },
    error,
    nameField ? h("div", { class: "field" },
      h("label", { for: "join-name" }, "Your name"),
      nameField,
      h("p", { class: "field-hint", id: "join-name-hint" },
        "Shown to the others next to your changes. You can set a username and password later to keep the account.")) : null,
    h("div", { class: "form-actions" }, submit));

  function showError(message) {
    error.textContent = message;
    error.hidden = false;
  }

  root.replaceChildren(h("div", { class: "auth-page" },
    h("section", { class: "auth-card", "aria-labelledby": "page-heading" },
      h("div", { class: "auth-icon" }, icon(group ? "user" : "map", { size: 22 })),
      h("h1", { id: "page-heading", tabindex: "-1" }, group ? "Join a study group" : "Join an argument map"),
      h("p", { class: "auth-sub" }, group
        ? "You were invited to a group on argmap. Its members can open the maps shared with the group."
        : "You were sent a link to a map on argmap. Join to open it with the role the link gives."),
      user ? h("p", { class: "auth-sub" }, "You are signed in as ", h("strong", {}, user.display_name), ".") : null,
      form,
      user ? null : h("p", { class: "auth-foot" }, "Have an account? ",
        h("a", { href: `#/login?next=${encodeURIComponent(window.location.hash)}` }, "Sign in"), " first."))));
  document.title = group ? "Join a group · argmap" : "Join a map · argmap";
  (nameField || submit).focus();
  return { destroy() {}, update: () => false };
}

function joined(data, group) {
  if (group || !data.map_id) {
    window.location.hash = "#/";
    notify("You joined the group: its maps are in your list.", { kind: "success" });
    return;
  }
  window.location.hash = `#/maps/${encodeURIComponent(data.map_id)}`;
  const role = data.role ? ` as ${data.role === "editor" ? "an editor" : `a ${data.role}`}` : "";
  notify(`You joined the map${role}.`, { kind: "success" });
}
