// Sums the counters of every TRX file under a folder and prints, last, "tests: N passed, N failed, N skipped".
// Before it, every skipped test with the reason its test gave, so a skip is never silent.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const folder = process.argv[2];
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.trx')) files.push(path);
  }
};
walk(folder);

const unescape = (text) => text
  .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

let passed = 0, failed = 0, total = 0, executed = 0;
const skipped = new Map(); // reason -> test names
for (const file of files) {
  const trx = readFileSync(file, 'utf8');
  const counters = /<Counters\b([^>]*)\/>/.exec(trx);
  if (!counters) continue;
  const read = (name) => Number((new RegExp(`\\b${name}="(\\d+)"`).exec(counters[1]) ?? [0, 0])[1]);
  total += read('total');
  executed += read('executed');
  passed += read('passed');
  failed += read('failed') + read('error') + read('timeout') + read('aborted');
  // A skipped result is NotExecuted; the runner puts the skip reason in its message or its output.
  for (const result of trx.matchAll(/<UnitTestResult\b([^>]*)>([\s\S]*?)<\/UnitTestResult>|<UnitTestResult\b([^>]*)\/>/g)) {
    const attributes = result[1] ?? result[3];
    if (!/\boutcome="NotExecuted"/.test(attributes)) continue;
    const name = unescape((/\btestName="([^"]*)"/.exec(attributes) ?? [0, '?'])[1]);
    const body = result[2] ?? '';
    const reason = unescape(((/<Message>([\s\S]*?)<\/Message>/.exec(body) ?? /<StdOut>([\s\S]*?)<\/StdOut>/.exec(body) ?? [0, 'no reason given'])[1]).trim());
    skipped.set(reason, [...(skipped.get(reason) ?? []), name]);
  }
}
console.log(`${files.length} test run(s)`);
for (const [reason, names] of skipped) {
  console.log(`skipped ${names.length}: ${reason}`);
  for (const name of names) console.log(`  - ${name}`);
}
if (files.length === 0 || passed + failed === 0) console.error('No test ran.');
console.log(`tests: ${passed} passed, ${failed} failed, ${total - executed} skipped`);
process.exit(files.length === 0 || passed + failed === 0 ? 1 : 0);
