import { SPECIFICITIES, type Specificity } from './compiled';
import type { RuleEntry } from './schema';

export function specificityOf(rule: RuleEntry): Specificity {
  const form =
    typeof rule.match.sip === 'number' ? 'exact code' : Array.isArray(rule.match.sip) ? 'code list' : 'class';
  return rule.match.q850 === undefined ? form : `${form} + Q.850`;
}

/** Higher wins. */
export function rankOf(specificity: Specificity): number {
  return SPECIFICITIES.length - SPECIFICITIES.indexOf(specificity);
}
