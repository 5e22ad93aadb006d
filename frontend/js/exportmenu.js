// The export menu: diagram images and every map file format, as download links.

import { diagramUrl, exportUrl, handoutUrl } from "./api.js";
import { fileName, h, icon } from "./dom.js";

export const DIAGRAM_FORMATS = [
  ["svg", "SVG image", "svg"],
  ["png", "PNG image", "png"],
  ["pdf", "PDF document", "pdf"],
  ["dot", "Graphviz DOT", "dot"],
];

// Paged PDFs to print: [label, file suffix, diagram options] (A4; the API also takes a3, letter).
export const PRINT_FORMATS = [
  ["Diagram, one page per thesis", "theses", { paper: "a4", orientation: "auto", pages: "thesis" }],
  ["Diagram on A4 tiles", "tiles", { paper: "a4", orientation: "auto", pages: "tile" }],
];

export const FILE_FORMATS = [
  ["native", "argmap JSON (complete)", "argmap.json"],
  ["argdown", "Argdown", "argdown"],
  ["aif", "AIF JSON (AIFdb, OVA)", "aif.json"],
  ["kialo", "Kialo text", "txt"],
  ["graphml", "GraphML (yEd, Gephi)", "graphml"],
  ["markdown", "Markdown outline", "md"],
];

/**
 * A disclosure menu (<details>) of download links. `current()` returns {mapId, title, revision,
 * options} at the moment the menu opens, so the links follow the diagram's settings.
 */
export function createExportMenu(current) {
  const list = h("div", { class: "menu-list" });
  const menu = h("details", { class: "menu export-menu" },
    h("summary", { class: "button" }, icon("download"), "Export"),
    list);
  const fill = () => {
    const { mapId, title, revision, options } = current();
    const diagramOptions = { direction: options.direction, legend: String(options.legend),
                             status: options.status ? "true" : undefined, download: "true" };
    if (options.focus && options.selected) {
      diagramOptions.focus = options.selected;
      diagramOptions.depth = options.depth;
    }
    const suffix = revision ? `-revision-${revision}` : "";
    list.replaceChildren(
      h("p", { class: "menu-heading", id: "export-diagram-heading" },
        revision ? `Diagram of revision ${revision}` : "Diagram"),
      h("ul", { "aria-labelledby": "export-diagram-heading" },
        DIAGRAM_FORMATS.map(([ext, label]) => h("li", {},
          h("a", { class: "menu-item", href: diagramUrl(mapId, ext, diagramOptions, revision),
                   download: fileName(title + suffix, ext), dataset: { format: ext } },
            label, h("span", { class: "menu-ext" }, `.${ext}`))))),
      h("p", { class: "menu-heading", id: "export-print-heading" }, "To print"),
      h("ul", { "aria-labelledby": "export-print-heading" },
        revision ? null : h("li", {},
          h("a", { class: "menu-item", href: handoutUrl(mapId), download: fileName(`${title}-handout`, "pdf"),
                   dataset: { format: "handout" } },
            "Handout: diagram, outline, verdicts, sources", h("span", { class: "menu-ext" }, ".pdf"))),
        PRINT_FORMATS.map(([label, name, paging]) => h("li", {},
          h("a", { class: "menu-item", href: diagramUrl(mapId, "pdf", { ...diagramOptions, ...paging }, revision),
                   download: fileName(`${title}${suffix}-${name}`, "pdf"), dataset: { format: `pdf-${name}` } },
            label, h("span", { class: "menu-ext" }, ".pdf"))))),
      h("p", { class: "menu-heading", id: "export-file-heading" },
        revision ? `Map file of revision ${revision}` : "Map file"),
      h("ul", { "aria-labelledby": "export-file-heading" },
        FILE_FORMATS.map(([format, label, ext]) => h("li", {},
          h("a", { class: "menu-item", href: exportUrl(mapId, format, revision), download: fileName(title, ext),
                   dataset: { format } },
            label, h("span", { class: "menu-ext" }, `.${ext}`))))));
  };
  menu.addEventListener("toggle", () => {
    if (menu.open) {
      fill();
      list.querySelector("a")?.focus();
    }
  });
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu.open) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
  document.addEventListener("click", (event) => {
    if (menu.open && !menu.contains(event.target)) menu.open = false;
  });
  list.addEventListener("click", (event) => {
    if (event.target.closest("a")) setTimeout(() => { menu.open = false; }, 0);
  });
  return menu;
}
