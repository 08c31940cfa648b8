import { SPECIFICITIES, type BaseSpecificity, type Specificity } from './compiled';
import type { RuleEntry } from './schema';

function baseOf(rule: RuleEntry): BaseSpecificity {
  const form =
    typeof rule.match.sip === 'number' ? 'exact code' : Array.isArray(rule.match.sip) ? 'code list' : 'class';
  return rule.match.q850 === undefined ? form : `${form} + Q.850`;
}

/** "exact code + Q.850", or with qualifiers "carrier + signal + exact code". */
export function specificityOf(rule: RuleEntry): Specificity {
  const carrier = rule.match.carrier === undefined ? '' : 'carrier + ';
  const signal = rule.match.signal === undefined ? '' : 'signal + ';
  return `${carrier}${signal}${baseOf(rule)}`;
}

/**
 * Higher wins. A carrier override is the most specific statement a rules file can make (this
 * carrier sends misleading causes), a signal next (the response says more than its code), then
 * the code and cause forms in SPECIFICITIES order.
 */
export function rankOf(specificity: Specificity): number {
  const carrier = specificity.startsWith('carrier + ');
  const rest = carrier ? specificity.slice('carrier + '.length) : specificity;
  const signal = rest.startsWith('signal + ');
  const base = (signal ? rest.slice('signal + '.length) : rest) as BaseSpecificity;
  const baseRank = SPECIFICITIES.length - SPECIFICITIES.indexOf(base);
  return (carrier ? 2 : 0) * 100 + (signal ? 1 : 0) * 100 + baseRank;
}
