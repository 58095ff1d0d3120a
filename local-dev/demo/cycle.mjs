// The sample cycle of the main command: pull every sample period of the four departments from the simulators,
// follow each feed (received -> validated -> consolidated), then print the published data sets' headline figures
// against the plan's targets. Talks to the hub over its public HTTP API only, with the ops key.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    hub: { type: 'string', default: 'http://localhost:7071' },
    'ops-key': { type: 'string', default: 'local-ops-key' },
    feeds: { type: 'string' },
    parallel: { type: 'string', default: '6' },
    'timeout-seconds': { type: 'string', default: '900' },
  },
});
if (!args.feeds) throw new Error('--feeds DIR is required');

const hub = args.hub.replace(/\/$/, '');
const headers = { 'x-api-key': args['ops-key'] };
const deadline = Date.now() + Number(args['timeout-seconds']) * 1000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function api(method, path) {
  const response = await fetch(hub + path, { method, headers });
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${body?.title ?? ''} ${body?.detail ?? ''}`.trim());
  return body;
}

// One pull per (source, period) found in the sample folders; the simulators serve each period's latest revision.
const pulls = new Map();
for (const year of readdirSync(args.feeds).filter((d) => /^\d{4}$/.test(d)).sort()) {
  for (const file of readdirSync(join(args.feeds, year)).sort()) {
    const m = /^(statistics|power-grid|transport|environment)-(\d{4}(?:-Q[1-4]|-\d{2})?)-r\d+\.json$/.exec(file);
    if (m) pulls.set(`${m[1]} ${m[2]}`, { source: m[1], period: m[2] });
  }
}

const years = [...new Set([...pulls.values()].map((p) => p.period.slice(0, 4)))].sort();
const total = pulls.size;
let done = 0;
const failures = [];
const t0 = Date.now();
console.log(`sample cycle: ${total} department periods to pull (${years.join(', ')}; the 2020 baseline first)`);

async function waitFor(instanceId, accept) {
  for (;;) {
    const instance = await api('GET', `/api/ops/instances/${encodeURIComponent(instanceId)}`).catch(() => null);
    if (instance && ['Failed', 'Terminated'].includes(instance.status)) return instance;
    if (instance && accept(instance)) return instance;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${instanceId}`);
    await sleep(400);
  }
}

async function consolidated(source, feedId) {
  for (;;) {
    const status = await api('GET', `/api/feeds/${source}/${encodeURIComponent(feedId)}`).catch(() => null);
    if (status?.state === 'Consolidated') return status;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${feedId} to be consolidated`);
    await sleep(400);
  }
}

const stageOf = (instance) => {
  try { return JSON.parse(instance.customStatus ?? 'null')?.stage; } catch { return undefined; }
};

async function follow({ source, period }) {
  const label = `${source.padEnd(11)} ${period.padEnd(7)}`;
  const trail = [];
  try {
    const started = await api('POST', `/api/pulls/${source}/${period}`);
    const pull = await waitFor(started.instanceId, (i) => i.status === 'Completed');
    if (pull.status !== 'Completed') throw new Error(`pull ${pull.status}: ${pull.failure ?? ''}`);
    const result = JSON.parse(pull.output);
    trail.push('received');
    if (result.outcome === 'Unchanged') {
      trail.push('unchanged (already in the hub)');
    } else if (result.outcome === 'Quarantined') {
      trail.push('quarantined');
    } else {
      // The feed's run ends once it is recorded and handed over; its status says when its data sets took it in.
      const processing = await waitFor(result.processingInstanceId, (i) => i.status === 'Completed');
      if (processing.status !== 'Completed') throw new Error(`processing ${processing.status}: ${processing.failure ?? ''}`);
      const outcome = JSON.parse(processing.output);
      trail.push('validated');
      const status = await consolidated(source, outcome.feedId);
      trail.push(`consolidated into ${status.datasets.join(', ')}`);
    }
  } catch (error) {
    failures.push(`${label} ${error.message}`);
    trail.push(`FAILED: ${error.message}`);
  }
  done += 1;
  console.log(`[${String(done).padStart(3)}/${total}] ${label} ${trail.join(' -> ')}`);
}

async function runAll(items, parallel) {
  const queue = [...items];
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (queue.length) await follow(queue.shift());
  }));
}

for (const year of years) {
  await runAll([...pulls.values()].filter((p) => p.period.startsWith(year)), Number(args.parallel));
}
console.log(`all feeds handled in ${((Date.now() - t0) / 1000).toFixed(0)} s${failures.length ? `, ${failures.length} failed` : ''}`);

// Headline figures of the whole New Area (XJNA) for every sample data-set period, and its targets.
const headline = [
  ['energy.totalTce', 'energy use', 'tce'],
  ['energy.intensityChangeVs2020Pct', 'energy intensity vs 2020', '%'],
  ['carbon.totalTco2', 'CO2 total', 't'],
  ['carbon.intensityChangeVs2020Pct', 'carbon intensity vs 2020', '%'],
  ['energy.nonFossilSharePct', 'non-fossil share', '%'],
  ['power.pvInstalledKw', 'distributed PV', 'kW'],
  ['transport.chargingCoveragePct', 'charging coverage', '%'],
];
const fmt = (v) => (v === null || v === undefined ? '—' : Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : Number(v.toFixed(2)).toString());
const periods = (await api('GET', '/api/datasets')).map((d) => d.period).filter((p) => years.includes(p.slice(0, 4)));
const missingPeriods = [];
for (const year of years) {
  for (const period of [`${year}-Q1`, `${year}-Q2`, `${year}-Q3`, `${year}-Q4`, year]) {
    const expected = [...pulls.values()].some((p) => p.source === 'statistics' && p.period === period)
      || [...pulls.values()].some((p) => p.source !== 'statistics' && period.length === 4 && p.period.startsWith(period));
    if (expected && !periods.includes(period)) missingPeriods.push(period);
  }
}
for (const period of periods) {
  const d = await api('GET', `/api/datasets/${period}?area=XJNA`);
  const figures = d.areas[0]?.indicators ?? {};
  console.log(`\n${period}  v${d.version}  ${d.status}  (${d.inputs.length} feeds${d.missing.length ? `, missing ${d.missing.length}` : ''})`);
  console.log('  ' + headline.map(([id, name, unit]) => `${name} ${fmt(figures[id]?.value)}${figures[id] ? ' ' + unit : ''}`).join(' | '));
  for (const t of d.targets) {
    console.log(`  target ${t.id.padEnd(24)} ${t.status.padEnd(9)} actual ${fmt(t.actual).padStart(8)}  required ${fmt(t.required).padStart(8)}  threshold ${fmt(t.threshold)}`);
  }
}

if (missingPeriods.length) failures.push(`no data set for ${missingPeriods.join(', ')}`);
if (failures.length) {
  console.error(`\n${failures.length} problem(s):\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log(`\npublished data sets: ${periods.join(', ')}`);
