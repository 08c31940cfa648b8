import { spawnSync } from 'node:child_process';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '@sipflow/errors';
import { defaultRules } from '@sipflow/rules';
import { classifyStream } from '../src/commands/classify';

const BIN = fileURLToPath(new URL('../bin/sipflow.mjs', import.meta.url));
const DEFAULT_RULES = fileURLToPath(new URL('../../../libs/rules/rules/default-rules.yaml', import.meta.url));

const GOOD = {
  eventId: '5f0c3a52-9d7e-4c1b-8a4f-2b1e6d3c9a70',
  leadId: 'lead-42',
  campaignId: 'spring',
  phoneNumber: '+14155550123',
  callerId: '+12125550100',
  sipCode: 486,
  sipReason: 'Busy Here',
  q850Cause: 34,
  retryAfterSeconds: null,
  attemptNumber: 2,
  startedAt: '2026-06-10T17:59:30Z',
  endedAt: '2026-06-10T18:00:05Z',
  leadTimezone: 'America/New_York',
  carrier: 'acme',
};

function run(args: string[], input: string) {
  return spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8' });
}

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.text += chunk.toString();
    done();
  }
}

describe('sipflow classify', () => {
  it('enriches good lines, reports bad ones with line number and code, and exits 1', () => {
    const input = [
      JSON.stringify(GOOD),
      JSON.stringify({ ...GOOD, sipCode: 99 }),
      '{not json',
      '',
      JSON.stringify({
        ...GOOD,
        sipCode: 404,
        q850Cause: undefined,
        startedAt: 1781114370000,
        endedAt: 1781114405000,
      }),
    ].join('\n');
    const result = run(['classify'], input);
    expect(result.status).toBe(1);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      ...GOOD,
      startedAt: '2026-06-10T17:59:30.000Z',
      endedAt: '2026-06-10T18:00:05.000Z',
      disposition: 'CONGESTION',
      action: 'RETRY',
      ruleId: 'busy-congestion',
      rulesVersion: '1.1.0',
    });
    expect(lines[0].retryAt).toMatch(/^2026-06-10T18:3\d:\d\d\.\d{3}Z$/);
    expect(lines[1]).toMatchObject({
      sipCode: 404,
      q850Cause: null,
      disposition: 'INVALID_NUMBER',
      retryAt: null,
    });
    expect(lines[1].endedAt).toBe('2026-06-10T18:00:05.000Z');
    expect(result.stderr).toContain(
      'line 2: SIPFLOW_INVALID_SIP_CODE: sipCode must be an integer SIP status code',
    );
    expect(result.stderr).toContain('line 3: SIPFLOW_INVALID_JSON:');
    expect(result.stderr).not.toContain('line 4');
  });

  it('reads answeredBy: a machine answer is retried, a fax removes the number, an unknown value is a bad line', () => {
    const answered = (n: number, answeredBy: string) =>
      JSON.stringify({
        ...GOOD,
        eventId: `00000000-0000-4000-8000-0000000000a${n}`,
        sipCode: 200,
        answeredBy,
      });
    const result = run(
      ['classify'],
      [answered(1, 'MACHINE'), answered(2, 'FAX'), answered(3, 'ROBOT')].join('\n'),
    );
    expect(result.status).toBe(1);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((l) => [l.answeredBy, l.disposition, l.action, l.removalScope])).toEqual([
      ['MACHINE', 'ANSWERING_MACHINE', 'RETRY', null],
      ['FAX', 'FAX', 'REMOVE_LEAD', 'NUMBER'],
    ]);
    expect(result.stderr).toContain(
      'line 3: SIPFLOW_INVALID_FIELD: answeredBy must be one of HUMAN, MACHINE, FAX, UNKNOWN, or null, got "ROBOT"',
    );
  });

  it('exits 0 when every line is good and honours --rules', () => {
    const result = run(['classify', '--rules', DEFAULT_RULES], `${JSON.stringify(GOOD)}\n`);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it("carries each number's calls across lines: a third Florida call within 24 h has its retry moved by the cap", () => {
    // +1 305: Florida, at most 3 calls per 24 h; the retry would be the fourth call
    const first = Date.parse('2026-06-10T14:00:00Z');
    const call = (n: number, at: number) =>
      JSON.stringify({
        ...GOOD,
        eventId: `00000000-0000-4000-8000-00000000000${n}`,
        phoneNumber: '+13055550123',
        q850Cause: null,
        attemptNumber: n,
        startedAt: at,
        endedAt: at + 30_000,
      });
    const hour = 3_600_000;
    // a bad line for the same number in between places no call the cap counts
    const bad = JSON.stringify({ ...GOOD, phoneNumber: '+13055550123', sipCode: 99 });
    const input = [call(1, first), call(2, first + hour), bad, call(3, first + 2 * hour)].join('\n');
    const parse = (stdout: string) =>
      stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));

    const lines = parse(run(['classify'], input).stdout);
    expect(lines.map((l) => l.action)).toEqual(['RETRY', 'RETRY', 'RETRY']);
    expect(lines[1].retryMovedBy).toBeNull();
    // the first call leaves the 24 h period at 14:00 the next day: the earliest the cap allows
    expect(lines[2].retryAt).toBe('2026-06-11T14:00:00.000Z');
    expect(lines[2].retryMovedBy).toBe('US-FL 3 calls per 24 h (Fla. Stat. § 501.616(6)(b))');

    const alone = parse(run(['classify', '--no-history'], input).stdout);
    expect(alone[2].retryMovedBy).toBeNull();
    expect(Date.parse(alone[2].retryAt)).toBeLessThan(first + 3 * hour);
  });

  it('refuses an invalid rules file before reading input: its code, its help, exit 78 (EX_CONFIG)', () => {
    const result = run(['classify', '--rules', 'no/such/rules.yaml'], JSON.stringify(GOOD));
    expect(result.status).toBe(78);
    expect(result.stdout).toBe('');
    const [line, help] = result.stderr.split('\n');
    expect(line).toMatch(/^sipflow: SIPFLOW_INVALID_RULES: no\/such\/rules\.yaml: cannot read/);
    expect(help).toBe(`  ${ERROR_CATALOGUE.SIPFLOW_INVALID_RULES.help}`);
  });

  it('rejects a timestamp string that is not an ISO-8601 instant', async () => {
    const errors = new Collect();
    const bad = await classifyStream(
      Readable.from([JSON.stringify({ ...GOOD, endedAt: '10 June 2026' })]),
      new Collect(),
      errors,
      defaultRules(),
    );
    expect(bad).toBe(1);
    expect(errors.text).toContain(
      'line 1: SIPFLOW_INVALID_TIMESTAMPS: endedAt must be epoch milliseconds or an ISO-8601',
    );
  });

  it('waits for a slow reader instead of buffering everything (backpressure)', async () => {
    const line = `${JSON.stringify(GOOD)}\n`;
    const input = Readable.from(
      (function* () {
        for (let i = 0; i < 5_000; i++) yield line;
      })(),
    );
    let received = 0;
    let maxBuffered = 0;
    const slow: Writable = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, done) {
        maxBuffered = Math.max(maxBuffered, slow.writableLength);
        received += chunk.toString().split('\n').length - 1;
        setTimeout(done, 2);
      },
    });
    const bad = await classifyStream(input, slow, new Collect(), defaultRules());
    await new Promise((resolve) => slow.end(resolve));
    expect(bad).toBe(0);
    expect(received).toBe(5_000);
    // About 2 MB of output: without waiting for 'drain' it would all sit in the stream's buffer.
    expect(maxBuffered).toBeLessThan(200 * 1024);
  });
});
