// Checks the sample feeds against the feed contract (docs: feed-contract.md) and prints totals per year.
//
//   node local-dev/sample-feeds/check.mjs      (from the repository root; exit code 1 when a check fails)
//
// It carries its own small reading of the contract (a strict JSON reader, the field list as a
// schema with the simple keywords the hub's schemas use, and the domain rules), so the samples can
// be checked before, and independently of, the hub's validator:
//   - every valid feed must produce no error and pass the plausibility checks below;
//   - every invalid case must produce exactly the errors (instanceLocation, keyword) and exit code
//     of its .expected.json.

import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIR = dirname(fileURLToPath(import.meta.url));

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

// ------------------------------------------------------------------------------------ the contract as a schema

const SECTORS = ['industry', 'construction', 'transport', 'commercial', 'residential', 'agriculture'];
const FUELS = ['raw-coal', 'natural-gas', 'gasoline', 'diesel', 'fuel-oil', 'lpg', 'heat', 'electricity'];
const CATEGORIES = ['bus', 'taxi', 'public-sector', 'logistics', 'sanitation', 'private'];

const num = { type: 'number', minimum: 0 };
const int = { type: 'integer', minimum: 0 };
const str = (extra = {}) => ({ type: 'string', ...extra });
const arr = (items, extra = {}) => ({ type: 'array', items, ...extra });
/** An object whose properties are all required except those listed as optional. */
const obj = (properties, optional = []) => ({
    type: 'object', properties, additionalProperties: false,
    required: Object.keys(properties).filter((k) => !optional.includes(k)),
});

const AREA_CODE = str({ pattern: '^(XJNA|WCM|[0-9]{6}|[0-9]{9}|PARK_[A-Z0-9_]+)$' });
// Contract 1.0 fields; recordsFor('1.1') adds the optional 1.1 fields (a 1.0 feed carrying one is rejected).
const RECORDS = {
    statistics: obj({
        areaCode: AREA_CODE, gdp10kCny: num, gdpConstant2020_10kCny: num, population10k: num,
        energy: arr(obj({ sector: str({ enum: SECTORS }), fuel: str({ enum: FUELS }), quantity: num })),
    }, ['population10k']),
    'power-grid': obj({
        areaCode: AREA_CODE,
        consumption: arr(obj({ sector: str({ enum: SECTORS }), mwh: num })),
        pvInstalledKw: num, pvPublicBuildingsInstalledKw: num, pvGenerationMwh: num, peakLoadMw: num,
        demandResponse: obj({ events: int, curtailedMwh: num }),
        greenPowerTradedMwh: num,
    }, ['demandResponse', 'greenPowerTradedMwh']),
    transport: obj({
        areaCode: AREA_CODE,
        vehicles: arr(obj({ category: str({ enum: CATEGORIES }), total: int, nev: int })),
        publicParkingSpaces: int, publicParkingSpacesWithChargers: int, publicChargers: int, chargingMwh: num,
        fuelSales: obj({ gasolineT: num, dieselT: num }),
        transitBoardings10k: num,
    }, ['transitBoardings10k']),
    environment: obj({
        areaCode: AREA_CODE,
        airQuality: obj({ aqiMean: { type: 'number', minimum: 0, maximum: 500 }, pm25UgM3: num, goodDays: { ...int, maximum: 31 }, days: { ...int, maximum: 31 } }),
        carbonSinkTco2: num,
        dataCentres: arr(obj({ id: str({ minLength: 1, maxLength: 64 }), name: str({ minLength: 1 }), status: str({ enum: ['new', 'existing'] }), itMwh: num, totalMwh: num })),
        buildings: obj({ newCivilBuildings: int, newGreenCompliant: int, publicBuildingsWithPv: int, publicBuildingsEligibleForPv: int }),
    }, ['dataCentres', 'buildings']),
};
function recordsFor(source, version) {
    const schema = structuredClone(RECORDS[source]);
    if (version === '1.0') return schema;
    const p = schema.properties;
    if (source === 'statistics') p.feedstockTce = num;
    if (source === 'transport') {
        p.newRegistrations = arr(obj({ category: str({ enum: CATEGORIES }), total: int, bev: int, fcev: int, phev: int }));
    }
    if (source === 'environment') {
        // Both floor areas or neither (dependentRequired in the hub's schema): checked with the rules below.
        p.buildings.properties.newCivilFloorArea10kM2 = num;
        p.buildings.properties.newGreenFloorArea10kM2 = num;
    }
    return schema;
}
const ENVELOPE_1_1 = {
    statistics: { benchmarks: obj({ changshaCarbonIntensityChangeVs2020Pct: { type: 'number', minimum: -100, maximum: 100 } }) },
    'power-grid': { gridNonFossilSharePct: { type: 'number', minimum: 0, maximum: 100 } },
};
const PERIOD = { statistics: '^[0-9]{4}(-Q[1-4])?$', other: '^[0-9]{4}-(0[1-9]|1[0-2])$' };
const schemaFor = (source, version) => obj({
    schemaVersion: str({ enum: ['1.0', '1.1'] }),
    source: str({ enum: [source] }),
    period: str({ pattern: PERIOD[source] ?? PERIOD.other }),
    revision: int,
    producedAt: str({ format: 'date-time' }),
    producer: str({ minLength: 1, maxLength: 64 }),
    ...(version === '1.0' ? {} : ENVELOPE_1_1[source] ?? {}),
    records: arr(recordsFor(source, version), { minItems: 1, maxItems: 5000 }),
}, ['schemaVersion', 'benchmarks', 'gridNonFossilSharePct']);

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const isDateTime = (s) => {
    const m = RFC3339.exec(s);
    if (!m) return false;
    const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number);
    return mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate() && h < 24 && mi < 60 && se < 61;
};

