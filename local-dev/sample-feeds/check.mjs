// Checks the sample feeds against the feed contract (docs: feed-contract.md) and prints totals per year on the
// basis of contract 2.0.
//
//   node local-dev/sample-feeds/check.mjs [--feeds DIR]   (exit code 1 when a check fails; tests/run.sh runs it)
//
// Feeds are judged as the hub judges them: a strict JSON reader (duplicate properties, non-finite numbers), the
// repository's schemas/ under a standard 2020-12 validator (ajv), then the domain rules. Coefficients come from the
// hub's reference data files.
//   - every valid feed must produce no error and pass the plausibility checks below;
//   - every invalid case must produce exactly the errors (instanceLocation, keyword) and exit code
//     of its .expected.json.

import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { feedSchemas } from '../lib/feed-schemas.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
// --feeds DIR: another copy of the samples (check.test.mjs breaks one to see the check fail); default: this folder.
const DIR = parseArgs({ options: { feeds: { type: 'string', default: HERE } } }).values.feeds;

// ------------------------------------------------------------------------------------ strict JSON reader

class ParseError extends Error {
    constructor(keyword, instanceLocation, message) {
        super(message);
        this.keyword = keyword;
        this.instanceLocation = instanceLocation;
    }
}

const escapePointer = (key) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** Parses JSON text like the hub's intake should: duplicate properties and non-finite numbers are errors. */
function parseStrict(bytes) {
    let text;
    try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
        throw new ParseError('parse:invalid-utf8', '', 'the file is not valid UTF-8');
    }
    let i = 0;
    const fail = (message) => { throw new ParseError('parse:invalid-json', '', `${message} at offset ${i}`); };
    const ws = () => { while (i < text.length && ' \t\r\n'.includes(text[i])) i++; };
    const expect = (c) => { if (text[i] !== c) fail(`expected '${c}'`); i++; };

    function string() {
        expect('"');
        let out = '';
        while (true) {
            if (i >= text.length) fail('unterminated string');
            const c = text[i++];
            if (c === '"') return out;
            if (c < ' ') fail('control character in string');
            if (c !== '\\') { out += c; continue; }
            const e = text[i++];
            const simple = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
            if (e in simple) out += simple[e];
            else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i, i + 4))) { out += String.fromCharCode(parseInt(text.slice(i, i + 4), 16)); i += 4; }
            else fail('bad escape');
        }
    }

    function value(pointer) {
        ws();
        const c = text[i];
        if (c === '{') {
            i++;
            const obj = {};
            ws();
            if (text[i] === '}') { i++; return obj; }
            while (true) {
                ws();
                const key = string();
                const at = `${pointer}/${escapePointer(key)}`;
                if (Object.hasOwn(obj, key)) throw new ParseError('parse:duplicate-property', at, `property '${key}' repeated`);
                ws();
                expect(':');
                obj[key] = value(at);
                ws();
                if (text[i] === ',') { i++; continue; }
                expect('}');
                return obj;
            }
        }
        if (c === '[') {
            i++;
            const arr = [];
            ws();
            if (text[i] === ']') { i++; return arr; }
            while (true) {
                arr.push(value(`${pointer}/${arr.length}`));
                ws();
                if (text[i] === ',') { i++; continue; }
                expect(']');
                return arr;
            }
        }
        if (c === '"') return string();
        const literal = /^(true|false|null)/.exec(text.slice(i, i + 5));
        if (literal) { i += literal[0].length; return { true: true, false: false, null: null }[literal[0]]; }
        const num = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
        if (num) {
            i += num[0].length;
            const n = Number(num[0]);
            if (!Number.isFinite(n)) throw new ParseError('parse:number-out-of-range', pointer, `${num[0]} is not a finite double`);
            return n;
        }
        return fail('unexpected character');
    }

    const root = value('');
    ws();
    if (i !== text.length) fail('text after the value');
    if (root === null || typeof root !== 'object' || Array.isArray(root)) throw new ParseError('parse:not-an-object', '', 'the feed is not a JSON object');
    return root;
}

// ------------------------------------------------------------------------------------ the schemas and the reference data

// The real schemas/ files under a standard 2020-12 validator (ajv), as the hub validates with its embedded copies.
const SCHEMAS = feedSchemas();
const CATEGORIES = ['bus', 'taxi', 'public-sector', 'logistics', 'sanitation', 'private'];

