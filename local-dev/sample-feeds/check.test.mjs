// The sample checker fails when it should: a valid sample broken against its schema, and an invalid case that no
// longer breaks anything, each make it exit 1 naming the file. Run by tests/run.sh (node --test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const CHECK = join(HERE, 'check.mjs');

function withCopy(change) {
    const dir = mkdtempSync(join(tmpdir(), 'sample-feeds-'));
    try {
        for (const sub of ['2020', '2024', '2025', 'invalid']) cpSync(join(HERE, sub), join(dir, sub), { recursive: true });
        change(dir);
        return spawnSync(process.execPath, [CHECK, '--feeds', dir], { encoding: 'utf8' });
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

const edit = (file, fn) => writeFileSync(file, JSON.stringify(fn(JSON.parse(readFileSync(file, 'utf8'))), null, 2));

test('the samples as they are pass, with the contract 2.0 totals', () => {
    const run = spawnSync(process.execPath, [CHECK], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /contract 2\.0 basis/);
    assert.match(run.stdout, /all checks passed/);
});

test('a valid sample that breaks its schema fails the check', () => {
    // transport 1.1: vehicles[].nev is an integer; a string is the schema's "type" error.
    const run = withCopy((dir) => edit(join(dir, '2024', 'transport-2024-07-r0.json'), (f) => {
        f.records[0].vehicles[0].nev = '44';
        return f;
    }));
    assert.equal(run.status, 1);
    assert.match(run.stderr, /FAIL 2024\/transport-2024-07-r0\.json: .*"instanceLocation":"\/records\/0\/vehicles\/0\/nev","keyword":"type"/);
});

test('a revision above the schema\'s maximum fails the check (a limit of the real schema, not of a subset)', () => {
    const run = withCopy((dir) => edit(join(dir, '2025', 'environment-2025-01-r0.json'), (f) => {
        f.revision = 10000;
        return f;
    }));
    assert.equal(run.status, 1);
    assert.match(run.stderr, /FAIL 2025\/environment-2025-01-r0\.json: .*"instanceLocation":"\/revision","keyword":"maximum"/);
});

test('a 1.1 field in a sample declaring 1.0 is refused by the 1.0 schema', () => {
    const run = withCopy((dir) => edit(join(dir, '2024', 'power-grid-2024-11-r0.json'), (f) => {
        assert.equal(f.schemaVersion, '1.0');
        f.gridNonFossilSharePct = 30;
        return f;
    }));
    assert.equal(run.status, 1);
    assert.match(run.stderr, /FAIL 2024\/power-grid-2024-11-r0\.json: .*"instanceLocation":"\/gridNonFossilSharePct","keyword":"additionalProperties"/);
});

test('an invalid case that passes fails the check', () => {
    // negative-quantity made non-negative: nothing is wrong with it any more, but its .expected.json says "minimum".
    const run = withCopy((dir) => {
        const file = join(dir, 'invalid', 'negative-quantity.json');
        writeFileSync(file, readFileSync(file, 'utf8').replace('"quantity": -', '"quantity": '));
    });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /FAIL invalid\/negative-quantity\.json: expected exit 1 \[.* minimum\], got exit 0 \[\]/);
});
