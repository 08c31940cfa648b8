import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { SipflowError } from '@sipflow/errors';
import { checkRules, type RulesIssue } from './check-rules';
import { compile } from './compile';
import type { Rules } from './compiled';
import { describePath } from './issue-path';
import { checkProfile } from '../jurisdiction/check-profile';
import { jurisdictionProfileSchema, rulesFileSchema, type JurisdictionProfileFile } from './schema';

const DEFAULT_RULES_URL = new URL('../../rules/default-rules.yaml', import.meta.url);
/** The shipped profiles: name → file. `us` is the default of every rules file. */
const BUILTIN_PROFILE_URLS = { us: new URL('../../rules/us-calling-rules.yaml', import.meta.url) } as const;

let builtins: Record<string, JurisdictionProfileFile> | undefined;

/** The shipped jurisdiction profiles, parsed and checked once; a broken one is a packaging bug. */
export function builtinProfiles(): Readonly<Record<string, JurisdictionProfileFile>> {
  if (builtins !== undefined) return builtins;
  const loaded: Record<string, JurisdictionProfileFile> = {};
  for (const [name, url] of Object.entries(BUILTIN_PROFILE_URLS)) {
    const raw: unknown = parseYaml(readFileSync(url, 'utf8'));
    const parsed = jurisdictionProfileSchema.safeParse(raw);
    const source = url.pathname.split('/').pop()!;
    if (!parsed.success) {
      throw invalid(
        source,
        parsed.error.issues.map((i) => ({ path: i.path, message: i.message })),
        raw,
      );
    }
    const issues: RulesIssue[] = [];
    checkProfile(parsed.data, [], issues);
    if (issues.length > 0) throw invalid(source, issues, raw);
    loaded[name] = parsed.data;
  }
  builtins = loaded;
  return loaded;
}

function invalid(source: string, issues: readonly RulesIssue[], raw: unknown, cause?: unknown): SipflowError {
  const lines = issues.map((issue) =>
    issue.path.length === 0 ? issue.message : `${describePath(issue.path, raw)}: ${issue.message}`,
  );
  return new SipflowError(
    'SIPFLOW_INVALID_RULES',
    `${source}: ${lines.join(`\n${source}: `)}`,
    { source, issues: lines },
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Parses, validates and compiles a rules file given as YAML (or JSON) text. Throws
 * SIPFLOW_INVALID_RULES listing every problem, each prefixed with the entry it is about, e.g.
 * `rules[3] (id "busy-congestion").match.sip: ...`.
 */
export function parseRules(text: string, sourceName: string): Rules {
  let raw: unknown;
  try {
    raw = parseYaml(text, { prettyErrors: true });
  } catch (error) {
    const message = error instanceof YAMLParseError ? error.message : String(error);
    throw invalid(sourceName, [{ path: [], message: `not valid YAML: ${message}` }], undefined, error);
  }
  const parsed = rulesFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw invalid(
      sourceName,
      parsed.error.issues.map((issue) => ({ path: issue.path, message: issue.message })),
      raw,
    );
  }
  const issues = checkRules(parsed.data, builtinProfiles());
  if (issues.length > 0) throw invalid(sourceName, issues, raw);
  return compile(parsed.data, sourceName, builtinProfiles());
}

/** Reads and compiles a rules file; errors name the path. */
export function loadRules(path: string): Rules {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw invalid(
      path,
      [{ path: [], message: `cannot read: ${(error as Error).message}` }],
      undefined,
      error,
    );
  }
  return parseRules(text, path);
}

let defaults: Rules | undefined;

/** The rules shipped with sipflow (libs/rules/rules/default-rules.yaml), compiled once. */
export function defaultRules(): Rules {
  defaults ??= parseRules(readFileSync(DEFAULT_RULES_URL, 'utf8'), 'default-rules.yaml');
  return defaults;
}