// Reference values (the files the hub embeds): coefficients by id, each with its year when it has one.
const REFERENCE = join(HERE, '..', '..', 'functions', 'IntegrationHub.Core', 'ReferenceData');
const COEFFICIENTS = JSON.parse(readFileSync(join(REFERENCE, 'coefficients.json'), 'utf8')).coefficients;
const BASE_YEAR = JSON.parse(readFileSync(join(REFERENCE, 'targets.json'), 'utf8')).baseYear;
function coefficient(id) {
    const found = COEFFICIENTS.find((c) => c.id === id);
    if (!found) throw new Error(`coefficients.json has no '${id}'`);
    return found.value;
}
/** A per-year value (`<family>.<year>`): the year's own, else the nearest earlier year's, else the earliest later (contract 2.0). */
function coefficientOfYear(family, year) {
    const years = COEFFICIENTS.filter((c) => c.id.startsWith(`${family}.`) && Number.isInteger(c.year)).map((c) => c.year).sort((a, b) => a - b);
    if (years.length === 0) throw new Error(`coefficients.json has no '${family}.<year>'`);
    const chosen = years.includes(year) ? year : years.filter((y) => y < year).at(-1) ?? years[0];
    return coefficient(`${family}.${chosen}`);
}
const FOSSIL = ['raw-coal', 'natural-gas', 'gasoline', 'diesel', 'fuel-oil', 'lpg'];
/** tce per contract unit of each fuel but electricity. */
const TCE = Object.fromEntries([...FOSSIL, 'heat'].map((f) => [f, coefficient(`standardCoal.${f}`)]));

// ------------------------------------------------------------------------------------ domain rules

const KNOWN_AREAS = new Set([
    'XJNA', '430104', 'WCM',
    ...Array.from({ length: 17 }, (_, i) => `430104${String(i + 1).padStart(3, '0')}`), '430104102', '430104105',
    '430112008', '430112009', '430112013', '430112017', '430112115',
    'PARK_CSHTZ', 'PARK_MXH', 'PARK_YH', 'PARK_DWS', 'PARK_XJKXC',
]);
const LEAVES = [...KNOWN_AREAS].filter((c) => /^\d{9}$/.test(c));
const PARKS = [...KNOWN_AREAS].filter((c) => c.startsWith('PARK_'));

const daysInMonth = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();
function periodBounds(period) {
    const y = Number(period.slice(0, 4));
    const [m0, m1] = period.length === 4 ? [1, 12] : period[5] === 'Q' ? [3 * Number(period[6]) - 2, 3 * Number(period[6])] : [Number(period.slice(5)), Number(period.slice(5))];
    return { start: Date.UTC(y, m0 - 1, 1) - 8 * 3600e3, end: Date.UTC(y, m1, 1) - 8 * 3600e3, year: y, firstMonth: m0, lastMonth: m1 };
}


