// sipflow's caps on calls to one number, compiled by libs/rules from a rules file, as JSON for the
// Kafka Streams peer's stateful mode (PEER_CAPS_FILE; bench/streams-peer FrequencyCaps.java): per
// campaign policy, its own `maxAttempts` caps and, per region code of its jurisdiction profile,
// the caps of the entries that bind its calls (for the shipped US profile and the default
// campaign: FL, OK, MD, OR 3 calls per 24 h; ME 1 per 8 h, automated calls), and the rules'
// stateWindowMs. The peer reads them from here rather than parsing the profile itself: one
// source, as with the area codes.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SipflowError } from '@sipflow/errors';
import { capLabel, parseRules, profileCaps, type CampaignPolicy, type FrequencyCap } from '@sipflow/rules';

type PolicyCapsJson = { caps: number[]; regions: Record<string, number[]> };

export type PeerCapsJson = {
  stateWindowMs: number;
  caps: Array<{
    count: number;
    perMs: number;
    name: string;
    source: string | null;
    label: string;
    capLabel: string;
  }>;
  defaults: PolicyCapsJson;
  campaigns: Record<string, PolicyCapsJson>;
};

/** The caps of a rules file's text, in the peer's shape. */
export function peerCaps(rulesText: string, source: string): PeerCapsJson {
  const rules = parseRules(rulesText, source);
  const caps: PeerCapsJson['caps'] = [];
  // by identity, as lead-location.ts tells caps apart: the peer dedupes by index
  const index = new Map<FrequencyCap, number>();
  const indexOf = (cap: FrequencyCap): number => {
    let i = index.get(cap);
    if (i === undefined) {
      i = caps.length;
      index.set(cap, i);
      caps.push({
        count: cap.count,
        perMs: cap.perMs,
        name: cap.name,
        source: cap.source,
        label: cap.label,
        capLabel: capLabel(cap),
      });
    }
    return i;
  };
  const policyCaps = (policy: CampaignPolicy): PolicyCapsJson => {
    const regions: Record<string, number[]> = {};
    if (policy.profile !== null) {
      // an entry binds the policy's calls when profileCaps lists its cap (compile-profile.ts binds)
      const binding = new Set(profileCaps(policy));
      for (const [region, entries] of policy.profile.regions) {
        const own = entries.flatMap((entry) =>
          entry.cap !== null && binding.has(entry.cap) ? [indexOf(entry.cap)] : [],
        );
        if (own.length > 0) regions[region] = own;
      }
    }
    return { caps: policy.caps.map(indexOf), regions };
  };
  return {
    stateWindowMs: rules.stateWindowMs,
    caps,
    defaults: policyCaps(rules.defaults),
    campaigns: Object.fromEntries([...rules.campaigns].map(([id, policy]) => [id, policyCaps(policy)])),
  };
}

/**
 * Writes the caps of `rulesFile` to a temporary directory and returns the path. Throws when the
 * rules keep no per-number state (nothing for the stateful peer to do) or use
 * `stopAfterUnanswered`, which the peer does not implement.
 */
export function writePeerCaps(rulesFile: string): string {
  const text = readFileSync(rulesFile, 'utf8');
  const json = peerCaps(text, rulesFile);
  const rules = parseRules(text, rulesFile);
  const problems = [
    json.stateWindowMs === 0 && 'they keep no per-number state (stateWindowMs 0)',
    [rules.defaults, ...rules.campaigns.values()].some((p) => p.stopAfterUnanswered !== null) &&
      'they set stopAfterUnanswered, which the peer does not implement',
  ].filter((p): p is string => typeof p === 'string');
  if (problems.length > 0)
    throw new SipflowError(
      'SIPFLOW_BENCH_FAILED',
      `the stateful Streams peer cannot run ${rulesFile}: ${problems.join('; ')}`,
    );
  const path = join(mkdtempSync(join(tmpdir(), 'sipflow-bench-')), 'peer-caps.json');
  writeFileSync(path, JSON.stringify(json));
  return path;
}
