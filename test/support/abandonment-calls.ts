// The crafted calls of the abandoned-call ledger's integration tests (recompute and live): one
// group abandoning exactly 4 %, and beside it everything the rate must not count.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallAttempt } from '@sipflow/codec';
import type { LedgerCounts } from '@sipflow/rules';
import type { Topics } from '@sipflow/pipeline';
import { parse, stringify } from 'yaml';
import { attempt } from './attempts';
import { sipflowCli } from './processor-harness';

/** The crafted group's start date: its period 1 is 2026-11-02 to 2026-12-02. */
export const SOLAR_START = '2026-11-02';
/** Inside the group's first period. */
export const T0 = Date.parse('2026-11-20T15:00:00Z');

/** The default rules with another abandonment section, as a file for --rules. */
export function rulesFileWith(abandonment: Record<string, unknown>): string {
  const file = parse(readFileSync('libs/rules/rules/default-rules.yaml', 'utf8')) as Record<string, unknown>;
  file.abandonment = abandonment;
  const path = join(mkdtempSync(join(tmpdir(), 'sipflow-ledger-')), 'rules.yaml');
  writeFileSync(path, stringify(file));
  return path;
}

/** A person-answered call, connected after `connectMs` (null: never), at minute `i` of the period. */
function human(i: number, connectMs: number | null, fields: Partial<CallAttempt> = {}): CallAttempt {
  const at = T0 + i * 60_000;
  return attempt({
    campaignId: i % 2 === 0 ? 'cmp-a' : 'cmp-b',
    sipCode: 200,
    answeredBy: 'HUMAN',
    ringingAt: at - 8_000,
    answeredAt: at,
    agentConnectedAt: connectMs === null ? null : at + connectMs,
    abandoned: false,
    startedAt: at - 10_000,
    endedAt: at + 60_000,
    ...fields,
  });
}

/**
 * The crafted period: 1,000 person-answered calls, 40 of them abandoned (20 by the dialer's word,
 * 10 never connected, 10 connected 2.5 s after the answer; 5 without the message), so 4.00 %;
 * beside them what the rate must not count.
 */
export function craftedCalls(): { calls: CallAttempt[]; invalid: CallAttempt[]; solarCounts: LedgerCounts } {
  const calls: CallAttempt[] = [];
  for (let i = 0; i < 1_000; i++) {
    if (i < 20) calls.push(human(i, null, { abandoned: true, abandonMessagePlayed: i >= 5 }));
    else if (i < 30) calls.push(human(i, null, { abandoned: null }));
    else if (i < 40) calls.push(human(i, 2_500));
    else calls.push(human(i, 2_000));
  }
  // machines and faxes answered: outside the rate, even abandoned
  for (let i = 0; i < 200; i++)
    calls.push(human(1_000 + i, null, { answeredBy: i % 10 === 0 ? 'FAX' : 'MACHINE', abandoned: true }));
  // detection could not tell: counted only in conservative mode
  for (let i = 0; i < 30; i++) calls.push(human(1_200 + i, i < 3 ? null : 900, { answeredBy: 'UNKNOWN' }));
  // cancelled after 12 s and after 20 s of ringing: one short ring
  for (const ringMs of [12_000, 20_000])
    calls.push(
      attempt({
        campaignId: 'cmp-a',
        sipCode: 487,
        startedAt: T0 - ringMs - 2_000,
        ringingAt: T0 - ringMs,
        endedAt: T0,
      }),
    );
  // the next period (30 days on), and a campaign in no group
  calls.push(human(30 * 24 * 60, null));
  calls.push(human(0, 500, { campaignId: 'cmp-other' }));
  // dead-lettered by the processor (a number that is not E.164): not a call, not counted
  const invalid = [human(1_300, null, { phoneNumber: 'not-a-number', abandoned: true })];
  // what group solar's period 1 (cmp-a and cmp-b) holds, counted by hand from the lines above
  const solarCounts: LedgerCounts = {
    calls: 1_000 + 200 + 30 + 2,
    personAnswered: 1_000,
    personAbandoned: 40,
    unknownAnswered: 30,
    unknownAbandoned: 3,
    machineAnswered: 180,
    faxAnswered: 20,
    undetectedAnswered: 0,
    abandonedByDialer: 20,
    neverConnected: 10 + 3,
    connectedLate: 10,
    withoutMessage: 5,
    shortRingCancels: 1,
  };
  return { calls, invalid, solarCounts };
}

/** `sipflow abandonment ARGS` as a child process on the test cluster's `topics`. */
export const runCli = (topics: Topics, args: string[]) => sipflowCli(topics, ['abandonment', ...args]);

/** 2026-12-01, in period 12 of a campaign numbered from periodsFrom (2026-11-27 to 2026-12-27). */
export const T_RISE = Date.parse('2026-12-01T15:00:00Z');

/** A call of campaign cmp-rise a person answered at `at`: never connected when `abandoned`. */
export function answeredCall(at: number, abandoned: boolean): CallAttempt {
  return attempt({
    campaignId: 'cmp-rise',
    sipCode: 200,
    answeredBy: 'HUMAN',
    startedAt: at - 30_000,
    ringingAt: at - 25_000,
    answeredAt: at - 20_000,
    agentConnectedAt: abandoned ? null : at - 19_000,
    endedAt: at,
  });
}