function rules(feed) {
    const errors = [];
    const add = (instanceLocation, keyword) => errors.push({ instanceLocation, keyword });
    const { start, year, firstMonth, lastMonth } = periodBounds(feed.period);
    if (Date.parse(feed.producedAt) < start) add('/producedAt', 'rule:produced-before-period');
    if (feed.benchmarks !== undefined && feed.period.length !== 4) add('/benchmarks', 'rule:benchmarks-annual-only');
    const seenAreas = new Set();
    feed.records.forEach((r, i) => {
        const at = `/records/${i}`;
        if (!KNOWN_AREAS.has(r.areaCode)) add(`${at}/areaCode`, 'rule:known-area');
        if (seenAreas.has(r.areaCode)) add(`${at}/areaCode`, 'rule:unique-area');
        seenAreas.add(r.areaCode);
        const seen = new Set();
        (r.energy ?? []).forEach((e, j) => {
            const key = `${e.sector}|${e.fuel}`;
            if (seen.has(key)) add(`${at}/energy/${j}`, 'rule:unique-energy-item');
            seen.add(key);
        });
        if (r.feedstockTce !== undefined) {
            const fuelsTce = (r.energy ?? []).filter((e) => e.fuel !== 'heat' && e.fuel !== 'electricity').reduce((a, e) => a + e.quantity * TCE[e.fuel], 0);
            if (r.feedstockTce > fuelsTce) add(`${at}/feedstockTce`, 'rule:feedstock-le-fuels');
        }
        const registered = new Set();
        (r.newRegistrations ?? []).forEach((n, j) => {
            if (n.bev + n.fcev + n.phev > n.total) add(`${at}/newRegistrations/${j}`, 'rule:registrations-le-total');
            if (registered.has(n.category)) add(`${at}/newRegistrations/${j}/category`, 'rule:unique-registration-category');
            registered.add(n.category);
        });
        if (r.buildings && ((r.buildings.newCivilFloorArea10kM2 === undefined) !== (r.buildings.newGreenFloorArea10kM2 === undefined))) add(`${at}/buildings`, 'dependentRequired');
        if (r.buildings && r.buildings.newGreenFloorArea10kM2 > r.buildings.newCivilFloorArea10kM2) add(`${at}/buildings`, 'rule:green-floor-area-le-civil');
        const categories = new Set();
        (r.vehicles ?? []).forEach((v, j) => {
            if (v.nev > v.total) add(`${at}/vehicles/${j}/nev`, 'rule:nev-le-total');
            if (categories.has(v.category)) add(`${at}/vehicles/${j}/category`, 'rule:unique-vehicle-category');
            categories.add(v.category);
        });
        if (r.publicParkingSpacesWithChargers > r.publicParkingSpaces) add(`${at}/publicParkingSpacesWithChargers`, 'rule:chargers-le-spaces');
        if (r.pvPublicBuildingsInstalledKw > r.pvInstalledKw) add(`${at}/pvPublicBuildingsInstalledKw`, 'rule:pv-public-le-total');
        if (r.airQuality) {
            if (r.airQuality.goodDays > r.airQuality.days) add(`${at}/airQuality/goodDays`, 'rule:good-days-le-days');
            if (firstMonth === lastMonth && r.airQuality.days > daysInMonth(year, firstMonth)) add(`${at}/airQuality/days`, 'rule:days-le-month-length');
        }
        if (r.buildings) {
            if (r.buildings.newGreenCompliant > r.buildings.newCivilBuildings) add(`${at}/buildings/newGreenCompliant`, 'rule:green-le-new');
            if (r.buildings.publicBuildingsWithPv > r.buildings.publicBuildingsEligibleForPv) add(`${at}/buildings/publicBuildingsWithPv`, 'rule:pv-buildings-le-eligible');
        }
        const ids = new Set();
        (r.dataCentres ?? []).forEach((dc, j) => {
            if (ids.has(dc.id)) add(`${at}/dataCentres/${j}/id`, 'rule:unique-data-centre');
            ids.add(dc.id);
            if (dc.totalMwh < dc.itMwh) add(`${at}/dataCentres/${j}/totalMwh`, 'rule:pue-at-least-1');
        });
    });
    return errors;
}

/** The report the hub would give: parse errors (exit 2), else schema errors, else rule errors (exit 1). */
function report(bytes) {
    let feed;
    try {
        feed = parseStrict(bytes);
    } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        return { exitCode: 2, errors: [{ instanceLocation: e.instanceLocation, keyword: e.keyword }], feed: null };
    }
    const errors = SCHEMAS.validate(feed);
    if (errors.length === 0) errors.push(...rules(feed));
    return { exitCode: errors.length ? 1 : 0, errors, feed };
}

// ------------------------------------------------------------------------------------ checks

let failures = 0;
const problem = (file, message) => { failures++; console.error(`FAIL ${file}: ${message}`); };

// Invalid cases: the exact (instanceLocation, keyword) set and exit code.
const invalidDir = join(DIR, 'invalid');
const cases = readdirSync(invalidDir).filter((f) => f.endsWith('.json') && !f.endsWith('.expected.json')).sort();
for (const file of cases) {
    const expected = JSON.parse(readFileSync(join(invalidDir, file.replace(/\.json$/, '.expected.json')), 'utf8'));
    const got = report(readFileSync(join(invalidDir, file)));
    const key = (e) => `${e.instanceLocation} ${e.keyword}`;
    const a = [...new Set(got.errors.map(key))].sort().join('; ');
    const b = [...new Set(expected.errors.map(key))].sort().join('; ');
    if (a !== b || got.exitCode !== expected.exitCode) problem(`invalid/${file}`, `expected exit ${expected.exitCode} [${b}], got exit ${got.exitCode} [${a}]`);
    if (got.feed && Array.isArray(got.feed.records) && got.feed.records.length > 3) problem(`invalid/${file}`, 'an invalid case should be a small feed (at most 3 records)');
}

