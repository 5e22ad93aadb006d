// Verdicts in words: a claim's verdict (Stands, Defeated, Open) with its reasons as sentences,
// its support balance with what it means (unless the person hides it) and what would change it;
// the map's rule of decision in words, and the fields of the dialog that changes it.

import { h } from "./dom.js";

const BALANCE_KEY = "argmap.supportBalance";

/** Whether the person shows the support balance (remembered in this browser; shown by default). */
export function balanceShown() {
  try {
    return localStorage.getItem(BALANCE_KEY) !== "hidden";
  } catch {
    return true;
  }
}

export function setBalanceShown(shown) {
  try {
    localStorage.setItem(BALANCE_KEY, shown ? "shown" : "hidden");
  } catch {
    /* not kept across visits */
  }
}

const VERDICT_WORD = { stands: "Stands", defeated: "Defeated", open: "Open" };
const LABEL_VERDICT = { in: "stands", out: "defeated", undecided: "open", undetermined: "open" };

/** stands, defeated or open (from the formal label when the server gives no verdict). */
export function verdictOf(status) {
  return status?.verdict || LABEL_VERDICT[status?.label] || null;
}

/** The verdict as a person reads it: Stands, Defeated or Open. */
export function verdictWord(status) {
  return status?.verdictLabel || VERDICT_WORD[verdictOf(status)] || status?.label || "";
}

/** Per claim, what the outline shows of the evaluation (GET …/evaluation's `claims`). */
export function claimStatus(value, semantics = null, proofStandard = null) {
  const sentences = Array.isArray(value.sentences) ? value.sentences.filter(Boolean) : [];
  const explanation = typeof value.explanation === "string" ? value.explanation : value.explanation?.text;
  return {
    label: value.label ?? value.status,
    verdict: value.verdict ?? null,
    verdictLabel: value.verdict_label ?? null,
    sentences: sentences.length ? sentences : explanation ? [explanation] : [],
    explanation: explanation || sentences.join(" "),
    strength: value.strength,
    strengthText: value.strength_text ?? null,
    changes: Array.isArray(value.changes) ? value.changes : null,
    meetsStandard: value.meets_standard ?? null,
    semantics,
    proofStandard,
  };
}

/**
 * The selected claim's verdict: the word, then each reason as its own sentence, the support
 * balance, and what would change it. `onMove(move)` starts a move; without it (a reader, a
 * revision) the moves are listed as text.
 */
export function verdictDetails(status, { onMove = null } = {}) {
  if (!status?.label) return null;
  const verdict = verdictOf(status);
  const word = verdictWord(status);
  const formal = status.semantics ? `Formally ${status.label}, under ${status.semantics} semantics` : `Formally ${status.label}`;
  const parts = [
    h("p", { class: "verdict-word" }, h("strong", { title: formal }, word)),
    status.sentences.length
      ? h("div", { class: "verdict-sentences" }, status.sentences.map((sentence) => h("p", { class: "verdict-sentence" }, sentence)))
      : null,
  ];
  const standard = status.meetsStandard && STANDARD_NAME[status.proofStandard];
  if (standard) {
    parts.push(h("p", { class: "proof-standard", title: RULE_PARTS[2].choices[status.proofStandard][2] },
      `${standard}: ${STANDARD_ANSWER[status.meetsStandard] || status.meetsStandard}.`));
  }
  if (status.strengthText && balanceShown()) {
    parts.push(h("p", { class: "support-balance" }, status.strengthText));
  }
  if (verdict !== "stands" && status.changes) parts.push(changesList(status.changes, onMove));
  return h("section", { class: ["claim-why", `status-text-${status.label}`, `verdict-${verdict}`],
                        "aria-label": `Verdict: ${word}` }, parts);
}

function changesList(changes, onMove) {
  if (!changes.length) {
    return h("p", { class: "verdict-changes-none" }, "No single change to the map would change this verdict.");
  }
  return h("div", { class: "verdict-changes" },
    h("p", { class: "verdict-changes-title" }, "What would change it"),
    h("ul", { class: "verdict-moves" }, changes.map((move) => h("li", { class: `move-${move.kind}` },
      onMove
        ? h("button", { type: "button", class: "move-button", onclick: () => onMove(move),
                        title: MOVE_HINT[move.kind] || null }, move.sentence)
        : h("span", { class: "move-text" }, move.sentence)))));
}

const STANDARD_NAME = {
  scintilla: "Scintilla standard", preponderance: "Preponderance standard",
  dialectical_validity: "Dialectical validity standard",
};
const STANDARD_ANSWER = { yes: "met", no: "not met", undetermined: "not settled" };

const MOVE_HINT = {
  rebut: "Opens the form for an objection to that claim",
  undercut: "Opens the form for an objection to that inference",
  accept: "Opens the claim's form with “Accepted as a starting point” ticked; you save it",
};

