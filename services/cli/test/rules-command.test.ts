import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '@sipflow/errors';

const BIN = fileURLToPath(new URL('../bin/sipflow.mjs', import.meta.url));
const DEFAULT_RULES = fileURLToPath(new URL('../../../libs/rules/rules/default-rules.yaml', import.meta.url));

function run(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
}

describe('sipflow rules explain', () => {
  it('names the rule, its disposition, action, retry policy and explanation', () => {
    const result = run(['rules', 'explain', '486', '--q850', '34']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      'rule          busy-congestion (rules[7], code list + Q.850) in default-rules.yaml version 1.1.0',
    );
    expect(result.stdout).toContain('disposition   CONGESTION');
    expect(result.stdout).toContain('action        RETRY');
    expect(result.stdout).toContain('retry policy  30 min + up to 10 % jitter');
    expect(result.stdout).toContain(
      'explanation   SIP 486 Busy Here with Q.850 cause 34 (No circuit/channel available)',
    );
  });

  it("lists the profile's caps on calls to one number by region, for a retry", () => {
    const result = run(['rules', 'explain', '480']);
    expect(result.stdout).toContain('no retry once attemptNumber reaches 6\n');
    expect(result.stdout).toContain(
      'caps          US-FL 3 calls per 24 h (Fla. Stat. § 501.616(6)(b))\n' +
        '              US-MD 3 calls per 24 h',
    );
    expect(result.stdout).toContain('              US-ME 1 call per 8 h (10 M.R.S. § 1498(3))\n');
    expect(run(['rules', 'explain', '404']).stdout).not.toContain('caps ');
  });

  it('names the campaign caps, and no attempt limit when maxAttempts sets only caps', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sipflow-cli-')), 'rules.yaml');
    const text = readFileSync(DEFAULT_RULES, 'utf8');
    // the shipped file writes "maxAttempts: 6 # ..." on one line
    expect(text).toMatch(/^ {2}maxAttempts: 6 /m);
    writeFileSync(path, text.replace(/^ {2}maxAttempts: 6 .*$/m, '  maxAttempts: { count: 2, per: 4h }'));
    const result = run(['rules', 'explain', '480', '--rules', path]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      "and inside every window of the us jurisdiction profile for the lead's region, at most 2 calls per 4 h to the number (campaign cap)\n",
    );
    expect(result.stdout).not.toContain('attemptNumber');
    expect(result.stdout).not.toContain('Infinity');
  });

  it('says there is no retry for a removal', () => {
    const result = run(['rules', 'explain', '404']);
    expect(result.stdout).toContain('action        REMOVE_LEAD');
    expect(result.stdout).toContain('retry policy  no retry');
  });

  it.each([
    ['700', 'got 700'],
    ['99', 'got 99'],
    ['abc', 'got "abc"'],
  ])('rejects code %s clearly, exit 65 (EX_DATAERR)', (code, got) => {
    const result = run(['rules', 'explain', code]);
    expect(result.status).toBe(65);
    expect(result.stderr).toBe(
      `sipflow: SIPFLOW_INVALID_SIP_CODE: SIP code must be an integer 100–699, ${got}\n` +
        `  ${ERROR_CATALOGUE.SIPFLOW_INVALID_SIP_CODE.help}\n`,
    );
  });
});

describe('sipflow rules check', () => {
  it('prints OK with version and rule count', () => {
    const result = run(['rules', 'check', DEFAULT_RULES]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`OK ${DEFAULT_RULES}: version 1.1.0, 22 rules\n`);
  });

  it('prints the bad entry and exits 78 (EX_CONFIG)', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'sipflow-cli-')), 'rules.yaml');
    writeFileSync(
      path,
      readFileSync(DEFAULT_RULES, 'utf8').replace('match: { sip: 487 }', 'match: { sip: 487x }'),
    );
    const result = run(['rules', 'check', path]);
    expect(result.status).toBe(78);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^sipflow: SIPFLOW_INVALID_RULES: .*rules\.yaml: rules\[\d+\] \(id "cancelled"\)\.match\.sip: expected a SIP code/,
    );
    expect(result.stderr).toContain(`\n  ${ERROR_CATALOGUE.SIPFLOW_INVALID_RULES.help}\n`);
  });
});
