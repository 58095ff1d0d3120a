// Department simulators: the APIs of the statistics bureau, the power grid, transport and environment, from
// which the hub pulls feeds, served from the sample feeds, with switches that make a department fail, hang or
// send an invalid feed. Node built-ins and ajv (local-dev's npm tools: npm ci --prefix local-dev) for the schemas.
//
//   node local-dev/simulators/departments.mjs [--port N] [--host 127.0.0.1] [--feeds DIR]
//                                             [--fail SOURCE]... [--hang SOURCE]... [--invalid SOURCE]...
//
// Endpoints, switches and keys: README.md next to this file.

import { createServer, STATUS_CODES } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { feedSchemas } from '../lib/feed-schemas.mjs';

const SOURCES = ['statistics', 'power-grid', 'transport', 'environment'];
const MODES = ['ok', 'fail', 'hang', 'invalid'];
const PERIOD_SYNTAX = String.raw`\d{4}(?:-Q[1-4]|-(?:0[1-9]|1[0-2]))?`; // YYYY, YYYY-Qn, YYYY-MM
const PERIOD = new RegExp(`^${PERIOD_SYNTAX}$`);
const FEED_FILE = new RegExp(String.raw`^(${SOURCES.join('|')})-(${PERIOD_SYNTAX})-r(\d+)\.json$`);
const USAGE = 'usage: node departments.mjs [--port N] [--host 127.0.0.1] [--feeds DIR] '
    + '[--fail SOURCE]... [--hang SOURCE]... [--invalid SOURCE]...';

// Start-up errors exit 2 so a caller can tell "could not start" from a crash.
function die(message) {
    process.stderr.write(`departments: ${message}\n`);
    process.exit(2);
}

// ------------------------------------------------------------------------------------------------ options

let opts;
try {
    opts = parseArgs({
        options: {
            port: { type: 'string', default: '7080' },
            host: { type: 'string', default: '127.0.0.1' },
            // Next to simulators/, not under the cwd: callers start it from wherever they run.
            feeds: { type: 'string', default: join(dirname(fileURLToPath(import.meta.url)), '..', 'sample-feeds') },
            fail: { type: 'string', multiple: true, default: [] },
            hang: { type: 'string', multiple: true, default: [] },
            invalid: { type: 'string', multiple: true, default: [] },
        },
    }).values;
} catch (e) {
    die(`${e.message}\n${USAGE}`);
}
if (!/^\d{1,5}$/.test(opts.port) || Number(opts.port) > 65535) die(`--port must be 0-65535, not "${opts.port}"`);

const keys = Object.fromEntries(SOURCES.map((s) =>
    [s, process.env[`SIM_KEY_${s.toUpperCase().replace('-', '_')}`] || `sim-${s}-key`]));

// ------------------------------------------------------------------------------------------------ feeds

// source -> period -> revision -> file. Names are indexed once; the bytes are read at each request, so what is
// served is always exactly the file on disk.
const feeds = new Map(SOURCES.map((s) => [s, new Map()]));
let names;
try {
    names = readdirSync(opts.feeds, { recursive: true });
} catch (e) {
    die(`cannot read the feeds folder ${opts.feeds}: ${e.message}`);
}
for (const name of names) {
    // The invalid cases are validator inputs, not anything a department would send; --invalid makes its own.
    if (name.split(sep).includes('invalid')) continue;
    const m = FEED_FILE.exec(basename(name));
    if (!m) continue;
    const periods = feeds.get(m[1]);
    if (!periods.has(m[2])) periods.set(m[2], new Map());
    periods.get(m[2]).set(Number(m[3]), join(opts.feeds, name));
}
if (SOURCES.every((s) => feeds.get(s).size === 0)) die(`no feed files ({source}-{period}-r{n}.json) in ${opts.feeds}`);

// Files are judged once by the repository's schemas/ (ajv, 2020-12), as the hub will judge them: one that does not
// meet its schema is still served byte for byte (a department may well send one), but said so at start.
const schemas = feedSchemas();
const schemaErrors = (bytes) => {
    try {
        return schemas.validate(JSON.parse(bytes));
    } catch (e) {
        return [{ instanceLocation: '', keyword: `not JSON: ${e.message}` }];
    }
};
for (const periods of feeds.values()) {
    for (const revisions of periods.values()) {
        for (const file of revisions.values()) {
            const errors = schemaErrors(readFileSync(file));
            if (errors.length > 0) {
                const shown = errors.slice(0, 3).map((e) => `${e.instanceLocation || '(root)'} ${e.keyword}`).join(', ');
                process.stderr.write(`departments: warning: ${file} does not meet its schema (${shown}); served as it is\n`);
            }
        }
    }
}

