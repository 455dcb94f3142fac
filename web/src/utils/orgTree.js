// The department tree from the flat list of GET /departments ({id, parent_id, ...}).

// buildTree(items) -> the roots, each department with `children` (the server's order).
export function buildTree(items) {
  const nodes = new Map(items.map((d) => [d.id, { ...d, children: [] }]))
  const roots = []
  for (const d of items) {
    const parent = d.parent_id === null ? null : nodes.get(d.parent_id)
    if (parent) parent.children.push(nodes.get(d.id))
    else roots.push(nodes.get(d.id))
  }
  return roots
}

// subtreeIds(items, rootId) -> a Set of rootId and every department below it.
export function subtreeIds(items, rootId) {
  const out = new Set([rootId])
  let grew = true
  while (grew) {
    grew = false
    for (const d of items) {
      if (d.parent_id !== null && out.has(d.parent_id) && !out.has(d.id)) {
        out.add(d.id)
        grew = true
      }
    }
  }
  return out
}

// scopeRootIds(items, user) -> the departments whose subtrees the user oversees, as
// the server's scope rules have it: directors and admin the whole tree, a manager the
// departments they head (and everything below), a salesperson their own department.
export function scopeRootIds(items, user) {
  if (!user) return []
  if (user.role === 'director' || user.role === 'admin') {
    return items.filter((d) => d.parent_id === null).map((d) => d.id)
  }
  if (user.role === 'manager') {
    const headed = items.filter((d) => d.manager_id === user.id).map((d) => d.id)
    // Keep the top ones only: a headed department inside another one is covered.
    const covered = new Set()
    for (const id of headed) for (const below of subtreeIds(items, id)) if (below !== id) covered.add(below)
    return headed.filter((id) => !covered.has(id))
  }
  const own = user.department?.id
  return own ? [own] : []
}

// scopedTree(items, user) -> the tree limited to the user's scope (scopeRootIds).
export function scopedTree(items, user) {
  const roots = new Set(scopeRootIds(items, user))
  const all = buildTree(items)
  const out = []
  const visit = (nodes) => {
    for (const n of nodes) {
      if (roots.has(n.id)) out.push(n)
      else visit(n.children)
    }
  }
  visit(all)
  return out
}