// Valid feeds: 1.1, except a few kept at 1.0 (README).
const SCHEMA_1_0 = ['power-grid-2024-11', 'transport-2020-01', 'environment-2020-01'];
const feeds = [];
for (const year of ['2020', '2024', '2025']) {
    for (const file of readdirSync(join(DIR, year)).sort()) {
        const name = `${year}/${file}`;
        const { exitCode, errors, feed } = report(readFileSync(join(DIR, year, file)));
        if (exitCode !== 0) { problem(name, JSON.stringify(errors.slice(0, 5))); continue; }
        if (file !== `${feed.source}-${feed.period}-r${feed.revision}.json` || !feed.period.startsWith(year)) problem(name, 'file name or folder does not match the envelope');
        if (feed.schemaVersion !== (SCHEMA_1_0.includes(`${feed.source}-${feed.period}`) ? '1.0' : '1.1')) problem(name, `schemaVersion ${feed.schemaVersion}`);
        if (!/\+08:00$/.test(feed.producedAt) || Date.parse(feed.producedAt) < periodBounds(feed.period).end) problem(name, 'producedAt must be +08:00 and after the period');
        const codes = feed.records.map((r) => r.areaCode).sort();
        const wanted = ['statistics', 'power-grid'].includes(feed.source) ? [...LEAVES, ...PARKS] : LEAVES;
        if (codes.join() !== [...wanted].sort().join()) problem(name, 'records are not exactly the leaves (and parks)');
        plausible(name, feed);
        feeds.push(feed);
    }
}

function plausible(name, feed) {
    const y = Number(feed.period.slice(0, 4));
    const say = (msg) => problem(name, msg);
    if (feed.source === 'power-grid' && feed.gridNonFossilSharePct !== undefined) {
        const m = Number(feed.period.slice(5));
        const [lo, hi] = m <= 3 ? [25, 36] : m <= 9 ? [38, 56] : [26, 42]; // dry Q1, wet Q2-Q3, autumn
        if (feed.gridNonFossilSharePct < lo || feed.gridNonFossilSharePct > hi) say(`grid non-fossil share ${feed.gridNonFossilSharePct} % outside ${lo}-${hi}`);
    }
    if (feed.benchmarks) {
        const b = feed.benchmarks.changshaCarbonIntensityChangeVs2020Pct;
        if (b < -25 || b > -10) say(`Changsha benchmark ${b} %`);
    }
    for (const r of feed.records) {
        const at = `${r.areaCode}`;
        if (feed.source === 'statistics') {
            if (y === 2020 ? r.gdpConstant2020_10kCny !== r.gdp10kCny : r.gdpConstant2020_10kCny >= r.gdp10kCny) say(`${at} constant-price GDP vs current`);
            if (r.energy.length < 3) say(`${at} fewer than 3 energy items`);
            if (r.feedstockTce !== undefined) {
                const industry = r.energy.filter((e) => e.sector === 'industry' && ['raw-coal', 'natural-gas', 'fuel-oil'].includes(e.fuel))
                    .reduce((a, e) => a + e.quantity * TCE[e.fuel], 0);
                if (!(r.feedstockTce > 0 && r.feedstockTce <= 0.25 * industry)) say(`${at} feedstock ${r.feedstockTce} tce vs industry coal, gas and oil ${industry.toFixed(0)} tce`);
            }
        }
        if (feed.source === 'power-grid') {
            const yieldKwh = (r.pvGenerationMwh * 1000) / r.pvInstalledKw;
            if (yieldKwh < 80 || yieldKwh > 130) say(`${at} PV yield ${yieldKwh.toFixed(1)} kWh/kW`);
            if ((y === 2020) !== (r.greenPowerTradedMwh === undefined) && !(y > 2020 && r.greenPowerTradedMwh === undefined)) say(`${at} green power in 2020`);
        }
        if (feed.source === 'transport') {
            if (r.vehicles.map((v) => v.category).join() !== CATEGORIES.join()) say(`${at} vehicle categories`);
            if (r.publicChargers > r.publicParkingSpacesWithChargers) say(`${at} more chargers than charger spaces`);
            if (r.newRegistrations && r.newRegistrations.map((v) => v.category).join() !== CATEGORIES.join()) say(`${at} registration categories`);
        }
        if (feed.source === 'environment') {
            const a = r.airQuality;
            if (a.aqiMean < 40 || a.aqiMean > 110) say(`${at} AQI ${a.aqiMean}`);
            if (a.days > daysInMonth(y, Number(feed.period.slice(5)))) say(`${at} days`);
            const b = r.buildings;
            if (b.newCivilFloorArea10kM2 !== undefined && (b.newCivilBuildings === 0) !== (b.newCivilFloorArea10kM2 === 0)) say(`${at} floor area without buildings (or the reverse)`);
            for (const dc of r.dataCentres ?? []) {
                const pue = dc.totalMwh / dc.itMwh;
                if (pue < 1.2 || pue > 1.6) say(`${at} ${dc.id} PUE ${pue.toFixed(3)}`);
                const limit = coefficient('rule.pueLimit.new');
                if (dc.status === 'new' && pue > limit) say(`${at} new centre ${dc.id} PUE ${pue.toFixed(3)} above ${limit}`);
            }
        }
    }
}

