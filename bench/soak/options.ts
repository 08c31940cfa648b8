// `npm run soak` flags, validated up front so a typo fails in a second, not ten minutes in.
import { parseArgs } from 'node:util';

export type Guarantee = 'at_least_once' | 'exactly_once';

export type SoakSettings = {
  events: number;
  rate: number;
  sampleSeconds: number;
  /** samples before this (from the first offered event) are kept but not judged: join, JIT, pools */
  warmUpSeconds: number;
  partitions: number;
  guarantee: Guarantee;
  poisonRatio: number;
  seed: number;
  /** consumer lag above rate × this fails the run: the processor is not keeping up */
  maxLagSeconds: number;
  /** after the last event is offered, the processor must commit everything within this */
  catchUpSeconds: number;
  /** the peak-RSS budget the processor is held to */
  rssBudgetMB: number;
  /** the whole run, set-up to SIGTERM (the audit has its own limit) */
  deadlineSeconds: number;
  readme: boolean;
  keepTopics: boolean;
};

const USAGE = `npm run soak -- [--events N] [--rate N] [--sample-seconds N] [--warm-up-seconds N]
  [--guarantee at-least-once|exactly-once] [--partitions N] [--poison-ratio R] [--seed N]
  [--max-lag-seconds N] [--catch-up-seconds N] [--rss-budget-mb N] [--deadline-seconds N]
  [--no-readme] [--keep-topics]`;

function positive(name: string, text: string, integer: boolean): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isSafeInteger(n)))
    throw new Error(`--${name}: expected a ${integer ? 'whole ' : ''}number > 0, got "${text}"\n${USAGE}`);
  return n;
}

export function parseSoakArgs(argv: string[]): SoakSettings {
  const { values: a } = parseArgs({
    args: argv,
    options: {
      events: { type: 'string', default: '1000000' },
      // ~10 minutes for the default million events
      rate: { type: 'string', default: '1700' },
      'sample-seconds': { type: 'string', default: '5' },
      'warm-up-seconds': { type: 'string', default: '60' },
      guarantee: { type: 'string', default: 'at-least-once' },
      partitions: { type: 'string', default: '3' },
      // the share the compose file's simulator sends: keeps the dead-letter path under soak too
      'poison-ratio': { type: 'string', default: '0.01' },
      seed: { type: 'string', default: '42' },
      'max-lag-seconds': { type: 'string', default: '30' },
      'catch-up-seconds': { type: 'string', default: '120' },
      'rss-budget-mb': { type: 'string', default: '300' },
      'deadline-seconds': { type: 'string' },
      'no-readme': { type: 'boolean', default: false },
      'keep-topics': { type: 'boolean', default: false },
    },
  });
  const guarantees: Record<string, Guarantee> = {
    'at-least-once': 'at_least_once',
    'exactly-once': 'exactly_once',
  };
  const guarantee = guarantees[a.guarantee!];
  if (!guarantee) throw new Error(`--guarantee: expected at-least-once or exactly-once\n${USAGE}`);
  const poisonRatio = Number(a['poison-ratio']);
  if (!(poisonRatio >= 0 && poisonRatio <= 1)) throw new Error(`--poison-ratio: expected 0..1\n${USAGE}`);
  const seed = Number(a.seed);
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff))
    throw new Error(`--seed: expected 0..4294967295\n${USAGE}`);

  const warmUpSeconds = Number(a['warm-up-seconds']);
  if (!(warmUpSeconds >= 0)) throw new Error(`--warm-up-seconds: expected a number ≥ 0\n${USAGE}`);
  const events = positive('events', a.events!, true);
  const rate = positive('rate', a.rate!, false);
  const catchUpSeconds = positive('catch-up-seconds', a['catch-up-seconds']!, false);
  // the offered load, plus a quarter for a slow producer, plus the catch-up and two minutes of set-up
  const defaultDeadline = Math.ceil((events / rate) * 1.25 + catchUpSeconds + 120);
  return {
    events,
    rate,
    sampleSeconds: positive('sample-seconds', a['sample-seconds']!, false),
    warmUpSeconds,
    partitions: positive('partitions', a.partitions!, true),
    guarantee,
    poisonRatio,
    seed,
    maxLagSeconds: positive('max-lag-seconds', a['max-lag-seconds']!, false),
    catchUpSeconds,
    rssBudgetMB: positive('rss-budget-mb', a['rss-budget-mb']!, false),
    deadlineSeconds:
      a['deadline-seconds'] === undefined
        ? defaultDeadline
        : positive('deadline-seconds', a['deadline-seconds'], false),
    readme: !a['no-readme'],
    keepTopics: a['keep-topics']!,
  };
}
