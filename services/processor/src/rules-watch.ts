import { unwatchFile, watchFile, type Stats } from 'node:fs';

/**
 * Calls `onChange` when the rules file's modification time or size changes, checked every
 * `intervalMs`. Polling (fs.watchFile) rather than fs.watch: a Kubernetes ConfigMap volume updates a
 * file by swapping a symlink, which inotify on the path itself does not report, while a stat through
 * the link sees the new file. Returns the function that stops watching.
 */
export function watchRulesFile(path: string, intervalMs: number, onChange: () => void): () => void {
  const listener = (now: Stats, before: Stats) => {
    if (now.mtimeMs !== before.mtimeMs || now.size !== before.size) onChange();
  };
  // persistent: false — the watch alone must not keep a stopped processor alive
  watchFile(path, { interval: intervalMs, persistent: false }, listener);
  return () => unwatchFile(path, listener);
}
