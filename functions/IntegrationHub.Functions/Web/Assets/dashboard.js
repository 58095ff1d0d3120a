// The data-set dashboard: the current data set of a period and area, its key indicators over every published period
// of the same kind against the plan's targets, the target table, quality flags and gaps. It reads the public query
// API only, and polls it with If-None-Match so a new version shows up within one poll.
'use strict';

(() => {
  const { el, svg, request, errorBlock, show, formatTime, formatNumber, listOf } = Hub;

  const POLL_MS = 10000;
  const ROOT_AREA = 'XJNA';

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

  // What a target's status is judged on (the contract's basis): the words a reader needs next to the colour.
  const BASES = {
    'annual-path': 'this period against the linear path to 2025',
    'ytd-yoy': 'early warning: year to date against the same months of last year, at the annual rate the target needs',
    proxy: 'proxy: the national −18 % carbon-intensity path (no Changsha figure for the year)',
  };
  const basisText = (t) => (t.basis ? BASES[t.basis] || t.basis : 'not assessed on this period');
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
  };

  const label = (id) => (INDICATORS[id] ? INDICATORS[id][0] : id);
  const labelZh = (id) => (INDICATORS[id] ? INDICATORS[id][1] : '');
  const periodsOfKind = () => state.list.filter((p) => p.kind === state.kind);
  const areaOf = (doc, code) => (doc && Array.isArray(doc.areas) ? doc.areas.find((a) => a.areaCode === code) : null);
  const indicatorOf = (doc, code, id) => {
    const area = areaOf(doc, code);
    return area && area.indicators ? area.indicators[id] || null : null;
  };
  const targetsOf = (doc) => (doc && Array.isArray(doc.targets) ? doc.targets : []);

  // ---- loading ----------------------------------------------------------------------------------------------

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
        show(message, errorBlock(new Hub.HubError(404, { detail: `Showing the latest ${state.kind} instead.` }, `No data set is published for ${state.period}`)));
      }
      state.follow = true;
      state.period = periods.length ? periods[periods.length - 1].period : null;
    }
  }

  function fillSelectors() {
    $('kind').value = state.kind;
    const periods = periodsOfKind().slice().reverse();
    $('period').replaceChildren(...periods.map((p, i) => el('option', { value: p.period },
      `${p.period}${i === 0 ? ' (latest)' : ''} · v${p.latestVersion}`)));
    $('period').value = state.period || '';
    const codes = state.doc && Array.isArray(state.doc.areas) ? state.doc.areas.map((a) => a.areaCode) : [ROOT_AREA];
    if (!codes.includes(state.area)) codes.unshift(state.area);
    $('area').replaceChildren(...codes.map((code) => el('option', { value: code }, code === ROOT_AREA ? `${code} · whole New Area` : code)));
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
    document.title = `${doc.period} v${doc.version} · Dual-carbon dashboard`;
    $('ds-title').textContent = `${doc.period} · ${state.area}`;
    $('ds-version').textContent = String(doc.version);
    $('ds-status').replaceChildren(el('span', { class: ['badge', doc.status] }, doc.status));
    $('ds-generated').textContent = formatTime(doc.generatedAt);
    $('ds-inputs').textContent = `${Array.isArray(doc.inputs) ? doc.inputs.length : 0} input feeds`;
    renderTargets(doc);
    renderSectors(doc);
    renderQuality(doc);
    renderFigures(doc);
    const renderedFor = `${doc.period}/v${doc.version}/${state.area}`;
    let series;
    try {
      series = await loadHistory();
    } catch (err) {
      show(message, errorBlock(err, 'Reading earlier periods'));
      series = [doc];
    }
    if (!state.doc || `${state.doc.period}/v${state.doc.version}/${state.area}` !== renderedFor) return; // a newer render is on its way
    renderCharts(series);
  }

  function renderFreshness() {
    const doc = state.doc;
    const checked = state.checkedAt ? state.checkedAt.toLocaleTimeString() : '–';
    $('freshness').textContent = doc
      ? `${doc.period} v${doc.version} · checked ${checked} (every ${POLL_MS / 1000} s)`
      : `No data set yet · checked ${checked}`;
  }

  function renderTargets(doc) {
    const rows = targetsOf(doc).map((t) => el('tr', { dataset: { targetId: t.id, indicator: t.indicator } },
      el('td', { title: t.description || '' }, el('div', { class: 'mono small' }, t.id), el('div', { class: 'small muted' }, t.description || '')),
      el('td', {}, label(t.indicator), el('div', { class: 'small muted' }, labelZh(t.indicator))),
      el('td', { class: 'small' }, `${COMPARATORS[t.comparator] || t.comparator} ${t.threshold === null || t.threshold === undefined ? '–' : formatNumber(t.threshold)} by ${t.deadline}`,
        t.binding === false ? el('div', { class: 'muted' }, 'strive for (not binding)') : null),
      el('td', { class: 'small basis', dataset: { basis: t.basis || 'none' } }, el('span', { class: 'mono' }, t.basis || '–'), el('div', { class: 'muted' }, basisText(t))),
      el('td', { class: 'num' }, formatNumber(t.required)),
      el('td', { class: 'num' }, formatNumber(t.actual)),
      el('td', {}, el('span', { class: ['badge', t.status], dataset: { status: t.status } }, t.status))));
    $('targets').tBodies[0].replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: 7, class: 'empty' }, 'This data set has no targets.'))]));
  }

  function renderSectors(doc) {
    const area = areaOf(doc, state.area);
    const value = (id) => (area && area.indicators && area.indicators[id] ? area.indicators[id].value : null);
    const rows = SECTORS
      .map(([sector, name, zh]) => ({ sector, name, zh, tce: value(`energy.sector.${sector}Tce`), tco2: value(`carbon.sector.${sector}Tco2`) }))
      .filter((r) => r.tce !== null || r.tco2 !== null);
    const total = value('energy.totalTce');
    $('sectors-area').textContent = state.area;
    $('sectors').tBodies[0].replaceChildren(...(rows.length
      ? rows.map((r) => el('tr', { dataset: { sector: r.sector } },
        el('td', {}, r.name, el('div', { class: 'small muted' }, r.zh)),
        el('td', { class: 'num', dataset: { value: String(r.tce) } }, formatNumber(r.tce)),
        el('td', { class: 'num' }, r.tce !== null && total ? `${formatNumber((r.tce / total) * 100)} %` : '–'),
        el('td', { class: 'num', dataset: { value: String(r.tco2) } }, formatNumber(r.tco2))))
      : [el('tr', {}, el('td', { colspan: 4, class: 'empty' }, `No sector figures for ${state.area} in this data set (they need the statistics feed).`))]));
  }

  function renderQuality(doc) {
    const area = areaOf(doc, state.area);
    const flagged = area ? Object.entries(area.indicators || {}).filter(([, v]) => v.quality && v.quality !== 'complete') : [];
    const warnings = (Array.isArray(doc.warnings) ? doc.warnings : [])
      .slice()
      .sort((a, b) => Number(b.areaCode === state.area) - Number(a.areaCode === state.area));
    $('quality').replaceChildren(
      el('p', {}, 'Data set ', el('span', { class: ['badge', doc.status] }, doc.status), ' ',
        el('span', { class: 'small muted' }, doc.status === 'complete' ? 'every source covers the period' : 'some sources or months have not arrived')),
      flagged.length
        ? el('ul', { id: 'quality-flags' }, flagged.map(([id, v]) => el('li', {}, el('span', { class: ['badge', v.quality] }, v.quality), ' ', label(id), ' ', el('span', { class: 'mono small muted' }, id))))
        : el('p', { class: 'small' }, area ? `Every indicator of ${state.area} is complete.` : `${state.area} has no figures in this data set.`),
      el('h3', {}, `Warnings (${warnings.length})`),
      warnings.length
        ? el('ul', { id: 'warnings' }, warnings.slice(0, 50).map((w) => el('li', { class: 'small' },
          el('span', { class: 'mono' }, w.code), w.areaCode ? ` · ${w.areaCode}` : '', w.indicator ? ` · ${w.indicator}` : '', ': ', w.message)))
        : el('p', { class: 'small muted' }, 'No quality warnings.'));
    const missing = Array.isArray(doc.missing) ? doc.missing : [];
    const feeds = missing.filter((m) => m.includes(':'));
    const indicators = missing.filter((m) => !m.includes(':'));
    $('missing').replaceChildren(...[
      missing.length ? null : el('p', { class: 'small' }, 'Nothing is missing.'),
      feeds.length ? [el('h3', {}, `Feeds not received (${feeds.length})`), el('ul', { class: 'chips', id: 'missing-feeds' }, feeds.map((m) => el('li', { class: 'mono' }, m)))] : null,
      indicators.length ? [el('h3', {}, `Indicators left out for ${ROOT_AREA} (${indicators.length})`),
        el('ul', { class: 'chips', id: 'missing-indicators' }, indicators.map((m) => el('li', { title: m }, label(m))))] : null,
    ].flat().filter(Boolean));
  }

  function renderFigures(doc) {
    const area = areaOf(doc, state.area);
    $('figures-area').textContent = state.area;
    const ids = Object.keys(INDICATORS).filter((id) => area && area.indicators && area.indicators[id]);
    $('figures').tBodies[0].replaceChildren(...(ids.length
      ? ids.map((id) => {
        const v = area.indicators[id];
        return el('tr', { dataset: { indicator: id } },
          el('td', {}, label(id)), el('td', { class: 'mono small' }, id), el('td', { class: 'num' }, formatNumber(v.value)),
          el('td', { class: 'small' }, v.unit), el('td', {}, el('span', { class: ['badge', v.quality] }, v.quality)));
      })
      : [el('tr', {}, el('td', { colspan: 5, class: 'empty' }, `No indicator for ${state.area} in this data set.`))]));
  }

  function renderCharts(series) {
    const onRoot = state.area === ROOT_AREA;
    $('charts-note').textContent = `${state.kind === 'year' ? 'years' : 'quarters'} with a published data set · ${state.area}`
      + (onRoot ? '' : ' · plan target lines apply to the whole New Area and are shown for XJNA only');
    $('charts').replaceChildren(...CHARTS.map((id) => {
      const points = series.map((doc) => {
        const value = indicatorOf(doc, state.area, id);
        const found = onRoot ? targetsOf(doc).find((t) => t.indicator === id) : null;
        const target = drawsLines(found) ? found : null;
        return {
          period: doc.period,
          value: value ? value.value : null,
          unit: value ? value.unit : null,
          threshold: target && typeof target.threshold === 'number' ? target.threshold : null,
          required: target && typeof target.required === 'number' ? target.required : null,
        };
      });
      const current = indicatorOf(state.doc, state.area, id);
      const target = onRoot ? targetsOf(state.doc).find((t) => t.indicator === id) : null;
      return chartCard(id, points, current, target);
    }));
  }

  function chartCard(id, points, current, target) {
    const unit = current ? current.unit : (points.find((p) => p.unit) || {}).unit || '';
    const hasThreshold = points.some((p) => p.threshold !== null);
    const hasRequired = points.some((p) => p.required !== null);
    return el('figure', { class: 'chart', dataset: { indicator: id, points: String(points.filter((p) => p.value !== null).length) } },
      el('figcaption', {}, label(id), ' ', el('span', { class: 'sub' }, labelZh(id))),
      el('div', { class: 'latest' },
        current ? `${formatNumber(current.value)} ` : '–',
        el('span', { class: 'sub' }, current ? unit : `not in ${state.doc.period}`),
        target ? [' ', el('span', { class: ['badge', target.status] }, target.status)] : null),
      lineChart(points, unit),
      el('div', { class: 'legend' },
        el('span', {}, el('span', { class: 'key actual' }), 'actual'),
        hasThreshold ? el('span', {}, el('span', { class: 'key threshold' }), `plan target${target ? ` (${COMPARATORS[target.comparator] || target.comparator} ${formatNumber(target.threshold)})` : ''}`) : null,
        hasRequired ? el('span', {}, el('span', { class: 'key required' }), 'required on the linear path') : null,
        target && !drawsLines(target) ? el('span', { class: 'small muted' }, `status: ${basisText(target)}`) : null));
  }

  /** A small line chart by hand: periods evenly spaced on x, the value, the target threshold and the required path. */
  function lineChart(points, unit) {
    const width = 380;
    const height = 200;
    const margin = { left: 56, right: 30, top: 12, bottom: 30 };
    const plotW = width - margin.left - margin.right;
    const plotH = height - margin.top - margin.bottom;
    const values = points.flatMap((p) => [p.value, p.threshold, p.required]).filter((v) => typeof v === 'number' && Number.isFinite(v));
    const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `chart in ${unit}` });
    if (!points.some((p) => p.value !== null)) {
      root.append(svg('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle', class: 'nodata' }, 'No data for this area yet'));
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
    const x = (i) => margin.left + (points.length === 1 ? plotW / 2 : (plotW * i) / (points.length - 1));
    const y = (v) => margin.top + plotH - ((v - min) / (max - min)) * plotH;

    for (const tick of ticks) {
      root.append(
        svg('line', { class: 'grid', x1: margin.left, x2: width - margin.right, y1: y(tick), y2: y(tick) }),
        svg('text', { class: 'tick', x: margin.left - 6, y: y(tick) + 3, 'text-anchor': 'end' }, formatNumber(tick)));
    }
    root.append(svg('line', { class: 'axis', x1: margin.left, x2: margin.left, y1: margin.top, y2: margin.top + plotH }));
    root.append(svg('line', { class: 'axis', x1: margin.left, x2: width - margin.right, y1: margin.top + plotH, y2: margin.top + plotH }));
    const every = Math.max(1, Math.ceil(points.length / 7));
    points.forEach((p, i) => {
      if (i % every === 0 || i === points.length - 1) {
        root.append(svg('text', { class: 'tick', x: x(i), y: height - 10, 'text-anchor': 'middle' }, p.period));
      }
    });

    const path = (key, cls) => {
      let d = '';
      let pen = false;
      points.forEach((p, i) => {
        if (p[key] === null) {
          pen = false;
          return;
        }
        d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(p[key]).toFixed(1)}`;
        pen = true;
      });
      // A single point of a target line still deserves to be seen: draw it across its slot.
      if (d && !d.includes('L')) {
        const i = points.findIndex((p) => p[key] !== null);
        const half = points.length === 1 ? plotW / 2 : plotW / (points.length - 1) / 2;
        d = `M${(x(i) - half).toFixed(1)},${y(points[i][key]).toFixed(1)}L${(x(i) + half).toFixed(1)},${y(points[i][key]).toFixed(1)}`;
      }
      if (d) root.append(svg('path', { class: cls, d }));
    };
    path('threshold', 'threshold');
    path('required', 'required');
    path('value', 'series');
    points.forEach((p, i) => {
      if (p.value === null) return;
      const selected = state.doc && p.period === state.doc.period;
      root.append(svg('circle', { class: ['point', selected ? 'selected' : null], cx: x(i), cy: y(p.value), r: selected ? 4.5 : 3.5, dataset: { period: p.period } },
        svg('title', {}, `${p.period}: ${formatNumber(p.value)} ${unit}`
          + (p.threshold !== null ? ` · target ${formatNumber(p.threshold)}` : '')
          + (p.required !== null ? ` · required ${formatNumber(p.required)}` : ''))));
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

  // ---- refreshing -------------------------------------------------------------------------------------------

  async function refreshAll() {
    show(message, null);
    try {
      await loadList(false);
      settlePeriod();
      if (!state.period) {
        state.doc = null;
        state.checkedAt = new Date();
        show(message, errorBlock(new Hub.HubError(404, { detail: `The dashboard checks again every ${POLL_MS / 1000} s.` }, 'No data set has been published yet')));
        render();
        return;
      }
      await loadCurrent(false);
      render();
    } catch (err) {
      show(message, errorBlock(err, 'Loading the data set'));
    }
  }

  /** One poll: the current data set and the list, each with If-None-Match; a changed answer re-renders. */
  async function poll() {
    try {
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
      if (docChanged || listChanged) render();
      else renderFreshness();
    } catch (err) {
      show(message, errorBlock(err, 'Refreshing (the last data shown stays)'));
    }
  }

  readLocation();
  refreshAll().finally(() => setInterval(poll, POLL_MS));
})();
