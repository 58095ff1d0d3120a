// Writes the sample feeds under local-dev/sample-feeds (Node 20, no dependencies, deterministic).
//
//   node local-dev/sample-feeds/generate.mjs      (from the repository root; rewrites every file)
//   node local-dev/sample-feeds/check.mjs         (validates the output and prints totals per year)
//
// The figures come from a small model, not from real releases. They are shaped to the orders of
// magnitude in docs/domain.md: the New Area's GDP of about 4.28e7 (10k CNY) in 2022, an energy
// intensity near 0.29 tce per 10k CNY in 2020 falling about 15 % by 2025, 1.3-1.6e7 MWh of grid
// consumption a year. Reading order:
//   LEAVES / PARKS   per-area base figures and the overlap of each park with the streets/towns
//   PROFILES         what an area of each kind looks like (relative energy use, fuel mix, ...)
//   YEAR_PATH        the New Area's path per year (real growth, prices, intensity, grid growth)
//   SEASON           monthly shapes (heating, cooling, PV yield, air quality, carbon uptake)
//   model functions  unrounded values per area and period
//   feeds            records rounded and laid out as the feed contract says
//   invalid cases    small feeds with one or two deliberate mistakes, and the errors they must produce
// Every random draw is keyed by a name (source, period, area, field), so changing one part of the
// model does not reshuffle the rest.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT_DIR = dirname(fileURLToPath(import.meta.url));
const SEED = 'xjna-dual-carbon-samples-1';

// ------------------------------------------------------------------------------------ randomness

function fnv1a(text) {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
        h ^= text.charCodeAt(i);
        h = Math.imul(h, 0x01000193);
    }
    return h >>> 0;
}

