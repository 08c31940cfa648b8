import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { connectionFromEnv, kafkaEnv, parseEnv, type EnvSpec } from '@sipflow/config';
import { setupEnv } from '../../services/cli/src/commands/setup';
import { topicsEnv, topicsFromEnv } from '@sipflow/pipeline';
import { allProcessorEnv, processorConfigFromEnv, processorEnv } from '@sipflow/processor';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { findHelmTools, schemaLocations, type HelmTools } from '../support/helm-tools';

const CHART = 'ops/helm/sipflow';
const SECURE = `${CHART}/ci/secure-eos-keda-values.yaml`;
const RELEASE = 'sipflow';
const NAMESPACE = 'payments';
/** the values files CI renders: the defaults, and everything on */
const VALUES: Record<string, string[]> = { default: [], 'secure/EOS/KEDA': ['-f', SECURE] };

type EnvEntry = {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; fieldRef?: { fieldPath: string } };
};
type Probe = { httpGet?: { path: string; port: string | number } };
type Container = {
  name: string;
  args?: string[];
  env?: EnvEntry[];
  ports?: { name: string; containerPort: number }[];
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    capabilities?: { drop?: string[] };
  };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
};
type PodSpec = {
  containers: Container[];
  terminationGracePeriodSeconds?: number;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  volumes?: { name: string; secret?: { secretName: string }; emptyDir?: object; configMap?: object }[];
};
type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string> };
  spec: Record<string, unknown> & { template?: { spec: PodSpec } };
};