function typeOk(type, v) {
    if (type === 'object') return v !== null && typeof v === 'object' && !Array.isArray(v);
    if (type === 'array') return Array.isArray(v);
    if (type === 'integer') return Number.isInteger(v);
    return typeof v === type;
}

function validate(schema, v, at, errors) {
    if (!typeOk(schema.type, v)) { errors.push({ instanceLocation: at, keyword: 'type' }); return; }
    if (schema.enum && !schema.enum.includes(v)) errors.push({ instanceLocation: at, keyword: 'enum' });
    if (schema.minimum !== undefined && v < schema.minimum) errors.push({ instanceLocation: at, keyword: 'minimum' });
    if (schema.maximum !== undefined && v > schema.maximum) errors.push({ instanceLocation: at, keyword: 'maximum' });
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(v)) errors.push({ instanceLocation: at, keyword: 'pattern' });
    if (schema.format === 'date-time' && !isDateTime(v)) errors.push({ instanceLocation: at, keyword: 'format' });
    if (schema.minLength !== undefined && [...v].length < schema.minLength) errors.push({ instanceLocation: at, keyword: 'minLength' });
    if (schema.maxLength !== undefined && [...v].length > schema.maxLength) errors.push({ instanceLocation: at, keyword: 'maxLength' });
    if (schema.type === 'array') {
        if (schema.minItems !== undefined && v.length < schema.minItems) errors.push({ instanceLocation: at, keyword: 'minItems' });
        if (schema.maxItems !== undefined && v.length > schema.maxItems) errors.push({ instanceLocation: at, keyword: 'maxItems' });
        v.forEach((item, i) => validate(schema.items, item, `${at}/${i}`, errors));
    }
    if (schema.type === 'object') {
        for (const k of schema.required) if (!Object.hasOwn(v, k)) errors.push({ instanceLocation: at, keyword: 'required' });
        for (const [k, item] of Object.entries(v)) {
            const at2 = `${at}/${escapePointer(k)}`;
            if (!Object.hasOwn(schema.properties, k)) errors.push({ instanceLocation: at2, keyword: 'additionalProperties' });
            else validate(schema.properties[k], item, at2, errors);
        }
    }
}

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

// tce per contract unit (domain.md), for the feedstock rule.
const TCE = { 'raw-coal': 0.7143, 'natural-gas': 12.143, gasoline: 1.4714, diesel: 1.4571, 'fuel-oil': 1.4286, lpg: 1.7143 };

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
    const source = ['statistics', 'power-grid', 'transport', 'environment'].includes(feed.source) ? feed.source : 'statistics';
    const errors = [];
    const version = feed.schemaVersion ?? '1.1'; // absent: the latest
    validate(schemaFor(source, version === '1.0' ? '1.0' : '1.1'), feed, '', errors);
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
                if (dc.status === 'new' && pue > 1.3) say(`${at} new centre ${dc.id} PUE ${pue.toFixed(3)} above 1.3`);
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
            if (Math.abs(e.quantity / grid - 1) > 0.05) problem(`statistics-${f.period}`, `${r.areaCode} ${e.sector} electricity ${e.quantity} vs grid ${grid.toFixed(3)}`);
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
        if (dc.totalMwh / dc.itMwh > (dc.status === 'new' ? 1.3 : 1.5)) overLimit.add(`${dc.id} ${f.period}`);
    }
}
console.log(`data-centre months above the PUE limit since 2024: ${[...overLimit].sort().join(', ') || 'none'}`);

// Coefficients (domain.md).
const SC = { 'raw-coal': 0.7143, 'natural-gas': 12.143, gasoline: 1.4714, diesel: 1.4571, 'fuel-oil': 1.4286, lpg: 1.7143, heat: 0.03412 };
const CO2 = { 'raw-coal': [20.908, 26.37, 0.94], 'natural-gas': [389.31, 15.3, 0.99], gasoline: [43.07, 18.9, 0.98], diesel: [42.652, 20.2, 0.98], 'fuel-oil': [41.816, 21.1, 0.98], lpg: [50.179, 17.2, 0.98] };
const co2Factor = (fuel) => { const [ncv, cc, ox] = CO2[fuel]; return (ncv * cc * ox * 44) / 12 / 1000; };
const ELEC_TCE = 0.1229;
const GRID_CO2 = 0.5703;
const HEAT_CO2 = 0.11;

