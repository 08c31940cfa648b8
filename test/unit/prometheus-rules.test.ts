import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { findPrometheusTools } from '../support/prometheus-tools';

const RULES = 'ops/prometheus/alerts/sipflow.rules.yml';
const RULE_TESTS = 'ops/prometheus/alerts/sipflow.rules.test.yml';

type Rule = {
  alert?: string;
  record?: string;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
};
type AlertTest = { alertname: string; exp_alerts?: unknown[] };

const alerts = (parse(readFileSync(RULES, 'utf8')) as { groups: { rules: Rule[] }[] }).groups
  .flatMap((g) => g.rules)
  .filter((r) => r.alert);
const cases = (
  parse(readFileSync(RULE_TESTS, 'utf8')) as { tests: { alert_rule_test: AlertTest[] }[] }
).tests.flatMap((t) => t.alert_rule_test);

describe('alert rules (static)', () => {
  it('defines the nine alerts the operators rely on', () => {
    expect(alerts.map((a) => a.alert).sort()).toEqual([
      'SipflowAbandonmentOverLimit',
      'SipflowAbandonmentWarning',
      'SipflowComplianceSpike',
      'SipflowConsumerLagGrowing',
      'SipflowDlqRateHigh',
      'SipflowEventLatencyHigh',
      'SipflowNoInput',
      'SipflowProcessorDown',
      'SipflowRulesReloadFailed',
    ]);
  });

  for (const rule of alerts) {
    it(`${rule.alert}: has a severity, a summary and a runbook saying what to check and do`, () => {
      expect(['warning', 'critical']).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary).toBeTruthy();
      expect(rule.annotations?.runbook).toMatch(/Check:.*Do:/s);
    });

    it(`${rule.alert}: has a unit test where it fires and one where it stays quiet`, () => {
      const mine = cases.filter((c) => c.alertname === rule.alert);
      expect(
        mine.some((c) => (c.exp_alerts ?? []).length > 0),
        'a firing case',
      ).toBe(true);
      expect(
        mine.some((c) => (c.exp_alerts ?? []).length === 0),
        'a quiet case',
      ).toBe(true);
    });
  }
});

const found = findPrometheusTools();

describe.skipIf(!found.tools)(
  `alert rules (promtool)${found.skipReason ? ` (skipped: ${found.skipReason})` : ''}`,
  () => {
    // promtool evaluates every case's series minute by minute: seconds of CPU, and on a loaded
    // machine tens of seconds of wall time. vitest's 5 s default would fail a passing run.
    const PROMTOOL_TIMEOUT_MS = 60_000;
    const promtool = (...args: string[]) => {
      const run = spawnSync(found.tools!.promtool, args, { encoding: 'utf8', timeout: PROMTOOL_TIMEOUT_MS });
      return { status: run.status, output: `${run.stdout}${run.stderr}` };
    };

    it(
      'promtool check rules accepts the rules file',
      () => {
        const { status, output } = promtool('check', 'rules', RULES);
        expect(output).toContain('SUCCESS');
        expect(status, output).toBe(0);
      },
      PROMTOOL_TIMEOUT_MS,
    );

    it(
      'promtool test rules passes every case',
      () => {
        const { status, output } = promtool('test', 'rules', RULE_TESTS);
        expect(status, output).toBe(0);
        expect(output).toContain('SUCCESS');
      },
      PROMTOOL_TIMEOUT_MS,
    );
  },
);
