import type { CodeSlot, CompiledRule } from '../rules-file/compiled';

/** The winning rule for a code's slot: the best Q.850 rule for the cause if any, else the base. */
export function ruleForSlot(slot: CodeSlot, q850Cause: number | null): CompiledRule {
  if (q850Cause === null || slot.byCause === null) return slot.base;
  return slot.byCause[q850Cause] ?? slot.base;
}
