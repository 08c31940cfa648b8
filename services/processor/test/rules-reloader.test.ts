import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultRules } from '@sipflow/rules';
import { createLogger, createProcessorMetrics } from '@sipflow/telemetry';
import { Registry } from 'prom-client';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { defaultRulesData } from '../../../libs/rules/test/fixtures/rules-file';
import { createRulesReloader } from '../src/rules-reloader';
import { watchRulesFile } from '../src/rules-watch';

/** The shipped rules' version, which the processor runs with until a reload (setup's file holds it). */
const RUNNING = defaultRules().version;
const NEXT = `${RUNNING}-next`;

function rulesText(version: string, edit: (d: ReturnType<typeof defaultRulesData>) => void = () => {}) {
  const data = defaultRulesData();
  data.version = version;
  edit(data);
  return stringify(data);
}

function setup(initialText = rulesText(RUNNING)) {
  const dir = mkdtempSync(join(tmpdir(), 'sipflow-reload-'));
  const file = join(dir, 'rules.yaml');
  writeFileSync(file, initialText);
  const registry = new Registry();
  const metrics = createProcessorMetrics(registry, { defaultMetrics: false, version: 't' });
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const logger = createLogger({ level: 'info', name: 't', destination });
  const reloader = createRulesReloader({ initial: defaultRules(), file, metrics, logger });
  const value = async (name: string, labels: Record<string, string> = {}) =>
    (await registry.getSingleMetric(name)!.get()).values.find(
      (v) => JSON.stringify(v.labels) === JSON.stringify(labels),
    )?.value;
  const rulesVersionInfo = async () =>
    (await registry.getSingleMetric('sipflow_build_info')!.get()).values.map((v) => v.labels.rules_version);
  return { file, reloader, value, lines, rulesVersionInfo, metrics };
}

describe('rules reloader', () => {
  it('swaps in a valid file with a new version, and says so in the metrics', async () => {
    const { file, reloader, value, rulesVersionInfo } = setup();
    const before = reloader.current();
    writeFileSync(
      file,
      rulesText(NEXT, (d) => (d.retry.jitter = 0)),
    );
    expect(reloader.reload()).toEqual({ result: 'success', version: NEXT, previousVersion: RUNNING });
    expect(reloader.current().version).toBe(NEXT);
    expect(reloader.current().jitter).toBe(0);
    expect(before.version).toBe(RUNNING); // a batch holding the old set keeps it whole
    expect(await value('sipflow_rules_reload_total', { result: 'success' })).toBe(1);
    expect(await value('sipflow_rules_last_reload_successful')).toBe(1);
    expect(await rulesVersionInfo()).toEqual([NEXT]);
  });

  it('keeps the running rules on a file that does not validate, logging its SIPFLOW_* code', async () => {
    const { file, reloader, value, lines, rulesVersionInfo } = setup();
    reloader.reload(); // the same rules: unchanged
    writeFileSync(
      file,
      rulesText('2.0.0', (d) => (d.rules = d.rules.filter((r) => r.match.sip !== '4xx'))),
    );
    const outcome = reloader.reload();
    expect(outcome).toMatchObject({ result: 'failure', version: RUNNING, code: 'SIPFLOW_INVALID_RULES' });
    expect(outcome.result === 'failure' && outcome.message).toContain('no fallback for 4xx');
    expect(reloader.current()).toBe(defaultRules());
    expect(await value('sipflow_rules_reload_total', { result: 'failure' })).toBe(1);
    expect(await value('sipflow_rules_reload_total', { result: 'unchanged' })).toBe(1);
    expect(await value('sipflow_rules_last_reload_successful')).toBe(0);
    expect(await rulesVersionInfo()).toEqual(['none']); // set by the processor at start, not here
    const logged = lines.find((l) => l.msg === 'rules reload failed; the running rules stay');
    expect(logged).toMatchObject({ level: 50, code: 'SIPFLOW_INVALID_RULES', runningVersion: RUNNING });
  });

  it('keeps the running rules when the file is not YAML, or cannot be read', () => {
    const { file, reloader } = setup();
    writeFileSync(file, 'version: "3"\nrules: [\n');
    expect(reloader.reload()).toMatchObject({ result: 'failure', code: 'SIPFLOW_INVALID_RULES' });
    const missing = createRulesReloader({
      initial: defaultRules(),
      file: join(file, '..', 'gone.yaml'),
      metrics: setup().metrics,
      logger: createLogger({ level: 'silent' }),
    });
    const outcome = missing.reload();
    expect(outcome).toMatchObject({ result: 'failure', version: RUNNING, code: 'SIPFLOW_INVALID_RULES' });
    expect(outcome.result === 'failure' && outcome.message).toMatch(/gone\.yaml: cannot read/);
    expect(reloader.current().version).toBe(RUNNING);
  });

  it('refuses changed rules under the running version: outputs would name two rule sets alike', () => {
    const { file, reloader } = setup();
    writeFileSync(
      file,
      rulesText(RUNNING, (d) => (d.retry.jitter = 0)),
    );
    const outcome = reloader.reload();
    expect(outcome).toMatchObject({ result: 'failure', code: 'SIPFLOW_INVALID_RULES' });
    expect(outcome.result === 'failure' && outcome.message).toContain(`version is still "${RUNNING}"`);
    expect(reloader.current().jitter).toBe(0.1);
  });

  it('recovers from a failure with the next good file', async () => {
    const { file, reloader, value } = setup();
    writeFileSync(file, 'not: [valid');
    reloader.reload();
    writeFileSync(file, rulesText('1.2.0'));
    expect(reloader.reload().result).toBe('success');
    expect(await value('sipflow_rules_last_reload_successful')).toBe(1);
  });

  it('without RULES_FILE has nothing to reload and counts nothing', async () => {
    const { metrics, value } = setup();
    const reloader = createRulesReloader({
      initial: defaultRules(),
      file: undefined,
      metrics,
      logger: createLogger({ level: 'silent' }),
    });
    expect(reloader.reload()).toEqual({ result: 'unchanged', version: RUNNING });
    expect(await value('sipflow_rules_reload_total', { result: 'unchanged' })).toBe(0);
  });
});

describe('rules file watch', () => {
  it('calls back when the file changes, and not after it stopped watching', async () => {
    const { file } = setup();
    let changes = 0;
    const stop = watchRulesFile(file, 20, () => changes++);
    await new Promise((r) => setTimeout(r, 60));
    writeFileSync(file, rulesText('9.9.9'));
    await expect.poll(() => changes, { timeout: 3000 }).toBeGreaterThanOrEqual(1);
    stop();
    const seen = changes;
    writeFileSync(file, rulesText('9.9.10-longer'));
    await new Promise((r) => setTimeout(r, 150));
    expect(changes).toBe(seen);
  });
});
