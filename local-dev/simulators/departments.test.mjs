// Tests of the department simulators, run as a child process the way the demo and the C# tests use them.
//
//   node --test local-dev/simulators/      (from the repository root)

import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { feedSchemas } from '../lib/feed-schemas.mjs';

const DIR = dirname(fileURLToPath(import.meta.url));
const SCRIPT = join(DIR, 'departments.mjs');
const FEEDS = join(DIR, '..', 'sample-feeds');
const sample = (year, name) => readFileSync(join(FEEDS, year, name));
// The repository's schemas under ajv (2020-12): what the hub would say of a body, in its terms.
const SCHEMAS = feedSchemas();

const children = new Set();

/** Starts the simulators on a free port; resolves once the first stdout line gives the address. */
function start(args = [], env = {}) {
    const child = spawn(process.execPath, [SCRIPT, '--port', '0', ...args], {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => {
        children.delete(child);
        resolve({ code, signal, stderr });
    }));
    const stop = async () => {
        child.kill('SIGTERM');
        return exited;
    };
    const ready = new Promise((resolve, reject) => {
        createInterface({ input: child.stdout }).once('line', (line) => {
            const m = /^departments listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(line);
            if (m) resolve({ url: m[1], port: Number(m[2]), child, stop, exited });
            else reject(new Error(`unexpected first line: ${line}`));
        });
        exited.then(({ code }) => reject(new Error(`exited with ${code} before listening: ${stderr}`)));
    });
    return { ready, exited };
}

// Kill whatever a failed test left running, so no process outlives the run.
after(() => { for (const child of children) child.kill('SIGKILL'); });

const KEY = (source) => ({ 'x-api-key': `sim-${source}-key` });

