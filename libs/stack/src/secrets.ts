import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Report } from './install';
import { runLogged } from './processes';

/**
 * Everything a secure local stack needs, made once per layout and kept (mode 0600 in a 0700
 * folder) so that a restart keeps the same users, passwords and certificate:
 * - a self-signed certificate for 127.0.0.1/localhost in a PKCS#12 keystore (the brokers'), the
 *   same certificate in a truststore (brokers verify each other) and as PEM (clients trust it);
 * - SCRAM users for the brokers among themselves and for sipflow, and a registry user.
 * Passwords are random hex: nothing to escape in JAAS lines, properties files or `--add-scram`.
 */
export type StackSecrets = {
  dir: string;
  keystore: string;
  truststore: string;
  storePassword: string;
  caFile: string;
  interBroker: { username: string; password: string };
  client: { username: string; password: string };
  registry: { username: string; password: string };
};

type StoredCredentials = Pick<StackSecrets, 'storePassword' | 'interBroker' | 'client' | 'registry'>;

export const SCRAM_MECHANISM = 'SCRAM-SHA-512';

export function secretsDir(layoutDataDir: string): string {
  return join(layoutDataDir, 'secrets');
}

/** The stored secrets of a layout, if `up` has made them. */
export function readSecrets(dir: string): StackSecrets | undefined {
  const file = join(dir, 'credentials.json');
  if (!existsSync(file) || !existsSync(join(dir, 'ca.pem'))) return undefined;
  const stored = JSON.parse(readFileSync(file, 'utf8')) as StoredCredentials;
  return { ...filesIn(dir), ...stored };
}

export async function ensureSecrets(dir: string, java: string, report: Report): Promise<StackSecrets> {
  const existing = readSecrets(dir);
  if (existing) return existing;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const stored: StoredCredentials = {
    storePassword: password(),
    interBroker: { username: 'broker', password: password() },
    client: { username: 'sipflow', password: password() },
    registry: { username: 'sipflow', password: password() },
  };
  const files = filesIn(dir);
  const keytool = keytoolBeside(java);
  const log = join(dir, 'keytool.log');
  const store = ['-storetype', 'PKCS12', '-storepass', stored.storePassword];
  await runLogged(
    keytool,
    [
      '-genkeypair',
      '-alias',
      'sipflow-local',
      '-keyalg',
      'RSA',
      '-keysize',
      '2048',
      '-validity',
      '3650',
      '-dname',
      'CN=localhost, O=sipflow local stack',
      '-ext',
      'SAN=dns:localhost,ip:127.0.0.1',
      '-keystore',
      files.keystore,
      ...store,
    ],
    log,
  );
  await runLogged(
    keytool,
    [
      '-exportcert',
      '-rfc',
      '-alias',
      'sipflow-local',
      '-keystore',
      files.keystore,
      ...store,
      '-file',
      files.caFile,
    ],
    log,
  );
  await runLogged(
    keytool,
    [
      '-importcert',
      '-noprompt',
      '-alias',
      'sipflow-local',
      '-file',
      files.caFile,
      '-keystore',
      files.truststore,
      ...store,
    ],
    log,
  );
  const credentials = join(dir, 'credentials.json');
  writeFileSync(credentials, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  for (const f of [files.keystore, files.truststore]) chmodSync(f, 0o600);
  report(`secure stack: made a self-signed certificate for 127.0.0.1 and SCRAM users in ${dir}`);
  return { ...files, ...stored };
}

function filesIn(dir: string) {
  return {
    dir,
    keystore: join(dir, 'broker.p12'),
    truststore: join(dir, 'truststore.p12'),
    caFile: join(dir, 'ca.pem'),
  };
}

function password(): string {
  return randomBytes(18).toString('hex');
}

/** keytool ships with the JDK whose java runs the stack: use that one, not whatever PATH finds. */
function keytoolBeside(java: string): string {
  return java.includes('/') ? join(dirname(java), 'keytool') : 'keytool';
}
