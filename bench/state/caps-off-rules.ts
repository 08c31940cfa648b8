// The "caps off" rules of the state bench: the shipped rules with the shipped `us` profile minus
// every per-number cap, so the calling windows (and their cost) stay and only the state goes.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { SipflowError } from '@sipflow/errors';
import { builtinProfiles, parseRules } from '@sipflow/rules';
import { repoRoot } from '@sipflow/stack';
import { parse, stringify } from 'yaml';
import { jurisdictionProfileSchema } from '../../libs/rules/src/rules-file/schema';

const RULES_DIR = join(repoRoot, 'libs/rules/rules');

type RegionEntry = Record<string, unknown>;
type ProfileText = { regions: Record<string, RegionEntry | RegionEntry[]> };

function withoutCaps(profile: ProfileText): ProfileText {
  const strip = ({ maxAttempts: _cap, ...rest }: RegionEntry) => rest;
  const regions = Object.fromEntries(
    Object.entries(profile.regions).map(([code, e]) => [code, Array.isArray(e) ? e.map(strip) : strip(e)]),
  );
  return { ...profile, regions };
}

/**
 * Writes the caps-off rules file to a temporary directory and returns its path. The profile is
 * taken from the shipped YAML (builtinProfiles() holds it parsed, with hours in minutes and
 * durations in ms, which a rules file cannot say), then checked against builtinProfiles(): equal
 * but for the caps. Throws unless the defaults are stateful and this file is not.
 */
export function writeCapsOffRules(): string {
  const profile = withoutCaps(parse(readFileSync(join(RULES_DIR, 'us-calling-rules.yaml'), 'utf8')));
  const builtin = builtinProfiles().us!;
  const expected = {
    ...builtin,
    regions: Object.fromEntries(
      Object.entries(builtin.regions).map(([code, e]) => [
        code,
        Array.isArray(e)
          ? e.map(({ maxAttempts: _c, ...rest }) => rest)
          : (({ maxAttempts: _c, ...rest }) => rest)(e),
      ]),
    ),
  };
  if (!isDeepStrictEqual(jurisdictionProfileSchema.parse(profile), expected))
    throw new SipflowError(
      'SIPFLOW_BENCH_FAILED',
      'the caps-off profile differs from the shipped us profile beyond its caps',
    );

  const defaultsText = readFileSync(join(RULES_DIR, 'default-rules.yaml'), 'utf8');
  const rules = { ...parse(defaultsText), jurisdictionProfiles: { us: profile } };
  const text = stringify(rules);
  const on = parseRules(defaultsText, 'default-rules.yaml').stateWindowMs;
  const off = parseRules(text, 'caps-off-rules.yaml').stateWindowMs;
  if (!(on > 0) || off !== 0)
    throw new SipflowError(
      'SIPFLOW_BENCH_FAILED',
      `expected the defaults stateful and the caps-off rules not: stateWindowMs ${on} and ${off}`,
      { on, off },
    );
  const path = join(mkdtempSync(join(tmpdir(), 'sipflow-state-bench-')), 'caps-off-rules.yaml');
  writeFileSync(path, text);
  return path;
}
