// Reads a V8 .cpuprofile (from --cpu-prof or the probe's inspector session) and tells where the time went: self
// time per function and per package (node_modules/<pkg>, Tessera's dist/src/<module>, node:internal, V8).
// Usage as a script: node bench/lib/cpuprofile.mjs file.cpuprofile [top]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

function where(url) {
  if (!url) return '(V8/native)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  const tessera = /\/dist\/src\/([^/]+)/.exec(url);
  if (tessera) return `tessera/${tessera[1].replace(/\.js$/, '')}`;
  if (/\/bench\//.test(url)) return 'bench';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[1] ?? url.slice(5)}`;
  return url;
}

function shortUrl(url) {
  if (!url) return '';
  return url.replace(/^file:\/\/.*?\/(node_modules|dist)\//, '$1/').replace(/^node:internal\//, 'node:');
}

/**
 * Self time per function, and per package with the time of natives and node: internals charged to the nearest
 * caller that lives in node_modules/ or dist/ (so SQLite's native `run`, a socket write or a signature lands on the
 * package that asked for it). The inspector's own frames (Profiler.stop serializing the profile) are left out.
 */
export function summarizeProfile(profile, top = 15, requests = 0) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, profile.timeDeltas[i] ?? 0)));
  const userLand = (url) => /node_modules\/|\/dist\/src\/|\/bench\//.test(url);
  const chargedTo = new Map();
  const owner = (id) => {
    if (chargedTo.has(id)) return chargedTo.get(id);
    const { functionName, url } = nodes.get(id).callFrame;
    let result;
    if (url.startsWith('node:inspector') || functionName === 'post') result = null;
    else if (userLand(url)) result = where(url);
    else if (['(garbage collector)', '(program)', '(idle)', '(root)'].includes(functionName)) result = functionName;
    else result = parent.has(id) ? owner(parent.get(id)) : where(url);
    if (result === '(root)') result = url ? where(url) : `(native: ${functionName})`;
    chargedTo.set(id, result);
    return result;
  };
  const functions = new Map();
  const packages = new Map();
  let busy = 0;
  let total = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = nodes.get(id).callFrame;
    total += us;
    const pkg = owner(id);
    if (functionName === '(idle)' || pkg === null) continue;
    busy += us;
    const name = `${functionName || '(anonymous)'}${url ? ` ${shortUrl(url)}:${lineNumber + 1}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
  }
  const rank = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({
        name,
        selfMs: Math.round(us / 100) / 10,
        pct: Math.round((us / busy) * 1000) / 10,
        ...(requests ? { usPerRequest: Math.round((us / requests) * 10) / 10 } : {}),
      }));
  return {
    totalMs: Math.round(total / 1000),
    busyMs: Math.round(busy / 1000),
    ...(requests ? { requests, busyUsPerRequest: Math.round((busy / requests) * 10) / 10 } : {}),
    functions: rank(functions),
    packages: rank(packages),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const summary = summarizeProfile(JSON.parse(readFileSync(process.argv[2], 'utf8')), Number(process.argv[3] ?? 25));
  console.log(`busy ${summary.busyMs} ms of ${summary.totalMs} ms sampled\n\nself time by package:`);
  for (const row of summary.packages) console.log(`  ${String(row.pct).padStart(5)}%  ${String(row.selfMs).padStart(8)} ms  ${row.name}`);
  console.log('\nself time by function:');
  for (const row of summary.functions) console.log(`  ${String(row.pct).padStart(5)}%  ${String(row.selfMs).padStart(8)} ms  ${row.name}`);
}
