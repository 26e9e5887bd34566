/**
 * Items grouped by a key, each group in the items' order; items whose key
 * is null are left out. What Map.groupBy (Node 21+) does: Node 20 lacks it.
 */
export function groupBy<T, K>(items: Iterable<T>, keyOf: (item: T) => K | null): Map<K, T[]> {
  const out = new Map<K, T[]>()
  for (const item of items) {
    const key = keyOf(item)
    if (key === null) continue
    const list = out.get(key)
    if (list) list.push(item)
    else out.set(key, [item])
  }
  return out
}
