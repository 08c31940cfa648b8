import { SPECIFICITIES, type BaseSpecificity, type Specificity } from './compiled';
import type { RuleEntry } from './schema';

function baseOf(rule: RuleEntry): BaseSpecificity {
  const form =
    typeof rule.match.sip === 'number' ? 'exact code' : Array.isArray(rule.match.sip) ? 'code list' : 'class';
  return rule.match.q850 === undefined ? form : `${form} + Q.850`;
}

const CARRIER = 'carrier + ';
const SIGNAL = 'signal + ';
const ANSWERED_BY = 'answered-by + ';

/** "exact code + Q.850", or with qualifiers "carrier + signal + answered-by + exact code". */
export function specificityOf(rule: RuleEntry): Specificity {
  const carrier = rule.match.carrier === undefined ? '' : CARRIER;
  const signal = rule.match.signal === undefined ? '' : SIGNAL;
  const answeredBy = rule.match.answeredBy === undefined ? '' : ANSWERED_BY;
  return `${carrier}${signal}${answeredBy}${baseOf(rule)}`;
}

/**
 * Higher wins. A carrier override is the most specific statement a rules file can make (this
 * carrier sends misleading causes), a signal next (the response says more than its code), then
 * who answered (the dialer's detection says more than the 2xx), then the code and cause forms in
 * SPECIFICITIES order. The weights (200, 100, 50) keep each qualifier above every combination
 * of the ones below it; the Streams peer (bench/streams-peer, Rules.java) ranks the same way.
 */
export function rankOf(specificity: Specificity): number {
  let rest = specificity;
  let qualifiers = 0;
  for (const [prefix, weight] of [
    [CARRIER, 200],
    [SIGNAL, 100],
    [ANSWERED_BY, 50],
  ] as const) {
    if (!rest.startsWith(prefix)) continue;
    qualifiers += weight;
    rest = rest.slice(prefix.length);
  }
  const baseRank = SPECIFICITIES.length - SPECIFICITIES.indexOf(rest as BaseSpecificity);
  return qualifiers + baseRank;
}