function totals(year, quarters) {
    const months = quarters.flatMap((q) => [1, 2, 3].map((i) => `${year}-${String(3 * (q - 1) + i).padStart(2, '0')}`));
    const stats = quarters.length === 4 && get('statistics', `${year}`) ? [get('statistics', `${year}`)] : quarters.map((q) => get('statistics', `${year}-Q${q}`));
    const sRec = stats.flatMap(leafRecords);
    const gRec = months.flatMap((m) => leafRecords(get('power-grid', m)));
    const lastMonth = months.at(-1);
    const t = { gdp: sumOf(sRec, (r) => r.gdp10kCny), gdpConst: sumOf(sRec, (r) => r.gdpConstant2020_10kCny) };
    const items = sRec.flatMap((r) => r.energy).filter((e) => e.fuel !== 'electricity');
    t.fuelTce = sumOf(items, (e) => e.quantity * SC[e.fuel]);
    t.gridMwh = sumOf(gRec, (r) => sumOf(r.consumption, (c) => c.mwh));
    t.energyTce = t.fuelTce + t.gridMwh * ELEC_TCE;
    t.intensity = t.energyTce / t.gdpConst;
    t.co2 = sumOf(items.filter((e) => e.fuel !== 'heat'), (e) => e.quantity * co2Factor(e.fuel)) + t.gridMwh * GRID_CO2
        + sumOf(items.filter((e) => e.fuel === 'heat'), (e) => e.quantity * HEAT_CO2);
    t.carbonIntensity = t.co2 / t.gdpConst;
    t.nonFossilPct = (sumOf(gRec, (r) => (r.greenPowerTradedMwh ?? 0) + r.pvGenerationMwh) * ELEC_TCE / t.energyTce) * 100;
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
    t.dcNonCompliant = Object.values(dcs).filter((d) => d.total / d.it > (d.status === 'new' ? 1.3 : 1.5)).length;
    return t;
}

const rows = [
    ['2020', totals(2020, [1, 2, 3, 4]), null],
    ['2024', totals(2024, [1, 2, 3, 4]), totals(2020, [1, 2, 3, 4])],
    ['2020 Q1-Q3', totals(2020, [1, 2, 3]), null],
    ['2025 Q1-Q3', totals(2025, [1, 2, 3]), totals(2020, [1, 2, 3])],
];
const fmt = (x, d = 0) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
console.log(`\n${feeds.length} valid feeds, ${cases.length} invalid cases checked.\n`);
console.log('New Area (sum of the 24 leaves, latest revisions):');
for (const [label, t, base] of rows) {
    const change = base ? `  energy intensity vs 2020 ${fmt((t.intensity / base.intensity - 1) * 100, 1)} %, carbon intensity vs 2020 ${fmt((t.carbonIntensity / base.carbonIntensity - 1) * 100, 1)} %` : '';
    console.log(`  ${label.padEnd(11)} GDP ${fmt(t.gdp)} (2020 prices ${fmt(t.gdpConst)}) 10k CNY | energy ${fmt(t.energyTce)} tce (fuels ${fmt(t.fuelTce)}) | grid ${fmt(t.gridMwh)} MWh | intensity ${t.intensity.toFixed(4)} tce/10k CNY${change}`);
    console.log(`  ${''.padEnd(11)} CO2 ${fmt(t.co2)} t (${t.carbonIntensity.toFixed(4)} t/10k CNY) | non-fossil ${t.nonFossilPct.toFixed(2)} % | PV ${fmt(t.pvKw)} kW, ${fmt(t.pvMwh)} MWh | NEV ${t.nevPct.toFixed(1)} % (public ${t.publicNevPct.toFixed(1)} %) | charging ${t.chargingPct.toFixed(1)} % | public PV buildings ${t.pvBuildingsPct.toFixed(1)} % | green new buildings ${t.greenBuildingsPct.toFixed(1)} % | AQI ${t.aqi.toFixed(1)} | sink ${fmt(t.sink)} t | PUE max ${t.pueMax.toFixed(3)}, non-compliant ${t.dcNonCompliant}`);
}

// Quarterly intensity change vs the same quarter of 2020.
const q = (year, n) => totals(year, [n]);
const line = [];
for (const year of [2024, 2025]) for (const n of [1, 2, 3, 4]) {
    if (year === 2025 && n === 4) continue;
    line.push(`${year}-Q${n} ${fmt((q(year, n).intensity / q(2020, n).intensity - 1) * 100, 1)} %`);
}
console.log(`  energy intensity vs the same quarter of 2020: ${line.join(', ')}`);

if (failures > 0) {
    console.error(`\n${failures} check(s) failed`);
    process.exit(1);
}
console.log('\nall checks passed');