// ----- the rule of decision ---------------------------------------------------------------------

/** The four parts of a rule, each choice with its words in the rule line, its option and its meaning. */
export const RULE_PARTS = [
  {
    key: "semantics", label: "How objections decide", hint: "Which claims stand when objections answer one another.",
    choices: {
      grounded: ["grounded semantics", "Grounded: the one cautious reading",
                 "Grounded semantics: a claim stands when every objection to it is defeated; where objections answer each other in a circle, the claims stay open."],
      preferred: ["preferred semantics", "Preferred: what every largest consistent reading accepts",
                  "Preferred semantics: a claim stands when every largest consistent reading of the map accepts it."],
      stable: ["stable semantics", "Stable: what every reading that settles every claim accepts",
               "Stable semantics: a claim stands when every reading that takes a side on every claim accepts it."],
    },
  },
  {
    key: "support", label: "What supports do", hint: "Whether a claim needs a standing support to stand.",
    choices: {
      loose: ["loose support", "Loose: a claim stands unless an objection defeats it",
              "Loose support: supports never defeat; a claim stands unless a standing objection defeats it, whatever supports it."],
      evidential: ["evidential support", "Evidential: a claim needs a standing support",
                   "Evidential support: a claim that is not accepted as a starting point stands only while one of its supports stands."],
    },
  },
  {
    key: "proof_standard", label: "Proof standard", hint: "The standard each claim is also judged by, beside its verdict.",
    choices: {
      scintilla: ["scintilla standard", "Scintilla: one standing support is enough",
                  "Scintilla of evidence: each claim is also judged met when at least one support of it stands."],
      preponderance: ["preponderance standard", "Preponderance: the strongest support outweighs the strongest objection",
                      "Preponderance of evidence: each claim is also judged met when its strongest standing support outweighs its strongest standing objection."],
      dialectical_validity: ["dialectical validity standard", "Dialectical validity: a standing support and no standing objection",
                             "Dialectical validity: each claim is also judged met when a support of it stands and no objection to it stands."],
    },
  },
  {
    key: "gradual", label: "Support balance", hint: "How the support balance (a percentage) is worked out.",
    choices: {
      dfquad: ["DF-QuAD strength", "DF-QuAD",
               "Support balance by DF-QuAD: each standing support raises a claim's base weight, each objection lowers it."],
      quadratic_energy: ["quadratic energy strength", "Quadratic energy",
                         "Support balance by quadratic energy: supports and objections pull a claim's base weight up and down smoothly."],
    },
  },
];

const RULE_DEFAULTS = { semantics: "grounded", support: "loose", proof_standard: "preponderance", gradual: "dfquad" };

/** A rule with every part, the defaults where the map leaves one out. */
export function fullRule(rule) {
  return { ...RULE_DEFAULTS, ...(rule || {}) };
}

/** The rule in words: "Rule: grounded semantics · loose support · …", each part explained on hover. */
export function ruleWords(rule) {
  const full = fullRule(rule);
  const items = [];
  for (const part of RULE_PARTS) {
    const choice = part.choices[full[part.key]];
    if (items.length) items.push(h("span", { class: "map-rule-sep", "aria-hidden": "true" }, " · "));
    items.push(h("span", { class: "map-rule-part", title: choice ? choice[2] : null, dataset: { part: part.key } },
      choice ? choice[0] : String(full[part.key])));
  }
  return h("span", { class: "map-rule-words" }, h("span", { class: "map-rule-label" }, "Rule: "), items);
}

/** What each part of the rule means, as a list (the hover text of ruleWords, for keyboards and
 * touch screens too). */
export function ruleMeanings(rule) {
  const full = fullRule(rule);
  return h("ul", { class: "map-rule-meanings" }, RULE_PARTS.map((part) => {
    const choice = part.choices[full[part.key]];
    return h("li", { dataset: { part: part.key } }, choice ? choice[2] : `${part.label}: ${full[part.key]}`);
  }));
}

/** The fields of the "Change rule" dialog (dialog.js's formDialog). */
export function ruleFields(rule) {
  const full = fullRule(rule);
  return RULE_PARTS.map((part) => ({
    name: part.key, label: part.label, type: "select", value: full[part.key],
    options: Object.entries(part.choices).map(([value, choice]) => [value, choice[1]]),
    hint: part.hint,
  }));
}

/** The rule the dialog's values make, or null when nothing changed. */
export function ruleChange(rule, values) {
  const before = fullRule(rule);
  const after = {};
  for (const part of RULE_PARTS) after[part.key] = values[part.key] || before[part.key];
  return RULE_PARTS.some((part) => after[part.key] !== before[part.key]) ? after : null;
}
