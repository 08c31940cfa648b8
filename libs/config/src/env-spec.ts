import { z } from 'zod';
import { SipflowError } from '@sipflow/errors';

/** One environment variable: its schema (with default), and one line of help. */
export type EnvVar<T> = { schema: z.ZodType<T>; help: string; secret?: boolean };

export type EnvSpec = Record<string, EnvVar<unknown>>;

export type EnvValues<S extends EnvSpec> = { [K in keyof S]: S[K] extends EnvVar<infer T> ? T : never };

export const envVar = <T>(schema: z.ZodType<T>, help: string, secret = false): EnvVar<T> => ({
  schema,
  help,
  secret,
});

/** `true/false/1/0/yes/no`, case-insensitive: what people actually type into env files. */
export const booleanFlag = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no']))
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/**
 * Parses every variable of `spec` from `env`. The first bad one stops start-up with a single
 * line naming it, its value (unless secret) and what was expected.
 */
export function parseEnv<S extends EnvSpec>(spec: S, env: NodeJS.ProcessEnv): EnvValues<S> {
  const out: Record<string, unknown> = {};
  for (const [name, { schema, secret }] of Object.entries(spec)) {
    const raw = env[name] === '' ? undefined : env[name];
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const shown = raw === undefined ? '(unset)' : secret ? '(hidden)' : JSON.stringify(raw);
      const why = parsed.error.issues[0]?.message ?? 'invalid';
      throw new SipflowError('SIPFLOW_INVALID_CONFIG', `invalid ${name}=${shown}: ${why}`, {
        variable: name,
      });
    }
    out[name] = parsed.data;
  }
  return Object.freeze(out) as EnvValues<S>;
}

/** The `--help` text: every variable, its default and its meaning. */
export function describeEnv(spec: EnvSpec): string {
  const rows = Object.entries(spec).map(([name, v]) => {
    const dflt = v.schema.safeParse(undefined);
    const shown = dflt.success && dflt.data !== undefined ? String(dflt.data) : v.secret ? '' : '(none)';
    return { name, help: v.help, shown };
  });
  const width = Math.max(...rows.map((r) => r.name.length));
  return rows
    .map((r) => `  ${r.name.padEnd(width)}  ${r.help}${r.shown ? ` [default: ${r.shown}]` : ''}`)
    .join('\n');
}