// ------------------------------------------------------------------------------------ aggregation and totals

// The latest revision of every (source, period).
const latest = new Map();
for (const f of feeds) {
    const k = `${f.source}|${f.period}`;
    if (!latest.has(k) || latest.get(k).revision < f.revision) latest.set(k, f);
}
const get = (source, period) => latest.get(`${source}|${period}`);
const leafRecords = (f) => f.records.filter((r) => LEAVES.includes(r.areaCode));
const sumOf = (xs, fn) => xs.reduce((acc, x) => acc + fn(x), 0);

// Quarters of a statistics year add up to the year.
for (const year of ['2020', '2024']) {
    const yearFeed = get('statistics', year);
    for (const r of yearFeed.records) {
        const qs = [1, 2, 3, 4].map((q) => get('statistics', `${year}-Q${q}`).records.find((x) => x.areaCode === r.areaCode));
        const close = (a, b) => Math.abs(a - b) <= 0.05 + 1e-9;
        if (!close(sumOf(qs, (q) => q.gdp10kCny), r.gdp10kCny)) problem(`statistics-${year}`, `${r.areaCode} quarters' GDP do not add up`);
        for (const e of r.energy) {
            const parts = sumOf(qs, (q) => q.energy.find((x) => x.sector === e.sector && x.fuel === e.fuel)?.quantity ?? 0);
            if (!close(parts, e.quantity)) problem(`statistics-${year}`, `${r.areaCode} ${e.sector}/${e.fuel} quarters add to ${parts}, year ${e.quantity}`);
        }
    }
}

// Statistics electricity items (optional) stay within the 5 % cross-check tolerance of the grid feed.
for (const f of [...latest.values()].filter((x) => x.source === 'statistics')) {
    const { year, firstMonth, lastMonth } = periodBounds(f.period);
    for (const r of f.records) {
        for (const e of r.energy.filter((x) => x.fuel === 'electricity')) {
            let grid = 0;
            for (let m = firstMonth; m <= lastMonth; m++) {
                grid += get('power-grid', `${year}-${String(m).padStart(2, '0')}`).records.find((x) => x.areaCode === r.areaCode)
                    .consumption.find((c) => c.sector === e.sector)?.mwh ?? 0;
            }
            if (Math.abs(e.quantity / grid - 1) > coefficient('rule.electricityCrossCheckTolerance')) problem(`statistics-${f.period}`, `${r.areaCode} ${e.sector} electricity ${e.quantity} vs grid ${grid.toFixed(3)}`);
        }
    }
}

// The two sample revisions: both vintages present, and the later one differs.
function differences(a, b, at = '') {
    if (typeof a !== 'object' || a === null) return a === b ? [] : [at];
    return [...new Set([...Object.keys(a), ...Object.keys(b ?? {})])].flatMap((k) => differences(a[k], b?.[k], `${at}/${k}`));
}
for (const [source, period] of [['statistics', '2024-Q4'], ['power-grid', '2025-03']]) {
    const [r0, r1] = [0, 1].map((rev) => feeds.find((f) => f.source === source && f.period === period && f.revision === rev));
    if (!r0 || !r1) { problem(`${source}-${period}`, 'revision 0 and 1 expected'); continue; }
    const changed = differences(r0.records, r1.records);
    console.log(`${source} ${period}: revision 1 (${r1.producedAt}) changes ${changed.length} value(s) of revision 0 (${r0.producedAt})`);
    if (changed.length === 0 || Date.parse(r1.producedAt) <= Date.parse(r0.producedAt)) problem(`${source}-${period}`, 'revision 1 must be later and differ');
}

