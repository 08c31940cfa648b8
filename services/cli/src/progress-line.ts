const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * A progress line on stderr at most every `intervalMs` (and never for a run shorter than that):
 * `sipflow dlq redrive: 1,200/5,000 records (24 %), 480/s`. Plain lines, so they read the same
 * in a terminal and in a log.
 */
export function progressLine(
  label: string,
  opts: { intervalMs?: number; stream?: NodeJS.WritableStream; now?: () => number } = {},
): (done: number, total: number) => void {
  const now = opts.now ?? Date.now;
  const stream = opts.stream ?? process.stderr;
  const interval = opts.intervalMs ?? 2000;
  const started = now();
  let last = started;
  return (done, total) => {
    const t = now();
    if (t - last < interval) return;
    last = t;
    const pct = total === 0 ? 100 : Math.floor((100 * done) / total);
    const rate = done / ((t - started) / 1000);
    stream.write(
      `sipflow ${label}: ${count.format(done)}/${count.format(total)} records (${pct} %), ${count.format(rate)}/s\n`,
    );
  };
}