function run(cmd: string, args: string[], input?: string) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000, input });
  return { status: r.status, stdout: r.stdout ?? '', output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

const found = findHelmTools();

// each test spawns helm (and kubeconform): a second or so apiece on a loaded 2-core machine
describe.skipIf(!found.tools)(
  `Helm chart ${CHART}${found.skipReason ? ` (skipped: ${found.skipReason})` : ''}`,
  { timeout: 120_000 },
  () => {
    const tools = (): HelmTools => found.tools!;
    const renders = new Map<string, string>();
    const schemas = new Map<string, ReturnType<typeof schemaLocations>>();
    /** built once per Kubernetes version: rewriting the schema set takes a moment */
    const schemasFor = (kubeVersion: string) => {
      if (!schemas.has(kubeVersion)) schemas.set(kubeVersion, schemaLocations(tools(), kubeVersion));
      return schemas.get(kubeVersion)!;
    };
    /** `helm template` output; fails the test with helm's message when it does not render */
    const render = (values: string, kubeVersion = tools().kubeVersions.at(-1)!): string => {
      const key = `${values}@${kubeVersion}`;
      if (!renders.has(key)) {
        const args = ['template', RELEASE, CHART, '--namespace', NAMESPACE, '--kube-version', kubeVersion];
        const r = run(tools().helm, [...args, ...VALUES[values]!]);
        expect(r.status, r.output).toBe(0);
        renders.set(key, r.stdout);
      }
      return renders.get(key)!;
    };
    const objects = (values: string): K8sObject[] =>
      parseAllDocuments(render(values))
        .map((d) => d.toJS() as K8sObject | null)
        .filter((o): o is K8sObject => o !== null);
    const one = (values: string, kind: string): K8sObject => {
      const all = objects(values).filter((o) => o.kind === kind);
      expect(
        all.map((o) => o.metadata.name),
        `${kind} objects`,
      ).toHaveLength(1);
      return all[0]!;
    };
    const workload = (values: string) =>
      objects(values).find((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet')!;
    const processorContainer = (values: string) =>
      workload(values).spec.template!.spec.containers.find((c) => c.name === 'processor')!;
    const setupJob = (values: string) => one(values, 'Job');
    const envValue = (c: Container, name: string) => c.env?.find((e) => e.name === name)?.value;
    /** a processor variable as the processor sees it: the rendered value, else the code's default */
    const effective = (c: Container, name: keyof typeof processorEnv) =>
      envValue(c, name) ?? String(processorEnv[name].schema.parse(undefined));
    const pods = (values: string) =>
      objects(values)
        .filter((o) => o.spec?.template?.spec)
        .map((o) => ({ owner: `${o.kind}/${o.metadata.name}`, spec: o.spec.template!.spec }));

    for (const values of Object.keys(VALUES)) {
      it(`helm lint --strict passes (${values})`, () => {
        const r = run(tools().helm, ['lint', '--strict', CHART, ...VALUES[values]!]);
        expect(r.status, r.output).toBe(0);
        expect(r.output).toContain('0 chart(s) failed');
      });

      it(`every rendered object is valid against the Kubernetes and CRD schemas, strict (${values})`, () => {
        for (const kubeVersion of tools().kubeVersions) {
          const manifest = render(values, kubeVersion);
          const count = objects(values).length;
          const { locations, crdSchemaFiles } = schemasFor(kubeVersion);
          expect(crdSchemaFiles).toEqual(
            expect.arrayContaining([
              'scaledobject-keda-v1alpha1.json',
              'triggerauthentication-keda-v1alpha1.json',
              'servicemonitor-monitoring-v1.json',
            ]),
          );
          const args = [
            '-strict',
            '-summary',
            '-verbose',
            '-output',
            'json',
            '-kubernetes-version',
            kubeVersion,
          ];
          const r = run(
            tools().kubeconform,
            [...args, ...locations.flatMap((l) => ['-schema-location', l]), '-'],
            manifest,
          );
          expect(r.status, r.output).toBe(0);
          const report = JSON.parse(r.stdout) as {
            resources: { kind: string; name: string; status: string; msg: string }[];
            summary: { valid: number; invalid: number; errors: number; skipped: number };
          };
          expect(report.summary, `Kubernetes ${kubeVersion}: ${r.stdout}`).toEqual({
            valid: count,
            invalid: 0,
            errors: 0,
            skipped: 0,
          });
        }
      });

      it(`the schemas reject what they should: a field that does not exist (${values})`, () => {
        // guards the check above: a schema set that let anything through would pass it too
        const kubeVersion = tools().kubeVersions.at(-1)!;
        const bad = render(values, kubeVersion)
          .replace('terminationGracePeriodSeconds:', 'terminationGracePeriodSecs:')
          .replace('minReplicaCount:', 'minReplicas:');
        const { locations } = schemasFor(kubeVersion);
        const r = run(
          tools().kubeconform,
          ['-strict', '-summary', ...locations.flatMap((l) => ['-schema-location', l]), '-'],
          bad,
        );
        expect(r.status).not.toBe(0);
        expect(r.output).toContain('terminationGracePeriodSecs');
        if (values !== 'default') expect(r.output).toContain('minReplicas');
      });

      it(`every pod runs non-root on a read-only root filesystem, with resources (${values})`, () => {
        const all = pods(values);
        expect(all.length).toBeGreaterThanOrEqual(2); // the processors and the setup hook
        for (const { owner, spec } of all) {
          expect(spec.securityContext?.runAsNonRoot, owner).toBe(true);
          expect(spec.securityContext?.runAsUser, owner).toBeGreaterThan(0);
          for (const c of spec.containers) {
            expect(c.securityContext, `${owner} ${c.name}`).toMatchObject({
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ['ALL'] },
            });
            expect(c.resources?.requests?.memory, `${owner} ${c.name}`).toBeTruthy();
            expect(c.resources?.limits?.memory, `${owner} ${c.name}`).toBeTruthy();
            // the only writable path, an emptyDir: tsx's compile cache
            const tmp = c.volumeMounts?.find((m) => m.mountPath === '/tmp');
            expect(spec.volumes?.find((v) => v.name === tmp?.name)?.emptyDir, `${owner} /tmp`).toBeDefined();
          }
        }
      });

      it(`the processor: probes on /healthz and /readyz, grace period above SHUTDOWN_TIMEOUT_SECONDS (${values})`, () => {
        const pod = workload(values).spec.template!.spec;
        const c = processorContainer(values);
        const port = c.ports?.find((p) => p.name === 'metrics');
        expect(String(port?.containerPort)).toBe(envValue(c, 'METRICS_PORT'));
        expect(envValue(c, 'METRICS_HOST')).toBe('0.0.0.0');
        expect(c.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
        expect(c.startupProbe?.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
        expect(c.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'metrics' });
        const shutdown = Number(effective(c, 'SHUTDOWN_TIMEOUT_SECONDS'));
        expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(shutdown);
      });

      it(`the setup hook runs \`sipflow setup\` before install and upgrade (${values})`, () => {
        const job = setupJob(values);
        expect(job.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
        expect(job.spec.template!.spec.containers[0]!.args?.[0]).toBe('setup');
      });

      it(`the rendered env matches the processor's and setup's config spec (${values})`, () => {
        const processor = processorContainer(values);
        const setup = setupJob(values).spec.template!.spec.containers[0]!;
        checkEnv(processor, allProcessorEnv, workload(values).spec.template!.spec, (env) => {
          const config = processorConfigFromEnv(env);
          expect(config.topics.input).toBe(envValue(processor, 'INPUT_TOPIC'));
        });
        checkEnv(setup, setupEnv, setupJob(values).spec.template!.spec, (env) => {
          connectionFromEnv(env);
          topicsFromEnv(env);
          expect(parseEnv(setupEnv, env).CONSUMER_GROUP).toBe(
            envValue(processor, 'CONSUMER_GROUP') ?? 'sipflow-processor',
          );
        });
        // one connection and one set of topics for both
        const connection = (c: Container) => c.env!.filter((e) => e.name in kafkaEnv || e.name in topicsEnv);
        expect(connection(setup)).toEqual(connection(processor));
      });
    }

    it('at-least-once (the default) runs as a Deployment without a transactional id or KEDA', () => {
      expect(workload('default').kind).toBe('Deployment');
      expect(envValue(processorContainer('default'), 'TRANSACTIONAL_ID')).toBeUndefined();
      expect(objects('default').map((o) => o.kind)).not.toContain('ScaledObject');
      expect(one('default', 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
      expect(one('default', 'Service').spec.ports).toEqual([
        { name: 'metrics', port: 9464, targetPort: 'metrics', protocol: 'TCP' },
      ]);
    });

    it('exactly-once runs as a StatefulSet: one stable TRANSACTIONAL_ID per pod, from its name', () => {
      const sts = workload('secure/EOS/KEDA');
      expect(sts.kind).toBe('StatefulSet');
      expect(sts.spec.serviceName).toBe(one('secure/EOS/KEDA', 'Service').metadata.name);
      const c = processorContainer('secure/EOS/KEDA');
      expect(effective(c, 'PROCESSING_GUARANTEE')).toBe('exactly_once');
      const pod = c.env!.find((e) => e.name === 'POD_NAME');
      expect(pod?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.name');
      expect(envValue(c, 'TRANSACTIONAL_ID')).toBe('prod-eu.$(POD_NAME)');
      // the processor sees it expanded: <prefix>.<statefulset>-<ordinal>
      expect(processorConfigFromEnv(parsableEnv(c, sts.spec.template!.spec)).transactionalId).toBe(
        `prod-eu.${sts.metadata.name}-0`,
      );
    });

    it('state snapshots: a volume per pod under exactly-once (StatefulSet), an emptyDir under at-least-once, STATE_DIR at its mount', () => {
      const sts = workload('secure/EOS/KEDA') as K8sObject & {
        spec: { volumeClaimTemplates?: { metadata: { name: string }; spec: Record<string, unknown> }[] };
      };
      expect(sts.spec.volumeClaimTemplates).toEqual([
        {
          metadata: { name: 'state' },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: 'fast-ssd',
            resources: { requests: { storage: '4Gi' } },
          },
        },
      ]);
      const c = processorContainer('secure/EOS/KEDA');
      const dir = envValue(c, 'STATE_DIR');
      expect(c.volumeMounts).toContainEqual({ name: 'state', mountPath: dir });
      expect(sts.spec.template!.spec.volumes!.map((v) => v.name)).not.toContain('state');
      // at-least-once: no claim (a Deployment has none), an emptyDir of the same name
      const r = run(tools().helm, ['template', RELEASE, CHART, '--set', 'stateSnapshots.enabled=true']);
      expect(r.status, r.output).toBe(0);
      const deployment = parseAllDocuments(r.stdout)
        .map((d) => d.toJS() as K8sObject | null)
        .find((o) => o?.kind === 'Deployment')!;
      const pod = deployment.spec.template!.spec;
      expect(pod.volumes).toContainEqual({ name: 'state', emptyDir: { sizeLimit: '2Gi' } });
      const processor = pod.containers.find((x) => x.name === 'processor')!;
      expect(processor.volumeMounts).toContainEqual({
        name: 'state',
        mountPath: envValue(processor, 'STATE_DIR'),
      });
      // off by default
      expect(envValue(processorContainer('default'), 'STATE_DIR')).toBeUndefined();
    });

    it('exactly-once without a prefix takes the namespace, since transactional ids are cluster-wide', () => {
      const r = run(tools().helm, [
        'template',
        RELEASE,
        CHART,
        '--namespace',
        NAMESPACE,
        '--set',
        'processor.PROCESSING_GUARANTEE=exactly_once',
      ]);
      expect(r.status, r.output).toBe(0);
      expect(r.stdout).toContain(`value: "${NAMESPACE}.$(POD_NAME)"`);
    });

    it('the KEDA values render a ScaledObject on the processor group and the input topic, capped at its partitions', () => {
      const values = 'secure/EOS/KEDA';
      const so = one(values, 'ScaledObject');
      const c = processorContainer(values);
      const w = workload(values);
      expect(so.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: w.kind, name: w.metadata.name });
      expect(w.spec.replicas, 'replicas are KEDA’s').toBeUndefined();
      const triggers = so.spec.triggers as {
        type: string;
        metadata: Record<string, string>;
        authenticationRef?: { name: string };
      }[];
      expect(triggers).toHaveLength(1);
      const [kafka] = triggers;
      expect(kafka!.type).toBe('kafka');
      expect(kafka!.metadata.consumerGroup).toBe(effective(c, 'CONSUMER_GROUP'));
      expect(kafka!.metadata.consumerGroup).toBe('sipflow-prod');
      expect(kafka!.metadata.topic).toBe(envValue(c, 'INPUT_TOPIC'));
      expect(kafka!.metadata.bootstrapServers).toBe(envValue(c, 'KAFKA_BROKERS'));
      expect(kafka!.metadata.offsetResetPolicy).toBe('earliest'); // the processor subscribes fromBeginning
      expect(kafka!.metadata.allowIdleConsumers).toBe('false');
      const args = setupJob(values).spec.template!.spec.containers[0]!.args!;
      const partitions = Number(args[args.indexOf('--partitions') + 1]);
      expect(partitions).toBe(12);
      expect(so.spec.maxReplicaCount).toBeLessThanOrEqual(partitions);
      expect(so.spec.minReplicaCount).toBeLessThanOrEqual(so.spec.maxReplicaCount as number);
      // KEDA's scaler logs in with the same Secrets as the processor
      const auth = one(values, 'TriggerAuthentication');
      expect(kafka!.authenticationRef?.name).toBe(auth.metadata.name);
      expect(kafka!.metadata.sasl).toBe('scram_sha512');
      expect(kafka!.metadata.tls).toBe('enable');
      const refs = auth.spec.secretTargetRef as { parameter: string; name: string }[];
      expect(refs.map((r) => r.parameter).sort()).toEqual(['ca', 'cert', 'key', 'password', 'username']);
    });

    it('the ServiceMonitor scrapes /metrics of the Service as job "sipflow", the job the alert rules select', () => {
      const sm = one('secure/EOS/KEDA', 'ServiceMonitor');
      expect(sm.spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '15s' }]);
      expect(sm.spec.jobLabel).toBe('app.kubernetes.io/name');
      const svc = one('secure/EOS/KEDA', 'Service') as K8sObject & {
        metadata: { labels: Record<string, string> };
      };
      expect(svc.metadata.labels['app.kubernetes.io/name']).toBe('sipflow');
    });

    it("values.schema.json admits under `processor` exactly the processor's own variables the chart does not set", () => {
      const schema = JSON.parse(readFileSync(`${CHART}/values.schema.json`, 'utf8')) as {
        properties: { processor: { propertyNames: { enum: string[] } } };
      };
      const chartOwned = ['METRICS_HOST', 'METRICS_PORT', 'TRANSACTIONAL_ID'];
      const expected = Object.keys(processorEnv).filter((n) => !chartOwned.includes(n));
      expect([...schema.properties.processor.propertyNames.enum].sort()).toEqual(expected.sort());
      // and the chart does set each of those three
      const c = processorContainer('secure/EOS/KEDA');
      for (const n of chartOwned) expect(c.env!.map((e) => e.name)).toContain(n);
    });

    const refuses = (set: string[], message: RegExp) => {
      const r = run(tools().helm, [
        'template',
        RELEASE,
        CHART,
        '-f',
        SECURE,
        ...set.flatMap((s) => ['--set', s]),
      ]);
      expect(r.status).not.toBe(0);
      expect(r.output).toMatch(message);
    };

    it('refuses to render KEDA above the partition count, a grace period not above the shutdown timeout, or an unknown or chart-owned variable', () => {
      refuses(['keda.maxReplicaCount=13'], /keda\.maxReplicaCount=13 is more than topics\.partitions=12/);
      refuses(
        ['terminationGracePeriodSeconds=40'],
        /terminationGracePeriodSeconds=40 must be longer than processor\.SHUTDOWN_TIMEOUT_SECONDS=40/,
      );
      refuses(['processor.PROCESSING_GUARANTEE=maybe'], /processor\.PROCESSING_GUARANTEE="maybe"/);
      refuses(['processor.KAFKA_BROKERS=x:1'], /at '\/processor': invalid propertyName 'KAFKA_BROKERS'/);
      refuses(['processor.TRANSACTIONAL_ID=x'], /invalid propertyName 'TRANSACTIONAL_ID'/);
      refuses(['processor.CONSUMER_GRUOP=x'], /invalid propertyName 'CONSUMER_GRUOP'/);
      refuses(['processor.RULES_FILE=/x.yaml'], /processor\.RULES_FILE and rules\.configMap/);
    });
  },
);

/**
 * Every variable the container gets is one the command's spec declares (derived from the code,
 * not a list here); every variable the spec requires is there; and the command's own parser
 * accepts the whole environment. The one exception to "declared": an entry from the downward API
 * whose only use is a `$(NAME)` expansion in a declared variable (POD_NAME in TRANSACTIONAL_ID).
 */
function checkEnv(c: Container, spec: EnvSpec, pod: PodSpec, parse: (env: NodeJS.ProcessEnv) => void): void {
  const names = (c.env ?? []).map((e) => e.name);
  expect(new Set(names).size, `${c.name}: a variable set twice`).toBe(names.length);
  const expansionOnly = (c.env ?? []).filter(
    (e) =>
      !(e.name in spec) &&
      e.valueFrom?.fieldRef &&
      (c.env ?? []).some((other) => other.name in spec && other.value?.includes(`$(${e.name})`)),
  );
  const unknown = names.filter((n) => !(n in spec) && !expansionOnly.some((h) => h.name === n));
  expect(unknown, `${c.name}: variables its config spec does not declare`).toEqual([]);
  const required = Object.entries(spec)
    .filter(([, v]) => !v.schema.safeParse(undefined).success)
    .map(([n]) => n);
  expect(
    required.filter((n) => !names.includes(n)),
    `${c.name}: required variables missing`,
  ).toEqual([]);

  const env = parsableEnv(c, pod);
  expect(() => parse(env), `${c.name}: its parser accepts the rendered env`).not.toThrow();
}

/**
 * The resolved env, with each *_FILE variable (a PEM file, the rules file) checked to point into a
 * read-only mount of a Secret or ConfigMap, then pointed at a stand-in file so that the parsers,
 * which check that the file is readable, can run here.
 */
function parsableEnv(c: Container, pod: PodSpec): NodeJS.ProcessEnv {
  const files = mkdtempSync(join(tmpdir(), 'sipflow-helm-env-'));
  const env = resolvedEnv(c);
  for (const [name, value] of Object.entries(env)) {
    if (!name.endsWith('_FILE') || value === undefined) continue;
    const mount = c.volumeMounts?.find((m) => value.startsWith(`${m.mountPath}/`));
    expect(mount?.readOnly, `${c.name}: ${name}=${value} is in a read-only mount`).toBe(true);
    const volume = pod.volumes?.find((v) => v.name === mount!.name);
    expect(volume?.secret ?? volume?.configMap, `${name}: from a Secret or ConfigMap`).toBeDefined();
    const standIn = join(files, basename(value));
    writeFileSync(standIn, '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n');
    env[name] = standIn;
  }
  return env;
}

/**
 * The env the process would get: Secret values as stand-ins, the pod name of the first pod, and
 * `$(NAME)` expanded from the entries before it, as the kubelet does.
 */
function resolvedEnv(c: Container): NodeJS.ProcessEnv {
  const env: Record<string, string> = {};
  for (const e of c.env ?? []) {
    if (e.value !== undefined)
      env[e.name] = e.value.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, n: string) => env[n] ?? m);
    else if (e.valueFrom?.secretKeyRef) env[e.name] = `secret-${e.valueFrom.secretKeyRef.key}`;
    else if (e.valueFrom?.fieldRef?.fieldPath === 'metadata.name') env[e.name] = `${RELEASE}-0`;
  }
  return env;
}
