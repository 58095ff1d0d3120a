// Pushes a burst of N distinct feeds to a running hub as fast as C clients can, and prints one JSON line:
// {"pushed":N,"accepted":…,"duplicates":…,"failed":…,"seconds":…,"lastAnswerAt":"…"}.
// The feeds are the valid 2024 and 2025 samples in turn, each made distinct by its producer text (same figures, so
// every data set they feed is built from real feeds), spread over sources and periods as a real backlog is.
//   node local-dev/perf/burst.mjs HUB_URL COUNT [CLIENTS] [LABEL]
import { readFileSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const [hub, countText, clientsText = "16", label = `B${Date.now()}`] = process.argv.slice(2);
const count = Number(countText);
const clients = Number(clientsText);
if (!hub || !(count > 0) || !(clients > 0)) {
  console.error("usage: node burst.mjs HUB_URL COUNT [CLIENTS] [LABEL]");
  process.exit(2);
}

const samples = join(dirname(fileURLToPath(import.meta.url)), "..", "sample-feeds");
const keys = { statistics: "local-statistics-key", "power-grid": "local-power-grid-key", transport: "local-transport-key", environment: "local-environment-key" };
const templates = ["2024", "2025"].flatMap((year) => readdirSync(join(samples, year)).filter((f) => f.endsWith(".json"))
  .map((f) => JSON.parse(readFileSync(join(samples, year, f), "utf8"))));

let next = 0;
const tally = { accepted: 0, duplicates: 0, failed: 0 };
const failures = {};
const started = Date.now();
let lastAnswerAt = started;

async function client() {
  while (next < count) {
    const i = next++;
    const feed = structuredClone(templates[i % templates.length]);
    feed.producer = `${feed.producer} (burst ${label}-${i})`;
    try {
      const answer = await fetch(`${hub}/api/feeds/${feed.source}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": keys[feed.source] },
        body: JSON.stringify(feed),
      });
      await answer.arrayBuffer();
      if (answer.status === 202) tally.accepted++;
      else if (answer.status === 200) tally.duplicates++;
      else { tally.failed++; failures[answer.status] = (failures[answer.status] ?? 0) + 1; }
    } catch (error) {
      tally.failed++;
      failures[error.cause?.code ?? "error"] = (failures[error.cause?.code ?? "error"] ?? 0) + 1;
    }
    lastAnswerAt = Date.now();
  }
}

await Promise.all(Array.from({ length: clients }, client));
console.log(JSON.stringify({ pushed: count, ...tally, failures, seconds: (lastAnswerAt - started) / 1000, lastAnswerAt: new Date(lastAnswerAt).toISOString() }));
process.exit(tally.failed > 0 ? 1 : 0);