// Data centres above their PUE limit in a month (2024 on): expected is one existing centre, in summer.
const overLimit = new Set();
for (const f of [...latest.values()].filter((x) => x.source === 'environment' && !x.period.startsWith('2020'))) {
    for (const r of f.records) for (const dc of r.dataCentres ?? []) {
        if (dc.totalMwh / dc.itMwh > coefficient(`rule.pueLimit.${dc.status}`)) overLimit.add(`${dc.id} ${f.period}`);
    }
}
console.log(`data-centre months above the PUE limit since 2024: ${[...overLimit].sort().join(', ') || 'none'}`);

// Totals on the basis of contract 2.0 ("Changes from 1.0"): electricity at c_y, the year's coal equivalent of
// generation; non-fossil electricity = local PV + the rest of consumption × the grid's non-fossil share (the month's
// gridNonFossilSharePct, else the year's default); assessed energy = total − non-fossil − feedstock.
const CO2 = Object.fromEntries(FOSSIL.map((f) => [f,
    (coefficient(`co2.${f}.ncv`) * coefficient(`co2.${f}.carbonContent`) * coefficient(`co2.${f}.oxidationRate`) * coefficient('chem.molarMassCO2'))
        / coefficient('chem.molarMassC') / 1000]));
const ELEC_EQUIVALENT = coefficient('standardCoal.electricity'); // 当量值: only the electricity share of final use
const GRID_CO2 = coefficient('co2.grid.fixed');
const HEAT_CO2 = coefficient('co2.heat');

/**
 * Non-fossil electricity and the figures built on it, for one area and period (contract 2.0 formulas).
 * months: [{ mwh, sharePct }] (sharePct = the month's grid share); pvMwh; fuelsTce (FH); feedstockTce; c.
 */
function basis2({ months, pvMwh, fuelsTce, feedstockTce, c }) {
    const e = sumOf(months, (m) => m.mwh);
    const gridSharePct = sumOf(months, (m) => m.sharePct * m.mwh) / e;
    const local = Math.min(pvMwh, e);
    const nonFossilMwh = local + (e - local) * gridSharePct / 100;
    const totalTce = fuelsTce + e * c;
    const nonFossilTce = nonFossilMwh * c;
    return {
        e, gridSharePct, totalTce, nonFossilTce, nonFossilPct: (nonFossilTce / totalTce) * 100,
        assessedTce: totalTce - nonFossilTce - feedstockTce,
        electricityShareOfFinalPct: ((e * ELEC_EQUIVALENT) / (fuelsTce + e * ELEC_EQUIVALENT)) * 100,
    };
}

// The contract's worked example (non-fossil share, one area, 2025-Q1) through the same function.
{
    const x = basis2({
        months: [{ mwh: 150000, sharePct: 36 }, { mwh: 140000, sharePct: 38 }, { mwh: 160000, sharePct: 40 }],
        pvMwh: 12000, fuelsTce: 60000, feedstockTce: 2000, c: 0.3007,
    });
    const near = (a, b, d) => Math.abs(a - b) <= d;
    if (!near(x.nonFossilPct, 27.502, 0.0005) || !near(x.assessedTce, 139599.6, 0.05) || !near(x.electricityShareOfFinalPct, 47.964, 0.0005)) {
        problem('check.mjs', `the contract's worked example gives ${JSON.stringify(x)}`);
    }
}