// Breaks the contract twice (an area outside the reference, the required producer gone) and moves producedAt by
// an hour, so the body differs from the valid feed even where a reader ignores the broken fields. Deterministic:
// asking again gives the same bytes, like a department re-sending the same bad export. The schema must refuse the
// result: a body it accepts would not be the invalid feed this mode promises (an answer 500 says so instead).
function invalidate(bytes) {
    const feed = JSON.parse(bytes);
    if (feed.records?.[0]) feed.records[0].areaCode = '000000';
    delete feed.producer;
    const at = Date.parse(feed.producedAt);
    const shifted = (Number.isNaN(at) ? Date.now() : at) + 3600e3;
    feed.producedAt = new Date(shifted + 8 * 3600e3).toISOString().slice(0, 19) + '+08:00';
    const out = Buffer.from(JSON.stringify(feed, null, 2) + '\n');
    if (schemaErrors(out).length === 0) throw new Error('the invalidated feed still meets its schema');
    return out;
}

// ------------------------------------------------------------------------------------------------ switches

const state = new Map();
const setMode = (source, mode, times = null) =>
    Object.assign(state.get(source), { mode, times: mode === 'ok' ? null : times });
function reset() {
    for (const s of SOURCES) state.set(s, { mode: 'ok', times: null, requests: { total: 0, byStatus: {}, hung: 0 } });
}
reset();
for (const mode of ['fail', 'hang', 'invalid']) {
    for (const source of opts[mode]) {
        if (!SOURCES.includes(source)) die(`--${mode}: unknown source "${source}" (one of ${SOURCES.join(', ')})`);
        if (state.get(source).mode !== 'ok') die(`--${mode}: ${source} already has mode ${state.get(source).mode}`);
        setMode(source, mode);
    }
}

/** The mode for this feed request; a limited switch counts down and reverts to ok after its last use. */
function takeMode(source) {
    const s = state.get(source);
    const mode = s.mode;
    if (s.times !== null && --s.times === 0) setMode(source, 'ok');
    return mode;
}

function parseControl(text) {
    let body;
    try { body = JSON.parse(text); } catch { return { error: 'the body is not JSON' }; }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return { error: 'the body must be a JSON object' };
    // Unknown fields are refused: a misspelt "time" would otherwise silently switch a source for good.
    const unknown = Object.keys(body).filter((k) => k !== 'mode' && k !== 'times');
    if (unknown.length) return { error: `unknown field(s): ${unknown.join(', ')}` };
    if (!MODES.includes(body.mode)) return { error: `mode must be one of ${MODES.join(', ')}` };
    // null is accepted as "absent": serializers of optional integers often write it.
    if (body.times != null && !(Number.isInteger(body.times) && body.times >= 1)) return { error: 'times must be a positive integer' };
    return { mode: body.mode, times: body.times ?? null };
}

