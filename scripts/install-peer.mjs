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
import { existsSync, readFileSync, rmSync } from 'node:fs';
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
// node-gyp must build against the headers of the Node that will load the module: left to itself it
// took the system's (/usr/include/node, Node 20 here) while CI and the tests run Node 24 from the npm
// registry, and the module then refused to load (NODE_MODULE_VERSION 115, not 137). The running
// Node's own headers sit beside its binary (the `node` package ships include/node; so do the
// official tarballs).
// A configured npm_config_nodedir (npm sets it from its config; /usr here) is kept only when its
// headers are the running Node's major.
const headersMajor = (dir) => {
  try {
    const header = readFileSync(join(dir, 'include', 'node', 'node_version.h'), 'utf8');
    return /#define NODE_MAJOR_VERSION (\d+)/.exec(header)?.[1];
  } catch {
    return undefined;
  }
};
const runningMajor = process.versions.node.split('.')[0];
const runningNodeDir = dirname(dirname(process.execPath));
const configured = process.env.npm_config_nodedir;
const nodedir =
  [
    configured,
    runningNodeDir,
    // the `node` package keeps the whole distribution, headers too, in a per-platform package
    join(runningNodeDir, 'node_modules', `node-${process.platform}-${process.arch}`),
  ].find((dir) => dir !== undefined && headersMajor(dir) === runningMajor) ?? configured;
if (nodedir) say(`building against the headers of Node ${headersMajor(nodedir) ?? '?'} in ${nodedir}`);
// a copy built for another Node stays in node_modules and npm would not build it again
const installed = join(root, 'node_modules', ...PEER.split('/'));
if (existsSync(installed)) {
  try {
    createRequire(import.meta.url)(PEER);
  } catch {
    say(`${installed} does not load on Node ${process.version}: removing it to build it again`);
    rmSync(installed, { recursive: true, force: true });
  }
}
const npm = spawnSync('npm', ['install', '--no-save', '--foreground-scripts', `${PEER}@${PEER_VERSION}`], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    CKJS_LINKING: process.env.CKJS_LINKING ?? 'dynamic',
    ...(nodedir ? { npm_config_nodedir: nodedir } : {}),
  },
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