function totals(year, quarters) {
    const months = quarters.flatMap((q) => [1, 2, 3].map((i) => `${year}-${String(3 * (q - 1) + i).padStart(2, '0')}`));
    const stats = quarters.length === 4 && get('statistics', `${year}`) ? [get('statistics', `${year}`)] : quarters.map((q) => get('statistics', `${year}-Q${q}`));
    const sRec = stats.flatMap(leafRecords);
    const grid = months.map((m) => get('power-grid', m));
    const gRec = grid.flatMap(leafRecords);
    const lastMonth = months.at(-1);
    const c = coefficientOfYear('electricity.coalEquivalent', year);
    const t = { c, gdp: sumOf(sRec, (r) => r.gdp10kCny), gdpConst: sumOf(sRec, (r) => r.gdpConstant2020_10kCny) };
    const items = sRec.flatMap((r) => r.energy).filter((e) => e.fuel !== 'electricity');
    t.fuelTce = sumOf(items, (e) => e.quantity * TCE[e.fuel]);
    t.feedstockTce = sumOf(sRec, (r) => r.feedstockTce ?? 0);
    t.defaultMonths = grid.filter((f) => f.gridNonFossilSharePct === undefined).length;
    const b = basis2({
        months: grid.map((f) => ({
            mwh: sumOf(leafRecords(f), (r) => sumOf(r.consumption, (x) => x.mwh)),
            sharePct: f.gridNonFossilSharePct ?? coefficientOfYear('grid.nonFossilShareDefault', year),
        })),
        pvMwh: sumOf(gRec, (r) => r.pvGenerationMwh), fuelsTce: t.fuelTce, feedstockTce: t.feedstockTce, c,
    });
    Object.assign(t, b);
    t.gridMwh = b.e;
    t.energyTce = b.totalTce;
    t.electricityTce = b.e * c;
    t.largestFuelTce = Math.max(...FOSSIL.concat('heat').map((f) => sumOf(items.filter((e) => e.fuel === f), (e) => e.quantity * TCE[f])));
    t.intensity = t.energyTce / t.gdpConst;
    t.assessedIntensity = t.assessedTce / t.gdpConst;
    t.co2 = sumOf(items.filter((e) => e.fuel !== 'heat'), (e) => e.quantity * CO2[e.fuel]) + t.gridMwh * GRID_CO2
        + sumOf(items.filter((e) => e.fuel === 'heat'), (e) => e.quantity * HEAT_CO2);
    t.carbonIntensity = t.co2 / t.gdpConst;
    const gLast = leafRecords(get('power-grid', lastMonth));
    t.pvKw = sumOf(gLast, (r) => r.pvInstalledKw);
    t.pvMwh = sumOf(gRec, (r) => r.pvGenerationMwh);
    const tr = leafRecords(get('transport', lastMonth));
    const veh = tr.flatMap((r) => r.vehicles);
    t.nevPct = (sumOf(veh, (v) => v.nev) / sumOf(veh, (v) => v.total)) * 100;
    const pub = veh.filter((v) => ['public-sector', 'bus', 'taxi', 'sanitation'].includes(v.category));
    t.publicNevPct = (sumOf(pub, (v) => v.nev) / sumOf(pub, (v) => v.total)) * 100;
    t.chargingPct = (sumOf(tr, (r) => r.publicParkingSpacesWithChargers) / sumOf(tr, (r) => r.publicParkingSpaces)) * 100;
    const env = months.flatMap((m) => leafRecords(get('environment', m)));
    const envLast = leafRecords(get('environment', lastMonth));
    t.pvBuildingsPct = (sumOf(envLast, (r) => r.buildings.publicBuildingsWithPv) / sumOf(envLast, (r) => r.buildings.publicBuildingsEligibleForPv)) * 100;
    t.greenBuildingsPct = (sumOf(env, (r) => r.buildings.newGreenCompliant) / sumOf(env, (r) => r.buildings.newCivilBuildings)) * 100;
    t.aqi = sumOf(env, (r) => r.airQuality.aqiMean * r.airQuality.days) / sumOf(env, (r) => r.airQuality.days);
    t.sink = sumOf(env, (r) => r.carbonSinkTco2);
    const dcs = {};
    for (const r of env) for (const dc of r.dataCentres ?? []) {
        dcs[dc.id] ??= { it: 0, total: 0, status: dc.status };
        dcs[dc.id].it += dc.itMwh;
        dcs[dc.id].total += dc.totalMwh;
    }
    t.pueMax = Math.max(...Object.values(dcs).map((d) => d.total / d.it));
    t.dcNonCompliant = Object.values(dcs).filter((d) => d.total / d.it > coefficient(`rule.pueLimit.${d.status}`)).length;
    return t;
}

const base = (quarters) => totals(BASE_YEAR, quarters);
const rows = [
    [`${BASE_YEAR}`, base([1, 2, 3, 4]), null],
    ['2024', totals(2024, [1, 2, 3, 4]), base([1, 2, 3, 4])],
    [`${BASE_YEAR} Q1-Q3`, base([1, 2, 3]), null],
    ['2025 Q1-Q3', totals(2025, [1, 2, 3]), base([1, 2, 3])],
];

