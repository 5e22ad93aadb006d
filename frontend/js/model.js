// What the outline needs to know about a map, as plain functions over the API's map JSON.

/** Indexes over a map: claims and relations by id, relations by target. */
export function indexMap(map) {
  const claims = new Map(map.claims.map((claim) => [claim.id, claim]));
  const relations = new Map(map.relations.map((relation) => [relation.id, relation]));
  const byTargetClaim = new Map();
  const byTargetRelation = new Map();
  const premiseOf = new Map();
  const objecting = new Set();
  for (const relation of map.relations) {
    const bucket = relation.target_claim ? byTargetClaim : byTargetRelation;
    const key = relation.target_claim || relation.target_relation;
    if (!bucket.has(key)) bucket.set(key, []);
    bucket.get(key).push(relation);
    for (const premise of relation.premises) {
      if (!premiseOf.has(premise)) premiseOf.set(premise, []);
      premiseOf.get(premise).push(relation);
      if (relation.kind === "objection") objecting.add(premise);
    }
  }
  return { claims, relations, byTargetClaim, byTargetRelation, premiseOf, objecting };
}

/**
 * How a relation reads in the outline: "support", "objection", "rebuttal" (an objection to an
 * objecting claim) or "undercut" (an objection to the inference of another relation).
 */
export function relationKind(index, relation) {
  if (relation.kind === "support") return "support";
  if (relation.target_relation) return "undercut";
  return index.objecting.has(relation.target_claim) ? "rebuttal" : "objection";
}

export const KIND_LABEL = {
  thesis: "Thesis",
  support: "Support",
  objection: "Objection",
  rebuttal: "Rebuttal",
  undercut: "Undercut",
  claim: "Claim",
};

export const KIND_MARK = {
  thesis: "◆",
  support: "+",
  objection: "−",
  rebuttal: "−",
  undercut: "⤫",
  claim: "•",
};

function order(relations) {
  // Supports first, then objections; otherwise in the order they were made.
  return [...relations].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === "support" ? -1 : 1));
}

/**
 * The outline as a tree. Nodes:
 *   {type: "claim", claim, kind, relation|null, children, repeat, parentClaim}
 *   {type: "linked", relation, kind, premises: [claim nodes], children}
 * A claim reached a second time (several parents, or a cycle of objections) becomes a short
 * `repeat` node pointing at its first place instead of being expanded again.
 */
export function buildOutline(map, index = indexMap(map)) {
  const placed = new Set();

  function relationNodes(relation, parentClaim) {
    const kind = relationKind(index, relation);
    const premises = relation.premises.filter((id) => index.claims.has(id));
    const undercuts = order(index.byTargetRelation.get(relation.id) || []);
    if (premises.length === 1) {
      const node = claimNode(premises[0], kind, relation, parentClaim);
      if (!node.repeat) node.children.push(...undercuts.flatMap((u) => relationNodes(u, premises[0])));
      else node.undercuts = undercuts.flatMap((u) => relationNodes(u, premises[0]));
      return [node];
    }
    const group = {
      type: "linked", relation, kind, parentClaim,
      premises: premises.map((id) => claimNode(id, kind, relation, parentClaim)),
      children: [],
    };
    group.children = undercuts.flatMap((u) => relationNodes(u, null));
    return [group];
  }

  function claimNode(id, kind, relation, parentClaim) {
    const claim = index.claims.get(id);
    const node = { type: "claim", claim, kind, relation, parentClaim, children: [], repeat: false };
    if (placed.has(id)) {
      node.repeat = true;
      return node;
    }
    placed.add(id);
    for (const child of order(index.byTargetClaim.get(id) || [])) {
      node.children.push(...relationNodes(child, id));
    }
    return node;
  }

  const roots = [];
  for (const claim of map.claims) {
    if (!index.premiseOf.has(claim.id)) roots.push(claimNode(claim.id, "thesis", null, null));
  }
  // Claims that only sit in cycles (mutual attack) are reached from no thesis: list them too.
  for (const claim of map.claims) {
    if (!placed.has(claim.id)) roots.push(claimNode(claim.id, "claim", null, null));
  }
  return roots;
}

/** Claims a given claim could take as a further linked premise of `relation`. */
export function premiseCandidates(map, relation) {
  const excluded = new Set(relation.premises);
  if (relation.target_claim) excluded.add(relation.target_claim);
  return map.claims.filter((claim) => !excluded.has(claim.id));
}

/**
 * The claims beneath `claimId` that only serve it: deleting the claim together with these leaves
 * no dangling argument. Returned leaves first, so they can be deleted one by one.
 */
export function claimsBeneath(map, claimId, index = indexMap(map)) {
  const inside = new Set([claimId]);
  const insideRelations = new Set();
  let grew = true;
  while (grew) {
    grew = false;
    for (const relation of map.relations) {
      if (insideRelations.has(relation.id)) continue;
      const target = relation.target_claim || relation.target_relation;
      if (inside.has(target) || insideRelations.has(target)) {
        insideRelations.add(relation.id);
        grew = true;
      }
    }
    for (const [id, uses] of index.premiseOf) {
      if (inside.has(id)) continue;
      if (uses.every((relation) => insideRelations.has(relation.id))) {
        const reached = uses.length > 0;
        if (reached) {
          inside.add(id);
          grew = true;
        }
      }
    }
  }
  inside.delete(claimId);
  // Leaves first: a claim comes after every claim that (transitively) argues about it.
  const depth = new Map();
  const visit = (id, seen = new Set()) => {
    if (depth.has(id)) return depth.get(id);
    if (seen.has(id)) return 0;
    seen.add(id);
    let deepest = 0;
    for (const relation of index.byTargetClaim.get(id) || []) {
      for (const premise of relation.premises) {
        if (inside.has(premise)) deepest = Math.max(deepest, visit(premise, seen) + 1);
      }
    }
    depth.set(id, deepest);
    return deepest;
  };
  return [...inside].sort((a, b) => visit(a) - visit(b));
}
