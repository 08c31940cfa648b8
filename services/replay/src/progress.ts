const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export type ProgressState = {
  label: string;
  /** records behind the positions, and in the whole window */
  done: number;
  total: number;
  /** events per second in this run */
  rate: number;
};

/** `0:42`, `12:05`, `3:04:05`; `--:--` when unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

const percent = (s: ProgressState) =>
  s.total === 0 ? 100 : Math.min(100, Math.floor((100 * s.done) / s.total));
const eta = (s: ProgressState) => (s.rate > 0 ? (s.total - s.done) / s.rate : s.done >= s.total ? 0 : NaN);

/** The TTY bar: `replay [########------------] 42% 1,234/2,900 · 150 events/s · ETA 0:11`. */
export function formatBar(s: ProgressState, width = 24): string {
  const filled = Math.round((percent(s) / 100) * width);
  return (
    `${s.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${percent(s)}% ` +
    `${count.format(s.done)}/${count.format(s.total)} · ${count.format(s.rate)} events/s · ETA ${formatDuration(eta(s))}`
  );
}

/** The line written every few seconds when stderr is not a terminal. */
export function formatLine(s: ProgressState): string {
  return (
    `${s.label}: ${percent(s)}% (${count.format(s.done)}/${count.format(s.total)} records), ` +
    `${count.format(s.rate)} events/s, ETA ${formatDuration(eta(s))}`
  );
}

export type ProgressReporter = { update: (done: number) => void; stop: () => void };

/**
 * A bar redrawn in place on a terminal, or a line every `intervalMs` otherwise (logs, CI).
 * The rate is over this run, so a resumed replay's ETA is not skewed by the earlier run.
 */
export function createProgressReporter(opts: {
  label: string;
  total: number;
  done: number;
  stream: NodeJS.WritableStream & { isTTY?: boolean };
  intervalMs?: number;
  now?: () => number;
}): ProgressReporter {
  const now = opts.now ?? Date.now;
  const tty = opts.stream.isTTY === true;
  const started = now();
  const doneAtStart = opts.done;
  let done = opts.done;
  const state = (): ProgressState => {
    const seconds = (now() - started) / 1000;
    return {
      label: opts.label,
      done,
      total: opts.total,
      rate: seconds > 0 ? (done - doneAtStart) / seconds : 0,
    };
  };
  const draw = () => opts.stream.write(tty ? `\r\x1b[2K${formatBar(state())}` : `${formatLine(state())}\n`);
  const timer = setInterval(draw, opts.intervalMs ?? (tty ? 250 : 2000));
  timer.unref();
  return {
    update: (n) => {
      done = n;
    },
    stop: () => {
      clearInterval(timer);
      if (tty) opts.stream.write(`\r\x1b[2K${formatBar(state())}\n`);
    },
  };
}
