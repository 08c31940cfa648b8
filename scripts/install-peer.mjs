// `npm run peer:install`: installs the optional peer Kafka client, @confluentinc/kafka-javascript
// (librdkafka underneath), for KAFKA_CLIENT=confluent and the peer rows of `npm run bench`.
//
// It is not a dependency in package.json on purpose: where no prebuilt binary can be downloaded its
// install script compiles librdkafka from source (minutes), and `npm ci` should not pay that unless
// the peer becomes a client we ship. `--no-save` leaves package.json and the lock untouched, so
// the next `npm ci` or `npm install` removes it again; run this again after those.
//
// Its install script runs only because package.json's `allowScripts` approves exactly this
// version (npm 11 refuses `--allow-scripts` on the command line inside a project).
// CKJS_LINKING=dynamic links librdkafka against the system's OpenSSL, zlib, zstd, lz4, curl and
// SASL libraries instead of downloading their sources, which an offline build cannot do.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PEER = '@confluentinc/kafka-javascript';
const PEER_VERSION = '1.10.1';
const DEBIAN_PACKAGES =
  'build-essential python3 libssl-dev zlib1g-dev libzstd-dev liblz4-dev libcurl4-openssl-dev libsasl2-dev';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const say = (line) => process.stderr.write(`peer:install: ${line}\n`);

say(`installing ${PEER}@${PEER_VERSION} (builds librdkafka from source when no binary is found: minutes)`);
const npm = spawnSync('npm', ['install', '--no-save', '--foreground-scripts', `${PEER}@${PEER_VERSION}`], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, CKJS_LINKING: process.env.CKJS_LINKING ?? 'dynamic' },
});

let loaded;
try {
  // resolved from the repository, as @sipflow/kafka resolves it
  const peer = createRequire(import.meta.url)(PEER);
  loaded = { version: peer.librdkafkaVersion, kafkaJS: typeof peer.KafkaJS?.Kafka === 'function' };
} catch (err) {
  loaded = { error: err instanceof Error ? err.message.split('\n')[0] : String(err) };
}

if (npm.status === 0 && loaded.kafkaJS) {
  say(`ok: ${PEER}@${PEER_VERSION} with librdkafka ${loaded.version}; use it with KAFKA_CLIENT=confluent`);
  process.exit(0);
}
say(`failed (npm exit ${npm.status ?? npm.signal}${loaded.error ? `; loading it: ${loaded.error}` : ''})`);
say(`if npm listed ${PEER} among scripts "not yet covered by allowScripts", package.json's`);
say(`allowScripts entry does not match ${PEER_VERSION}: its native part was never built.`);
say('building librdkafka needs a C/C++ toolchain, Python and these development libraries; on Debian:');
say(`  sudo apt-get install -y ${DEBIAN_PACKAGES}`);
say("node-gyp also needs Node's headers: from nodejs.org, or offline a directory with include/node");
say('given as npm_config_nodedir (Debian and NodeSource Node packages install them under /usr).');
process.exit(1);
