// Messages to the person: toasts that are visible and spoken (aria-live), errors as alerts.

import { h, icon } from "./dom.js";

let politeRegion;
let alertRegion;

function regions() {
  if (!politeRegion) {
    politeRegion = document.getElementById("toasts");
    alertRegion = document.getElementById("alerts");
  }
  return { politeRegion, alertRegion };
}

/**
 * Show a message. kind: "info" | "success" | "warning" | "error". An action is
 * {label, run}; the toast stays until closed when it has one, or for `timeout` ms. A `quiet`
 * one (what others did: a change, a merge, a comment) is small and fades away.
 */
export function notify(message, { kind = "info", action = null, timeout = null, detail = null, quiet = false } = {}) {
  const { politeRegion: polite, alertRegion: alerts } = regions();
  const region = kind === "error" ? alerts : polite;
  const close = () => {
    if (!quiet || !toast.isConnected) {
      toast.remove();
      return;
    }
    toast.classList.add("is-leaving");
    setTimeout(() => toast.remove(), 350);
  };
  const toast = h(
    "div",
    { class: ["toast", `toast-${kind}`, quiet && "toast-quiet"], role: kind === "error" ? "alert" : "status" },
    icon(kind === "error" || kind === "warning" ? "alert" : kind === "success" ? "check" : "history"),
    h("div", { class: "toast-body" },
      h("p", { class: "toast-message" }, message),
      detail ? h("p", { class: "toast-detail", dir: "auto" }, detail) : null),
    action
      ? h("button", {
          type: "button",
          class: "button button-small",
          onclick: async () => {
            close();
            await action.run();
          },
        }, action.label)
      : null,
    h("button", { type: "button", class: "icon-button", "aria-label": "Dismiss message", onclick: close },
      icon("close")),
  );
  region.append(toast);
  while (region.children.length > 4) region.firstElementChild.remove();
  const lifetime = timeout ?? (action ? 12000 : kind === "error" ? 12000 : 5000);
  if (lifetime > 0) setTimeout(close, lifetime);
  return toast;
}

export function notifyError(error, prefix = "") {
  if (error && error.name === "AbortError") return null;
  const text = (error && error.message) || "Something went wrong.";
  return notify(prefix ? `${prefix} ${text}` : text, { kind: "error" });
}

/** Speak a short message to screen readers without showing a toast. */
export function announce(message) {
  const region = document.getElementById("announcer");
  if (!region) return;
  region.textContent = "";
  window.setTimeout(() => { region.textContent = message; }, 30);
}