async function readBody(req, limit = 4096) {
    const chunks = [];
    let size = 0;
    for await (const chunk of req) {
        if ((size += chunk.length) > limit) return null;
        chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
}

// ------------------------------------------------------------------------------------------------ server

async function handle(req, res) {
    const url = new URL(req.url, 'http://simulator');
    const [first, second, third, ...extra] = url.pathname.split('/').slice(1);
    let mode = '-';
    let counters = null; // set for feed requests, which are the ones /_control reports on
    const log = (status) => process.stderr.write(`${req.method} ${req.url} ${status} ${mode}\n`);
    const reply = (status, body, type = 'application/json', headers = {}) => {
        const bytes = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body, null, 2) + '\n');
        res.writeHead(status, { 'content-type': type, 'content-length': bytes.length, ...headers });
        res.end(bytes);
        // Counted before the client can see the answer, so a test reading /_control next never races it.
        if (counters) {
            counters.total++;
            counters.byStatus[status] = (counters.byStatus[status] ?? 0) + 1;
        }
        log(status);
    };
    const problem = (status, detail, headers) => reply(status,
        { type: 'about:blank', title: STATUS_CODES[status], status, detail }, 'application/problem+json', headers);
    const only = (allowed) => {
        if (allowed.includes(req.method)) return true;
        problem(405, `${req.method} is not allowed on ${url.pathname}`, { allow: allowed.join(', ') });
        return false;
    };

    if (first === '_health' && second === undefined) {
        if (only(['GET'])) reply(200, { status: 'ok' });
    } else if (first === '_control' && second === undefined) {
        if (!only(['GET', 'DELETE'])) return;
        if (req.method === 'DELETE') reset();
        reply(200, Object.fromEntries(state));
    } else if (first === '_control' && third === undefined) {
        if (!SOURCES.includes(second)) return problem(404, `unknown source "${second}" (one of ${SOURCES.join(', ')})`);
        if (!only(['GET', 'PUT'])) return;
        if (req.method === 'PUT') {
            const text = await readBody(req);
            if (text === null) return problem(400, 'the body is larger than 4 KiB');
            const body = parseControl(text);
            if (body.error) return problem(400, `${body.error}; expected { "mode": "${MODES.join('" | "')}", "times": N (optional) }`);
            setMode(second, body.mode, body.times);
        }
        reply(200, state.get(second));
    } else if ((second === 'periods' && third === undefined) || (second === 'feeds' && third !== undefined && extra.length === 0)) {
        const source = first;
        if (!feeds.has(source)) return problem(404, `unknown source "${source}" (one of ${SOURCES.join(', ')})`);
        if (!only(['GET'])) return;
        if (second === 'feeds') counters = state.get(source).requests;
        if (req.headers['x-api-key'] !== keys[source]) return problem(401, `missing or wrong x-api-key for ${source}`);
        const periods = feeds.get(source);
        if (second === 'periods') return reply(200, { source, periods: [...periods.keys()].sort() });

        const period = third;
        if (!PERIOD.test(period)) return problem(400, `period "${period}" is not YYYY, YYYY-Qn or YYYY-MM`);
        const revisionParam = url.searchParams.get('revision');
        if (revisionParam !== null && !/^\d+$/.test(revisionParam)) {
            return problem(400, `revision "${revisionParam}" is not a non-negative integer`);
        }
        // The switch applies to authenticated, well-formed feed requests, before the lookup: a department that is
        // down fails whatever period is asked.
        mode = takeMode(source);
        if (mode === 'fail') return problem(500, `${source} simulator: failure switched on`);
        if (mode === 'hang') {
            // Never answered; the socket stays open until the client gives up or the server closes it.
            counters.total++;
            counters.hung++;
            return log('-');
        }
        const revisions = periods.get(period);
        const revision = revisionParam !== null ? Number(revisionParam) : Math.max(...(revisions?.keys() ?? [-1]));
        const file = revisions?.get(revision);
        if (!file) {
            return problem(404, `${source} has no feed for ${period}${revisionParam !== null ? ` revision ${revision}` : ''}`);
        }
        const bytes = readFileSync(file);
        reply(200, mode === 'invalid' ? invalidate(bytes) : bytes);
    } else {
        problem(404, `no such resource: ${url.pathname}`);
    }
}

// A broken file in --feeds or a client dropping a control request must not take every department down with it.
const server = createServer((req, res) => handle(req, res).catch((e) => {
    process.stderr.write(`${req.method} ${req.url} error: ${e.message}\n`);
    if (res.headersSent || res.destroyed) return res.destroy();
    const body = JSON.stringify({ type: 'about:blank', title: STATUS_CODES[500], status: 500, detail: e.message });
    res.writeHead(500, { 'content-type': 'application/problem+json' }).end(body);
}));

server.on('error', (e) => die(e.code === 'EADDRINUSE'
    ? `port ${opts.port} on ${opts.host} is already in use (pick another with --port, or --port 0 for a free one)`
    : `cannot listen on ${opts.host}:${opts.port}: ${e.message}`));

server.listen(Number(opts.port), opts.host, () => {
    const { address, port } = server.address();
    const host = address.includes(':') ? `[${address}]` : address;
    process.stdout.write(`departments listening on http://${host}:${port}\n`);
});

function shutdown() {
    server.close(() => process.exit(0));
    // Hung requests would keep close() waiting forever: drop every connection, answered or not.
    server.closeAllConnections();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
