// tests/run.sh's closing lines: every skipped test named with its reason, and the counts line last.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

const script = join(import.meta.dirname, '..', 'summarise-trx.mjs');

const trx = (counters, results) => `<?xml version="1.0" encoding="utf-8"?>
<TestRun><Results>${results}</Results><ResultSummary outcome="Completed"><Counters ${counters} /></ResultSummary></TestRun>`;

test('lists each skipped test with its reason before the counts, which stay the last line', () => {
  const folder = mkdtempSync(join(tmpdir(), 'trx-'));
  writeFileSync(join(folder, 'a.trx'), trx('total="3" executed="1" passed="1" failed="0"', `
    <UnitTestResult testName="Pages.Console_ListsNewestFirst" outcome="NotExecuted"><Output><ErrorInfo><Message>No Chromium on this machine &amp; no driver</Message></ErrorInfo></Output></UnitTestResult>
    <UnitTestResult testName="Pages.Dashboard_ShowsNames" outcome="NotExecuted"><Output><StdOut>No Chromium on this machine &amp; no driver</StdOut></Output></UnitTestResult>
    <UnitTestResult testName="Core.Works" outcome="Passed" />`));
  writeFileSync(join(folder, 'b.trx'), trx('total="1" executed="0" passed="0" failed="0"', `
    <UnitTestResult testName="RealHost.Push" outcome="NotExecuted"><Output><ErrorInfo><Message>no real Functions host</Message></ErrorInfo></Output></UnitTestResult>`));

  const lines = execFileSync('node', [script, folder], { encoding: 'utf8' }).trimEnd().split('\n');

  assert.equal(lines.at(-1), 'tests: 1 passed, 0 failed, 3 skipped');
  const text = lines.join('\n');
  assert.match(text, /skipped 2: No Chromium on this machine & no driver\n  - Pages.Console_ListsNewestFirst\n  - Pages.Dashboard_ShowsNames/);
  assert.match(text, /skipped 1: no real Functions host\n  - RealHost.Push/);
});

test('with no test run it still ends on the counts line, and fails', () => {
  const folder = mkdtempSync(join(tmpdir(), 'trx-'));
  let failure;
  try {
    execFileSync('node', [script, folder], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    failure = error;
  }
  assert.ok(failure, 'should exit non-zero');
  assert.equal(failure.stdout.trimEnd().split('\n').at(-1), 'tests: 0 passed, 0 failed, 0 skipped');
});
