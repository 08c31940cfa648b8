/**
 * `rules[3] (id "busy-congestion").match.sip` for a path into a rules file: the index alone is
 * hard to find in a long YAML list, so name the rule's id when the raw entry has one.
 */
export function describePath(path: readonly PropertyKey[], raw: unknown): string {
  let text = '';
  let node: unknown = raw;
  path.forEach((key, depth) => {
    text += typeof key === 'number' ? `[${key}]` : depth === 0 ? String(key) : `.${String(key)}`;
    node =
      node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (depth === 1 && path[0] === 'rules' && node !== null && typeof node === 'object') {
      const id = (node as { id?: unknown }).id;
      if (typeof id === 'string') text += ` (id ${JSON.stringify(id)})`;
    }
  });
  return text;
}
