// What the person has typed and not yet saved, per map. Kept in localStorage, written on every
// change (and once more when the page is hidden or left), so that neither a reload of the map
// (after someone else's change), nor of the page, nor closing the tab loses a keystroke; another
// tab of the same map sees the same drafts.
//
// Across tabs: a `storage` event (another tab wrote the drafts) takes the other tab's values,
// except the one of the form open and being typed in here (`keep(key)`), so that two tabs never
// overwrite the text under each other's caret. Which form is open stays per tab once the page is
// loaded (the other tab's open form is only read at load).

const PREFIX = "argmap.drafts.";

export class Drafts {
  constructor(mapId, { local = ["__open"] } = {}) {
    this.key = PREFIX + mapId;
    this.values = new Map();
    this.local = new Set(local); // keys another tab's writes never change here
    this.kept = null; // the key of the form being typed in here
    this.listeners = new Set();
    for (const [key, value] of this.read()) this.values.set(key, value);
    this.onStorage = (event) => {
      if (event.key !== this.key || event.storageArea !== localStorage) return;
      this.takeOthers();
    };
    this.flush = () => this.persist();
    this.onHidden = () => {
      if (document.visibilityState === "hidden") this.persist();
    };
    window.addEventListener("storage", this.onStorage);
    window.addEventListener("pagehide", this.flush);
    document.addEventListener("visibilitychange", this.onHidden);
  }

  read() {
    try {
      const saved = JSON.parse(localStorage.getItem(this.key) || "[]");
      return Array.isArray(saved) ? saved : [];
    } catch {
      return [];
    }
  }

  get(key) {
    return this.values.get(key);
  }

  has(key) {
    return this.values.has(key);
  }

  set(key, value) {
    this.values.set(key, value);
    this.persist();
  }

  delete(key) {
    this.values.delete(key);
    this.persist();
  }

  /** The form under `key` is being typed in here: another tab's draft of it does not replace it. */
  keep(key) {
    this.kept = key;
  }

  /** Call `listener(changedKeys)` when another tab changed drafts of this map. */
  onChange(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** True when the draft under `key` holds something the person typed. */
  hasText(key) {
    const value = this.values.get(key);
    if (typeof value === "string") return value.trim().length > 0;
    return Boolean(value);
  }

  /** Another tab wrote: take its drafts, but not this tab's open form or the one typed in here. */
  takeOthers() {
    const theirs = new Map(this.read());
    const changed = [];
    for (const key of new Set([...this.values.keys(), ...theirs.keys()])) {
      if (this.local.has(key) || key === this.kept) continue;
      const mine = this.values.get(key);
      const other = theirs.get(key);
      if (JSON.stringify(mine) === JSON.stringify(other)) continue;
      if (other === undefined) this.values.delete(key);
      else this.values.set(key, other);
      changed.push(key);
    }
    if (changed.length) for (const listener of this.listeners) listener(changed);
  }

  persist() {
    try {
      const kept = [...this.values].filter(([, value]) => value !== "" && value !== null && value !== undefined);
      if (kept.length) localStorage.setItem(this.key, JSON.stringify(kept));
      else localStorage.removeItem(this.key);
    } catch {
      /* storage full or disabled: the drafts stay in memory */
    }
  }

  destroy() {
    this.persist();
    window.removeEventListener("storage", this.onStorage);
    window.removeEventListener("pagehide", this.flush);
    document.removeEventListener("visibilitychange", this.onHidden);
  }
}
