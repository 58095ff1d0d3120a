// Sums the counters of every TRX file under a folder and prints "tests: N passed, N failed, N skipped".
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

let passed = 0, failed = 0, total = 0, executed = 0;
for (const file of files) {
  const counters = /<Counters\b([^>]*)\/>/.exec(readFileSync(file, 'utf8'));
  if (!counters) continue;
  const read = (name) => Number((new RegExp(`\\b${name}="(\\d+)"`).exec(counters[1]) ?? [0, 0])[1]);
  total += read('total');
  executed += read('executed');
  passed += read('passed');
  failed += read('failed') + read('error') + read('timeout') + read('aborted');
}
console.log(`${files.length} test run(s)`);
console.log(`tests: ${passed} passed, ${failed} failed, ${total - executed} skipped`);
if (files.length === 0 || passed + failed === 0) {
  console.error('No test ran.');
  process.exit(1);
}
