import { isSipflowError } from '@sipflow/errors';
import {
  capLabel,
  explainRule,
  formatDelay,
  formatSipMatch,
  loadRules,
  profileCaps,
  type CampaignPolicy,
  type CompiledRule,
  type Rules,
} from '@sipflow/rules';
import type { Command } from 'commander';
import { reportError } from '../report-error';
import { rulesFromOption } from './load-rules-option';

function retryPolicy(rule: CompiledRule, rules: Rules): string {
  if (rule.action !== 'RETRY') return 'no retry';
  const { defaults } = rules;
  return (
    `${formatDelay(rule.retryDelayMs!)} + up to ${Math.round(rules.jitter * 100)} % jitter, not before Retry-After, ` +
    `inside ${defaults.window.label} lead local time (zone when the event has none: ${defaults.timeZone}), ` +
    (defaults.profile === null
      ? ''
      : `and inside every window of the ${defaults.profile.name} jurisdiction profile for the lead's region, `) +
    limits(defaults)
  );
}

/** The default campaign's own limits: its caps, the unanswered stop, the lead's attempt number. */
function limits(defaults: CampaignPolicy): string {
  const parts = defaults.caps.map((cap) => `at most ${cap.label} to the number (campaign cap)`);
  const stop = defaults.stopAfterUnanswered;
  if (stop !== null)
    parts.push(
      `no retry after ${stop.count} unanswered calls in a row to the number within ${formatDelay(stop.perMs)}`,
    );
  // Infinity when maxAttempts sets only caps: no limit per lead
  if (defaults.maxAttempts !== Infinity)
    parts.push(`no retry once attemptNumber reaches ${defaults.maxAttempts}`);
  return parts.length === 0 ? 'no limit on attempts' : parts.join(', ');
}

/** "caps" lines: the profile's caps on calls to one number, one region a line, for a retry. */
function profileCapLines(rule: CompiledRule, rules: Rules): string {
  if (rule.action !== 'RETRY') return '';
  return profileCaps(rules.defaults)
    .map((cap, i) => `${i === 0 ? 'caps          ' : '              '}${capLabel(cap)}\n`)
    .join('');
}

function explainText(rules: Rules, sipCode: number, q850Cause: number | null): string {
  const { rule, explanation, alternatives } = explainRule(rules, sipCode, q850Cause);
  const match = `sip ${formatSipMatch(rule.sip)}${rule.q850 === null ? '' : `; q850 ${rule.q850.join(', ')}`}`;
  const campaigns =
    rules.campaigns.size === 0
      ? ''
      : `campaigns     ${[...rules.campaigns.keys()].join(', ')} override the defaults\n`;
  return (
    `rule          ${rule.id} (rules[${rule.index}], ${rule.specificity}) in ${rules.source} version ${rules.version}\n` +
    `match         ${match}\n` +
    `disposition   ${rule.disposition}\n` +
    `action        ${rule.action}\n` +
    `retry policy  ${retryPolicy(rule, rules)}\n` +
    profileCapLines(rule, rules) +
    campaigns +
    `explanation   ${explanation}\n` +
    alternatives
      .map(
        (alt) =>
          `\ninstead, when ${alt.when}:\n` +
          `rule          ${alt.rule.id} (rules[${alt.rule.index}], ${alt.rule.specificity})\n` +
          `disposition   ${alt.rule.disposition}\n` +
          `action        ${alt.rule.action}\n` +
          `explanation   ${alt.explanation}\n`,
      )
      .join('')
  );
}

/** "486" → 486; anything but an optionally signed integer → NaN, which explainRule rejects. */
function integerArgument(text: string): number {
  return /^[+-]?\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
}

export function registerRulesCommands(program: Command): void {
  const rules = program.command('rules').description('Inspect and validate rules files');

  rules
    .command('explain')
    .description('Show which rule matches a SIP code (and optional Q.850 cause) and what it does')
    .argument('<code>', 'SIP status code, 100–699')
    .option('--q850 <cause>', 'Q.850 cause from the Reason header, 0–127')
    .option('--rules <file>', 'rules file (default: the shipped default rules)')
    .action((code: string, options: { q850?: string; rules?: string }) => {
      const loaded = rulesFromOption(options.rules);
      if (loaded === undefined) return;
      try {
        const cause = options.q850 === undefined ? null : integerArgument(options.q850);
        process.stdout.write(explainText(loaded, integerArgument(code), cause));
      } catch (error) {
        if (!isSipflowError(error)) throw error;
        const detail = error.message.replace(
          /got NaN$/,
          `got "${error.details.field === 'sipCode' ? code : options.q850}"`,
        );
        reportError(error, detail);
      }
    });

  rules
    .command('check')
    .description('Validate a rules file: prints OK with its version and rule count, or every problem')
    .argument('<file>', 'rules file (YAML)')
    .action((file: string) => {
      try {
        const checked = loadRules(file);
        process.stdout.write(`OK ${file}: version ${checked.version}, ${checked.rules.length} rules\n`);
      } catch (error) {
        if (!isSipflowError(error)) throw error;
        reportError(error);
      }
    });
}
