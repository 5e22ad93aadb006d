// What the person has typed and not yet saved, per map. Kept in sessionStorage so that neither a
// reload of the map (after someone else's change) nor of the page loses a keystroke.

const PREFIX = "argmap.drafts.";

export class Drafts {
  constructor(mapId) {
    this.key = PREFIX + mapId;
    this.values = new Map();
    this.timer = null;
    try {
      const saved = JSON.parse(sessionStorage.getItem(this.key) || "[]");
      for (const [key, value] of saved) this.values.set(key, value);
    } catch {
      /* nothing kept */
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

  /** True when the draft under `key` holds something the person typed. */
  hasText(key) {
    const value = this.values.get(key);
    if (typeof value === "string") return value.trim().length > 0;
    return Boolean(value);
  }

  persist() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      try {
        const kept = [...this.values].filter(([, value]) => value !== "" && value !== null);
        if (kept.length) sessionStorage.setItem(this.key, JSON.stringify(kept));
        else sessionStorage.removeItem(this.key);
      } catch {
        /* storage full or disabled: the drafts stay in memory */
      }
    }, 150);
  }
}