describe('departments simulator', () => {
    let sim;
    const get = (path, headers = {}, init = {}) => fetch(sim.url + path, { headers, ...init });
    const feed = (source, period, query = '', init = {}) => get(`/${source}/feeds/${period}${query}`, KEY(source), init);
    const control = async (method, source, body) => {
        const res = await fetch(`${sim.url}/_control${source ? `/${source}` : ''}`,
            { method, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
        return { status: res.status, body: await res.json() };
    };

    before(async () => { sim = await start().ready; });
    after(async () => {
        const { code } = await sim.stop();
        assert.equal(code, 0);
    });
    beforeEach(async () => { await control('DELETE'); });

    test('health', async () => {
        const res = await get('/_health');
        assert.equal(res.status, 200);
        assert.deepEqual(await res.json(), { status: 'ok' });
    });

    test('serves the exact bytes of the highest revision', async () => {
        const res = await feed('statistics', '2024-Q4');
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('content-type'), 'application/json');
        const bytes = Buffer.from(await res.arrayBuffer());
        assert.ok(bytes.equals(sample('2024', 'statistics-2024-Q4-r1.json')));
    });

    test('?revision= serves that revision', async () => {
        const r0 = Buffer.from(await (await feed('statistics', '2024-Q4', '?revision=0')).arrayBuffer());
        assert.ok(r0.equals(sample('2024', 'statistics-2024-Q4-r0.json')));
        const r1 = Buffer.from(await (await feed('power-grid', '2025-03', '?revision=1')).arrayBuffer());
        assert.ok(r1.equals(sample('2025', 'power-grid-2025-03-r1.json')));
        assert.equal((await feed('statistics', '2024-Q4', '?revision=2')).status, 404);
        assert.equal((await feed('statistics', '2024-Q4', '?revision=x')).status, 400);
    });

    test('401 with a problem body on a wrong or missing key', async () => {
        for (const headers of [{ 'x-api-key': 'sim-transport-key' }, {}]) {
            const res = await get('/statistics/feeds/2024-Q4', headers);
            assert.equal(res.status, 401);
            assert.equal(res.headers.get('content-type'), 'application/problem+json');
            const body = await res.json();
            assert.equal(body.type, 'about:blank');
            assert.equal(body.status, 401);
            assert.equal(typeof body.title, 'string');
            assert.equal(typeof body.detail, 'string');
        }
        assert.equal((await get('/statistics/periods')).status, 401);
    });

    test('404 for a period without a file or an unknown source', async () => {
        const res = await feed('statistics', '2023-Q1');
        assert.equal(res.status, 404);
        assert.equal(res.headers.get('content-type'), 'application/problem+json');
        assert.equal((await res.json()).status, 404);
        assert.equal((await feed('transport', '2024-Q4')).status, 404); // a quarter: transport sends months only
        assert.equal((await get('/water/feeds/2024-01', { 'x-api-key': 'sim-water-key' })).status, 404);
    });

    test('400 for a malformed period', async () => {
        for (const period of ['2024-Q5', '2024-13', '24', '2024-1', '2024Q1']) {
            const res = await feed('statistics', period);
            assert.equal(res.status, 400, period);
            assert.equal(res.headers.get('content-type'), 'application/problem+json');
        }
    });

    test('periods lists every period with a file, sorted', async () => {
        const res = await get('/power-grid/periods', KEY('power-grid'));
        assert.equal(res.status, 200);
        const body = await res.json();
        const expected = [...new Set(['2020', '2024', '2025'].flatMap((y) => readdirSync(join(FEEDS, y)))
            .filter((n) => n.startsWith('power-grid-')).map((n) => n.slice('power-grid-'.length, -'-r0.json'.length)))].sort();
        assert.equal(body.source, 'power-grid');
        assert.deepEqual(body.periods, expected);
        assert.equal(body.periods.length, 33); // 2025-03 has two revisions, listed once
    });

    test('fail for 2 requests, then ok again; counters reflect it', async () => {
        const set = await control('PUT', 'transport', { mode: 'fail', times: 2 });
        assert.equal(set.status, 200);
        for (let i = 0; i < 2; i++) {
            const res = await feed('transport', '2024-06');
            assert.equal(res.status, 500);
            assert.equal(res.headers.get('content-type'), 'application/problem+json');
            await res.arrayBuffer();
        }
        assert.equal((await feed('transport', '2024-06')).status, 200);
        const { body } = await control('GET');
        assert.equal(body.transport.mode, 'ok');
        assert.equal(body.transport.times, null);
        assert.deepEqual(body.transport.requests, { total: 3, byStatus: { 500: 2, 200: 1 }, hung: 0 });
        assert.equal(body.statistics.requests.total, 0);
    });

    test('invalid returns a different body without producer', async () => {
        await control('PUT', 'environment', { mode: 'invalid' });
        const valid = sample('2024', 'environment-2024-08-r0.json');
        const res = await feed('environment', '2024-08');
        assert.equal(res.status, 200);
        const bytes = Buffer.from(await res.arrayBuffer());
        assert.ok(!bytes.equals(valid));
        const body = JSON.parse(bytes);
        const original = JSON.parse(valid);
        assert.equal('producer' in body, false);
        assert.equal(body.records[0].areaCode, '000000');
        assert.notEqual(body.producedAt, original.producedAt);
        assert.equal(body.records.length, original.records.length);
        // "until changed": still invalid on the next request
        assert.equal('producer' in await (await feed('environment', '2024-08')).json(), false);
        // The schema refuses it for the missing producer, at the root; the valid file meets it.
        assert.deepEqual(SCHEMAS.validate(body), [{ instanceLocation: '', keyword: 'required' }]);
        assert.deepEqual(SCHEMAS.validate(original), []);
    });

    test('every period served meets its schema (schemas/, 2020-12)', async () => {
        let checked = 0;
        for (const source of ['statistics', 'power-grid', 'transport', 'environment']) {
            const { periods } = await (await get(`/${source}/periods`, KEY(source))).json();
            for (const period of periods) {
                const body = await (await feed(source, period)).json();
                assert.deepEqual(SCHEMAS.validate(body), [], `${source} ${period}`);
                checked++;
            }
        }
        assert.ok(checked >= 100, `only ${checked} periods served`);
    });

    test('hang does not answer; the source answers again after reset', async () => {
        await control('PUT', 'power-grid', { mode: 'hang' });
        const started = Date.now();
        await assert.rejects(feed('power-grid', '2024-01', '', { signal: AbortSignal.timeout(500) }),
            (e) => e.name === 'TimeoutError' || e.name === 'AbortError');
        assert.ok(Date.now() - started >= 450);
        assert.deepEqual((await control('GET')).body['power-grid'].requests, { total: 1, byStatus: {}, hung: 1 });
        await control('DELETE');
        const res = await feed('power-grid', '2024-01');
        assert.equal(res.status, 200);
        assert.ok(Buffer.from(await res.arrayBuffer()).equals(sample('2024', 'power-grid-2024-01-r0.json')));
    });

    test('DELETE /_control resets every mode and counter', async () => {
        await control('PUT', 'statistics', { mode: 'fail' });
        await control('PUT', 'transport', { mode: 'invalid', times: 3 });
        await (await feed('statistics', '2024')).arrayBuffer();
        const before = (await control('GET')).body;
        assert.equal(before.statistics.mode, 'fail');
        assert.equal(before.statistics.times, null);
        assert.equal(before.transport.times, 3);
        assert.equal(before.statistics.requests.total, 1);
        const reset = await control('DELETE');
        assert.equal(reset.status, 200);
        for (const source of ['statistics', 'power-grid', 'transport', 'environment']) {
            assert.deepEqual(reset.body[source], { mode: 'ok', times: null, requests: { total: 0, byStatus: {}, hung: 0 } });
        }
        assert.deepEqual((await control('GET')).body, reset.body);
    });

    test('bad control requests are refused with 400 (404 for an unknown source)', async () => {
        for (const body of ['not json', '[]', { mode: 'broken' }, { mode: 'fail', times: 0 },
            { mode: 'fail', times: 1.5 }, { mode: 'fail', time: 2 }, {}]) {
            const res = await control('PUT', 'statistics', body);
            assert.equal(res.status, 400, JSON.stringify(body));
            assert.equal(res.body.status, 400);
        }
        assert.equal((await control('PUT', 'water', { mode: 'fail' })).status, 404);
        assert.equal((await control('GET')).body.statistics.mode, 'ok');
        assert.equal((await control('PUT', 'statistics', { mode: 'fail', times: null })).body.times, null);
    });

    test('a second instance on a taken port exits 2 with a message', async () => {
        const child = spawn(process.execPath, [SCRIPT, '--port', String(new URL(sim.url).port)], { stdio: ['ignore', 'pipe', 'pipe'] });
        children.add(child);
        let stderr = '';
        child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
        const code = await new Promise((resolve) => child.once('exit', resolve));
        children.delete(child);
        assert.equal(code, 2);
        assert.match(stderr, /already in use/);
    });
});

test('flags at start apply until changed; keys come from the environment', async () => {
    const sim = await start(['--fail', 'transport', '--hang', 'environment'], { SIM_KEY_POWER_GRID: 'rotated' }).ready;
    try {
        for (let i = 0; i < 3; i++) {
            const res = await fetch(`${sim.url}/transport/feeds/2024-06`, { headers: KEY('transport') });
            assert.equal(res.status, 500);
            await res.arrayBuffer();
        }
        assert.equal((await fetch(`${sim.url}/statistics/feeds/2024`, { headers: KEY('statistics') })).status, 200);
        assert.equal((await fetch(`${sim.url}/power-grid/feeds/2024-01`, { headers: KEY('power-grid') })).status, 401);
        assert.equal((await fetch(`${sim.url}/power-grid/feeds/2024-01`, { headers: { 'x-api-key': 'rotated' } })).status, 200);
        const state = await (await fetch(`${sim.url}/_control`)).json();
        assert.deepEqual([state.transport.mode, state.transport.times], ['fail', null]);
        assert.equal(state.environment.mode, 'hang');
        // A request left hanging must not keep SIGTERM from closing the server.
        const hung = fetch(`${sim.url}/environment/feeds/2024-01`, { headers: KEY('environment') }).catch((e) => e);
        await new Promise((resolve) => setTimeout(resolve, 100));
        const started = Date.now();
        const { code } = await sim.stop();
        assert.equal(code, 0);
        assert.ok(Date.now() - started < 2000);
        assert.ok((await hung) instanceof Error);
    } finally {
        sim.child.kill('SIGKILL');
    }
});

test('unknown options and sources are refused with exit code 2', async () => {
    for (const args of [['--fail', 'water'], ['--bogus'], ['--port', 'abc']]) {
        const { ready, exited } = start(args);
        ready.catch(() => {});
        const { code, stderr } = await exited;
        assert.equal(code, 2, args.join(' '));
        assert.match(stderr, /^departments: /);
    }
});

test('a file that breaks its schema is served byte for byte, and named at start with the failing pointer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-feeds-'));
    try {
        const broken = JSON.parse(sample('2024', 'transport-2024-07-r0.json'));
        broken.records[0].vehicles[0].nev = '44';
        const bytes = Buffer.from(JSON.stringify(broken, null, 2));
        writeFileSync(join(dir, 'transport-2024-07-r0.json'), bytes);
        writeFileSync(join(dir, 'environment-2024-08-r0.json'), sample('2024', 'environment-2024-08-r0.json'));
        const sim = await start(['--feeds', dir]).ready;
        const res = await fetch(`${sim.url}/transport/feeds/2024-07`, { headers: KEY('transport') });
        assert.equal(res.status, 200);
        assert.ok(Buffer.from(await res.arrayBuffer()).equals(bytes));
        const { code, stderr } = await sim.stop();
        assert.equal(code, 0);
        assert.match(stderr, /warning: .*transport-2024-07-r0\.json does not meet its schema \(\/records\/0\/vehicles\/0\/nev type\)/);
        assert.doesNotMatch(stderr, /environment-2024-08/);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
});
