// Tests of the sample webhook receiver, run as a child process the way the README uses it.
//
//   node --test local-dev/webhook-receiver/      (from the repository root)

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'receiver.mjs');
const children = new Set();

after(() => { for (const child of children) child.kill('SIGTERM'); });

/** Starts the receiver on a free port; resolves with its URL and its stdout lines once it listens. */
function start(args = []) {
    const child = spawn(process.execPath, [SCRIPT, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.add(child);
    const lines = [];
    return new Promise((resolve) => {
        createInterface({ input: child.stdout }).on('line', (line) => {
            lines.push(line);
            const match = /listening on (\S+)/.exec(line);
            if (match) resolve({ url: match[1], lines });
        });
    });
}

const event = (id) => JSON.stringify({
    specversion: '1.0', id, type: 'cn.xiangjiang.dualcarbon.dataset.published', source: '/integration-hub', subject: '2024-Q4',
    datacontenttype: 'application/json',
    data: { period: '2024-Q4', version: 2, status: 'complete', methodologyVersion: '2.0', url: '/api/datasets/2024-Q4/versions/2',
        changedIndicators: [{ areaCode: '430104', id: 'carbon.totalTco2', old: 1, new: 2 }], areas: ['430104'] },
});

const post = (url, body) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' }, body });

test('an event sent twice is kept once by its id, and both sends are answered 2xx', async () => {
    const { url } = await start();

    assert.equal((await post(url, event('2024-Q4/v2'))).status, 204);
    assert.equal((await post(url, event('2024-Q4/v2'))).status, 204);
    assert.equal((await post(url, event('2024-Q4/v3'))).status, 204);

    const listed = await (await fetch(url.replace(/\/events$/, '/events.json'))).json();
    assert.deepEqual(listed.events.map((e) => e.id), ['2024-Q4/v2', '2024-Q4/v3']);
    assert.equal(listed.duplicates, 1);
});

test('a feed-late event is printed as the late feed it announces', async () => {
    const { url, lines } = await start();
    const late = JSON.stringify({
        specversion: '1.0', id: 'feed-late:0123456789abcdef0123456789abcdef', type: 'cn.xiangjiang.dualcarbon.feed.late',
        source: '/integration-hub', subject: 'transport/2025-03', datacontenttype: 'application/json',
        data: { source: 'transport', period: '2025-03', periodKind: 'month', dueBy: '2025-04-15', dueAt: '2025-04-15T16:00:00Z',
            url: '/api/supply?source=transport&from=2025-03&to=2025-03' },
    });

    assert.equal((await post(url, late)).status, 204);

    // The child's stdout reaches this process on its own schedule, after the answer may have: wait for the line.
    for (let waited = 0; waited < 5000 && !lines.some((l) => l.startsWith('received feed-late:')); waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(lines.includes('received feed-late:0123456789abcdef0123456789abcdef: transport 2025-03 is late (due by 2025-04-15)'), lines.join('\n'));
});

test('--fail 2 answers 503 twice, then takes the event', async () => {
    const { url } = await start(['--fail', '2']);

    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(url, event('2024/v1'))).status);

    assert.deepEqual(statuses, [503, 503, 204]);
});

test('the CloudEvents webhook handshake (OPTIONS) allows the asking origin', async () => {
    const { url } = await start();

    const answer = await fetch(url, { method: 'OPTIONS', headers: { 'WebHook-Request-Origin': 'eventgrid.azure.net' } });

    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('webhook-allowed-origin'), 'eventgrid.azure.net');
});

test('a body that is not a CloudEvent is refused with 400', async () => {
    const { url } = await start();

    assert.equal((await post(url, '{"hello":1}')).status, 400);
});
