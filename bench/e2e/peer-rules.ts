// The rules the Kafka Streams peer implements, for the like-for-like rows of `npm run bench`: the
// shipped default-rules.yaml with `defaults.jurisdictionProfile: none`. The peer classifies by the
// campaign's calling window alone and keeps no per-number state (bench/streams-peer, Classifier.java);
// sipflow with this file does the same work, so the two can be compared run for run. The default
// rules add the US profile's regional windows and per-number caps (the sipflow rows without this).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SipflowError } from '@sipflow/errors';
import { parseRules } from '@sipflow/rules';
import { repoRoot } from '@sipflow/stack';
import { parse, stringify } from 'yaml';

/**
 * Writes the peer's rules to a temporary directory and returns the path. Throws unless the file
 * parses to rules with no profile and no state, the same version and rule list as the defaults.
 */
export function writePeerRules(): string {
  const defaultsText = readFileSync(join(repoRoot, 'libs/rules/rules/default-rules.yaml'), 'utf8');
  const file = parse(defaultsText) as { defaults: Record<string, unknown> };
  const text = stringify({ ...file, defaults: { ...file.defaults, jurisdictionProfile: 'none' } });
  const shipped = parseRules(defaultsText, 'default-rules.yaml');
  const peer = parseRules(text, 'peer-rules.yaml');
  const problems = [
    peer.stateWindowMs !== 0 && `stateWindowMs is ${peer.stateWindowMs}, not 0`,
    peer.version !== shipped.version && `version ${peer.version} is not ${shipped.version}`,
    peer.defaults.profile !== null && 'the default campaign still has a jurisdiction profile',
  ].filter((p): p is string => typeof p === 'string');
  if (problems.length > 0)
    throw new SipflowError(
      'SIPFLOW_BENCH_FAILED',
      `the Streams peer's rules are not stateless: ${problems.join('; ')}`,
    );
  const path = join(mkdtempSync(join(tmpdir(), 'sipflow-bench-')), 'peer-rules.yaml');
  writeFileSync(path, text);
  return path;
}
