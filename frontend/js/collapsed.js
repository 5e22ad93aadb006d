// Which branches of the outline are folded away, per map, kept in localStorage (a reload, another
// tab of the same map and the next visit show the outline folded the same way).

const PREFIX = "argmap.collapsed.";

export class Collapsed {
  constructor(mapId) {
    this.key = PREFIX + mapId;
    this.ids = new Set();
    try {
      const saved = JSON.parse(localStorage.getItem(this.key) || "[]");
      if (Array.isArray(saved)) for (const id of saved) if (typeof id === "string") this.ids.add(id);
    } catch {
      /* nothing kept */
    }
  }

  has(id) {
    return this.ids.has(id);
  }

  /** Fold (true) or unfold (false) the branch beneath claim `id`; true when that changed anything. */
  set(id, folded) {
    if (folded === this.ids.has(id)) return false;
    if (folded) this.ids.add(id);
    else this.ids.delete(id);
    this.save();
    return true;
  }

  /** Replace the whole set (fold all, unfold all). */
  replace(ids) {
    this.ids = new Set(ids);
    this.save();
  }

  get size() {
    return this.ids.size;
  }

  save() {
    try {
      if (this.ids.size) localStorage.setItem(this.key, JSON.stringify([...this.ids]));
      else localStorage.removeItem(this.key);
    } catch {
      /* storage full or disabled: the folds last as long as the page */
    }
  }
}