function mulberry32(seed) {
    let a = seed;
    return () => {
        a = (a + 0x6d2b79f5) | 0;
        let t = Math.imul(a ^ (a >>> 15), 1 | a);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** A uniform draw in [0, 1), the same every run for the same key. */
const uniform = (...key) => {
    const next = mulberry32(fnv1a(`${SEED}|${key.join('|')}`));
    next(); // the first output of a fresh mulberry32 state is poorly mixed for nearby seeds
    return next();
};
/** 1 ± amp, uniformly. */
const jitter = (amp, ...key) => 1 + amp * (2 * uniform(...key) - 1);

function poisson(mean, ...key) {
    const u = uniform(...key);
    let k = 0;
    let p = Math.exp(-mean);
    let cdf = p;
    while (u > cdf && k < 100) {
        k++;
        p *= mean / k;
        cdf += p;
    }
    return k;
}

// ------------------------------------------------------------------------------------ calendar

const pad = (n) => String(n).padStart(2, '0');
const daysInMonth = (year, month) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const quarterOf = (month) => Math.ceil(month / 3);

/**
 * Linear interpolation between year-end anchors [end 2019, end 2020, ..., end 2025],
 * evaluated at the end of the given month (stocks are reported at period end).
 */
function atMonthEnd(anchors, year, month) {
    const p = year - 2020 + month / 12; // 0 = end of 2019, 1 = end of 2020
    const i = Math.max(0, Math.min(Math.floor(p), anchors.length - 2));
    return anchors[i] + (anchors[i + 1] - anchors[i]) * (p - i);
}

const round = (x, digits = 2) => {
    const f = 10 ** digits;
    const v = Math.round(x * f) / f;
    return Object.is(v, -0) ? 0 : v;
};
const sum = (values) => values.reduce((a, b) => a + b, 0);

// ------------------------------------------------------------------------------------ contract vocabulary

const SECTORS = ['industry', 'construction', 'transport', 'commercial', 'residential', 'agriculture'];
const FUELS = ['raw-coal', 'natural-gas', 'gasoline', 'diesel', 'fuel-oil', 'lpg', 'heat', 'electricity'];
const VEHICLE_CATEGORIES = ['bus', 'taxi', 'public-sector', 'logistics', 'sanitation', 'private'];

// tce per contract unit (GB/T 2589 reference coefficients, as in domain.md).
const STANDARD_COAL = {
    'raw-coal': 0.7143, // t
    'natural-gas': 12.143, // 10k m3
    gasoline: 1.4714, // t
    diesel: 1.4571, // t
    'fuel-oil': 1.4286, // t
    lpg: 1.7143, // t
    heat: 0.03412, // GJ
    electricity: 0.1229, // MWh (equivalent-value method)
};

const PRODUCERS = {
    statistics: 'hn-stats-bureau-edw',
    'power-grid': 'sgcc-hunan-marketing-dw',
    transport: 'xjna-transport-tocc',
    environment: 'xjna-eco-env-monitoring',
};

// ------------------------------------------------------------------------------------ areas

// The 19 streets/towns of 岳麓区 and the 5 units of 望城区 managed by the New Area (domain.md).
// gdp2022   GDP 2022, 10k CNY at current prices (the leaves add up to the New Area's 4.28e7)
// pop2020   residents at the end of 2020, 10k persons
// tilt      real growth above (+) or below (-) the New Area's, percentage points a year
// pvKw      distributed PV on roofs other than public buildings at the end of 2020, kW
// parking   public parking spaces at the end of 2020
// sinkT     carbon removals by forest and green space, t CO2 a year
const LEAVES = [
    //  code         name          profile        gdp2022   pop2020  tilt   pvKw  parking  sinkT
    ['430104001', '望月湖街道', 'urban', 620000, 5.5, -1.2, 180, 2600, 900],
    ['430104002', '岳麓街道', 'urban', 1150000, 14.0, -0.4, 420, 6800, 16500], // 岳麓山
    ['430104003', '桔子洲街道', 'urban', 780000, 6.0, -0.8, 160, 3900, 2400],
    ['430104004', '银盆岭街道', 'urban', 1350000, 8.5, -0.6, 260, 4300, 1100],
    ['430104005', '观沙岭街道', 'urban', 1480000, 9.0, -0.2, 300, 5200, 1300],
    ['430104006', '望城坡街道', 'urban', 1320000, 9.5, -0.5, 520, 5600, 1500],
    ['430104007', '西湖街道', 'urban', 1050000, 7.0, -0.3, 220, 4100, 3200],
    ['430104008', '咸嘉湖街道', 'urban', 1260000, 10.5, -0.7, 240, 4800, 1200],
    ['430104009', '望岳街道', 'new-town', 1380000, 11.0, 0.2, 900, 6200, 2600],
    ['430104010', '梅溪湖街道', 'new-town', 2850000, 13.5, 0.8, 1100, 9800, 4200],
    ['430104011', '麓谷街道', 'tech', 10500000, 14.0, 1.2, 6200, 14500, 2100],
    ['430104012', '坪塘街道', 'new-town', 1150000, 7.5, 0.6, 1300, 4200, 18500], // 大王山
    ['430104013', '含浦街道', 'new-town', 1900000, 9.0, 0.5, 1000, 5600, 9800],
    ['430104014', '天顶街道', 'new-town', 1650000, 6.5, 0.4, 850, 4600, 6200],
    ['430104015', '洋湖街道', 'new-town', 2350000, 9.0, 0.7, 1000, 6900, 5400], // 洋湖湿地
    ['430104016', '学士街道', 'new-town', 2150000, 6.5, 0.9, 1400, 5100, 8800],
    ['430104017', '东方红街道', 'tech', 3000000, 7.5, 0.8, 2600, 5300, 3600],
    ['430104102', '莲花镇', 'rural', 420000, 3.2, -0.5, 900, 1300, 41000],
    ['430104105', '雨敞坪镇', 'rural', 260000, 2.0, -0.8, 650, 800, 36000],
    ['430112008', '金山桥街道', 'industrial', 1500000, 8.0, 0.3, 3100, 4400, 2400],
    ['430112009', '黄金园街道', 'new-town', 1250000, 9.5, 0.2, 800, 4900, 1900],
    ['430112013', '雷锋街道', 'tech', 1930000, 6.5, 0.9, 2900, 3900, 7400],
    ['430112017', '白马街道', 'industrial', 980000, 5.0, 0.4, 2300, 2600, 6800],
    ['430112115', '白箬铺镇', 'rural', 520000, 3.5, -0.3, 700, 1200, 29000],
].map(([code, name, profile, gdp2022, pop2020, tilt, pvKw, parking, sinkT]) =>
    ({ code, name, profile, gdp2022, pop2020, tilt, pvKw, parking, sinkT }));

// Overlay parks (internal codes): the share of each street's figures that lies inside the park.
// A park's record is built from these shares, so it stays consistent with the streets it overlaps;
// parks are never summed into XJNA. Only the statistics and power-grid feeds carry park records.
const PARKS = [
    { code: 'PARK_CSHTZ', name: '长沙高新区', overlap: { 430104011: 0.92, 430104017: 0.55, 430112013: 0.6, 430112017: 0.35, 430104005: 0.1 } },
    { code: 'PARK_MXH', name: '梅溪湖国际新城', overlap: { 430104010: 0.85, 430104005: 0.3, 430104014: 0.15 } },
    { code: 'PARK_YH', name: '洋湖生态新城', overlap: { 430104015: 0.8, 430104012: 0.12, 430104013: 0.1 } },
    { code: 'PARK_DWS', name: '大王山旅游度假区', overlap: { 430104012: 0.55, 430104013: 0.15 } },
    { code: 'PARK_XJKXC', name: '湘江科学城', overlap: { 430104016: 0.65, 430104002: 0.3, 430104013: 0.35, 430104014: 0.25 } },
];

const LEAF_BY_CODE = new Map(LEAVES.map((a) => [a.code, a]));

// Areas whose statistics records also carry electricity items (optional in the contract; the
// power-grid feed is authoritative). Their values stay within ±2.5 % of the grid's figures.
const STATISTICS_WITH_ELECTRICITY = ['430104009', '430104010', '430104011', '430112013', '430104102'];

// ------------------------------------------------------------------------------------ profiles

// energyFactor      energy per unit of GDP relative to the New Area's average
// electricityShare  share of the area's energy (tce, equivalent value) that came from the grid in 2020
// fuelMix           shares of the non-electric energy (tce) by "sector:fuel", 2020 and 2025 (linear between)
// grid              shares of grid consumption by sector in 2020 (transport grows with EV charging)
// carsPer10k        private cars per 10k residents at the end of 2020
// logisticsPer10k   logistics vehicles per 10k residents
// publicBuildingsPer10k  public buildings (organs, schools, hospitals, state firms) per 10k residents
// newBuildingsPerMonth   new civil buildings completed in an average month
// air               air-quality level relative to the city
const PROFILES = {
    urban: {
        energyFactor: 0.45,
        electricityShare: 0.27,
        fuelMix: {
            2020: { 'industry:natural-gas': 0.04, 'construction:diesel': 0.07, 'transport:gasoline': 0.3, 'transport:diesel': 0.13, 'transport:natural-gas': 0.02, 'commercial:natural-gas': 0.19, 'commercial:lpg': 0.04, 'residential:natural-gas': 0.16, 'residential:lpg': 0.05 },
            2025: { 'industry:natural-gas': 0.04, 'construction:diesel': 0.07, 'transport:gasoline': 0.27, 'transport:diesel': 0.12, 'transport:natural-gas': 0.02, 'commercial:natural-gas': 0.22, 'commercial:lpg': 0.03, 'residential:natural-gas': 0.2, 'residential:lpg': 0.03 },
        },
        grid: { industry: 0.05, construction: 0.03, transport: 0.04, commercial: 0.46, residential: 0.42 },
        carsPer10k: 2750,
        logisticsPer10k: 35,
        publicBuildingsPer10k: 4.5,
        newBuildingsPerMonth: 0.9,
        air: 1.0,
    },
    'new-town': {
        energyFactor: 0.8,
        electricityShare: 0.18,
        fuelMix: {
            2020: { 'industry:raw-coal': 0.08, 'industry:natural-gas': 0.16, 'industry:heat': 0.04, 'construction:diesel': 0.1, 'transport:gasoline': 0.22, 'transport:diesel': 0.12, 'transport:natural-gas': 0.01, 'commercial:natural-gas': 0.11, 'commercial:lpg': 0.02, 'residential:natural-gas': 0.1, 'residential:lpg': 0.04 },
            2025: { 'industry:raw-coal': 0.03, 'industry:natural-gas': 0.2, 'industry:heat': 0.05, 'construction:diesel': 0.1, 'transport:gasoline': 0.21, 'transport:diesel': 0.11, 'transport:natural-gas': 0.01, 'commercial:natural-gas': 0.13, 'commercial:lpg': 0.015, 'residential:natural-gas': 0.13, 'residential:lpg': 0.025 },
        },
        grid: { industry: 0.25, construction: 0.05, transport: 0.05, commercial: 0.35, residential: 0.3 },
        carsPer10k: 3000,
        logisticsPer10k: 55,
        publicBuildingsPer10k: 3.8,
        newBuildingsPerMonth: 4,
        air: 0.98,
    },
    tech: {
        energyFactor: 1.3,
        electricityShare: 0.117,
        fuelMix: {
            2020: { 'industry:raw-coal': 0.26, 'industry:natural-gas': 0.24, 'industry:heat': 0.1, 'industry:fuel-oil': 0.02, 'industry:diesel': 0.03, 'construction:diesel': 0.04, 'transport:gasoline': 0.1, 'transport:diesel': 0.08, 'commercial:natural-gas': 0.05, 'residential:natural-gas': 0.05, 'residential:lpg': 0.015 },
            2025: { 'industry:raw-coal': 0.16, 'industry:natural-gas': 0.31, 'industry:heat': 0.12, 'industry:fuel-oil': 0.01, 'industry:diesel': 0.03, 'construction:diesel': 0.04, 'transport:gasoline': 0.1, 'transport:diesel': 0.08, 'commercial:natural-gas': 0.06, 'residential:natural-gas': 0.06, 'residential:lpg': 0.01 },
        },
        grid: { industry: 0.62, construction: 0.03, transport: 0.04, commercial: 0.18, residential: 0.12, agriculture: 0.01 },
        carsPer10k: 2900,
        logisticsPer10k: 90,
        publicBuildingsPer10k: 3.2,
        newBuildingsPerMonth: 2.5,
        air: 1.04,
    },
    industrial: {
        energyFactor: 1.8,
        electricityShare: 0.09,
        fuelMix: {
            2020: { 'industry:raw-coal': 0.38, 'industry:natural-gas': 0.18, 'industry:heat': 0.08, 'industry:fuel-oil': 0.03, 'industry:diesel': 0.03, 'construction:diesel': 0.04, 'transport:gasoline': 0.08, 'transport:diesel': 0.1, 'commercial:natural-gas': 0.03, 'residential:natural-gas': 0.03, 'residential:lpg': 0.02 },
            2025: { 'industry:raw-coal': 0.27, 'industry:natural-gas': 0.26, 'industry:heat': 0.1, 'industry:fuel-oil': 0.02, 'industry:diesel': 0.03, 'construction:diesel': 0.04, 'transport:gasoline': 0.08, 'transport:diesel': 0.1, 'commercial:natural-gas': 0.04, 'residential:natural-gas': 0.04, 'residential:lpg': 0.015 },
        },
        grid: { industry: 0.72, construction: 0.03, transport: 0.04, commercial: 0.1, residential: 0.1, agriculture: 0.01 },
        carsPer10k: 2600,
        logisticsPer10k: 160,
        publicBuildingsPer10k: 3.0,
        newBuildingsPerMonth: 2,
        air: 1.07,
    },
    rural: {
        energyFactor: 1.0,
        electricityShare: 0.16,
        fuelMix: {
            2020: { 'agriculture:diesel': 0.12, 'industry:raw-coal': 0.14, 'industry:natural-gas': 0.04, 'construction:diesel': 0.08, 'transport:gasoline': 0.22, 'transport:diesel': 0.15, 'commercial:lpg': 0.05, 'residential:raw-coal': 0.02, 'residential:natural-gas': 0.04, 'residential:lpg': 0.14 },
            2025: { 'agriculture:diesel': 0.12, 'industry:raw-coal': 0.08, 'industry:natural-gas': 0.07, 'construction:diesel': 0.08, 'transport:gasoline': 0.22, 'transport:diesel': 0.14, 'commercial:lpg': 0.04, 'residential:raw-coal': 0.0, 'residential:natural-gas': 0.09, 'residential:lpg': 0.1 },
        },
        grid: { industry: 0.25, construction: 0.04, transport: 0.03, commercial: 0.15, residential: 0.4, agriculture: 0.13 },
        carsPer10k: 2200,
        logisticsPer10k: 70,
        publicBuildingsPer10k: 6.0,
        newBuildingsPerMonth: 1.2,
        air: 0.92,
    },
};

// Residents grow fastest where the new towns are being built.
const POPULATION_GROWTH = { urban: 0.005, 'new-town': 0.028, tech: 0.022, industrial: 0.012, rural: -0.005 };

// ------------------------------------------------------------------------------------ the path per year

// realGrowth       real GDP growth of the New Area (each area adds its tilt)
// deflator         GDP price change (current prices over 2020 prices)
// intensityChange  change of energy per unit of GDP (2020 prices): about -15 % from 2020 to 2025
// gridGrowth       growth of grid consumption (electrification runs ahead of total energy)
// greenShare       green-power trades as a share of industrial consumption (tech and industrial areas)
const YEAR_PATH = {
    2021: { realGrowth: 0.088, deflator: 0.03, intensityChange: -0.025, gridGrowth: 0.085, greenShare: 0.005 },
    2022: { realGrowth: 0.052, deflator: 0.015, intensityChange: -0.03, gridGrowth: 0.035, greenShare: 0.012 },
    2023: { realGrowth: 0.056, deflator: -0.003, intensityChange: -0.035, gridGrowth: 0.04, greenShare: 0.025 },
    2024: { realGrowth: 0.059, deflator: -0.005, intensityChange: -0.038, gridGrowth: 0.042, greenShare: 0.045 },
    2025: { realGrowth: 0.057, deflator: -0.003, intensityChange: -0.036, gridGrowth: 0.035, greenShare: 0.07 },
};
const INTENSITY_2020 = 0.292; // tce per 10k CNY (2020 prices), New Area
const GDP_ANCHOR_YEAR = 2022; // LEAVES.gdp2022 holds this year's current-price GDP

// GDP by quarter: 2020's first quarter carries the COVID-19 dip.
const GDP_QUARTER_SHARE = { 2020: [0.205, 0.251, 0.259, 0.285], other: [0.228, 0.246, 0.25, 0.276] };

// Year-end anchors [end 2019, end 2020, ..., end 2025], interpolated by month.
const ANCHORS = {
    pvOtherGrowth: [0.82, 1.0, 1.45, 2.2, 3.3, 4.6, 6.0], // PV on non-public roofs relative to end 2020
    pvPublicBuildingsShare: [0.03, 0.06, 0.12, 0.22, 0.38, 0.62, 1.0], // public buildings with PV / eligible
    chargerSpacesShare: [0.11, 0.125, 0.155, 0.19, 0.23, 0.275, 0.33], // public spaces with a charger or pre-wired
    chargersPerChargerSpace: [0.45, 0.5, 0.55, 0.6, 0.64, 0.68, 0.72],
    mwhPerCharger: [1.1, 1.4, 1.8, 2.2, 2.6, 2.9, 3.2], // MWh delivered per public charger and month
};

// Fleet per 10k residents at the end of 2020 (logistics and private cars: see PROFILES), yearly
// fleet growth, NEV share at the end of 2019 ... 2025. New public-sector vehicles are electric (plan).
const VEHICLES = {
    bus: { per10k: 8, spread: 0.45, growth: 0.01, nevShare: [0.8, 0.86, 0.91, 0.95, 0.98, 0.995, 1.0] },
    taxi: { per10k: 11, spread: 0.45, growth: 0.0, nevShare: [0.3, 0.42, 0.58, 0.75, 0.88, 0.95, 0.995] },
    'public-sector': { per10k: 14, spread: 0.25, growth: -0.01, nevShare: [0.12, 0.2, 0.34, 0.5, 0.68, 0.86, 0.985] },
    logistics: { per10k: null, spread: 0.25, growth: 0.05, nevShare: [0.03, 0.05, 0.09, 0.15, 0.22, 0.3, 0.38] },
    sanitation: { per10k: 4, spread: 0.25, growth: 0.02, nevShare: [0.08, 0.14, 0.24, 0.36, 0.5, 0.62, 0.75] },
    private: { per10k: null, spread: 0.08, growth: 0.065, nevShare: [0.015, 0.025, 0.045, 0.075, 0.105, 0.14, 0.175] },
};

// Share of new civil buildings meeting the green-building standard, by year.
const GREEN_BUILDING_RATE = { 2020: 0.8, 2021: 0.86, 2022: 0.92, 2023: 0.96, 2024: 0.985, 2025: 0.995 };

// Annual level of air pollution relative to a typical year (2020 was cleaner: COVID-19 lockdown).
const AIR_YEAR = { 2020: 0.97, 2024: 0.93, 2025: 0.91 };

// Months where an area's monitoring station missed whole days (days < days in the month).
const AIR_STATION_GAPS = { '430104105|2024-08': 2, '430112115|2025-02': 3, '430104003|2020-11': 1 };

// ------------------------------------------------------------------------------------ feed 1.1 fields

// Feeds are written at schemaVersion 1.1 (the optional 1.1 fields below), except these few, kept at 1.0 so that
// 1.0 and 1.1 feeds meet in one period: a 1.0 feed never carries a 1.1 field.
//   power-grid-2024-11  no grid share (1.0): 2024-Q4 and the 2024 year use the default s_y for November
//   transport-2020-01, environment-2020-01  no registrations and floor areas in the base year's first month
const SCHEMA_1_0 = new Set(['power-grid-2024-11', 'transport-2020-01', 'environment-2020-01']);
// 1.1 power-grid feeds that leave `gridNonFossilSharePct` out (the grid company's figure was not ready): the
// month falls back to the default s_y (quality `estimated`, warning `grid-mix-default-used`).
const GRID_SHARE_MISSING = new Set(['2025-08']);

// Non-fossil share of what the Hunan grid supplied, %, by month: dry season (Q1 and late autumn) lower, the wet
// season (April-September, hydro peak) higher; the year's consumption-weighted mean lands near the 40 % default.
const GRID_NON_FOSSIL_PCT = [29.5, 27.5, 32.5, 42.0, 47.5, 53.0, 51.5, 47.0, 42.5, 37.0, 33.5, 30.5];
// Year offset in percentage points (more wind and solar each year).
const GRID_NON_FOSSIL_YEAR = { 2020: -2.0, 2024: 1.0, 2025: 1.8 };

// Feedstock (原料用能): share of an industrial area's industry raw coal, natural gas and fuel oil (tce) used as raw
// material (chemicals, new materials) rather than burnt; only the `industrial` profile reports it.
const FEEDSTOCK_SHARE = { industrial: 0.16 };
const FEEDSTOCK_FUELS = ['industry:raw-coal', 'industry:natural-gas', 'industry:fuel-oil'];

// Changsha's carbon-intensity change on 2020, %, sent in the annual statistics feed of the year (`benchmarks`).
// 2020 is the base year itself (no figure to compare with), so its annual feed sends none: the proxy applies.
const CHANGSHA_CARBON_INTENSITY_CHANGE_PCT = { 2024: -16.8 };

// New registrations: yearly renewal of the fleet (share of the fleet replaced) and, per year, the shares of
// battery-electric, fuel-cell and plug-in hybrid vehicles among them (the rest burn fuel). New public-sector
// vehicles are mostly battery-electric (the plan asks all of them to be BEV or FCEV).
const REGISTRATIONS = {
    bus: { renewal: 0.1, mix: { 2020: [0.92, 0.0, 0.03], 2024: [0.99, 0.01, 0.0], 2025: [0.99, 0.01, 0.0] } },
    taxi: { renewal: 0.16, mix: { 2020: [0.7, 0.0, 0.05], 2024: [0.93, 0.0, 0.04], 2025: [0.96, 0.0, 0.03] } },
    'public-sector': { renewal: 0.09, mix: { 2020: [0.52, 0.0, 0.08], 2024: [0.91, 0.01, 0.04], 2025: [0.95, 0.015, 0.02] } },
    logistics: { renewal: 0.12, mix: { 2020: [0.1, 0.0, 0.0], 2024: [0.42, 0.01, 0.02], 2025: [0.5, 0.015, 0.02] } },
    sanitation: { renewal: 0.1, mix: { 2020: [0.3, 0.0, 0.0], 2024: [0.78, 0.02, 0.0], 2025: [0.86, 0.02, 0.0] } },
    private: { renewal: 0.06, mix: { 2020: [0.05, 0.0, 0.015], 2024: [0.31, 0.0, 0.16], 2025: [0.35, 0.0, 0.2] } },
};

// Floor area of one new civil building, 10k m2: [minimum, spread] by profile.
const FLOOR_AREA_PER_BUILDING = { urban: [0.6, 1.6], 'new-town': [1.2, 3.6], tech: [1.0, 3.0], industrial: [0.8, 2.4], rural: [0.2, 0.6] };

// Data centres reported by the environment department. PUE = totalMwh / itMwh.
// 湘江科学城超算中心 is the existing centre still above 1.5 in summer (the plan asks existing ones for <= 1.5).
const DATA_CENTRES = [
    { area: '430104011', id: 'dc-lugu-cloud-1', name: '麓谷云计算中心', status: 'existing', from: '2016-01', itMwh: 2600, growth: 0.05, rampMonths: 0, pue: { 2020: 1.52, 2024: 1.4, 2025: 1.39 } },
    { area: '430104016', id: 'dc-xjkxc-hpc-1', name: '湘江科学城超算中心', status: 'existing', from: '2019-06', itMwh: 1500, growth: 0.08, rampMonths: 0, pue: { 2020: 1.5, 2024: 1.455, 2025: 1.45 } },
    { area: '430104011', id: 'dc-lugu-edge-2', name: '麓谷边缘数据中心', status: 'new', from: '2024-05', itMwh: 900, growth: 0.1, rampMonths: 12, pue: { 2024: 1.215, 2025: 1.21 } },
    { area: '430112013', id: 'dc-leifeng-ai-1', name: '雷锋智算中心', status: 'new', from: '2025-03', itMwh: 3200, growth: 0.0, rampMonths: 6, pue: { 2025: 1.2 } },
];

// ------------------------------------------------------------------------------------ seasonal shapes

// January ... December; normalised over the year wherever a yearly total is spread over months.
const SEASON = {
    flat: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    industry: [1.0, 0.82, 1.0, 1.0, 1.0, 1.02, 1.05, 1.05, 1.02, 1.0, 1.0, 1.03], // Spring Festival dip
    buildings: [1.25, 1.08, 0.9, 0.8, 0.85, 1.0, 1.35, 1.42, 1.05, 0.85, 0.88, 1.15], // heating and cooling
    heating: [1.55, 1.35, 1.1, 0.85, 0.7, 0.6, 0.6, 0.6, 0.65, 0.8, 1.05, 1.4], // gas and LPG in homes and shops
    farming: [0.6, 0.6, 1.0, 1.3, 1.3, 1.2, 1.3, 1.3, 1.2, 1.0, 0.7, 0.5],
    road: [0.98, 0.92, 0.98, 1.0, 1.02, 1.0, 1.03, 1.04, 1.0, 1.06, 0.98, 1.0],
    transit: [1.0, 0.88, 1.02, 1.02, 1.03, 0.98, 0.95, 0.95, 1.03, 1.04, 1.03, 1.02],
    charging: [1.05, 0.92, 0.96, 0.97, 1.0, 1.02, 1.06, 1.06, 1.0, 0.98, 1.0, 1.04],
    newBuildings: [0.9, 0.5, 0.8, 0.9, 1.0, 1.1, 0.9, 0.9, 1.0, 1.0, 1.2, 1.8], // year-end completions
    pvYieldKwhPerKw: [87, 85, 91, 99, 110, 114, 125, 123, 112, 101, 92, 88],
    loadFactor: [0.66, 0.62, 0.7, 0.72, 0.7, 0.64, 0.58, 0.57, 0.65, 0.72, 0.71, 0.66],
    aqi: [98, 84, 72, 66, 62, 54, 50, 52, 58, 63, 75, 93],
    pm25: [64, 52, 41, 35, 31, 25, 21, 22, 26, 32, 45, 59],
    carbonUptake: [0.45, 0.5, 0.8, 1.1, 1.35, 1.45, 1.5, 1.45, 1.25, 0.95, 0.7, 0.5],
    pueOffset: [0.0, 0.0, 0.01, 0.02, 0.03, 0.05, 0.07, 0.07, 0.05, 0.02, 0.0, 0.0], // cooling load
};

// 2020: the first COVID-19 wave. Activity dipped in February-April, homes used more.
const COVID_2020 = {
    activity: [1.0, 0.7, 0.88, 0.96, 1, 1, 1, 1, 1, 1, 1, 1],
    homes: [1.02, 1.1, 1.04, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    none: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    transit: [0.95, 0.18, 0.45, 0.7, 0.82, 0.86, 0.88, 0.9, 0.92, 0.94, 0.93, 0.92],
    charging: [1.0, 0.5, 0.8, 0.95, 1, 1, 1, 1, 1, 1, 1, 1],
    buildings: [1.0, 0.1, 0.5, 0.9, 1, 1, 1, 1, 1, 1, 1, 1],
};

/** Share of a yearly flow that falls in the month, for a seasonal shape and a COVID-19 effect. */
function monthShare(shape, covid, year, month) {
    const weights = SEASON[shape].map((w, i) => w * (year === 2020 ? COVID_2020[covid][i] : 1));
    return weights[month - 1] / sum(weights);
}

/** The four quarters' shares of a yearly flow, slightly perturbed per key and normalised. */
function quarterShares(shape, covid, year, ...key) {
    const raw = [1, 2, 3, 4].map((q) =>
        sum([1, 2, 3].map((i) => monthShare(shape, covid, year, 3 * (q - 1) + i))) * jitter(0.012, 'quarter', year, q, ...key));
    const total = sum(raw);
    return raw.map((r) => r / total);
}

// Seasonal shape and COVID-19 effect of each energy item (statistics) and grid sector.
function fuelSeason(sector, fuel) {
    if (sector === 'agriculture') return ['farming', 'none'];
    if (sector === 'residential') return [fuel === 'raw-coal' || fuel === 'natural-gas' || fuel === 'lpg' ? 'heating' : 'flat', 'homes'];
    if (sector === 'commercial' && (fuel === 'natural-gas' || fuel === 'lpg')) return ['heating', 'activity'];
    if (sector === 'industry') return ['industry', 'activity'];
    return ['flat', 'activity'];
}
const GRID_SEASON = {
    industry: ['industry', 'activity'],
    construction: ['flat', 'activity'],
    transport: ['flat', 'activity'],
    commercial: ['buildings', 'activity'],
    residential: ['buildings', 'homes'],
    agriculture: ['farming', 'none'],
};

// ------------------------------------------------------------------------------------ model: economy and energy

const cumulative = (field, year, extra = 0) => {
    let v = 1;
    for (let y = 2021; y <= year; y++) v *= 1 + YEAR_PATH[y][field] + extra;
    return v;
};
const priceIndex = (year) => cumulative('deflator', year);
const intensity = (year) => INTENSITY_2020 * cumulative('intensityChange', year);

/** GDP at 2020 prices for the whole year, 10k CNY. */
function gdpConstant(area, year) {
    const real = (y) => cumulative('realGrowth', y, area.tilt / 100);
    const gdp2020 = area.gdp2022 / (real(GDP_ANCHOR_YEAR) * priceIndex(GDP_ANCHOR_YEAR));
    return gdp2020 * real(year);
}
const gdpCurrent = (area, year) => gdpConstant(area, year) * priceIndex(year);

// The areas' relative energy factors are rescaled each year so that the leaves together follow
// the New Area's intensity path exactly.
const intensityScale = new Map();
function energyScale(year) {
    if (!intensityScale.has(year)) {
        const weighted = sum(LEAVES.map((a) => gdpConstant(a, year) * PROFILES[a.profile].energyFactor));
        const plain = sum(LEAVES.map((a) => gdpConstant(a, year)));
        intensityScale.set(year, plain / weighted);
    }
    return intensityScale.get(year);
}

/** Total energy use of the year (fuels + grid electricity), tce. */
const energyTce = (area, year) =>
    intensity(year) * gdpConstant(area, year) * PROFILES[area.profile].energyFactor * energyScale(year);

/** Grid consumption of the year, MWh. */
const gridYearMwh = (area, year) =>
    (PROFILES[area.profile].electricityShare * energyTce(area, 2020) / STANDARD_COAL.electricity) * cumulative('gridGrowth', year);

/** Yearly fuel quantities (contract units), keyed "sector:fuel": what is left once electricity is counted. */
function fuelYear(area, year) {
    const profile = PROFILES[area.profile];
    const fuelTce = energyTce(area, year) - gridYearMwh(area, year) * STANDARD_COAL.electricity;
    if (fuelTce < 0.4 * energyTce(area, year)) throw new Error(`model: fuels below 40 % of energy in ${area.code} ${year}`);
    const f = (year - 2020) / 5;
    const keys = [...new Set([...Object.keys(profile.fuelMix[2020]), ...Object.keys(profile.fuelMix[2025])])];
    const shares = Object.fromEntries(keys.map((k) => {
        const s = (profile.fuelMix[2020][k] ?? 0) * (1 - f) + (profile.fuelMix[2025][k] ?? 0) * f;
        return [k, s * jitter(0.15, 'mix', area.code, k)];
    }).filter(([, s]) => s > 0));
    const total = sum(Object.values(shares));
    return Object.fromEntries(Object.entries(shares).map(([k, s]) => {
        const fuel = k.split(':')[1];
        return [k, (fuelTce * s) / total / STANDARD_COAL[fuel]];
    }));
}

const population = (area, year, quarter) =>
    area.pop2020 * (1 + POPULATION_GROWTH[area.profile]) ** (year - 2020 + quarter / 4 - 1);

/** Statistics for one leaf and quarter, unrounded. */
function statisticsQuarter(area, year, quarter) {
    const gdpShares = (GDP_QUARTER_SHARE[year] ?? GDP_QUARTER_SHARE.other).map((s, q) => s * jitter(0.01, 'gdp-q', area.code, year, q + 1));
    const gdpShare = gdpShares[quarter - 1] / sum(gdpShares);
    const energy = {};
    for (const [key, quantity] of Object.entries(fuelYear(area, year))) {
        const [sector, fuel] = key.split(':');
        const [shape, covid] = fuelSeason(sector, fuel);
        energy[key] = quantity * quarterShares(shape, covid, year, area.code, key)[quarter - 1];
    }
    if (STATISTICS_WITH_ELECTRICITY.includes(area.code)) {
        for (const sector of SECTORS) {
            const months = [1, 2, 3].map((i) => gridMonth(area, year, 3 * (quarter - 1) + i).consumption[sector] ?? 0);
            if (sum(months) > 0) energy[`${sector}:electricity`] = sum(months) * jitter(0.025, 'stat-elec', area.code, year, quarter, sector);
        }
    }
    const feedstockShare = FEEDSTOCK_SHARE[area.profile];
    const feedstock = feedstockShare === undefined ? null
        : feedstockShare * jitter(0.1, 'feedstock', area.code, year, quarter)
            * sum(FEEDSTOCK_FUELS.map((k) => (energy[k] ?? 0) * STANDARD_COAL[k.split(':')[1]]));
    return {
        gdp: gdpCurrent(area, year) * gdpShare,
        gdpConstant: gdpConstant(area, year) * gdpShare,
        population: population(area, year, quarter),
        energy,
        feedstock,
    };
}

/** Statistics for one leaf and year: the sum of its quarters (population at year end). */
function statisticsYear(area, year) {
    const quarters = [1, 2, 3, 4].map((q) => statisticsQuarter(area, year, q));
    const energy = {};
    for (const q of quarters) for (const [k, v] of Object.entries(q.energy)) energy[k] = (energy[k] ?? 0) + v;
    return {
        gdp: sum(quarters.map((q) => q.gdp)),
        gdpConstant: sum(quarters.map((q) => q.gdpConstant)),
        population: quarters[3].population,
        energy,
        feedstock: quarters[0].feedstock === null ? null : sum(quarters.map((q) => q.feedstock)),
    };
}

/** A park's statistics: its overlap shares of the streets' figures (electricity left to the grid feed). */
function statisticsPark(park, leafValues) {
    const energy = {};
    let gdp = 0;
    let gdpConst = 0;
    let feedstock = null;
    for (const [code, w] of Object.entries(park.overlap)) {
        const v = leafValues(LEAF_BY_CODE.get(code));
        gdp += w * v.gdp;
        gdpConst += w * v.gdpConstant;
        if (v.feedstock !== null) feedstock = (feedstock ?? 0) + w * v.feedstock * 0.9; // the park's own fuels carry a ±4 % jitter
        for (const [k, q] of Object.entries(v.energy)) {
            if (!k.endsWith(':electricity')) energy[k] = (energy[k] ?? 0) + w * q * jitter(0.04, 'park-energy', park.code, k);
        }
    }
    const g = jitter(0.02, 'park-gdp', park.code);
    return { gdp: gdp * g, gdpConstant: gdpConst * g, population: null, energy, feedstock };
}

// ------------------------------------------------------------------------------------ model: power grid

/** Public buildings eligible for rooftop PV and those with PV, at month end (environment feed). */
function publicBuildings(area, year, month) {
    const profile = PROFILES[area.profile];
    const t = year - 2020 + month / 12 - 1; // years since the end of 2020
    const eligible2020 = Math.round(area.pop2020 * profile.publicBuildingsPer10k * jitter(0.2, 'eligible', area.code));
    const eligible = Math.floor(eligible2020 * 1.02 ** t);
    const share = Math.min(1, atMonthEnd(ANCHORS.pvPublicBuildingsShare, year, month) * jitter(0.25, 'pv-public-pace', area.code));
    return { eligible, withPv: Math.min(eligible, Math.floor(eligible * share)) };
}

function gridMonth(area, year, month) {
    const profile = PROFILES[area.profile];
    const sectorWeights = Object.fromEntries(Object.entries(profile.grid)
        .map(([s, w]) => [s, s === 'transport' ? w * (1 + 0.25 * (year - 2020)) : w]));
    const weightTotal = sum(Object.values(sectorWeights));
    const consumption = {};
    for (const sector of SECTORS) {
        if (!sectorWeights[sector]) continue;
        const [shape, covid] = GRID_SEASON[sector];
        consumption[sector] = (gridYearMwh(area, year) * sectorWeights[sector]) / weightTotal
            * monthShare(shape, covid, year, month) * jitter(0.02, 'grid', area.code, year, month, sector);
    }
    const total = sum(Object.values(consumption));

    const kwPerPublicBuilding = 60 + 90 * uniform('kw-per-building', area.code);
    const pvPublicKw = publicBuildings(area, year, month).withPv * kwPerPublicBuilding;
    const pvOtherKw = area.pvKw * (1 + (atMonthEnd(ANCHORS.pvOtherGrowth, year, month) - 1) * jitter(0.3, 'pv-pace', area.code));
    const pvKw = pvPublicKw + pvOtherKw;
    const yieldKwhPerKw = Math.min(129, Math.max(81, SEASON.pvYieldKwhPerKw[month - 1] * jitter(0.03, 'pv-yield', year, month, area.code)));

    const days = daysInMonth(year, month);
    const peakLoadMw = total / (days * 24) / SEASON.loadFactor[month - 1] * jitter(0.03, 'peak', area.code, year, month);

    const tradesGreenPower = area.profile === 'tech' || area.profile === 'industrial';
    const greenPowerMwh = tradesGreenPower && year >= 2021
        ? consumption.industry * YEAR_PATH[year].greenShare * jitter(0.2, 'green', area.code, year, month) : null;

    // Summer demand response (from 2022) in the industrial areas.
    let demandResponse = null;
    if (tradesGreenPower && year >= 2022 && (month === 7 || month === 8)) {
        const events = 1 + Math.floor(3 * uniform('dr-events', area.code, year, month));
        demandResponse = { events, curtailedMwh: events * peakLoadMw * 2.5 * (0.04 + 0.04 * uniform('dr-mwh', area.code, year, month)) };
    }

    return {
        consumption,
        pvInstalledKw: pvKw,
        pvPublicBuildingsInstalledKw: pvPublicKw,
        pvGenerationMwh: (pvKw * yieldKwhPerKw) / 1000,
        peakLoadMw,
        demandResponse,
        greenPowerTradedMwh: greenPowerMwh,
    };
}

function gridPark(park, year, month) {
    const j = jitter(0.03, 'park-grid', park.code);
    const out = { consumption: {}, pvInstalledKw: 0, pvPublicBuildingsInstalledKw: 0, pvGenerationMwh: 0, peakLoadMw: 0, demandResponse: null, greenPowerTradedMwh: null };
    for (const [code, w] of Object.entries(park.overlap)) {
        const v = gridMonth(LEAF_BY_CODE.get(code), year, month);
        for (const [s, mwh] of Object.entries(v.consumption)) out.consumption[s] = (out.consumption[s] ?? 0) + w * mwh * j;
        out.pvInstalledKw += w * v.pvInstalledKw;
        out.pvPublicBuildingsInstalledKw += w * v.pvPublicBuildingsInstalledKw;
        out.pvGenerationMwh += w * v.pvGenerationMwh;
        out.peakLoadMw += w * v.peakLoadMw * 0.96 * j; // not all peaks coincide
        if (v.greenPowerTradedMwh !== null) out.greenPowerTradedMwh = (out.greenPowerTradedMwh ?? 0) + w * v.greenPowerTradedMwh;
        if (v.demandResponse) {
            out.demandResponse ??= { events: 0, curtailedMwh: 0 };
            out.demandResponse.events = Math.max(out.demandResponse.events, v.demandResponse.events);
            out.demandResponse.curtailedMwh += w * v.demandResponse.curtailedMwh;
        }
    }
    return out;
}

// ------------------------------------------------------------------------------------ model: transport

function transportMonth(area, year, month) {
    const profile = PROFILES[area.profile];
    const t = year - 2020 + month / 12 - 1; // years since the end of 2020
    const vehicles = VEHICLE_CATEGORIES.map((category) => {
        const c = VEHICLES[category];
        const per10k = category === 'private' ? profile.carsPer10k : category === 'logistics' ? profile.logisticsPer10k : c.per10k;
        const base = area.pop2020 * per10k * jitter(c.spread, 'fleet', area.code, category);
        const total = Math.max(1, Math.round(base * (1 + c.growth) ** t * jitter(0.003, 'fleet-month', area.code, category, year, month)));
        const share = Math.min(1, atMonthEnd(c.nevShare, year, month) * jitter(0.08, 'nev-pace', area.code, category));
        return { category, total, nev: Math.round(total * share) };
    });

    const spaces = Math.round(area.parking * 1.05 ** t);
    const withChargers = Math.round(spaces * Math.min(0.95, atMonthEnd(ANCHORS.chargerSpacesShare, year, month) * jitter(0.15, 'charging-pace', area.code)));
    const chargers = Math.round(withChargers * atMonthEnd(ANCHORS.chargersPerChargerSpace, year, month) * jitter(0.05, 'chargers', area.code, year, month));
    const charging = chargers * atMonthEnd(ANCHORS.mwhPerCharger, year, month) * SEASON.charging[month - 1]
        * (year === 2020 ? COVID_2020.charging[month - 1] : 1) * jitter(0.05, 'charging', area.code, year, month);

    // Road fuel sold at the area's stations follows the statistics' transport fuel, scaled by how many
    // stations the area has relative to its own traffic.
    const fuel = fuelYear(area, year);
    const stations = jitter(0.25, 'stations', area.code);
    const road = monthShare('road', 'activity', year, month);
    const gasolineT = (fuel['transport:gasoline'] ?? 0) * stations * road * jitter(0.03, 'gasoline', area.code, year, month);
    const dieselT = (fuel['transport:diesel'] ?? 0) * stations * road * jitter(0.03, 'diesel', area.code, year, month);

    // Bus and metro boardings (not reported for the rural towns).
    const transitYear = { 2020: 1.0, 2024: 0.97, 2025: 0.99 }[year];
    const boardings = area.profile === 'rural' ? null
        : area.pop2020 * 11.5 * SEASON.transit[month - 1] * transitYear * (year === 2020 ? COVID_2020.transit[month - 1] : 1)
            * jitter(0.04, 'boardings', area.code, year, month);

    return { vehicles, spaces, withChargers, chargers, charging, gasolineT, dieselT, boardings, registrations: newRegistrations(area, year, month, vehicles) };
}

/** Vehicles registered in the month by category: renewal of the fleet plus its growth, drawn vehicle by vehicle. */
function newRegistrations(area, year, month, vehicles) {
    return vehicles.map(({ category, total: fleet }) => {
        const r = REGISTRATIONS[category];
        const covid = year === 2020 ? COVID_2020.activity[month - 1] : 1;
        const mean = fleet * (r.renewal + Math.max(0, VEHICLES[category].growth)) / 12 * covid;
        const total = poisson(mean, 'registrations', area.code, category, year, month);
        const [bevShare, fcevShare, phevShare] = r.mix[year];
        const out = { category, total, bev: 0, fcev: 0, phev: 0 };
        for (let i = 0; i < total; i++) {
            const u = uniform('registration-kind', area.code, category, year, month, i);
            if (u < bevShare) out.bev++;
            else if (u < bevShare + fcevShare) out.fcev++;
            else if (u < bevShare + fcevShare + phevShare) out.phev++;
        }
        return out;
    });
}

// ------------------------------------------------------------------------------------ model: environment

function newBuildings(area, year, month) {
    const profile = PROFILES[area.profile];
    const mean = profile.newBuildingsPerMonth * SEASON.newBuildings[month - 1] * (year === 2020 ? COVID_2020.buildings[month - 1] : 1);
    let count = poisson(mean, 'new-buildings', area.code, year, month);
    // Keep every quarter with at least one completion, so a quarter's compliance share is defined.
    if (month % 3 === 0 && count === 0) {
        const earlier = [month - 2, month - 1].map((m) => poisson(profile.newBuildingsPerMonth * SEASON.newBuildings[m - 1] * (year === 2020 ? COVID_2020.buildings[m - 1] : 1), 'new-buildings', area.code, year, m));
        if (sum(earlier) === 0) count = 1;
    }
    let green = 0;
    let floorArea = 0;
    let greenFloorArea = 0;
    const [minArea, spread] = FLOOR_AREA_PER_BUILDING[area.profile];
    for (let i = 0; i < count; i++) {
        const area10kM2 = minArea + spread * uniform('floor-area', area.code, year, month, i);
        floorArea += area10kM2;
        if (uniform('green-building', area.code, year, month, i) < GREEN_BUILDING_RATE[year]) {
            green++;
            greenFloorArea += area10kM2;
        }
    }
    return { count, green, floorArea, greenFloorArea };
}

function dataCentreMonth(dc, year, month) {
    const [fromYear, fromMonth] = dc.from.split('-').map(Number);
    const age = (year - fromYear) * 12 + (month - fromMonth); // months since commissioning
    if (age < 0) return null;
    const t = year - 2020 + (month - 1) / 12;
    const ramp = dc.rampMonths > 0 ? Math.min(1, 0.25 + 0.75 * (age / dc.rampMonths)) : 1;
    const growth = dc.rampMonths > 0 ? 1 + dc.growth * Math.max(0, (age - dc.rampMonths) / 12) : (1 + dc.growth) ** t;
    const itMwh = dc.itMwh * ramp * growth * (daysInMonth(year, month) / 30.4) * jitter(0.03, 'dc-it', dc.id, year, month);
    const pue = dc.pue[year] + SEASON.pueOffset[month - 1] + 0.01 * (2 * uniform('dc-pue', dc.id, year, month) - 1);
    return { id: dc.id, name: dc.name, status: dc.status, itMwh, totalMwh: itMwh * pue };
}

function environmentMonth(area, year, month) {
    const profile = PROFILES[area.profile];
    const level = profile.air * AIR_YEAR[year];
    const aqi = Math.min(110, Math.max(40, SEASON.aqi[month - 1] * level * jitter(0.06, 'aqi', area.code, year, month)));
    const pm25 = SEASON.pm25[month - 1] * level * jitter(0.08, 'pm25', area.code, year, month);
    const days = daysInMonth(year, month) - (AIR_STATION_GAPS[`${area.code}|${year}-${pad(month)}`] ?? 0);
    const goodRatio = Math.min(1, Math.max(0.3, 1 - (aqi - 42) / 130)) * jitter(0.04, 'good-days', area.code, year, month);
    const goodDays = Math.min(days, Math.round(days * goodRatio));

    const uptake = monthShare('carbonUptake', 'none', year, month);
    const carbonSink = area.sinkT * 1.012 ** (year - 2020) * uptake * jitter(0.02, 'sink', area.code, year, month);

    const dataCentres = DATA_CENTRES.filter((dc) => dc.area === area.code)
        .map((dc) => dataCentreMonth(dc, year, month)).filter(Boolean);
    const built = newBuildings(area, year, month);
    const pb = publicBuildings(area, year, month);
    return { aqi, pm25, goodDays, days, carbonSink, dataCentres, built, publicBuildings: pb };
}

// ------------------------------------------------------------------------------------ feeds (rounded records)

function statisticsRecord(code, v) {
    const energy = Object.entries(v.energy)
        .map(([k, quantity]) => ({ sector: k.split(':')[0], fuel: k.split(':')[1], quantity: round(quantity) }))
        .filter((item) => item.quantity > 0)
        .sort((a, b) => SECTORS.indexOf(a.sector) - SECTORS.indexOf(b.sector) || FUELS.indexOf(a.fuel) - FUELS.indexOf(b.fuel));
    const record = { areaCode: code, gdp10kCny: round(v.gdp), gdpConstant2020_10kCny: round(v.gdpConstant) };
    if (v.population !== null) record.population10k = round(v.population);
    record.energy = energy;
    if (v.feedstock !== null) record.feedstockTce = round(v.feedstock);
    return record;
}

function powerGridRecord(code, v) {
    const record = {
        areaCode: code,
        consumption: SECTORS.filter((s) => v.consumption[s] !== undefined).map((sector) => ({ sector, mwh: round(v.consumption[sector], 3) })),
        pvInstalledKw: round(v.pvInstalledKw, 1),
        pvPublicBuildingsInstalledKw: round(v.pvPublicBuildingsInstalledKw, 1),
        pvGenerationMwh: round(v.pvGenerationMwh, 3),
        peakLoadMw: round(v.peakLoadMw, 3),
    };
    if (v.demandResponse) record.demandResponse = { events: v.demandResponse.events, curtailedMwh: round(v.demandResponse.curtailedMwh, 3) };
    if (v.greenPowerTradedMwh !== null) record.greenPowerTradedMwh = round(v.greenPowerTradedMwh, 3);
    return record;
}

function transportRecord(code, v) {
    const record = {
        areaCode: code,
        vehicles: v.vehicles,
        publicParkingSpaces: v.spaces,
        publicParkingSpacesWithChargers: v.withChargers,
        publicChargers: v.chargers,
        chargingMwh: round(v.charging, 3),
        fuelSales: { gasolineT: round(v.gasolineT), dieselT: round(v.dieselT) },
    };
    if (v.boardings !== null) record.transitBoardings10k = round(v.boardings);
    record.newRegistrations = v.registrations;
    return record;
}

function environmentRecord(code, v) {
    const record = {
        areaCode: code,
        airQuality: { aqiMean: round(v.aqi, 1), pm25UgM3: round(v.pm25, 1), goodDays: v.goodDays, days: v.days },
        carbonSinkTco2: round(v.carbonSink),
    };
    if (v.dataCentres.length > 0) {
        record.dataCentres = v.dataCentres.map((dc) => ({ ...dc, itMwh: round(dc.itMwh, 3), totalMwh: round(dc.totalMwh, 3) }));
    }
    record.buildings = {
        newCivilBuildings: v.built.count,
        newGreenCompliant: v.built.green,
        publicBuildingsWithPv: v.publicBuildings.withPv,
        publicBuildingsEligibleForPv: v.publicBuildings.eligible,
        newCivilFloorArea10kM2: round(v.built.floorArea),
        newGreenFloorArea10kM2: round(v.built.greenFloorArea),
    };
    return record;
}

/** The end of the period as [year, month, day]. */
function periodEnd(period) {
    const year = Number(period.slice(0, 4));
    const month = period.length === 4 ? 12 : period[5] === 'Q' ? 3 * Number(period[6]) : Number(period.slice(5, 7));
    return [year, month, daysInMonth(year, month)];
}

// Days from the end of the period to the release: [minimum, spread]. A corrected revision follows later.
const RELEASE_LAG = { statistics: [20, 8], 'statistics-year': [84, 6], 'power-grid': [4, 5], transport: [7, 6], environment: [9, 7] };
const REVISION_LAG = { statistics: 55, 'power-grid': 14, transport: 20, environment: 20 };

function producedAt(source, period, revision) {
    const [y, m, d] = periodEnd(period);
    const [min, spread] = RELEASE_LAG[source === 'statistics' && period.length === 4 ? 'statistics-year' : source];
    const lag = min + Math.floor(spread * uniform('lag', source, period)) + (revision > 0 ? REVISION_LAG[source] + revision : 0);
    const at = new Date(Date.UTC(y, m - 1, d + lag, 9 + Math.floor(8 * uniform('hour', source, period, revision)), Math.floor(60 * uniform('minute', source, period, revision))));
    return `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}T${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:00+08:00`;
}

/** A 1.0 feed: the same records without the 1.1 fields (a 1.0 feed carrying one is rejected). */
function asVersion10(f) {
    const out = structuredClone(f);
    out.schemaVersion = '1.0';
    delete out.benchmarks;
    delete out.gridNonFossilSharePct;
    for (const r of out.records) {
        delete r.feedstockTce;
        delete r.newRegistrations;
        if (r.buildings) {
            delete r.buildings.newCivilFloorArea10kM2;
            delete r.buildings.newGreenFloorArea10kM2;
        }
    }
    return out;
}

function feed(source, period, revision, records, envelope = {}) {
    const f = { schemaVersion: '1.1', source, period, revision, producedAt: producedAt(source, period, revision), producer: PRODUCERS[source], ...envelope, records };
    return SCHEMA_1_0.has(`${source}-${period}`) ? asVersion10(f) : f;
}

/** The grid company's non-fossil share of the provincial grid's supply in the month, % (one decimal). */
const gridNonFossilSharePct = (year, month) =>
    round((GRID_NON_FOSSIL_PCT[month - 1] + GRID_NON_FOSSIL_YEAR[year]) * jitter(0.03, 'grid-non-fossil', year, month), 1);

function statisticsFeed(year, quarter) {
    const period = quarter ? `${year}-Q${quarter}` : `${year}`;
    const leafValues = (a) => (quarter ? statisticsQuarter(a, year, quarter) : statisticsYear(a, year));
    const records = [
        ...LEAVES.map((a) => statisticsRecord(a.code, leafValues(a))),
        ...PARKS.map((p) => statisticsRecord(p.code, statisticsPark(p, leafValues))),
    ];
    const benchmark = quarter ? undefined : CHANGSHA_CARBON_INTENSITY_CHANGE_PCT[year];
    return feed('statistics', period, 0, records, benchmark === undefined ? {} : { benchmarks: { changshaCarbonIntensityChangeVs2020Pct: benchmark } });
}

function powerGridFeed(year, month) {
    const records = [
        ...LEAVES.map((a) => powerGridRecord(a.code, gridMonth(a, year, month))),
        ...PARKS.map((p) => powerGridRecord(p.code, gridPark(p, year, month))),
    ];
    const period = `${year}-${pad(month)}`;
    return feed('power-grid', period, 0, records, GRID_SHARE_MISSING.has(period) ? {} : { gridNonFossilSharePct: gridNonFossilSharePct(year, month) });
}

const transportFeed = (year, month) =>
    feed('transport', `${year}-${pad(month)}`, 0, LEAVES.map((a) => transportRecord(a.code, transportMonth(a, year, month))));

const environmentFeed = (year, month) =>
    feed('environment', `${year}-${pad(month)}`, 0, LEAVES.map((a) => environmentRecord(a.code, environmentMonth(a, year, month))));

// ------------------------------------------------------------------------------------ revisions

/**
 * statistics 2024-Q4: revision 0 is the preliminary release (late January); revision 1 is the
 * verified release (March), which is what the model holds. The verification moved GDP for some
 * areas and a few energy items by a fraction of a percent; the 2024 year release follows it.
 */
function statisticsPreliminary(verified) {
    const prelim = structuredClone(verified);
    prelim.revision = 0;
    prelim.producedAt = producedAt('statistics', prelim.period, 0);
    for (const r of prelim.records) {
        if (uniform('prelim-gdp', r.areaCode) < 0.5) {
            const f = jitter(0.008, 'prelim-gdp-size', r.areaCode);
            r.gdp10kCny = round(r.gdp10kCny * f);
            r.gdpConstant2020_10kCny = round(r.gdpConstant2020_10kCny * f);
        }
        for (const item of r.energy) {
            if (item.fuel !== 'electricity' && uniform('prelim-energy', r.areaCode, item.sector, item.fuel) < 0.3) {
                item.quantity = round(item.quantity * jitter(0.02, 'prelim-energy-size', r.areaCode, item.sector, item.fuel));
            }
        }
    }
    return prelim;
}

/**
 * power-grid 2025-03: revision 0 missed the readings of one substation feeding 麓谷街道's industry
 * (consumption about 8.5 % low); revision 1 carries the corrected figure.
 */
function powerGridMissingReadings(corrected) {
    const first = structuredClone(corrected);
    first.revision = 0;
    first.producedAt = producedAt('power-grid', first.period, 0);
    const item = first.records.find((r) => r.areaCode === '430104011').consumption.find((c) => c.sector === 'industry');
    item.mwh = round(item.mwh * 0.915, 3);
    return first;
}

// ------------------------------------------------------------------------------------ invalid cases

/** A small valid feed: the first records of a generated one (or the given areas, in that order). */
function small(source, period, codes) {
    const [year, rest] = [Number(period.slice(0, 4)), period.slice(5)];
    const full = source === 'statistics' ? statisticsFeed(year, rest ? Number(rest.slice(1)) : null)
        : source === 'power-grid' ? powerGridFeed(year, Number(rest))
            : source === 'transport' ? transportFeed(year, Number(rest))
                : environmentFeed(year, Number(rest));
    full.records = codes.map((c) => structuredClone(full.records.find((r) => r.areaCode === c)));
    return full;
}

const json = (value) => `${JSON.stringify(value, null, 2)}\n`;
/** Serialise with a placeholder string value replaced by raw text. */
const jsonWithRaw = (value, placeholder, raw) => json(value).replace(`"${placeholder}"`, raw);

const err = (instanceLocation, keyword) => ({ instanceLocation, keyword });

// Each case: name, what is wrong (for the README), the feed text or bytes, the expected report.
const INVALID_CASES = [
    (() => {
        const f = small('power-grid', '2024-06', ['430104001', '430104002', '430104003']);
        delete f.records[1].pvGenerationMwh;
        return ['missing-required-field', 'power-grid record without `pvGenerationMwh`', json(f), 1, [err('/records/1', 'required')]];
    })(),
    (() => {
        const f = small('transport', '2024-06', ['430104010', '430104011']);
        delete f.producer;
        return ['missing-producer', 'envelope without `producer`', json(f), 1, [err('', 'required')]];
    })(),
    (() => {
        const f = small('statistics', '2024-Q2', ['430104010', '430104011']);
        f.records[0].gdpGrowthPct = 5.9;
        return ['unknown-property', 'statistics record with an extra `gdpGrowthPct`', json(f), 1, [err('/records/0/gdpGrowthPct', 'additionalProperties')]];
    })(),
    (() => {
        const f = small('power-grid', '2024-06', ['430104011', '430104017']);
        f.records[0] = Object.fromEntries(Object.entries(f.records[0]).map(([k, v]) => [k === 'pvInstalledKw' ? 'pvInstalledKW' : k, v]));
        return ['misspelt-property', 'two errors from one typo: `pvInstalledKW` is unknown and `pvInstalledKw` is missing', json(f), 1,
            [err('/records/0', 'required'), err('/records/0/pvInstalledKW', 'additionalProperties')]];
    })(),
    (() => {
        const f = small('statistics', '2024-Q3', ['430104009', '430104010']);
        f.records[1].gdp10kCny = String(f.records[1].gdp10kCny);
        return ['number-as-string', '`gdp10kCny` sent as a string', json(f), 1, [err('/records/1/gdp10kCny', 'type')]];
    })(),
    (() => {
        const f = small('statistics', '2024-Q1', ['430104011', '430104012']);
        f.records[0].energy[2].quantity = -f.records[0].energy[2].quantity;
        return ['negative-quantity', 'an energy quantity below zero', json(f), 1, [err('/records/0/energy/2/quantity', 'minimum')]];
    })(),
    (() => {
        const f = small('statistics', '2024-Q1', ['430104011', '430104012']);
        f.records[0].energy[0].fuel = 'coal';
        return ['wrong-enum-value', 'fuel `coal` instead of `raw-coal`', json(f), 1, [err('/records/0/energy/0/fuel', 'enum')]];
    })(),
    (() => {
        const f = small('transport', '2024-06', ['430104001', '430104002']);
        f.records[1].vehicles[3].category = 'truck';
        return ['unknown-vehicle-category', 'vehicle category `truck` (the contract says `logistics`)', json(f), 1, [err('/records/1/vehicles/3/category', 'enum')]];
    })(),
    (() => {
        const f = small('power-grid', '2024-06', ['430104001', '430104002']);
        f.period = '2024-Q2';
        return ['period-not-a-month', 'power-grid feed for a quarter (`2024-Q2`); the grid sends months', json(f), 1, [err('/period', 'pattern')]];
    })(),
    (() => {
        const f = small('transport', '2024-06', ['430104001', '430104002']);
        f.producedAt = '2024/07/09 10:30:00';
        return ['bad-produced-at', '`producedAt` in a database export format, not RFC 3339', json(f), 1, [err('/producedAt', 'format')]];
    })(),
    (() => {
        const f = small('environment', '2024-06', ['430104001']);
        f.records = [];
        return ['empty-records', 'no records at all', json(f), 1, [err('/records', 'minItems')]];
    })(),
    (() => {
        const f = small('transport', '2024-06', ['430104001', '430104011', '430104012']);
        const v = f.records[1].vehicles[2];
        v.nev = v.total + 37;
        return ['nev-exceeds-total', 'more NEVs than vehicles (public-sector fleet)', json(f), 1, [err('/records/1/vehicles/2/nev', 'rule:nev-le-total')]];
    })(),
    (() => {
        const f = small('transport', '2025-09', ['430104010', '430104011']);
        f.records[0].publicParkingSpacesWithChargers = f.records[0].publicParkingSpaces + 120;
        return ['chargers-exceed-spaces', 'more spaces with chargers than public spaces', json(f), 1, [err('/records/0/publicParkingSpacesWithChargers', 'rule:chargers-le-spaces')]];
    })(),
    (() => {
        const f = small('environment', '2024-06', ['430104001', '430104002']);
        f.records[1].airQuality.days = 29; // one day without data ...
        f.records[1].airQuality.goodDays = 30; // ... but good days counted over the whole month
        return ['good-days-exceed-days', '`goodDays` (30) above `days` (29)', json(f), 1, [err('/records/1/airQuality/goodDays', 'rule:good-days-le-days')]];
    })(),
    (() => {
        const f = small('environment', '2025-02', ['430104001', '430104002']);
        f.records[0].airQuality.days = 29; // copied from the leap year 2024
        return ['days-exceed-month-length', '29 days in February 2025 (28 days)', json(f), 1, [err('/records/0/airQuality/days', 'rule:days-le-month-length')]];
    })(),
    (() => {
        const f = small('statistics', '2024-Q2', ['430104001', '430104002', '430104003']);
        f.records[2].areaCode = '430104018';
        return ['unknown-area-code', 'area `430104018`: the right shape, but not in the area reference', json(f), 1, [err('/records/2/areaCode', 'rule:known-area')]];
    })(),
    (() => {
        const f = small('power-grid', '2024-06', ['430104001', '430104002']);
        const again = structuredClone(f.records[0]);
        again.peakLoadMw = round(again.peakLoadMw * 1.02, 3);
        f.records.push(again);
        return ['duplicate-area-code', 'two records for `430104001` (the second is reported)', json(f), 1, [err('/records/2/areaCode', 'rule:unique-area')]];
    })(),
    (() => {
        const f = small('statistics', '2024-Q3', ['430104011', '430104012']);
        const again = { ...f.records[0].energy[1], quantity: round(f.records[0].energy[1].quantity * 0.4) };
        f.records[0].energy.splice(3, 0, again);
        return ['duplicate-energy-item', 'a second item for the same (sector, fuel) in one record', json(f), 1, [err('/records/0/energy/3', 'rule:unique-energy-item')]];
    })(),
    (() => {
        const f = small('environment', '2024-06', ['430104011', '430104012']);
        const dc = f.records[0].dataCentres[0];
        [dc.itMwh, dc.totalMwh] = [dc.totalMwh, dc.itMwh];
        return ['pue-below-one', '`itMwh` and `totalMwh` swapped (totalMwh < itMwh)', json(f), 1, [err('/records/0/dataCentres/0/totalMwh', 'rule:pue-at-least-1')]];
    })(),
    (() => {
        const f = small('power-grid', '2024-06', ['430104011', '430104017']);
        f.records[0].pvPublicBuildingsInstalledKw = round(f.records[0].pvInstalledKw + 350, 1);
        return ['pv-public-exceeds-total', 'PV on public buildings above all PV', json(f), 1, [err('/records/0/pvPublicBuildingsInstalledKw', 'rule:pv-public-le-total')]];
    })(),
    (() => {
        const f = small('environment', '2024-12', ['430104010', '430104011']);
        f.records[0].buildings.newGreenCompliant = f.records[0].buildings.newCivilBuildings + 2;
        return ['green-exceeds-new', 'more green-compliant new buildings than new buildings', json(f), 1, [err('/records/0/buildings/newGreenCompliant', 'rule:green-le-new')]];
    })(),
    (() => {
        const f = small('environment', '2024-12', ['430104010', '430104011']);
        f.records[1].buildings.publicBuildingsWithPv = f.records[1].buildings.publicBuildingsEligibleForPv + 3;
        return ['pv-buildings-exceed-eligible', 'more public buildings with PV than eligible ones', json(f), 1, [err('/records/1/buildings/publicBuildingsWithPv', 'rule:pv-buildings-le-eligible')]];
    })(),
    (() => {
        const f = small('environment', '2024-06', ['430104011', '430104012']);
        delete f.records[0].buildings.publicBuildingsEligibleForPv;
        return ['incomplete-buildings', '`buildings` present without `publicBuildingsEligibleForPv`', json(f), 1, [err('/records/0/buildings', 'required')]];
    })(),
    (() => {
        const f = small('transport', '2024-06', ['430104001', '430104002']);
        f.records[0].vehicles[4].category = 'taxi';
        return ['duplicate-vehicle-category', 'two `taxi` items in one record', json(f), 1, [err('/records/0/vehicles/4/category', 'rule:unique-vehicle-category')]];
    })(),
    (() => {
        const f = small('environment', '2024-06', ['430104011', '430104012']);
        f.records[0].dataCentres[1].id = f.records[0].dataCentres[0].id;
        return ['duplicate-data-centre-id', 'two data centres with the same id in one record', json(f), 1, [err('/records/0/dataCentres/1/id', 'rule:unique-data-centre')]];
    })(),
    (() => {
        const f = small('power-grid', '2025-03', ['430104001', '430104002']);
        f.producedAt = '2025-02-26T10:00:00+08:00';
        return ['produced-before-period', '`producedAt` before the month it reports on has started', json(f), 1, [err('/producedAt', 'rule:produced-before-period')]];
    })(),
    (() => {
        const f = small('statistics', '2024-Q1', ['430104010', '430104011']);
        // The first gdp10kCny is in 亿元 (10^8 CNY), the second in 万元: the parser must not keep either silently.
        const { areaCode, gdp10kCny, ...rest } = f.records[0];
        f.records[0] = { areaCode, gdp10kCny: round(gdp10kCny / 10000), '@@dup@@': gdp10kCny, ...rest };
        const text = jsonWithRaw(f, '@@dup@@', '"gdp10kCny"');
        return ['duplicate-json-property', '`gdp10kCny` twice in one record', text, 2, [err('/records/0/gdp10kCny', 'parse:duplicate-property')]];
    })(),
    (() => {
        const f = small('transport', '2024-06', ['430104001', '430104002', '430104003']);
        const text = json(f);
        return ['malformed-json', 'the upload was cut off in the middle of a record', text.slice(0, Math.floor(text.length * 0.6)), 2, [err('', 'parse:invalid-json')]];
    })(),
    (() => {
        const f = small('power-grid', '2024-06', ['430104001', '430104002']);
        f.records[1].consumption[0].mwh = '@@big@@';
        return ['number-out-of-range', '`1e400` (not a finite double)', jsonWithRaw(f, '@@big@@', '1e400'), 2, [err('/records/1/consumption/0/mwh', 'parse:number-out-of-range')]];
    })(),
    (() => {
        const f = small('environment', '2024-06', ['430104011', '430104012']);
        f.records[0].dataCentres[0].name = '@@gbk@@';
        const [before, after] = json(f).split('@@gbk@@');
        // "麓谷数据中心" encoded in GBK: the file was exported with a Chinese legacy code page.
        const gbk = Buffer.from([0xc2, 0xb4, 0xb9, 0xc8, 0xca, 0xfd, 0xbe, 0xdd, 0xd6, 0xd0, 0xd0, 0xc4]);
        return ['invalid-utf8', 'a data-centre name in GBK bytes, not UTF-8', Buffer.concat([Buffer.from(before), gbk, Buffer.from(after)]), 2, [err('', 'parse:invalid-utf8')]];
    })(),
    (() => {
        const f = small('power-grid', '2024-06', ['430104001', '430104002']);
        return ['not-an-object', 'the records array sent without its envelope', json(f.records), 2, [err('', 'parse:not-an-object')]];
    })(),
    // Contract 1.1 rules: each new field's check, named by its JSON Pointer.
    (() => {
        const f = small('statistics', '2024-Q2', ['430112008', '430104010']);
        f.records[0].feedstockTce = round(f.records[0].feedstockTce * 20);
        return ['feedstock-exceeds-fuels', '`feedstockTce` above the record\'s fuels other than heat and electricity (feedstock is part of them)', json(f), 1,
            [err('/records/0/feedstockTce', 'rule:feedstock-le-fuels')]];
    })(),
    (() => {
        const f = small('statistics', '2024-Q2', ['430104010', '430104011']);
        f.benchmarks = { changshaCarbonIntensityChangeVs2020Pct: -16.8 };
        return ['benchmarks-on-a-quarter', 'Changsha\'s benchmark sent with a quarterly feed (annual feeds only)', json(f), 1, [err('/benchmarks', 'rule:benchmarks-annual-only')]];
    })(),
    (() => {
        const f = small('transport', '2024-06', ['430104001', '430104002']);
        const r = f.records[1].newRegistrations[0];
        r.bev = r.total + 3;
        return ['registrations-exceed-total', 'more battery, fuel-cell and plug-in registrations than vehicles registered', json(f), 1,
            [err('/records/1/newRegistrations/0', 'rule:registrations-le-total')]];
    })(),
    (() => {
        const f = small('environment', '2024-06', ['430104010', '430104011']);
        const b = f.records[0].buildings;
        b.newCivilFloorArea10kM2 = 2.5;
        b.newGreenFloorArea10kM2 = 3.1;
        return ['green-floor-area-exceeds-civil', 'more green floor area than new civil floor area', json(f), 1, [err('/records/0/buildings', 'rule:green-floor-area-le-civil')]];
    })(),
    (() => {
        const f = small('power-grid', '2024-06', ['430104001', '430104002']);
        f.schemaVersion = '1.0';
        return ['field-of-1.1-in-a-1.0-feed', 'a feed declaring 1.0 that carries the 1.1 `gridNonFossilSharePct` (validated against the version it declares)', json(f), 1,
            [err('/gridNonFossilSharePct', 'additionalProperties')]];
    })(),
];

// ------------------------------------------------------------------------------------ write

function write(relativePath, content) {
    const path = join(OUT_DIR, relativePath);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
}

function writeFeed(f) {
    write(join(f.period.slice(0, 4), `${f.source}-${f.period}-r${f.revision}.json`), json(f));
}

for (const dir of ['2020', '2024', '2025', 'invalid']) rmSync(join(OUT_DIR, dir), { recursive: true, force: true });

let count = 0;
for (const year of [2020, 2024, 2025]) {
    const months = year === 2025 ? range(1, 9) : range(1, 12);
    const quarters = months.filter((m) => m % 3 === 0).map(quarterOf);
    if (year !== 2025) {
        writeFeed(statisticsFeed(year, null));
        count++;
    }
    for (const q of quarters) {
        const f = statisticsFeed(year, q);
        if (year === 2024 && q === 4) {
            writeFeed(statisticsPreliminary(f));
            writeFeed({ ...f, revision: 1, producedAt: producedAt('statistics', f.period, 1) });
            count += 2;
        } else {
            writeFeed(f);
            count++;
        }
    }
    for (const m of months) {
        const grid = powerGridFeed(year, m);
        if (year === 2025 && m === 3) {
            writeFeed(powerGridMissingReadings(grid));
            writeFeed({ ...grid, revision: 1, producedAt: producedAt('power-grid', grid.period, 1) });
            count += 2;
        } else {
            writeFeed(grid);
            count++;
        }
        writeFeed(transportFeed(year, m));
        writeFeed(environmentFeed(year, m));
        count += 2;
    }
}

for (const [name, , content, exitCode, errors] of INVALID_CASES) {
    write(join('invalid', `${name}.json`), content);
    write(join('invalid', `${name}.expected.json`), json({ exitCode, errors }));
}

console.log(`wrote ${count} feeds and ${INVALID_CASES.length} invalid cases under ${OUT_DIR.split(/[\\/]/).slice(-2).join('/')}`);
if (process.argv.includes('--cases')) {
    for (const [name, what, , exitCode, errors] of INVALID_CASES) {
        console.log(`| \`${name}\` | ${what} | ${exitCode} | ${errors.map((e) => `\`${e.keyword}\` at \`${e.instanceLocation || '""'}\``).join(', ')} |`);
    }
}
