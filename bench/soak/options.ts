// `npm run soak` flags, validated up front so a typo fails in a second, not ten minutes in.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SipflowError } from '@sipflow/errors';

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

/** A bad flag: the message names it, the usage follows. */
function invalidOption(option: string, message: string): SipflowError {
  return new SipflowError('SIPFLOW_INVALID_OPTION', `${message}\n${USAGE}`, { option });
}

function positive(name: string, text: string, integer: boolean): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isSafeInteger(n)))
    throw invalidOption(name, `--${name}: expected a ${integer ? 'whole ' : ''}number > 0, got "${text}"`);
  return n;
}

/** parseArgs, with its own refusals (an unknown flag, a flag without its value) coded as the others are. */
function parseFlags<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    if (err instanceof Error && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_'))
      throw new SipflowError('SIPFLOW_INVALID_OPTION', err.message, {}, { cause: err });
    throw err;
  }
}

export function parseSoakArgs(argv: string[]): SoakSettings {
  const { values: a } = parseFlags({
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
  if (!guarantee) throw invalidOption('guarantee', '--guarantee: expected at-least-once or exactly-once');
  const poisonRatio = Number(a['poison-ratio']);
  if (!(poisonRatio >= 0 && poisonRatio <= 1))
    throw invalidOption('poison-ratio', '--poison-ratio: expected 0..1');
  const seed = Number(a.seed);
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff))
    throw invalidOption('seed', '--seed: expected 0..4294967295');

  const warmUpSeconds = Number(a['warm-up-seconds']);
  if (!(warmUpSeconds >= 0))
    throw invalidOption('warm-up-seconds', '--warm-up-seconds: expected a number ≥ 0');
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
