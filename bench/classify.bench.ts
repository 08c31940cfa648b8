/**
 * classify() throughput on a realistic mix of call outcomes, one core.
 *
 *   npx tsx bench/classify.bench.ts [events=200000] [runs=7]
 *
 * Prints events/s and writes bench/results/classify-<date>.json (machine, figures, command).
 */
import { writeFileSync } from 'node:fs';
import { arch, cpus, platform, release } from 'node:os';
import { classify, defaultRules, type Action, type CallAttempt } from '@sipflow/rules';

const EVENTS = Number(process.argv[2] ?? 200_000);
const RUNS = Number(process.argv[3] ?? 7);
const WARM_UP_PASSES = 3;

// Deterministic data: the same events on every machine (mulberry32).
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const random = prng(20260308);

function pick<T>(weighted: ReadonlyArray<readonly [T, number]>): T {
  let r = random() * weighted.reduce((sum, [, weight]) => sum + weight, 0);
  for (const [value, weight] of weighted) {
    r -= weight;
    if (r < 0) return value;
  }
  return weighted[0]![0];
}

interface Outcome {
  readonly sip: number;
  readonly causes: readonly (number | null)[];
}

// What an outbound dialer sees: mostly answered, no-answer and busy; a few removals and failures.
const OUTCOMES: ReadonlyArray<readonly [Outcome, number]> = [
  [{ sip: 200, causes: [16] }, 28],
  [{ sip: 480, causes: [null, 19, 18] }, 24],
  [{ sip: 486, causes: [null, 17, 17, 34, 42] }, 18],
  [{ sip: 408, causes: [null, 102] }, 5],
  [{ sip: 404, causes: [null, 1] }, 6],
  [{ sip: 503, causes: [null, 34, 41, 47] }, 6],
  [{ sip: 603, causes: [null, 21] }, 5],
  [{ sip: 487, causes: [null] }, 3],
  [{ sip: 500, causes: [null, 127] }, 2],
  [{ sip: 403, causes: [null, 21] }, 1],
  [{ sip: 607, causes: [null] }, 1],
  [{ sip: 608, causes: [null] }, 1],
];

const ZONES: ReadonlyArray<readonly [string | null, number]> = [
  ['America/New_York', 30],
  ['America/Chicago', 20],
  ['America/Denver', 8],
  ['America/Los_Angeles', 15],
  ['America/Phoenix', 4],
  ['Europe/London', 6],
  ['Australia/Sydney', 5],
  [null, 12],
];

function hex(length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += Math.floor(random() * 16).toString(16);
  return text;
}

function makeEvent(): CallAttempt {
  const outcome = pick(OUTCOMES);
  // A week of traffic across the US spring-forward weekend.
  const endedAt = Date.parse('2026-03-05T12:00:00Z') + Math.floor(random() * 7 * 86_400_000);
  return {
    eventId: `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`,
    leadId: `lead-${Math.floor(random() * 1e6)}`,
    campaignId: `campaign-${Math.floor(random() * 20)}`,
    phoneNumber: `+1${2 + Math.floor(random() * 8)}${String(Math.floor(random() * 1e9)).padStart(9, '0')}`,
    callerId: '+12125550100',
    sipCode: outcome.sip,
    sipReason: null,
    q850Cause: outcome.causes[Math.floor(random() * outcome.causes.length)]!,
    retryAfterSeconds: outcome.sip === 503 && random() < 0.5 ? 60 * (1 + Math.floor(random() * 60)) : null,
    // Skewed to early attempts, so about half the outcomes are retried.
    attemptNumber: 1 + Math.floor(random() ** 2 * 7),
    startedAt: endedAt - Math.floor(random() * 60_000),
    endedAt,
    leadTimezone: pick(ZONES),
    carrier: 'carrier-a',
  };
}

const events = Array.from({ length: EVENTS }, makeEvent);
const rules = defaultRules();

// Keep the results observable so the JIT cannot drop the calls.
let sink = 0;
function pass(): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < events.length; i++) {
    const result = classify(events[i]!, rules);
    sink += result.explanation.length + (result.retryAt ?? 0);
  }
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const actions: Record<Action, number> = { NONE: 0, RETRY: 0, REMOVE_LEAD: 0, COMPLIANCE_ALERT: 0 };
for (const event of events) actions[classify(event, rules).action]++;

for (let i = 0; i < WARM_UP_PASSES; i++) pass();
const rates = Array.from({ length: RUNS }, () => EVENTS / pass()).sort((a, b) => a - b);
const median = rates[Math.floor(rates.length / 2)]!;

const share = (n: number) => `${((100 * n) / EVENTS).toFixed(1)} %`;
console.log(
  `actions: RETRY ${share(actions.RETRY)}, NONE ${share(actions.NONE)}, ` +
    `REMOVE_LEAD ${share(actions.REMOVE_LEAD)}, COMPLIANCE_ALERT ${share(actions.COMPLIANCE_ALERT)}`,
);
console.log(
  `classify: ${Math.round(median).toLocaleString('en-US')} events/s per core (median of ${RUNS} runs of ${EVENTS} events)`,
);

const date = new Date().toISOString().slice(0, 10);
const path = new URL(`results/classify-${date}.json`, import.meta.url);
const report = {
  benchmark: 'classify',
  date: new Date().toISOString(),
  command: `npx tsx bench/classify.bench.ts ${process.argv.slice(2).join(' ')}`.trim(),
  machine: {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    node: process.version,
    os: `${platform()} ${release()} ${arch()}`,
  },
  events: EVENTS,
  runs: RUNS,
  warmUpPasses: WARM_UP_PASSES,
  rulesVersion: rules.version,
  actionShare: Object.fromEntries(Object.entries(actions).map(([action, n]) => [action, n / EVENTS])),
  eventsPerSecond: { median: Math.round(median), min: Math.round(rates[0]!), max: Math.round(rates.at(-1)!) },
  checksum: sink,
};
writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
console.log(`wrote ${path.pathname}`);
