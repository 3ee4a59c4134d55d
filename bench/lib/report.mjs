// Writes one run's results: <stamp>.json (everything, every run), <stamp>.md (the tables), <stamp>.svg and, when a
// TrueType font is found on the machine, <stamp>.png (the SVG rendered by resvg's WebAssembly build: no native
// addon, nothing downloaded at run time).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TESSERA = ['tessera-redis', 'tessera-sqlite'];
const SHORT = { baseline: 'baseline', 'tessera-redis': 'Redis+SQLite', 'tessera-sqlite': 'SQLite' };
const FONTS = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  '/usr/share/fonts/truetype/freefont/FreeSans.ttf',
];

const fmt = (value, digits = 2) => (value === null || value === undefined || Number.isNaN(value) ? '–' : Number(value).toFixed(digits));
const rps = (value) => (value === null || value === undefined ? '–' : value >= 100 ? value.toFixed(0) : value.toFixed(2));

/** Every target of the issue, judged from the summaries. */
export function judgeTargets(results) {
  const targets = [];
  for (const scenario of results.scenarios) {
    if (scenario.group >= 1 && scenario.group <= 4) {
      for (const id of TESSERA) {
        const figures = scenario.summary[id];
        if (!figures || figures.ratio === null) continue;
        targets.push({ scenario: scenario.id, server: id, what: 'req/s ÷ baseline', target: '≥ 0.8', value: figures.ratio, met: figures.ratio >= 0.8 });
      }
    }
    if (scenario.id === 's5-flow') {
      for (const id of TESSERA) {
        const figures = scenario.summary[id];
        if (figures) targets.push({ scenario: scenario.id, server: id, what: 'flows/s ÷ Argon2id-only verify/s', target: '≥ 0.9', value: figures.ratio, met: figures.ratio >= 0.9 });
      }
    }
    if (scenario.id === 's6-storm') {
      for (const id of TESSERA) {
        const figures = scenario.summary[id];
        if (!figures) continue;
        targets.push({ scenario: scenario.id, server: id, what: 'token p99 storm ÷ idle', target: '≤ 2', value: figures.p99Ratio, met: figures.p99Ratio <= 2 });
        targets.push({ scenario: scenario.id, server: id, what: 'event-loop lag p99 in storm (ms)', target: '< 20', value: figures.storm.loopLagP99, met: figures.storm.loopLagP99 < 20 });
      }
    }
    if (scenario.id === 's7-memory' && scenario.summary) {
      const value = scenario.summary.usedMemoryPerSession;
      targets.push({ scenario: scenario.id, server: 'tessera-redis', what: 'Redis bytes per session', target: '< 2048', value, met: value < 2048 });
    }
  }
  return targets;
}

