// The Share dialog of a map's owner: who may read it (visibility), its members and groups with
// their roles, and its share links (copy, QR code, revoke).
//
// Each section draws itself from what the server answered last and redraws after each change.

import { api, linkQrUrl } from "./api.js";
import { openDialog } from "./dialog.js";
import { h, icon, replace, timeElement } from "./dom.js";
import { announce, notifyError } from "./notify.js";
import { GRANTED_ROLES } from "./session.js";

const VISIBILITIES = [
  ["private", "Private", "Only the owner, the members and the groups below can open it."],
  ["link", "Anyone with the link", "Anyone with the map's address can read it; it is not listed."],
  ["public", "Public", "Listed for everyone on this argmap, who can all read it."],
];

const EXPIRIES = [
  ["", "Never expires"],
  ["1", "Expires in 1 day"],
  ["7", "Expires in 7 days"],
  ["30", "Expires in 30 days"],
];

const ROLE_NAMES = { owner: "Owner", editor: "Editor", commenter: "Commenter", viewer: "Viewer" };

let counter = 0;
const uid = (prefix) => `${prefix}-${++counter}`;

/** A name or title someone typed, in its own direction (it may be written right to left). */
const userText = (text) => h("bdi", { dir: "auto" }, text);

function roleSelect(value, { label, onchange = null, id = uid("role") }) {
  return h("select", { id, class: "role-select", "aria-label": label, onchange },
    GRANTED_ROLES.map(([role]) => h("option", { value: role, selected: role === value }, ROLE_NAMES[role])));
}

/** Copy text to the clipboard; falls back to selecting it in `field` for Ctrl+C. */
async function copyText(text, field) {
  try {
    await navigator.clipboard.writeText(text);
    announce("Copied the link.");
    return true;
  } catch {
    field?.select();
    return false;
  }
}