// Orders of magnitude (domain.md): intensities of a few tenths of a tce per 10k CNY, electricity the largest item at
// c_y, an area's non-fossil share of roughly 10-40 % (below 5 % is the 1.0 conversion or a missing grid mix), and
// the Hunan grid's own non-fossil share above 20 %.
for (const [label, t] of rows) {
    if (t.intensity < 0.1 || t.intensity > 1) problem(label, `energy intensity ${t.intensity.toFixed(4)} tce/10k CNY is not a few tenths`);
    if (t.electricityTce <= t.largestFuelTce) problem(label, `electricity ${t.electricityTce.toFixed(0)} tce is not the largest item of energy`);
    if (t.nonFossilPct < 10 || t.nonFossilPct > 40) problem(label, `non-fossil share ${t.nonFossilPct.toFixed(2)} % is outside 10-40 %`);
    if (t.gridSharePct <= 20 || t.gridSharePct > 60) problem(label, `grid non-fossil share ${t.gridSharePct.toFixed(2)} % is not above 20 % (or above 60 %)`);
}

const fmt = (x, d = 0) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const change = (t, b, key) => `${fmt((t[key] / b[key] - 1) * 100, 1)} %`;
console.log(`\n${feeds.length} valid feeds, ${cases.length} invalid cases checked.\n`);
console.log('New Area (sum of the 24 leaves, latest revisions), contract 2.0 basis (electricity at c_y, non-fossil with the grid mix):');
for (const [label, t, b] of rows) {
    const vs = b ? `  vs ${BASE_YEAR}: energy intensity ${change(t, b, 'intensity')}, assessed ${change(t, b, 'assessedIntensity')}, carbon ${change(t, b, 'carbonIntensity')}` : '';
    console.log(`  ${label.padEnd(11)} GDP ${fmt(t.gdp)} (2020 prices ${fmt(t.gdpConst)}) 10k CNY | c ${t.c} tce/MWh | energy ${fmt(t.energyTce)} tce (fuels ${fmt(t.fuelTce)}, electricity ${fmt(t.electricityTce)}) | grid ${fmt(t.gridMwh)} MWh | intensity ${t.intensity.toFixed(4)} tce/10k CNY${vs}`);
    console.log(`  ${''.padEnd(11)} non-fossil ${fmt(t.nonFossilTce)} tce, ${t.nonFossilPct.toFixed(2)} % (grid share ${t.gridSharePct.toFixed(2)} %, ${t.defaultMonths} month(s) on the default) | feedstock ${fmt(t.feedstockTce)} tce | assessed ${fmt(t.assessedTce)} tce, ${t.assessedIntensity.toFixed(4)} tce/10k CNY | electricity share of final use ${t.electricityShareOfFinalPct.toFixed(1)} %`);
    console.log(`  ${''.padEnd(11)} CO2 ${fmt(t.co2)} t (${t.carbonIntensity.toFixed(4)} t/10k CNY) | PV ${fmt(t.pvKw)} kW, ${fmt(t.pvMwh)} MWh | NEV ${t.nevPct.toFixed(1)} % (public ${t.publicNevPct.toFixed(1)} %) | charging ${t.chargingPct.toFixed(1)} % | public PV buildings ${t.pvBuildingsPct.toFixed(1)} % | green new buildings ${t.greenBuildingsPct.toFixed(1)} % | AQI ${t.aqi.toFixed(1)} | sink ${fmt(t.sink)} t | PUE max ${t.pueMax.toFixed(3)}, non-compliant ${t.dcNonCompliant}`);
}

// Quarterly intensity change vs the same quarter of the base year (energy.intensityChangeVs2020Pct of a quarter).
const q = (year, n) => totals(year, [n]);
const line = [];
for (const year of [2024, 2025]) for (const n of [1, 2, 3, 4]) {
    if (year === 2025 && n === 4) continue;
    line.push(`${year}-Q${n} ${fmt((q(year, n).intensity / q(BASE_YEAR, n).intensity - 1) * 100, 1)} %`);
}
console.log(`  energy intensity vs the same quarter of ${BASE_YEAR}: ${line.join(', ')}`);

if (failures > 0) {
    console.error(`\n${failures} check(s) failed`);
    process.exit(1);
}
console.log('\nall checks passed');
