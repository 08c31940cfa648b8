import { spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const INSTALL_SCRIPT = 'scripts/install-helm-tools.sh';

/** What scripts/install-helm-tools.sh leaves in its directory. */
export type HelmTools = {
  helm: string;
  kubeconform: string;
  /** Kubernetes versions with a schema set, as `1.27.0` */
  kubeVersions: string[];
  /** kubernetes-validate's schema sets, `v<version>-local-strict/` each, refs made local */
  kubernetesSchemas: string;
  /** directory of CustomResourceDefinition manifests (KEDA, Prometheus Operator) */
  crds: string;
};
export type FoundHelmTools =
  { tools: HelmTools; skipReason?: undefined } | { tools?: undefined; skipReason: string };

function toolsRoot(): string | undefined {
  if (process.env.SIPFLOW_HELM_TOOLS) return process.env.SIPFLOW_HELM_TOOLS;
  const go = spawnSync('go', ['env', 'GOPATH'], { encoding: 'utf8' });
  return go.status === 0 && go.stdout.trim() ? join(go.stdout.trim(), 'sipflow-helm-tools') : undefined;
}

function lookup(root: string | undefined): HelmTools | undefined {
  if (!root) return undefined;
  const tools = {
    helm: join(root, 'bin', 'helm'),
    kubeconform: join(root, 'bin', 'kubeconform'),
    kubernetesSchemas: join(root, 'kubernetes-json-schema'),
    crds: join(root, 'crds'),
  };
  try {
    accessSync(tools.helm, constants.X_OK);
    accessSync(tools.kubeconform, constants.X_OK);
    accessSync(join(root, 'versions'), constants.R_OK); // written last: the install completed
    const kubeVersions = readdirSync(tools.kubernetesSchemas)
      .map((d) => /^v(\d+\.\d+\.\d+)-local-strict$/.exec(d)?.[1])
      .filter((v): v is string => v !== undefined);
    return kubeVersions.length > 0 ? { ...tools, kubeVersions } : undefined;
  } catch {
    return undefined;
  }
}

let cached: FoundHelmTools | undefined;

/**
 * helm, kubeconform and the schemas. When missing, runs the install script once (a cold helm
 * build takes minutes). Still missing: in CI (`CI=true`) that is an error, since `.ci/run`
 * installs them and a silent skip would hide the chart checks; elsewhere the tests skip and say why.
 */
export function findHelmTools(): FoundHelmTools {
  if (cached) return cached;
  let tools = lookup(toolsRoot());
  let installLog = '';
  if (!tools) {
    const run = spawnSync('bash', [INSTALL_SCRIPT], { encoding: 'utf8', timeout: 900_000 });
    installLog = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim();
    tools = lookup(toolsRoot());
  }
  if (tools) return (cached = { tools });
  const reason = `helm/kubeconform not installed and ${INSTALL_SCRIPT} could not install them${
    installLog ? ` (${installLog.split('\n').at(-1)})` : ''
  }`;
  if (process.env.CI === 'true') throw new Error(`${reason}; CI must have them`);
  return (cached = { skipReason: reason });
}

type Json = unknown;
type JsonObject = Record<string, Json>;
const isObject = (v: Json): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A CRD version's OpenAPI v3 schema as a strict JSON schema: objects reject fields they do not
 * declare (unless the CRD lets them through with x-kubernetes-preserve-unknown-fields), and
 * `nullable` becomes a null type, as the API server reads them.
 */
function strictJsonSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(strictJsonSchema);
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] =
      k === 'properties' && isObject(v)
        ? Object.fromEntries(Object.entries(v).map(([p, s]) => [p, strictJsonSchema(s)]))
        : strictJsonSchema(v);
  }
  if (out.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  delete out.nullable;
  const preserve = out['x-kubernetes-preserve-unknown-fields'] === true;
  if (isObject(out.properties) && out.additionalProperties === undefined && !preserve) {
    out.additionalProperties = false;
  }
  return out;
}

type Crd = {
  kind: string;
  spec: {
    group: string;
    names: { kind: string };
    versions: { name: string; schema?: { openAPIV3Schema?: JsonObject } }[];
  };
};

/** The file name kubeconform looks for: `{{.ResourceKind}}{{.KindSuffix}}.json`. */
const kubeconformName = (kind: string, group: string, version: string) =>
  `${kind.toLowerCase()}-${group.split('.')[0]!.toLowerCase()}-${version.toLowerCase()}.json`;

function crdSchemas(from: string, to: string): string[] {
  mkdirSync(to, { recursive: true });
  const written: string[] = [];
  for (const file of readdirSync(from).filter((f) => /\.ya?ml$/.test(f))) {
    for (const doc of parseAllDocuments(readFileSync(join(from, file), 'utf8'))) {
      const crd = doc.toJS() as Crd | null;
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      const { group, names } = crd.spec;
      for (const version of crd.spec.versions) {
        const openApi = version.schema?.openAPIV3Schema;
        if (!openApi) continue;
        const schema = strictJsonSchema(openApi) as JsonObject;
        const properties = (schema.properties ?? {}) as JsonObject;
        // the document must say which resource it is, as the API server requires
        properties.apiVersion = { type: 'string', enum: [`${group}/${version.name}`] };
        properties.kind = { type: 'string', enum: [names.kind] };
        schema.properties = properties;
        schema.required = [...new Set([...((schema.required as string[]) ?? []), 'apiVersion', 'kind'])];
        const name = kubeconformName(names.kind, group, version.name);
        writeFileSync(join(to, name), JSON.stringify(schema));
        written.push(name);
      }
    }
  }
  return written;
}

export type SchemaLocations = {
  /** `-schema-location` arguments for kubeconform: the Kubernetes set, then the CRDs */
  locations: string[];
  /** the CRD schema files, by kubeconform's name */
  crdSchemaFiles: string[];
};

/** kubeconform's schema locations for one Kubernetes version, built in a temp directory. */
export function schemaLocations(tools: HelmTools, kubeVersion: string): SchemaLocations {
  const dir = mkdtempSync(join(tmpdir(), 'sipflow-k8s-schemas-'));
  // made local by the install script (their shared definitions resolve on disk)
  const k8s = join(tools.kubernetesSchemas, `v${kubeVersion}-local-strict`);
  const crdSchemaFiles = crdSchemas(tools.crds, join(dir, 'crds'));
  const tpl = '{{.ResourceKind}}{{.KindSuffix}}.json';
  return { locations: [join(k8s, tpl), join(dir, 'crds', tpl)], crdSchemaFiles };
}