export function markdown(results) {
  const lines = [];
  const m = results.machine;
  lines.push(`# Tessera bench, ${results.date}`);
  lines.push('');
  lines.push(`${m.cpus} cores (${m.model}); Node ${m.node}; oidc-provider ${m.oidcProvider}; servers pinned to core ${m.serverCore}, load generator to core ${m.loadCore ?? '?'}.`);
  lines.push(`Load average at start ${m.loadavgStart.map((v) => v.toFixed(2)).join(' ')}, at end ${m.loadavgEnd.map((v) => v.toFixed(2)).join(' ')}.`);
  const o = results.options;
  lines.push(`${o.runs} interleaved runs per scenario and server, medians shown; HTTP runs ${o.seconds} s with ${o.connections} connections after ${o.warmup} s warm-up; Argon2id t=${results.argon2.timeCost} m=${results.argon2.memoryKiB} KiB p=${results.argon2.parallelism}.`);
  if (Object.keys(o.serverEnv ?? {}).length) lines.push(`Server environment for this run: \`${Object.entries(o.serverEnv).map(([k, v]) => `${k}=${v}`).join(' ')}\`.`);
  for (const skip of results.skipped) lines.push(`\n**Skipped ${skip.id}:** ${skip.reason}`);
  lines.push('');

  const targets = judgeTargets(results);
  if (targets.length) {
    lines.push('## Targets');
    lines.push('');
    lines.push('| scenario | server | measure | target | result | |');
    lines.push('|---|---|---|---|---|---|');
    for (const t of targets) lines.push(`| ${t.scenario} | ${SHORT[t.server]} | ${t.what} | ${t.target} | ${fmt(t.value)} | ${t.met ? 'met' : '**missed**'} |`);
    lines.push('');
  }

  const http = results.scenarios.filter((s) => s.group >= 1 && s.group <= 4);
  if (http.length) {
    lines.push('## Scenarios 1–4: throughput at saturation');
    lines.push('');
    lines.push('| scenario | server | req/s | × baseline | p50 ms | p99 ms | server CPU ms/req | Redis CPU ms/req | failed |');
    lines.push('|---|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const scenario of http) {
      for (const [id, f] of Object.entries(scenario.summary)) {
        lines.push(`| ${scenario.id} | ${SHORT[id]} | ${rps(f.rps)} | ${f.ratio === null ? '' : `${fmt(f.ratio)}×`} | ${fmt(f.p50)} | ${fmt(f.p99)} | ${fmt(f.cpuMsPerRequest, 3)} | ${f.redisCpuMsPerRequest === null ? '' : fmt(f.redisCpuMsPerRequest, 3)} | ${f.non2xx} |`);
      }
      if (scenario.note) lines.push(`| ${scenario.id} | Tessera | n/a | | | | | | ${scenario.note} |`);
    }
    lines.push('');
  }

  const flow = results.scenarios.find((s) => s.id === 's5-flow');
  if (flow) {
    lines.push('## Scenario 5: authorization code + PKCE with a password login');
    lines.push('');
    lines.push('| server | flows/s | × Argon2id ceiling | p50 ms | p99 ms | server CPU ms/flow | Redis CPU ms/flow | failed |');
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const [id, f] of Object.entries(flow.summary)) {
      if (id === 'argon2-only') {
        lines.push(`| Argon2id verify only | ${rps(f.rps)} | 1.00× | ${fmt(f.p50, 0)} | ${fmt(f.p99, 0)} | ${fmt(f.cpuMsPerRequest, 0)} | | |`);
      } else {
        lines.push(`| ${SHORT[id]} | ${rps(f.rps)} | ${fmt(f.ratio)}× | ${fmt(f.p50, 0)} | ${fmt(f.p99, 0)} | ${fmt(f.cpuMsPerRequest, 0)} | ${f.redisCpuMsPerRequest === null ? '' : fmt(f.redisCpuMsPerRequest, 1)} | ${f.non2xx} |`);
      }
    }
    lines.push('');
  }

  const storm = results.scenarios.find((s) => s.id === 's6-storm');
  if (storm) {
    lines.push(`## Scenario 6: token endpoint at ${results.options.stormRate} req/s, idle and during a login storm (${results.options.stormConcurrency} concurrent logins)`);
    lines.push('');
    lines.push('| server | idle p50 / p99 ms | storm p50 / p99 ms | p99 storm ÷ idle | loop lag p99 idle / storm ms | loop lag max storm ms | logins/s in storm | failed |');
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const [id, f] of Object.entries(storm.summary)) {
      lines.push(`| ${SHORT[id]} | ${fmt(f.idle.p50)} / ${fmt(f.idle.p99)} | ${fmt(f.storm.p50)} / ${fmt(f.storm.p99)} | ${fmt(f.p99Ratio)}× | ${fmt(f.idle.loopLagP99, 1)} / ${fmt(f.storm.loopLagP99, 1)} | ${fmt(f.storm.loopLagMax, 0)} | ${fmt(f.storm.loginsPerSecond, 1)} | ${f.idle.non2xx + f.storm.non2xx} |`);
    }
    lines.push('');
  }

  const memory = results.scenarios.find((s) => s.id === 's7-memory');
  if (memory) {
    lines.push('## Scenario 7: memory');
    lines.push('');
    if (memory.skipped) lines.push(`Skipped: ${memory.skipped}.`);
    else {
      const s = memory.summary;
      const mib = (bytes) => (bytes / 1048576).toFixed(0);
      lines.push(`- ${s.sessions} active sessions (each a real Session and SessionActivity payload, its own account) written through Tessera's Redis store: **${s.usedMemoryPerSession} B of Redis \`used_memory\` per session**, ${s.keysPerSession} keys each.`);
      const familyBytes = Object.values(s.familiesPerLogin).reduce((sum, d) => sum + d.bytes, 0);
      lines.push(`- One real login leaves ${familyBytes} B in Redis by \`MEMORY USAGE\` of the keys it adds or grows (${s.usedMemoryPerLogin} B of \`used_memory\` over ${s.logins} logins, a noisier figure): session, grant, access token, the consumed code until it expires, indexes, counters. The session's own keys: ${s.sessionBytesMemoryUsage} B (payloads: Session ${s.sessionPayloadBytes} B, SessionActivity ${s.activityPayloadBytes} B of JSON).`);
      lines.push(`- Server RSS: ${mib(s.rssBefore)} MiB before, ${mib(s.rssWithSessions)} MiB with ${s.sessions} sessions in the store, ${mib(s.rssAfterWork)} MiB after logins and token requests on top.`);
      lines.push('');
      lines.push('| key family (per login) | keys | bytes |');
      lines.push('|---|---:|---:|');
      for (const [family, d] of Object.entries(s.familiesPerLogin).sort((a, b) => b[1].bytes - a[1].bytes)) lines.push(`| ${family} | ${d.keys} | ${d.bytes} |`);
    }
    lines.push('');
  }

  const profiled = results.scenarios.filter((s) => s.profiles && Object.keys(s.profiles).length);
  if (profiled.length) {
    lines.push('## CPU profiles (self time, share of busy time)');
    for (const scenario of profiled) {
      for (const [id, p] of Object.entries(scenario.profiles)) {
        lines.push('');
        const perRequest = p.top.busyUsPerRequest ? `, ${p.top.busyUsPerRequest} µs of CPU per request` : '';
        lines.push(`### ${scenario.id}, ${SHORT[id]} (busy ${p.top.busyMs} ms${perRequest}; \`${p.file}\`)`);
        lines.push('');
        const cost = (row) => (row.usPerRequest === undefined ? `${row.pct}%` : `${row.usPerRequest} µs`);
        lines.push(`By package, natives charged to their caller: ${p.top.packages.slice(0, 10).map((row) => `${row.name} ${cost(row)}`).join(', ')}`);
        lines.push('');
        for (const row of p.top.functions.slice(0, 10)) lines.push(`- ${cost(row)} (${row.pct}%) ${row.name}`);
      }
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** Horizontal bars: each Tessera figure as a ratio (to the baseline, or to the Argon2id ceiling), with its target. */
export function chartSvg(results) {
  const rows = [];
  for (const scenario of results.scenarios) {
    if (!(scenario.group >= 1 && scenario.group <= 5)) continue;
    for (const id of TESSERA) {
      const figures = scenario.summary?.[id];
      if (!figures || figures.ratio === null || figures.ratio === undefined) continue;
      rows.push({ label: `${scenario.id} · ${SHORT[id]}`, value: figures.ratio, target: scenario.group === 5 ? 0.9 : 0.8 });
    }
  }
  const width = 900;
  const left = 260;
  const right = 70;
  const rowHeight = 26;
  const top = 56;
  const height = top + rows.length * rowHeight + 40;
  const max = Math.max(1.2, ...rows.map((row) => row.value));
  const x = (value) => left + (value / max) * (width - left - right);
  const parts = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif" font-size="12">`);
  parts.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  parts.push(`<text x="${left}" y="22" font-size="15" font-weight="bold">Tessera as a ratio of the same-run ceiling (higher is better)</text>`);
  parts.push(`<text x="${left}" y="40" fill="#555">1–4: ÷ bare oidc-provider req/s (target 0.8) · 5: ÷ Argon2id-only verify/s (target 0.9) · ${results.date.slice(0, 16)}</text>`);
  for (const tick of [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2].filter((t) => t <= max)) {
    parts.push(`<line x1="${x(tick)}" y1="${top - 4}" x2="${x(tick)}" y2="${top + rows.length * rowHeight}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${x(tick)}" y="${top + rows.length * rowHeight + 16}" text-anchor="middle" fill="#555">${tick}×</text>`);
  }
  rows.forEach((row, i) => {
    const y = top + i * rowHeight;
    const met = row.value >= row.target;
    parts.push(`<text x="${left - 8}" y="${y + 17}" text-anchor="end">${row.label}</text>`);
    parts.push(`<rect x="${left}" y="${y + 5}" width="${Math.max(1, x(row.value) - left)}" height="${rowHeight - 10}" fill="${met ? '#3a8f5c' : '#d0583a'}"/>`);
    parts.push(`<line x1="${x(row.target)}" y1="${y + 2}" x2="${x(row.target)}" y2="${y + rowHeight - 2}" stroke="#222" stroke-width="2" stroke-dasharray="3,2"/>`);
    parts.push(`<text x="${x(row.value) + 6}" y="${y + 17}" paint-order="stroke" stroke="#ffffff" stroke-width="4">${row.value.toFixed(2)}×</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

async function renderPng(svg) {
  const font = FONTS.find((file) => existsSync(file));
  if (!font) return { png: null, reason: 'no TrueType font found (apt-get install fonts-dejavu-core); the SVG is written alone' };
  const require = createRequire(import.meta.url);
  const { initWasm, Resvg } = await import('@resvg/resvg-wasm');
  await initWasm(readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm')));
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: 1350 },
    font: { fontBuffers: [new Uint8Array(readFileSync(font))], defaultFontFamily: 'DejaVu Sans', loadSystemFonts: false },
  });
  return { png: resvg.render().asPng() };
}

export async function writeReport(results, dir, stampOverride) {
  mkdirSync(dir, { recursive: true });
  results.targets = judgeTargets(results);
  // Profiled runs and configuration experiments are not comparable with plain runs: their names say so.
  const suffix = `${results.options.profile ? '-profile' : ''}${Object.keys(results.options.serverEnv ?? {}).length ? '-env' : ''}`;
  const stamp = stampOverride ?? `${results.date.slice(0, 16).replace(':', '-')}${suffix}`;
  const base = path.join(dir, stamp);
  const markdownText = markdown(results);
  const svg = chartSvg(results);
  const files = [`${base}.json`, `${base}.md`, `${base}.svg`];
  writeFileSync(`${base}.json`, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(`${base}.svg`, svg);
  let chartLine = `![ratios](${path.basename(base)}.svg)`;
  try {
    const { png, reason } = await renderPng(svg);
    if (png) {
      writeFileSync(`${base}.png`, png);
      files.push(`${base}.png`);
      chartLine = `![ratios](${path.basename(base)}.png)`;
    } else chartLine += `\n\n(${reason})`;
  } catch (error) {
    chartLine += `\n\n(PNG not rendered: ${error.message})`;
  }
  writeFileSync(`${base}.md`, `${markdownText}\n${chartLine}\n`);
  return { files, markdownText };
}

// Re-renders the Markdown and the chart of a stored run: node bench/lib/report.mjs bench/results/<stamp>.json
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = path.resolve(process.argv[2]);
  const results = JSON.parse(readFileSync(file, 'utf8'));
  const { files } = await writeReport(results, path.dirname(file), path.basename(file, '.json'));
  console.log(files.join('\n'));
}
