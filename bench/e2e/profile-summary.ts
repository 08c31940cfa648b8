/** The parts of V8's .cpuprofile (what `node --cpu-prof` writes) that a self-time summary needs. */
export type CpuProfile = {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
};

/** Where a frame's code lives: a package under node_modules, sipflow's own, Node's, or V8's. */
export function ownerOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : 'native';
  if (url.startsWith('node:')) return 'node internals';
  const i = url.lastIndexOf('/node_modules/');
  if (i >= 0) {
    const rest = url.slice(i + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (/\/(libs|services|bench)\//.test(url)) return 'sipflow';
  return 'other';
}

const pct = (n: number, total: number) => `${((100 * n) / total).toFixed(1).padStart(5)} %`;

/** Self time by owner, then the `top` functions by self time, as text lines. */
export function topSelfTime(profile: CpuProfile, top: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const byFunction = new Map<string, number>();
  const byOwner = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const frame = byId.get(profile.samples[i]!)!;
    const dt = profile.timeDeltas[i] ?? 0;
    if (frame.functionName === '(idle)') continue;
    total += dt;
    const file = frame.url.replace(/^.*\/(node_modules|libs|services|bench)\//, '$1/');
    const name = `${frame.functionName || '(anonymous)'} ${file}${file ? `:${frame.lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + dt);
    const owner = ownerOf(frame.url, frame.functionName);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + dt);
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  const lines = [`busy ${(total / 1e6).toFixed(1)} s (idle excluded); self time by owner:`];
  for (const [owner, t] of sorted(byOwner).slice(0, 10)) lines.push(`  ${pct(t, total)}  ${owner}`);
  lines.push(`top ${top} functions by self time:`);
  for (const [name, t] of sorted(byFunction).slice(0, top)) lines.push(`  ${pct(t, total)}  ${name}`);
  return lines.join('\n');
}
