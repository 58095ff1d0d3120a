// The data-set dashboard: the current data set of a period and area, its key indicators over every published period
// of the same kind against the plan's targets, the target table, quality flags and gaps. It reads the public query
// API only, and polls it with If-None-Match so a new version shows up within one poll. Areas are named from the hub's
// reference data (GET areas); the page's own words come in Chinese first (English beside them) or in English.
'use strict';

(() => {
  const { el, svg, request, errorBlock, show, formatTime, formatNumber, listOf } = Hub;

  const POLL_MS = 10000;
  const ROOT_AREA = 'XJNA';
  const LANG_KEY = 'integrationhub.dashboard.lang';

  // The page's own words: [English, Chinese]; a function takes the values it names.
  const TEXT = {
    title: ['Dual-carbon dashboard', '双碳数据看板'],
    heading: ['Xiangjiang New Area · Dual-carbon dashboard', '湘江新区双碳数据看板'],
    periodKind: ['Period kind', '周期类型'],
    quarter: ['Quarter', '季度'],
    year: ['Year', '年度'],
    period: ['Period', '周期'],
    area: ['Area', '区域'],
    version: ['version', '版本'],
    generated: ['generated', '生成于'],
    inputs: [(n) => `${n} input feeds`, (n) => `输入数据 ${n} 份`],
    overTime: ['Over time', '历年趋势'],
    targets: ['Plan targets', '规划目标'],
    targetsArea: [(a) => `${a}, this period`, (a) => `${a}，本期`],
    target: ['Target', '目标'],
    indicator: ['Indicator', '指标'],
    supply: ['Supply calendar', '报送日历'],
    supplyNote: [(n) => `each source's last ${n} periods; due days in China time; a cell's title lists its feeds`,
      (n) => `各来源最近 ${n} 个报告期；报送期限为北京时间；悬停查看报送记录`],
    source: ['Source', '来源'],
    periods: ['Periods', '报告期'],
    month: ['Month', '月度'],
    revisions: ['Revisions and late feeds', '修订与逾期记录'],
    noRevisions: ['No revised or late feed yet.', '尚无修订或逾期报送。'],
    dueByHeader: ['Due by', '报送期限'],
    dueBy: [(d) => `due by ${d}`, (d) => `${d}前报送`],
    feeds: ['Feeds received', '已收数据'],
    readingSupply: ['Reading the supply calendar', '读取报送日历'],
    rule: ['Rule', '规则'],
    basis: ['Basis', '评价口径'],
    requiredNow: ['Required now', '当前应达'],
    actual: ['Actual', '实际'],
    status: ['Status', '状态'],
    bySector: ['By sector', '分行业'],
    sectorBasis: ["energy with electricity at the year's coal equivalent of generation", '电力按当年火电供电煤耗折标准煤'],
    sector: ['Sector', '行业'],
    energyTce: ['Energy (tce)', '能耗（吨标准煤）'],
    energyShare: ['Share of energy', '能耗占比'],
    co2t: ['CO₂ (t)', '二氧化碳（吨）'],
    qualityFlags: ['Quality flags', '数据质量'],
    whatIsMissing: ['What is missing', '缺失内容'],
    allIndicators: ['All indicators', '全部指标'],
    id: ['Id', '指标代码'],
    value: ['Value', '数值'],
    unit: ['Unit', '单位'],
    quality: ['Quality', '质量'],
    loading: ['Loading…', '加载中…'],
    checked: [(p, t, s) => `${p} · checked ${t} (every ${s} s)`, (p, t, s) => `${p} · ${t} 已检查（每 ${s} 秒）`],
    noDatasetChecked: [(t) => `No data set yet · checked ${t}`, (t) => `尚无数据集 · ${t} 已检查`],
    latest: ['(latest)', '（最新）'],
    chartsNote: [(k, a) => `${k === 'year' ? 'years' : 'quarters'} by time, gaps where no data set is published · ${a}`,
      (k, a) => `按时间排列的${k === 'year' ? '年度' : '季度'}，未发布数据集的时段留空 · ${a}`],
    chartsNoteArea: [' · plan target lines apply to the whole New Area and are shown for it only', ' · 规划目标线适用于全新区，仅在全新区显示'],
    byDeadline: [(d) => `by ${d}`, (d) => `${d}前`],
    striveFor: ['strive for (not binding)', '力争（非约束性）'],
    noTargets: ['This data set has no targets.', '本数据集没有规划目标。'],
    noSectors: [(a) => `No sector figures for ${a} in this data set (they need the statistics feed).`, (a) => `本数据集中没有${a}的分行业数据（需要统计局数据）。`],
    datasetIs: ['Data set', '数据集'],
    everySource: ['every source covers the period', '各数据源均已覆盖本期'],
    someMissing: ['some sources or months have not arrived', '部分数据源或月份尚未到达'],
    allComplete: [(a) => `Every indicator of ${a} is complete.`, (a) => `${a}的全部指标完整。`],
    noFigures: [(a) => `${a} has no figures in this data set.`, (a) => `本数据集中没有${a}的数据。`],
    warnings: [(n, c) => `Warnings (${n}, ${c} kinds)`, (n, c) => `警告（${n} 条，${c} 类）`],
    warningAreas: [(n) => `${n} areas`, (n) => `${n} 个区域`],
    noWarnings: ['No quality warnings.', '无质量警告。'],
    nothingMissing: ['Nothing is missing.', '无缺失内容。'],
    feedsMissing: [(n) => `Feeds not received (${n})`, (n) => `未收到的数据（${n}）`],
    indicatorsLeftOut: [(a, n) => `Indicators left out for ${a} (${n})`, (a, n) => `${a}未计算的指标（${n}）`],
    noIndicators: [(a) => `No indicator for ${a} in this data set.`, (a) => `本数据集中没有${a}的指标。`],
    notIn: [(p) => `not in ${p}`, (p) => `${p}无此指标`],
    noDataYet: ['No data for this area yet', '该区域暂无数据'],
    legendActual: ['actual', '实际值'],
    legendTarget: ['plan target', '规划目标'],
    legendRequired: ['required on the linear path', '线性路径应达值'],
    legendGap: ['no data set', '无数据集'],
    statusBasis: [(b) => `status: ${b}`, (b) => `状态依据：${b}`],
    notAssessed: ['not assessed on this period', '本期不评价'],
    gap: [(from, to) => `${from === to ? from : `${from} – ${to}`}: no data set published`, (from, to) => `${from === to ? from : `${from} – ${to}`}：未发布数据集`],
    readingEarlier: ['Reading earlier periods', '读取往期数据'],
    loadingDataset: ['Loading the data set', '加载数据集'],
    refreshing: ['Refreshing (the last data shown stays)', '刷新（保留上次显示的数据）'],
    readingAreas: ['Reading the area names (codes are shown instead)', '读取区域名称（暂以代码显示）'],
    noneYet: ['No data set has been published yet', '尚未发布任何数据集'],
    checksAgain: [(s) => `The dashboard checks again every ${s} s.`, (s) => `看板每 ${s} 秒重新检查一次。`],
    notPublished: [(p) => `No data set is published for ${p}`, (p) => `${p}没有已发布的数据集`],
    showingLatest: [(k) => `Showing the latest ${k} instead.`, (k) => `改为显示最新的${k === 'year' ? '年度' : '季度'}。`],
    switchTo: ['中文', 'English'],
    switchTitle: ['显示中文（英文在旁）', 'Show the page in English'],
  };

  // What a target's status is judged on (the contract's basis): the words a reader needs next to the colour.
  const BASES = {
    'annual-path': ['this period against the linear path to 2025', '本期对照至2025年目标的线性路径'],
    'ytd-yoy': ['early warning: year to date against the same months of last year, at the annual rate the target needs',
      '预警：年初至今与上年同期相比，按目标所需的年均降幅'],
    proxy: ['proxy: the national −18 % carbon-intensity path (no Changsha figure for the year)', '替代口径：全国单位GDP碳排放下降18%的路径（本年无长沙数据）'],
  };

  /** The language of the page's own words: 'zh' (Chinese first, English beside it; the default) or 'en'. */
  let lang = 'zh';
  try {
    if (localStorage.getItem(LANG_KEY) === 'en') lang = 'en';
  } catch {
    // Storage refused (a locked-down profile): Chinese first, not remembered.
  }

  const pick = (pair, args) => (typeof pair === 'function' ? pair(...args) : pair);
  /** The text in the page's language, as a string (for options, titles and attributes). */
  const T = (key, ...args) => pick(TEXT[key][lang === 'zh' ? 1 : 0], args);
  /** The text as nodes: Chinese with the English beside it in Chinese-first mode, English alone otherwise. */
  const B = (key, ...args) => bilingual(pick(TEXT[key][0], args), pick(TEXT[key][1], args));
  const bilingual = (en, zh) => (lang === 'zh' ? [zh, ' ', el('span', { class: 'alt', lang: 'en' }, en)] : [en]);

  // Display names; the ids and units are the data-set contract's.
  const INDICATORS = {
    'energy.totalTce': ['Total energy use', '能源消费总量'],
    'energy.intensity': ['Energy intensity', '单位GDP能耗'],
    'energy.intensityChangeVs2020Pct': ['Energy intensity vs 2020', '单位GDP能耗较2020年'],
    'energy.nonFossilSharePct': ['Non-fossil share of energy', '非化石能源消费比重'],
    'energy.nonFossilTce': ['Non-fossil energy', '非化石能源消费量'],
    'power.gridNonFossilSharePct': ['Grid non-fossil share', '电网非化石电量占比'],
    'energy.feedstockTce': ['Energy used as feedstock', '原料用能'],
    'energy.assessedTce': ['Assessed energy use', '考核能耗（扣除非化石与原料）'],
    'energy.assessedIntensity': ['Assessed energy intensity', '考核口径单位GDP能耗'],
    'energy.assessedIntensityChangeVs2020Pct': ['Assessed energy intensity vs 2020', '考核口径能耗强度较2020年'],
    'energy.electricityShareOfFinalPct': ['Electricity share of final energy', '电能占终端能源消费比重'],
    'energy.coalSharePct': ['Coal share of energy', '煤炭消费比重'],
    'carbon.electricityMarketTco2': ['CO₂ from electricity, market-based', '电力排放（市场法）'],
    'power.greenPowerTradedMwh': ['Green power traded', '绿电交易量'],
    'power.demandResponseEvents': ['Demand-response events', '需求响应次数'],
    'power.demandResponseCurtailedMwh': ['Demand response curtailed', '需求响应削减电量'],
    'carbon.directTco2': ['Direct CO₂', '直接排放'],
    'carbon.electricityTco2': ['CO₂ from electricity', '电力间接排放'],
    'carbon.heatTco2': ['CO₂ from heat', '热力间接排放'],
    'carbon.totalTco2': ['Total CO₂', '碳排放总量'],
    'carbon.netTco2': ['Net CO₂', '净碳排放'],
    'carbon.intensity': ['Carbon intensity', '单位GDP碳排放'],
    'carbon.intensityChangeVs2020Pct': ['Carbon intensity vs 2020', '单位GDP碳排放较2020年'],
    'power.consumptionMwh': ['Electricity use', '全社会用电量'],
    'power.pvInstalledKw': ['Distributed PV installed', '分布式光伏装机'],
    'power.pvGenerationMwh': ['PV generation', '光伏发电量'],
    'power.pvPublicBuildingsSharePct': ['Public buildings with PV', '公共建筑光伏覆盖率'],
    'transport.nevSharePct': ['NEV share of the fleet', '新能源汽车占比'],
    'transport.publicSectorNevSharePct': ['NEV share of public fleets', '公共领域新能源汽车占比'],
    'transport.chargingCoveragePct': ['Public parking with chargers', '公共停车位充电设施比例'],
    'transport.roadFuelTco2': ['Road fuel CO₂', '道路燃油碳排放'],
    'dc.count': ['Data centres', '数据中心数量'],
    'dc.pueMax': ['Highest data-centre PUE', '数据中心最高PUE'],
    'dc.nonCompliantNew': ['New data centres over PUE 1.3', 'PUE超1.3的新建数据中心'],
    'dc.nonCompliantExisting': ['Existing data centres over PUE 1.5', 'PUE超1.5的存量数据中心'],
    'buildings.newGreenCompliancePct': ['New buildings meeting the green standard', '新建绿色建筑达标率'],
    'buildings.newGreenFloorAreaPct': ['Green share of new floor area', '新建绿色建筑面积占比'],
    'transport.publicSectorNewZeroEmissionPct': ['Zero-emission share of new public-sector vehicles', '公共领域新增车辆零排放比例'],
    'transport.transitBoardings10k': ['Transit boardings', '公共交通客运量'],
    'env.aqiMean': ['Mean AQI', 'AQI均值'],
    'env.pm25UgM3': ['PM2.5', 'PM2.5浓度'],
    'env.goodDayRatioPct': ['Good-air days', '空气优良天数比例'],
    'env.carbonSinkTco2': ['Carbon sink', '碳汇量'],
  };

  // The charts, in order: the plan's key indicators.
  const CHARTS = [
    'energy.assessedIntensity', 'energy.assessedIntensityChangeVs2020Pct', 'carbon.intensity', 'carbon.intensityChangeVs2020Pct',
    'energy.nonFossilSharePct', 'power.gridNonFossilSharePct', 'power.pvInstalledKw', 'transport.chargingCoveragePct', 'transport.nevSharePct',
  ];

  // The sector breakdown (data set 2.0): energy on the coal-equivalent basis and CO2, per sector.
  const SECTORS = [
    ['industry', 'Industry', '工业'], ['construction', 'Construction', '建筑业'], ['transport', 'Transport', '交通运输'],
    ['commercial', 'Commercial and services', '商业服务'], ['residential', 'Residential', '居民生活'], ['agriculture', 'Agriculture', '农业'],
  ];

  const basisNodes = (t) => (t.basis && BASES[t.basis] ? bilingual(...BASES[t.basis]) : t.basis ? [t.basis] : B('notAssessed'));
  const basisText = (t) => (t.basis && BASES[t.basis] ? BASES[t.basis][lang === 'zh' ? 1 : 0] : t.basis || T('notAssessed'));
  // Only a target judged on the charted figure itself draws its lines on the chart; an early warning compares a
  // year-to-date change on the previous year, another quantity.
  const drawsLines = (t) => t && (t.basis === 'annual-path' || t.basis === 'proxy');

  const COMPARATORS = { '<=': '≤', '>=': '≥', '<': '<', '>': '>', '=': '=', '==': '=' };

  const $ = (id) => document.getElementById(id);
  const message = $('message');

  const state = {
    list: [], // [{period, kind, latestVersion, url}] in period order
    listEtag: null,
    kind: 'quarter',
    period: null,
    area: ROOT_AREA,
    follow: true, // show the latest period of the kind, and move on when a newer one is published
    doc: null,
    docEtag: null,
    history: new Map(), // `${period}/v${version}/${area}` -> filtered document
    checkedAt: null,
    areas: null, // code -> {code, nameZh, nameEn, kind, parent, overlay, order}, from GET areas; null until read
    areasError: null,
    supply: null, // GET supply: {timeZone, agreement, rules, counts, cells}
    supplyEtag: null,
  };

  // Indicator names: the page's language first, the other one below it.
  const label = (id) => (INDICATORS[id] ? INDICATORS[id][lang === 'zh' ? 1 : 0] : id);
  const labelOther = (id) => (INDICATORS[id] ? INDICATORS[id][lang === 'zh' ? 0 : 1] : '');
  /** An area as people know it: its Chinese name (and English one in English mode), the code last. */
  const areaName = (code) => {
    const area = state.areas && state.areas.get(code);
    if (!area) return code;
    return lang === 'zh' ? `${area.nameZh} · ${code}` : `${area.nameZh} ${area.nameEn} · ${code}`;
  };
  const areaDepth = (code) => {
    let depth = 0;
    for (let a = state.areas && state.areas.get(code); a && a.parent && depth < 10; a = state.areas.get(a.parent)) depth += 1;
    return depth;
  };
  const areaOrder = (code) => (state.areas && state.areas.has(code) ? state.areas.get(code).order : Number.MAX_SAFE_INTEGER);
  const periodsOfKind = () => state.list.filter((p) => p.kind === state.kind);
  const areaOf = (doc, code) => (doc && Array.isArray(doc.areas) ? doc.areas.find((a) => a.areaCode === code) : null);
  const indicatorOf = (doc, code, id) => {
    const area = areaOf(doc, code);
    return area && area.indicators ? area.indicators[id] || null : null;
  };
  const targetsOf = (doc) => (doc && Array.isArray(doc.targets) ? doc.targets : []);

  /** A period's place on the time axis, in its own unit: years for `YYYY`, quarters for `YYYY-Qn`. */
  const ordinal = (period) => {
    const m = /^(\d{4})(?:-Q([1-4]))?$/.exec(period || '');
    if (!m) return null;
    return m[2] ? Number(m[1]) * 4 + Number(m[2]) - 1 : Number(m[1]);
  };
  const periodAt = (ord, kind) => (kind === 'year' ? String(ord) : `${Math.floor(ord / 4)}-Q${(ord % 4) + 1}`);

  // ---- language ---------------------------------------------------------------------------------------------

  /** Fills the page's fixed words (data-text) and the switch in the chosen language. */
  function applyLanguage() {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    for (const node of document.querySelectorAll('[data-text]')) {
      const [en, zh] = TEXT[node.dataset.text];
      // An option holds text only: both languages on one line.
      if (node.tagName === 'OPTION') node.textContent = lang === 'zh' ? `${zh} ${en}` : en;
      else node.replaceChildren(...bilingual(en, zh));
    }
    const button = $('lang');
    button.textContent = T('switchTo');
    button.lang = lang === 'zh' ? 'en' : 'zh-CN';
    button.title = T('switchTitle');
    button.dataset.lang = lang;
    document.title = `${T('title')} · IntegrationHub`;
  }

  $('lang').addEventListener('click', () => {
    lang = lang === 'zh' ? 'en' : 'zh';
    try {
      localStorage.setItem(LANG_KEY, lang);
    } catch {
      // Not remembered; the switch still holds for this page.
    }
    applyLanguage();
    render();
    renderSupply();
  });

  // ---- loading ----------------------------------------------------------------------------------------------

  /** The areas' names, from the hub's reference data; without them the page shows codes. */
  async function loadAreas() {
    const body = (await request('areas')).body;
    const areas = new Map();
    listOf(body, 'areas').forEach((a, order) => areas.set(a.code, { ...a, order }));
    state.areas = areas;
  }

  async function loadList(conditional) {
    const answer = await request('datasets', conditional && state.listEtag ? { headers: { 'If-None-Match': state.listEtag } } : {});
    if (answer.status === 304) return false;
    state.list = listOf(answer.body);
    state.listEtag = answer.etag;
    return true;
  }

  async function loadCurrent(conditional) {
    const options = conditional && state.docEtag ? { headers: { 'If-None-Match': state.docEtag } } : {};
    const answer = await request(`datasets/${encodeURIComponent(state.period)}`, options);
    state.checkedAt = new Date();
    if (answer.status === 304) return false;
    const changed = !state.doc || state.doc.period !== answer.body.period || state.doc.version !== answer.body.version;
    state.doc = answer.body;
    state.docEtag = answer.etag;
    return changed;
  }

  /** Every published period of the kind, for the area and the charted indicators (versions are immutable: cached). */
  async function loadHistory() {
    const indicators = CHARTS.join(',');
    const periods = periodsOfKind();
    const docs = await Promise.all(periods.map(async (p) => {
      if (state.doc && p.period === state.doc.period && p.latestVersion <= state.doc.version) return state.doc;
      const key = `${p.period}/v${p.latestVersion}/${state.area}`;
      if (!state.history.has(key)) {
        const url = `datasets/${encodeURIComponent(p.period)}/versions/${p.latestVersion}?area=${encodeURIComponent(state.area)}&indicator=${encodeURIComponent(indicators)}`;
        try {
          // Versions never change: let the browser's cache keep them (the API marks them immutable).
          state.history.set(key, (await request(url, { cache: 'default' })).body);
        } catch {
          // A period the area has no figures in, or a version withdrawn from the list meanwhile: a gap in the chart.
          return { period: p.period, areas: [], targets: [] };
        }
      }
      return state.history.get(key);
    }));
    return docs;
  }

  // ---- choosing ---------------------------------------------------------------------------------------------

  function readLocation() {
    const query = new URLSearchParams(location.search);
    if (query.get('kind') === 'year' || query.get('kind') === 'quarter') state.kind = query.get('kind');
    if (query.get('area')) state.area = query.get('area');
    if (query.get('period')) {
      state.period = query.get('period');
      state.follow = false;
    }
  }

  function writeLocation() {
    const query = new URLSearchParams({ kind: state.kind, area: state.area });
    if (!state.follow && state.period) query.set('period', state.period);
    history.replaceState(null, '', `${location.pathname}?${query}`);
  }

  /** Keeps the choice valid for the list: a known period of the kind, the latest one when following. */
  function settlePeriod() {
    if (!state.list.some((p) => p.kind === state.kind) && state.list.length) {
      state.kind = state.list.some((p) => p.kind === 'quarter') ? 'quarter' : state.list[state.list.length - 1].kind;
    }
    const periods = periodsOfKind();
    const known = periods.some((p) => p.period === state.period);
    if (state.follow || !known) {
      if (!known && !state.follow && state.period) {
        show(message, errorBlock(new Hub.HubError(404, { detail: T('showingLatest', state.kind) }, T('notPublished', state.period))));
      }
      state.follow = true;
      state.period = periods.length ? periods[periods.length - 1].period : null;
    }
  }

  function fillSelectors() {
    $('kind').value = state.kind;
    const periods = periodsOfKind().slice().reverse();
    $('period').replaceChildren(...periods.map((p, i) => el('option', { value: p.period },
      `${p.period}${i === 0 ? ` ${T('latest')}` : ''} · v${p.latestVersion}`)));
    $('period').value = state.period || '';
    // The data set's areas in the reference data's order, each under its parent (an option holds text only: indent).
    const codes = state.doc && Array.isArray(state.doc.areas) ? state.doc.areas.map((a) => a.areaCode) : [ROOT_AREA];
    if (!codes.includes(state.area)) codes.unshift(state.area);
    codes.sort((a, b) => areaOrder(a) - areaOrder(b));
    $('area').replaceChildren(...codes.map((code) => el('option', { value: code }, '\u3000'.repeat(areaDepth(code)) + areaName(code))));
    $('area').value = state.area;
  }

  $('kind').addEventListener('change', () => {
    state.kind = $('kind').value;
    state.follow = true;
    refreshAll();
  });
  $('period').addEventListener('change', () => {
    state.period = $('period').value;
    const periods = periodsOfKind();
    state.follow = periods.length > 0 && periods[periods.length - 1].period === state.period;
    refreshAll();
  });
  $('area').addEventListener('change', () => {
    state.area = $('area').value;
    writeLocation();
    render();
  });
  $('controls').addEventListener('submit', (event) => event.preventDefault());

  // ---- rendering --------------------------------------------------------------------------------------------

  async function render() {
    writeLocation();
    fillSelectors();
    const doc = state.doc;
    const has = Boolean(doc);
    for (const id of ['summary', 'charts-section', 'targets-section', 'sectors-section', 'quality-section', 'figures-section']) $(id).hidden = !has;
    renderFreshness();
    if (!has) return;
    document.title = `${doc.period} v${doc.version} · ${T('title')}`;
    $('ds-title').textContent = `${doc.period} · ${areaName(state.area)}`;
    $('ds-version').textContent = String(doc.version);
    $('ds-status').replaceChildren(el('span', { class: ['badge', doc.status] }, doc.status));
    $('ds-generated').textContent = formatTime(doc.generatedAt);
    $('ds-inputs').textContent = T('inputs', Array.isArray(doc.inputs) ? doc.inputs.length : 0);
    renderTargets(doc);
    renderSectors(doc);
    renderQuality(doc);
    renderFigures(doc);
    const renderedFor = `${doc.period}/v${doc.version}/${state.area}/${lang}`;
    let series;
    try {
      series = await loadHistory();
    } catch (err) {
      show(message, errorBlock(err, T('readingEarlier')));
      series = [doc];
    }
    if (!state.doc || `${state.doc.period}/v${state.doc.version}/${state.area}/${lang}` !== renderedFor) return; // a newer render is on its way
    renderCharts(series);
  }

  function renderFreshness() {
    const doc = state.doc;
    const checked = state.checkedAt ? state.checkedAt.toLocaleTimeString() : '–';
    $('freshness').textContent = doc ? T('checked', `${doc.period} v${doc.version}`, checked, POLL_MS / 1000) : T('noDatasetChecked', checked);
  }

  function renderTargets(doc) {
    $('targets-area').textContent = T('targetsArea', areaName(ROOT_AREA));
    const rows = targetsOf(doc).map((t) => el('tr', { dataset: { targetId: t.id, indicator: t.indicator } },
      el('td', { title: t.description || '' }, el('div', { class: 'mono small' }, t.id), el('div', { class: 'small muted' }, t.description || '')),
      el('td', {}, label(t.indicator), el('div', { class: 'small muted' }, labelOther(t.indicator))),
      el('td', { class: 'small' }, `${COMPARATORS[t.comparator] || t.comparator} ${t.threshold === null || t.threshold === undefined ? '–' : formatNumber(t.threshold)} ${T('byDeadline', t.deadline)}`,
        t.binding === false ? el('div', { class: 'muted' }, B('striveFor')) : null),
      el('td', { class: 'small basis', dataset: { basis: t.basis || 'none' } }, el('span', { class: 'mono' }, t.basis || '–'), el('div', { class: 'muted' }, basisNodes(t))),
      el('td', { class: 'num' }, formatNumber(t.required)),
      el('td', { class: 'num' }, formatNumber(t.actual)),
      el('td', {}, el('span', { class: ['badge', t.status], dataset: { status: t.status } }, t.status))));
    $('targets').tBodies[0].replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: 7, class: 'empty' }, B('noTargets')))]));
  }

  function renderSectors(doc) {
    const area = areaOf(doc, state.area);
    const value = (id) => (area && area.indicators && area.indicators[id] ? area.indicators[id].value : null);
    const rows = SECTORS
      .map(([sector, name, zh]) => ({ sector, name, zh, tce: value(`energy.sector.${sector}Tce`), tco2: value(`carbon.sector.${sector}Tco2`) }))
      .filter((r) => r.tce !== null || r.tco2 !== null);
    const total = value('energy.totalTce');
    $('sectors-area').textContent = areaName(state.area);
    $('sectors').tBodies[0].replaceChildren(...(rows.length
      ? rows.map((r) => el('tr', { dataset: { sector: r.sector } },
        el('td', {}, lang === 'zh' ? r.zh : r.name, el('div', { class: 'small muted' }, lang === 'zh' ? r.name : r.zh)),
        el('td', { class: 'num', dataset: { value: String(r.tce) } }, formatNumber(r.tce)),
        el('td', { class: 'num' }, r.tce !== null && total ? `${formatNumber((r.tce / total) * 100)} %` : '–'),
        el('td', { class: 'num', dataset: { value: String(r.tco2) } }, formatNumber(r.tco2))))
      : [el('tr', {}, el('td', { colspan: 4, class: 'empty' }, B('noSectors', areaName(state.area))))]));
  }

  /**
   * The data set's warnings, one expandable group per code (a year repeats the same warning for every area and
   * month): the code, how many, over how many areas, one example; opened, every warning with its area's name.
   * The chosen area's warnings come first in each group.
   */
  function warningGroups(warnings) {
    const groups = new Map();
    for (const w of warnings) {
      if (!groups.has(w.code)) groups.set(w.code, []);
      groups.get(w.code).push(w);
    }
    const ordered = [...groups.entries()].sort((a, b) => b[1].length - a[1].length || String(a[0]).localeCompare(String(b[0])));
    return el('div', { id: 'warnings' }, ordered.map(([code, list]) => {
      const sorted = list.slice().sort((a, b) => Number(b.areaCode === state.area) - Number(a.areaCode === state.area));
      const areas = new Set(list.map((w) => w.areaCode).filter(Boolean));
      return el('details', { class: 'warning-group', dataset: { code, count: String(list.length) } },
        el('summary', {},
          el('span', { class: 'mono' }, code), ' ', el('span', { class: 'count' }, `× ${list.length}`),
          areas.size ? el('span', { class: 'small muted' }, ` · ${T('warningAreas', areas.size)}`) : null,
          el('div', { class: 'small muted example' }, sorted[0].message)),
        el('ul', {}, sorted.map((w) => el('li', { class: 'small', dataset: { area: w.areaCode || '' } },
          w.areaCode ? el('span', { class: 'area' }, areaName(w.areaCode)) : '', w.indicator ? ` · ${label(w.indicator)}` : '', ': ', w.message))));
    }));
  }

  function renderQuality(doc) {
    const area = areaOf(doc, state.area);
    const flagged = area ? Object.entries(area.indicators || {}).filter(([, v]) => v.quality && v.quality !== 'complete') : [];
    const warnings = Array.isArray(doc.warnings) ? doc.warnings : [];
    const codes = new Set(warnings.map((w) => w.code)).size;
    $('quality').replaceChildren(
      el('p', {}, B('datasetIs'), ' ', el('span', { class: ['badge', doc.status] }, doc.status), ' ',
        el('span', { class: 'small muted' }, B(doc.status === 'complete' ? 'everySource' : 'someMissing'))),
      flagged.length
        ? el('ul', { id: 'quality-flags' }, flagged.map(([id, v]) => el('li', {}, el('span', { class: ['badge', v.quality] }, v.quality), ' ', label(id), ' ', el('span', { class: 'mono small muted' }, id))))
        : el('p', { class: 'small' }, area ? B('allComplete', areaName(state.area)) : B('noFigures', areaName(state.area))),
      el('h3', { id: 'warnings-heading' }, B('warnings', warnings.length, codes)),
      warnings.length ? warningGroups(warnings) : el('p', { class: 'small muted' }, B('noWarnings')));
    const missing = Array.isArray(doc.missing) ? doc.missing : [];
    const feeds = missing.filter((m) => m.includes(':'));
    const indicators = missing.filter((m) => !m.includes(':'));
    $('missing').replaceChildren(...[
      missing.length ? null : el('p', { class: 'small' }, B('nothingMissing')),
      feeds.length ? [el('h3', {}, B('feedsMissing', feeds.length)), el('ul', { class: 'chips', id: 'missing-feeds' }, feeds.map((m) => el('li', { class: 'mono' }, m)))] : null,
      indicators.length ? [el('h3', {}, B('indicatorsLeftOut', areaName(ROOT_AREA), indicators.length)),
        el('ul', { class: 'chips', id: 'missing-indicators' }, indicators.map((m) => el('li', { title: m }, label(m))))] : null,
    ].flat().filter(Boolean));
  }

  function renderFigures(doc) {
    const area = areaOf(doc, state.area);
    $('figures-area').textContent = areaName(state.area);
    const ids = Object.keys(INDICATORS).filter((id) => area && area.indicators && area.indicators[id]);
    $('figures').tBodies[0].replaceChildren(...(ids.length
      ? ids.map((id) => {
        const v = area.indicators[id];
        return el('tr', { dataset: { indicator: id } },
          el('td', {}, label(id), el('div', { class: 'small muted' }, labelOther(id))), el('td', { class: 'mono small' }, id),
          el('td', { class: 'num' }, formatNumber(v.value)),
          el('td', { class: 'small' }, v.unit), el('td', {}, el('span', { class: ['badge', v.quality] }, v.quality)));
      })
      : [el('tr', {}, el('td', { colspan: 5, class: 'empty' }, B('noIndicators', areaName(state.area))))]));
  }

  function renderCharts(series) {
    const onRoot = state.area === ROOT_AREA;
    $('charts-note').textContent = T('chartsNote', state.kind, areaName(state.area)) + (onRoot ? '' : T('chartsNoteArea'));
    $('charts').replaceChildren(...CHARTS.map((id) => {
      const points = series.map((doc) => {
        const value = indicatorOf(doc, state.area, id);
        const found = onRoot ? targetsOf(doc).find((t) => t.indicator === id) : null;
        const target = drawsLines(found) ? found : null;
        return {
          period: doc.period,
          at: ordinal(doc.period),
          value: value ? value.value : null,
          unit: value ? value.unit : null,
          threshold: target && typeof target.threshold === 'number' ? target.threshold : null,
          required: target && typeof target.required === 'number' ? target.required : null,
        };
      }).filter((p) => p.at !== null);
      const current = indicatorOf(state.doc, state.area, id);
      const target = onRoot ? targetsOf(state.doc).find((t) => t.indicator === id) : null;
      return chartCard(id, points, current, target);
    }));
  }

  function chartCard(id, points, current, target) {
    const unit = current ? current.unit : (points.find((p) => p.unit) || {}).unit || '';
    const hasThreshold = points.some((p) => p.threshold !== null);
    const hasRequired = points.some((p) => p.required !== null);
    const hasGap = points.some((p, i) => i > 0 && p.at - points[i - 1].at > 1);
    return el('figure', { class: 'chart', dataset: { indicator: id, points: String(points.filter((p) => p.value !== null).length) } },
      el('figcaption', {}, label(id), ' ', el('span', { class: 'sub' }, labelOther(id))),
      el('div', { class: 'latest' },
        current ? `${formatNumber(current.value)} ` : '–',
        el('span', { class: 'sub' }, current ? unit : T('notIn', state.doc.period)),
        target ? [' ', el('span', { class: ['badge', target.status] }, target.status)] : null),
      lineChart(points, unit),
      el('div', { class: 'legend' },
        el('span', {}, el('span', { class: 'key actual' }), T('legendActual')),
        hasThreshold ? el('span', {}, el('span', { class: 'key threshold' }), `${T('legendTarget')}${target ? ` (${COMPARATORS[target.comparator] || target.comparator} ${formatNumber(target.threshold)})` : ''}`) : null,
        hasRequired ? el('span', {}, el('span', { class: 'key required' }), T('legendRequired')) : null,
        hasGap ? el('span', {}, el('span', { class: 'key gap' }), T('legendGap')) : null,
        target && !drawsLines(target) ? el('span', { class: 'small muted' }, T('statusBasis', basisText(target))) : null));
  }

  /**
   * A small line chart by hand, on a time axis: each period at its place in time (a quarter a quarter's width from
   * the next), so a stretch with no published data set is a shaded gap the lines do not cross, never a step.
   */
  function lineChart(points, unit) {
    const width = 380;
    const height = 200;
    const margin = { left: 56, right: 30, top: 12, bottom: 30 };
    const plotW = width - margin.left - margin.right;
    const plotH = height - margin.top - margin.bottom;
    const values = points.flatMap((p) => [p.value, p.threshold, p.required]).filter((v) => typeof v === 'number' && Number.isFinite(v));
    const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `chart in ${unit}` });
    if (!points.some((p) => p.value !== null)) {
      root.append(svg('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle', class: 'nodata' }, T('noDataYet')));
      return root;
    }
    let min = Math.min(...values);
    let max = Math.max(...values);
    // A flat series (the grid share on its default in every period is 40 give or take 1e-14 from the weighting) would
    // make a tick step of nothing and an endless tick list: treat nearly equal as equal.
    if (max - min <= Math.max(Math.abs(min), Math.abs(max)) * 1e-9) {
      const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1;
      min -= pad;
      max += pad;
    }
    const ticks = niceTicks(min, max, 4);
    min = Math.min(min, ticks[0]);
    max = Math.max(max, ticks[ticks.length - 1]);
    const first = points[0].at;
    const last = points[points.length - 1].at;
    const span = last - first;
    const step = span === 0 ? plotW : plotW / span; // the width of one period
    const x = (at) => margin.left + (span === 0 ? plotW / 2 : (plotW * (at - first)) / span);
    const y = (v) => margin.top + plotH - ((v - min) / (max - min)) * plotH;

    for (const tick of ticks) {
      root.append(
        svg('line', { class: 'grid', x1: margin.left, x2: width - margin.right, y1: y(tick), y2: y(tick) }),
        svg('text', { class: 'tick', x: margin.left - 6, y: y(tick) + 3, 'text-anchor': 'end' }, formatNumber(tick)));
    }

    // Periods with no published data set between two that have one: a shaded band over the missing stretch.
    points.forEach((p, i) => {
      if (i === 0 || p.at - points[i - 1].at <= 1) return;
      const from = periodAt(points[i - 1].at + 1, state.kind);
      const to = periodAt(p.at - 1, state.kind);
      const left = x(points[i - 1].at + 0.5);
      root.append(svg('rect', { class: 'gap', x: left, y: margin.top, width: x(p.at - 0.5) - left, height: plotH, dataset: { from, to } },
        svg('title', {}, T('gap', from, to))));
    });

    root.append(svg('line', { class: 'axis', x1: margin.left, x2: margin.left, y1: margin.top, y2: margin.top + plotH }));
    root.append(svg('line', { class: 'axis', x1: margin.left, x2: width - margin.right, y1: margin.top + plotH, y2: margin.top + plotH }));

    // Time labels: each year's start on a quarter axis (each quarter when they fit in one year), each year on a year axis.
    let labels = [];
    if (state.kind === 'quarter' && Math.floor(last / 4) > Math.ceil(first / 4)) {
      for (let year = Math.ceil(first / 4); year * 4 <= last; year += 1) labels.push([year * 4, String(year)]);
    } else {
      for (let at = first; at <= last; at += 1) labels.push([at, periodAt(at, state.kind)]);
    }
    const every = Math.max(1, Math.ceil(labels.length / 6));
    labels = labels.filter((_, i) => i % every === 0);
    for (const [at, text] of labels) {
      root.append(
        svg('line', { class: 'axis', x1: x(at), x2: x(at), y1: margin.top + plotH, y2: margin.top + plotH + 4 }),
        svg('text', { class: 'tick', x: x(at), y: height - 10, 'text-anchor': 'middle' }, text));
    }

    // A line runs through consecutive periods only: a missing value or a gap in time lifts the pen.
    const path = (key, cls, lonePointsAsSlots) => {
      const runs = [];
      points.forEach((p, i) => {
        if (p[key] === null) return;
        const run = runs[runs.length - 1];
        if (run && run[run.length - 1] === points[i - 1] && p.at - points[i - 1].at === 1) run.push(p);
        else runs.push([p]);
      });
      const d = runs.map((run) => {
        // A target line of a single period still deserves to be seen: draw it across its slot.
        if (run.length === 1) {
          if (!lonePointsAsSlots) return '';
          const half = Math.min(step, plotW) / 2;
          return `M${(x(run[0].at) - half).toFixed(1)},${y(run[0][key]).toFixed(1)}L${(x(run[0].at) + half).toFixed(1)},${y(run[0][key]).toFixed(1)}`;
        }
        return run.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.at).toFixed(1)},${y(p[key]).toFixed(1)}`).join('');
      }).join('');
      if (d) root.append(svg('path', { class: cls, d }));
    };
    path('threshold', 'threshold', true);
    path('required', 'required', true);
    path('value', 'series', false);
    points.forEach((p) => {
      if (p.value === null) return;
      const selected = state.doc && p.period === state.doc.period;
      root.append(svg('circle', { class: ['point', selected ? 'selected' : null], cx: x(p.at), cy: y(p.value), r: selected ? 4.5 : 3.5, dataset: { period: p.period } },
        svg('title', {}, `${p.period}: ${formatNumber(p.value)} ${unit}`
          + (p.threshold !== null ? ` · ${T('legendTarget')} ${formatNumber(p.threshold)}` : '')
          + (p.required !== null ? ` · ${T('legendRequired')} ${formatNumber(p.required)}` : ''))));
    });
    return root;
  }

  function niceTicks(min, max, count) {
    const raw = (max - min) / count;
    const magnitude = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) || raw;
    const ticks = [];
    for (let t = Math.floor(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
    if (ticks[ticks.length - 1] < max) ticks.push(ticks[ticks.length - 1] + step);
    return ticks;
  }

  // ---- supply calendar --------------------------------------------------------------------------------------

  const SUPPLY_PERIODS = 12;
  const SOURCES = {
    statistics: ['Statistics bureau', '统计局'],
    'power-grid': ['Power grid', '电网'],
    transport: ['Transport', '交通'],
    environment: ['Environment', '生态环境'],
  };
  const SUPPLY_STATES = {
    pending: ['pending', '未到期'],
    received: ['received', '按期'],
    revised: ['revised', '已修订'],
    late: ['late', '逾期'],
    missing: ['missing', '未报送'],
  };
  const sourceName = (source) => (SOURCES[source] ? SOURCES[source][lang === 'zh' ? 1 : 0] : source);
  // The state's English word always shows (it is the API's), the Chinese one beside it in Chinese mode.
  const stateWord = (st) => (SUPPLY_STATES[st] ? (lang === 'zh' ? `${SUPPLY_STATES[st][1]} ${st}` : st) : st);
  const feedLine = (f) => `r${f.revision} ${f.receivedAt ? formatTime(f.receivedAt) : '–'} (${f.feedId})`;

  /** The calendar (GET supply), with If-None-Match; true when it changed. */
  async function loadSupply(conditional) {
    const options = conditional && state.supplyEtag ? { headers: { 'If-None-Match': state.supplyEtag } } : {};
    const answer = await request('supply', options);
    if (answer.status === 304) return false;
    state.supply = answer.body;
    state.supplyEtag = answer.etag;
    return true;
  }

  function supplyCell(c) {
    const feeds = listOf(c, 'feeds');
    return el('div', {
      class: ['supply-cell', c.state],
      dataset: { source: c.source, period: c.period, state: c.state },
      title: [`${sourceName(c.source)} ${c.period} · ${T('dueBy', c.dueBy)}`, ...feeds.map(feedLine)].join('\n'),
    },
    el('div', { class: 'mono small' }, c.period),
    el('span', { class: ['badge', c.state] }, stateWord(c.state)),
    feeds.length > 1 ? el('div', { class: 'small muted' }, feeds.map((f) => `r${f.revision}`).join(' → ')) : null);
  }

  /** Source × period: one row per source and period kind (its last periods), then every revised or late period's feeds. */
  function renderSupply() {
    const body = state.supply;
    $('supply-section').hidden = !body;
    if (!body) return;
    $('supply-note').textContent = T('supplyNote', SUPPLY_PERIODS);
    const counts = body.counts || {};
    $('supply-counts').replaceChildren(...Object.keys(SUPPLY_STATES).map((st) =>
      el('span', { class: ['badge', st], dataset: { count: st } }, `${stateWord(st)} ${counts[st] ?? 0}`)));
    const cells = listOf(body, 'cells');
    const rows = listOf(body, 'rules').map((rule) => el('tr', { dataset: { source: rule.source, kind: rule.periodKind } },
      el('th', { scope: 'row' }, sourceName(rule.source), el('div', { class: 'small muted' }, T(rule.periodKind))),
      el('td', {}, el('div', { class: 'supply-row' },
        ...cells.filter((c) => c.source === rule.source && c.periodKind === rule.periodKind).slice(-SUPPLY_PERIODS).map(supplyCell)))));
    $('supply').tBodies[0].replaceChildren(...rows);
    const notable = cells.filter((c) => c.state === 'late' || c.state === 'revised')
      .sort((a, b) => String(b.dueAt).localeCompare(String(a.dueAt)));
    $('supply-history').tBodies[0].replaceChildren(...(notable.length
      ? notable.map((c) => el('tr', { dataset: { source: c.source, period: c.period, state: c.state } },
        el('td', {}, sourceName(c.source)),
        el('td', { class: 'mono' }, c.period),
        el('td', {}, c.dueBy),
        el('td', {}, el('span', { class: ['badge', c.state] }, stateWord(c.state))),
        el('td', { class: 'small' }, ...listOf(c, 'feeds').map((f) => el('div', {}, feedLine(f))))))
      : [el('tr', {}, el('td', { colspan: 5, class: 'empty' }, T('noRevisions')))]));
  }

  /** The calendar never blocks the data sets: a failure shows, and the next poll tries again. */
  async function refreshSupply(conditional) {
    try {
      if (await loadSupply(conditional)) renderSupply();
    } catch (err) {
      show(message, errorBlock(err, T('readingSupply')));
    }
  }

  // ---- refreshing -------------------------------------------------------------------------------------------

  async function refreshAll() {
    show(message, null);
    try {
      await loadList(false);
      settlePeriod();
      if (!state.period) {
        state.doc = null;
        state.checkedAt = new Date();
        show(message, errorBlock(new Hub.HubError(404, { detail: T('checksAgain', POLL_MS / 1000) }, T('noneYet'))));
        render();
        return;
      }
      await loadCurrent(false);
      render();
    } catch (err) {
      show(message, errorBlock(err, T('loadingDataset')));
    }
  }

  /** Reads the area names; a failure is shown once the page is up, and the next poll tries again. */
  async function tryLoadAreas() {
    try {
      await loadAreas();
      return true;
    } catch (err) {
      state.areasError = err;
      return false;
    }
  }

  /** One poll: the current data set and the list, each with If-None-Match; a changed answer re-renders. */
  async function poll() {
    await refreshSupply(true);
    try {
      const namesArrived = !state.areas && (await tryLoadAreas());
      const listChanged = await loadList(true);
      let periodMoved = false;
      if (listChanged) {
        const before = state.period;
        settlePeriod();
        periodMoved = before !== state.period;
        if (periodMoved) state.docEtag = null;
      }
      if (!state.period) {
        state.checkedAt = new Date();
        renderFreshness();
        return;
      }
      const docChanged = await loadCurrent(!periodMoved);
      if (message.querySelector('.alert.error')) show(message, null);
      if (docChanged || listChanged || namesArrived) render();
      else renderFreshness();
    } catch (err) {
      show(message, errorBlock(err, T('refreshing')));
    }
  }

  applyLanguage();
  readLocation();
  tryLoadAreas()
    .then(() => refreshSupply(false))
    .then(() => refreshAll())
    .then(() => {
      if (!state.areas && state.areasError) show(message, errorBlock(state.areasError, T('readingAreas')));
    })
    .finally(() => setInterval(poll, POLL_MS));
})();
