// A sample dashboard receiver for the hub's webhook subscribers: takes CloudEvents in structured mode
// (application/cloudevents+json) by POST, drops a re-sent event by its id, prints each new one and lists them at GET /.
//
//   node local-dev/webhook-receiver/receiver.mjs [--port 7090] [--host 127.0.0.1] [--fail N]
//
// --fail N answers 503 to the first N POSTs, to watch the hub retry. Delivery is at least once: the same id can come
// twice (a retried publish, an ops redelivery), so a subscriber keeps the ids it has handled, as here (in memory).
// The OPTIONS request is the CloudEvents webhook abuse-protection handshake Event Grid sends in Azure before it
// delivers; the hub's local delivery does not send it.

import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
    options: {
        port: { type: 'string', default: process.env.WEBHOOK_RECEIVER_PORT ?? '7090' },
        host: { type: 'string', default: '127.0.0.1' },
        fail: { type: 'string', default: '0' },
    },
});

// A subscriber that asks for feed-late (eventTypes) gets these too: a department's feed not received by its due time.
const FEED_LATE = 'cn.xiangjiang.dualcarbon.feed.late';
const seen = new Map(); // event id -> summary, in arrival order
let failuresLeft = Number(opts.fail);
let duplicates = 0;

function summarise(event) {
    const data = event.data ?? {};
    const changed = Array.isArray(data.changedIndicators) ? data.changedIndicators.length : '?';
    return {
        id: event.id,
        type: event.type,
        time: event.time,
        period: data.period ?? event.subject,
        version: data.version,
        status: data.status,
        changed,
        areas: Array.isArray(data.areas) ? data.areas.join(',') : '',
        url: data.url ?? event.dataref,
        receivedAt: new Date().toISOString(),
    };
}

async function readBody(req) {
    const chunks = [];
    let size = 0;
    for await (const chunk of req) {
        size += chunk.length;
        if (size > 16 * 1024 * 1024) throw new Error('body too large');
        chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
}

const escape = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page() {
    const rows = [...seen.values()].reverse().map((e) =>
        `<tr><td>${escape(e.id)}</td><td>${escape(e.period)}</td><td>${escape(e.version)}</td><td>${escape(e.status)}</td>`
        + `<td>${escape(e.changed)}</td><td>${escape(e.areas)}</td><td>${escape(e.receivedAt)}</td></tr>`).join('\n');
    return `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="5"><title>Dashboard webhook receiver</title>
<h1>Data-set events received</h1><p>${seen.size} events, ${duplicates} duplicates dropped.</p>
<table border="1" cellpadding="4"><tr><th>id</th><th>period</th><th>version</th><th>status</th><th>changed figures</th><th>areas</th><th>received</th></tr>
${rows}</table>`;
}

async function handle(req, res) {
    if (req.method === 'OPTIONS') {
        // CloudEvents HTTP webhook validation: allow the origin asking (Event Grid's).
        res.writeHead(200, { 'WebHook-Allowed-Origin': req.headers['webhook-request-origin'] ?? '*', 'WebHook-Allowed-Rate': '120' });
        res.end();
        return;
    }

    if (req.method === 'GET' && (req.url === '/' || req.url === '/events')) {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(page());
        return;
    }

    if (req.method === 'GET' && req.url === '/events.json') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ events: [...seen.values()], duplicates }));
        return;
    }

    if (req.method !== 'POST') {
        res.writeHead(405).end();
        return;
    }

    const text = await readBody(req);
    if (failuresLeft > 0) {
        failuresLeft -= 1;
        process.stdout.write(`failing on purpose (503), ${failuresLeft} more to fail\n`);
        res.writeHead(503).end();
        return;
    }

    if (!(req.headers['content-type'] ?? '').startsWith('application/cloudevents+json')) {
        res.writeHead(415).end();
        return;
    }

    let event;
    try {
        event = JSON.parse(text);
    } catch {
        res.writeHead(400).end();
        return;
    }

    if (typeof event?.id !== 'string' || event.specversion !== '1.0') {
        res.writeHead(400).end();
        return;
    }

    if (seen.has(event.id)) {
        duplicates += 1;
        process.stdout.write(`duplicate ${event.id} dropped\n`);
    } else {
        const summary = summarise(event);
        seen.set(event.id, summary);
        process.stdout.write(event.type === FEED_LATE
            ? `received ${summary.id}: ${event.data?.source} ${summary.period} is late (due by ${event.data?.dueBy})\n`
            : `received ${summary.id}: ${summary.period} v${summary.version} (${summary.status}), `
                + `${summary.changed} changed figures, areas ${summary.areas}\n`);
    }

    // 2xx either way: a duplicate is handled, and another answer would only make the hub send it again.
    res.writeHead(204).end();
}

const server = createServer((req, res) => handle(req, res).catch((e) => {
    process.stderr.write(`error: ${e.message}\n`);
    if (!res.headersSent) res.writeHead(500);
    res.end();
}));

server.on('error', (e) => {
    process.stderr.write(`cannot listen on ${opts.host}:${opts.port}: ${e.message}\n`);
    process.exit(2);
});

server.listen(Number(opts.port), opts.host, () => {
    const { address, port } = server.address();
    const host = address.includes(':') ? `[${address}]` : address;
    process.stdout.write(`webhook receiver listening on http://${host}:${port}/events\n`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => server.close(() => process.exit(0)));
}
