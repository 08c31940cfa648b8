import { ACTIONS } from '@sipflow/rules';
import { readSchemaFiles } from '@sipflow/codec';
import { describe, expect, it } from 'vitest';
import {
  INPUT,
  OUTPUT_KINDS,
  OUTPUTS,
  OUTPUTS_BY_ACTION,
  outputKindsByTopic,
  prefixedTopics,
  RECORD_KINDS,
  topicsEnv,
  topicsFromEnv,
  topicsToEnv,
} from '../src/index';

describe('the outputs table', () => {
  it('keeps the topic contract: variables and default names', () => {
    expect(topicsFromEnv({})).toEqual({
      input: 'call-attempts.raw',
      enriched: 'call-attempts.enriched',
      retry: 'call-attempts.retry',
      removal: 'leads.removal',
      compliance: 'compliance.alerts',
      abandonment: 'compliance.abandonment',
      dlq: 'call-attempts.dlq',
    });
    expect(Object.keys(topicsEnv)).toEqual([
      'INPUT_TOPIC',
      'ENRICHED_TOPIC',
      'RETRY_TOPIC',
      'REMOVAL_TOPIC',
      'COMPLIANCE_TOPIC',
      'ABANDONMENT_TOPIC',
      'DLQ_TOPIC',
    ]);
  });

  it('selects the enriched record for every action and at most one more kind per action', () => {
    expect(OUTPUTS_BY_ACTION).toEqual({
      NONE: ['enriched'],
      RETRY: ['enriched', 'retry'],
      REMOVE_LEAD: ['enriched', 'removal'],
      COMPLIANCE_ALERT: ['enriched', 'compliance'],
    });
    for (const action of ACTIONS) expect(OUTPUTS_BY_ACTION[action][0]).toBe('enriched');
  });

  it('names a schema file of schemas/ for the input and every record kind; the DLQ has none', () => {
    const files = readSchemaFiles().map((f) => f.file);
    expect(files).toContain(INPUT.schemaFile);
    for (const kind of RECORD_KINDS) expect(files).toContain(OUTPUTS[kind].schemaFile);
    expect(OUTPUTS.dlq.schemaFile).toBeNull();
    expect(RECORD_KINDS).not.toContain('dlq');
    // the ledger's periods: a schema, no action selects them, and the topic is compacted
    expect(files).toContain(OUTPUTS.abandonment.schemaFile);
    expect(RECORD_KINDS).not.toContain('abandonment');
    expect(OUTPUTS.abandonment.retentionDays).toBeNull();
  });

  it('derives the environment of a child process, and sandbox names, from the same rows', () => {
    const topics = topicsFromEnv({ RETRY_TOPIC: 'my.retry', DLQ_TOPIC: 'my.dlq' });
    expect(topicsFromEnv(topicsToEnv(topics))).toEqual(topics);
    const sandbox = prefixedTopics(topics, 'try1');
    expect(sandbox.retry).toBe('try1.my.retry');
    expect(sandbox.input).toBe('try1.call-attempts.raw');
    expect([...outputKindsByTopic(topics).values()]).toEqual(OUTPUT_KINDS);
    expect(outputKindsByTopic(topics).get('my.dlq')).toBe('dlq');
  });
});
