/**
 * Runs the tasks given to it one at a time, in the order they were given; a task that fails does
 * not stop the ones after it. What it is for: under exactly-once, batches of different partitions
 * are processed at once (decode, classify, encode), but one transactional producer holds one
 * transaction at a time, so each batch's begin → send → offsets → commit waits its turn here. The
 * next batch's CPU work runs while the one before it waits on the broker for its commit.
 */
export function oneAtATime(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}