/** Open the Share dialog of map `mapId` (titled `title`). */
export function shareDialog({ mapId, title }) {
  const returnFocus = document.activeElement;
  const titleId = uid("share-title");
  const status = h("p", { class: "share-status", role: "status", "aria-live": "polite" });
  const sections = {
    visibility: h("div", { class: "share-section-body" }),
    members: h("div", { class: "share-section-body" }),
    groups: h("div", { class: "share-section-body" }),
    links: h("div", { class: "share-section-body" }),
  };
  const section = (name, heading, intro) => h("section", { class: "share-section", "aria-labelledby": `${titleId}-${name}` },
    h("h3", { class: "share-heading", id: `${titleId}-${name}` }, heading),
    intro ? h("p", { class: "field-hint" }, intro) : null,
    sections[name]);
  const dialog = h("dialog", { class: "dialog dialog-wide share-dialog", "aria-labelledby": titleId },
    h("div", { class: "dialog-head" },
      h("h2", { id: titleId, class: "dialog-title" }, "Share “", userText(title), "”"),
      h("button", { type: "button", class: "icon-button", "aria-label": "Close", onclick: () => dialog.close() },
        icon("close"))),
    status,
    section("visibility", "Who can read it", null),
    section("links", "Share links", "Whoever opens a link joins the map with its role; without an account they join as a guest by a name they choose."),
    section("members", "People", null),
    section("groups", "Groups", "Every member of a group gets the role you give the group."),
    h("div", { class: "dialog-actions" },
      h("button", { type: "button", class: "button button-primary", onclick: () => dialog.close() }, "Done")));

  const data = { sharing: null, links: [], groups: [] };

  /** Run a change; a failure is shown in the dialog's status line and as a message. */
  async function change(what, operation) {
    status.textContent = "";
    try {
      await operation();
      return true;
    } catch (error) {
      status.textContent = `${what} failed: ${error.message}`;
      notifyError(error, `${what} failed:`);
      return false;
    }
  }

  async function reload() {
    const [sharing, links, groups] = await Promise.all([
      api.sharing(mapId), api.listLinks(mapId), api.listGroups().catch(() => ({ data: [] })),
    ]);
    data.sharing = sharing.data;
    data.links = links.data;
    data.groups = groups.data;
    drawAll();
  }

  function drawAll() {
    drawVisibility();
    drawLinks();
    drawMembers();
    drawGroups();
  }

  function drawVisibility() {
    const name = uid("visibility");
    replace(sections.visibility, h("div", { class: "radio-list", role: "radiogroup", "aria-label": "Who can read it" },
      VISIBILITIES.map(([value, label, hint]) => {
        const id = uid("visibility");
        return h("label", { class: "radio-option", for: id },
          h("input", { type: "radio", name, id, value, checked: data.sharing.visibility === value,
                       onchange: () => change("Changing who can read it", async () => {
                         const { data: sharing } = await api.setVisibility(mapId, value);
                         data.sharing = sharing;
                         announce(`Visibility: ${label}`);
                       }).then(drawVisibility) }),
          h("span", { class: "radio-text" }, h("span", { class: "radio-label" }, label),
            h("span", { class: "radio-hint" }, hint)));
      })));
  }

  function drawLinks() {
    const role = roleSelect("viewer", { label: "Role of the new link" });
    const expiry = h("select", { "aria-label": "When the new link expires" },
      EXPIRIES.map(([value, label]) => h("option", { value }, label)));
    const create = h("button", { type: "button", class: "button button-primary button-small",
      onclick: () => change("Creating the link", async () => {
        const days = Number.parseInt(expiry.value, 10);
        const expires = days ? new Date(Date.now() + days * 86400_000).toISOString() : null;
        const { data: link } = await api.createLink(mapId, role.value, expires);
        data.links = [...data.links, link];
        drawLinks();
        announce(`Created a share link for ${ROLE_NAMES[link.role].toLowerCase()}s.`);
        sections.links.querySelector(`[data-link-id="${CSS.escape(link.id)}"] .link-copy`)?.focus();
      }) }, icon("link", { size: 14 }), "Create link");
    replace(sections.links,
      data.links.length ? h("ul", { class: "share-links" }, data.links.map(linkItem))
        : h("p", { class: "share-empty" }, "No share links yet."),
      h("div", { class: "share-add" }, role, expiry, create));
  }

  function linkItem(link) {
    const url = new URL(link.url, window.location.origin).href;
    const field = h("input", { type: "text", class: "link-url", readonly: true, value: url,
                               "aria-label": `Share link for ${ROLE_NAMES[link.role].toLowerCase()}s` });
    const copy = h("button", { type: "button", class: "button button-small link-copy",
      onclick: async () => {
        const done = await copyText(url, field);
        copy.textContent = done ? "Copied" : "Press Ctrl+C";
        setTimeout(() => { copy.textContent = "Copy"; }, 2000);
      } }, "Copy");
    const revoke = h("button", { type: "button", class: "button button-small button-quiet",
      "aria-label": `Revoke the ${ROLE_NAMES[link.role].toLowerCase()} link`,
      onclick: () => change("Revoking the link", async () => {
        await api.revokeLink(mapId, link.id);
        data.links = data.links.filter((item) => item.id !== link.id);
        drawLinks();
        announce("The link is revoked: it no longer works.");
      }) }, "Revoke");
    return h("li", { class: "share-link", dataset: { linkId: link.id } },
      h("img", { class: "link-qr", src: linkQrUrl(mapId, link.id), width: 96, height: 96,
                 alt: `QR code of the ${ROLE_NAMES[link.role].toLowerCase()} link` }),
      h("div", { class: "link-body" },
        h("p", { class: "link-meta" },
          h("span", { class: "role-badge" }, ROLE_NAMES[link.role]),
          " · created ", timeElement(link.created_at),
          link.expires_at ? [" · expires ", timeElement(link.expires_at)] : " · never expires"),
        h("div", { class: "link-row" }, field, copy, revoke)));
  }

  function drawMembers() {
    const { owner, members } = data.sharing;
    const rows = [h("li", { class: "share-person" },
      h("span", { class: "person-name" }, icon("user", { size: 14 }), userText(owner.display_name)),
      h("span", { class: "role-badge" }, "Owner"))];
    for (const member of members) {
      const name = member.user.display_name;
      rows.push(h("li", { class: "share-person" },
        h("span", { class: "person-name" }, icon("user", { size: 14 }), userText(name),
          member.user.is_guest ? h("span", { class: "account-badge" }, "guest") : null,
          member.via === "link" ? h("span", { class: "person-via" }, "via a link") : null),
        roleSelect(member.role, {
          label: `Role of ${name}`,
          onchange: (event) => change("Changing the role", async () => {
            await api.changeMember(mapId, member.user.id, event.target.value);
            member.role = event.target.value;
            announce(`${name} is now ${ROLE_NAMES[member.role].toLowerCase()}.`);
          }).then((ok) => { if (!ok) event.target.value = member.role; }),
        }),
        h("button", { type: "button", class: "icon-button", "aria-label": `Remove ${name}`, title: "Remove",
          onclick: () => change("Removing the member", async () => {
            await api.removeMember(mapId, member.user.id);
            data.sharing.members = data.sharing.members.filter((m) => m.user.id !== member.user.id);
            drawMembers();
            announce(`Removed ${name}.`);
          }) }, icon("close"))));
    }
    const usernameId = uid("username");
    const username = h("input", { id: usernameId, type: "text", maxlength: 40, placeholder: "Username",
                                  autocomplete: "off", autocapitalize: "none", spellcheck: "false" });
    const role = roleSelect("editor", { label: "Role of the person to add" });
    const add = h("form", { class: "share-add",
      onsubmit: (event) => {
        event.preventDefault();
        if (!username.value.trim()) return username.focus();
        return change("Adding the person", async () => {
          const { data: listed } = await api.addMember(mapId, username.value.trim(), role.value);
          data.sharing.members = listed.filter((m) => m.via !== "owner");
          drawMembers();
          announce("Added.");
        });
      } },
      h("label", { for: usernameId, class: "visually-hidden" }, "Username of the person to add"),
      username, role, h("button", { type: "submit", class: "button button-small" }, icon("plus", { size: 14 }), "Add"));
    replace(sections.members, h("ul", { class: "share-people" }, rows), add);
  }

  function drawGroups() {
    const shared = data.sharing.groups;
    const rows = shared.map(({ group, role }) => h("li", { class: "share-person" },
      h("span", { class: "person-name" }, userText(group.name),
        h("span", { class: "person-via" }, `${group.member_count} ${group.member_count === 1 ? "member" : "members"}`)),
      roleSelect(role, {
        label: `Role of the group ${group.name}`,
        onchange: (event) => change("Changing the group's role", async () => {
          const { data: sharing } = await api.shareWithGroup(mapId, group.id, event.target.value);
          data.sharing = sharing;
        }).then(drawGroups),
      }),
      h("button", { type: "button", class: "icon-button", "aria-label": `Stop sharing with ${group.name}`,
                    title: "Stop sharing",
        onclick: () => change("Unsharing the group", async () => {
          await api.unshareGroup(mapId, group.id);
          data.sharing.groups = data.sharing.groups.filter((g) => g.group.id !== group.id);
          drawGroups();
        }) }, icon("close"))));
    const sharedIds = new Set(shared.map(({ group }) => group.id));
    const choices = data.groups.filter((group) => !sharedIds.has(group.id));
    const pick = h("select", { "aria-label": "Group to share with" },
      choices.map((group) => h("option", { value: group.id, dir: "auto" }, group.name)));
    const role = roleSelect("viewer", { label: "Role of the group" });
    const shareForm = choices.length ? h("form", { class: "share-add",
      onsubmit: (event) => {
        event.preventDefault();
        change("Sharing with the group", async () => {
          const { data: sharing } = await api.shareWithGroup(mapId, pick.value, role.value);
          data.sharing = sharing;
        }).then(drawGroups);
      } }, pick, role, h("button", { type: "submit", class: "button button-small" }, "Share")) : null;
    const nameId = uid("group-name");
    const name = h("input", { id: nameId, type: "text", maxlength: 80, placeholder: "New group's name", autocomplete: "off" });
    const createForm = h("form", { class: "share-add",
      onsubmit: (event) => {
        event.preventDefault();
        if (!name.value.trim()) return name.focus();
        return change("Creating the group", async () => {
          const { data: group } = await api.createGroup(name.value.trim());
          data.groups = [...data.groups, group];
          drawGroups();
          announce(`Created the group ${group.name}.`);
        });
      } },
      h("label", { for: nameId, class: "visually-hidden" }, "Name of a new group"),
      name, h("button", { type: "submit", class: "button button-small" }, icon("plus", { size: 14 }), "New group"));
    const invites = data.groups.filter((group) => group.invite_url).map((group) => {
      const url = new URL(group.invite_url, window.location.origin).href;
      const field = h("input", { type: "text", class: "link-url", readonly: true, value: url,
                                 "aria-label": `Invite link of the group ${group.name}` });
      return h("li", { class: "share-invite" }, h("span", { class: "person-name" }, userText(group.name)),
        h("div", { class: "link-row" }, field,
          h("button", { type: "button", class: "button button-small", onclick: () => copyText(url, field) }, "Copy")));
    });
    replace(sections.groups,
      rows.length ? h("ul", { class: "share-people" }, rows) : h("p", { class: "share-empty" }, "Not shared with a group."),
      shareForm, createForm,
      invites.length ? [h("p", { class: "field-hint" }, "Invite links of your groups: whoever opens one joins the group."),
                        h("ul", { class: "share-invites" }, invites)] : null);
  }

  openDialog(dialog, returnFocus);
  status.textContent = "Loading…";
  reload().then(() => {
    status.textContent = "";
    dialog.querySelector("input[type=radio]:checked")?.focus();
  }, (error) => {
    status.textContent = `The sharing could not be loaded: ${error.message}`;
  });
  return dialog;
}
