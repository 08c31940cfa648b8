import type { KeyCodec } from './value-codec';

/**
 * Text keys of a small, slowly growing set (abandonment groups and their periods) as table keys:
 * each text gets the next integer the first time it is seen, in this process. Changelog records
 * carry the text, so they mean the same in any process; a snapshot file carries the table's
 * numbers, so a store with these keys takes none. The set keeps every text seen since the start
 * (a few a month per group): use it only for keys that few.
 */
export function internedKey(): KeyCodec & { readonly size: number } {
  const ids = new Map<string, number>();
  const texts: string[] = [''];
  return {
    toKey(text) {
      let id = ids.get(text);
      if (id === undefined) {
        id = texts.length;
        texts.push(text);
        ids.set(text, id);
      }
      return id;
    },
    fromKey: (key) => texts[key]!,
    get size() {
      return texts.length - 1;
    },
  };
}
