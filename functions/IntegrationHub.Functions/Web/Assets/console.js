// The ops console: orchestration instances, one instance's detail and actions, quarantined feeds, the audit log.
// It talks to the ops API of the same app as the person signed in with Entra ID (console-sign-in.js) or, in local
// development, with the ops key the operator enters, kept in session storage only.
'use strict';

(() => {
  const { el, request, errorBlock, okBlock, show, formatTime, pretty, parseMaybe, HubError } = Hub;

  const KEY_STORAGE = 'integrationhub.opsKey';
  const TERMINAL = new Set(['Completed', 'Failed', 'Terminated']);
  const DETAIL_POLL_MS = 2000;
  // After an action the instance may still show its old state for a moment: keep watching this long for it to move.
  const WATCH_FOR_CHANGE_MS = 60000;

  const $ = (id) => document.getElementById(id);
  const message = $('message');
  const views = { instances: $('instances-view'), instance: $('instance-view'), quarantine: $('quarantine-view'), audit: $('audit-view') };

  const state = {
    pageTokens: [null], // continuation token of each page seen so far; the first page has none
    page: 0,
    nextToken: null,
    detailId: null,
    detailTimer: null,
    watch: 0, // bumped whenever watching starts or stops, so a poll in flight of an older watch ends there
    pendingWatch: null,
    quarantineToken: null,
    auditToken: null,
  };

  // ---- signing in: Entra ID (console-sign-in.js) or, in local development, the ops key -------------------------

  const opsKey = () => (ConsoleSignIn.keyAllowed() ? sessionStorage.getItem(KEY_STORAGE) : null);
  const signedIn = () => Boolean(ConsoleSignIn.account() || opsKey());

  function updateKeyState() {
    const person = ConsoleSignIn.account();
    const has = Boolean(opsKey());
    $('key-state').textContent = person ? `Signed in as ${person.name || person.username}`
      : has ? 'Ops key set for this tab' : ConsoleSignIn.entra() ? 'Not signed in' : 'No ops key';
    $('forget-key').hidden = !has || Boolean(person);
    $('sign-out').hidden = !person;
  }

  /** Shows the ways in this hub offers (Entra ID sign-in, the key form, or neither) and nothing else. */
  function askForKey() {
    $('sign-in-panel').hidden = !ConsoleSignIn.entra();
    $('key-panel').hidden = !ConsoleSignIn.keyAllowed();
    $('no-sign-in').hidden = ConsoleSignIn.entra() || ConsoleSignIn.keyAllowed();
    for (const view of Object.values(views)) view.hidden = true;
    if (ConsoleSignIn.keyAllowed() && !ConsoleSignIn.entra()) $('key-input').focus();
  }

  function hideSignIn() {
    for (const id of ['sign-in-panel', 'key-panel', 'no-sign-in']) $(id).hidden = true;
  }

  $('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = $('key-input').value.trim();
    if (!value) return;
    sessionStorage.setItem(KEY_STORAGE, value);
    $('key-input').value = '';
    hideSignIn();
    show(message, null);
    updateKeyState();
    route();
  });

  $('forget-key').addEventListener('click', () => {
    sessionStorage.removeItem(KEY_STORAGE);
    updateKeyState();
    show(message, null);
    askForKey();
  });

  $('sign-in').addEventListener('click', () => {
    ConsoleSignIn.signIn().catch((err) => show(message, errorBlock(err, 'Signing in')));
  });

  $('sign-out').addEventListener('click', () => {
    sessionStorage.removeItem(KEY_STORAGE);
    ConsoleSignIn.signOut().catch((err) => show(message, errorBlock(err, 'Signing out')));
  });

  /**
   * An ops call as the signed-in person (bearer token) or with the key. A refused key (401, 403) is forgotten and
   * asked for again; a person's refusal says which role their account lacks and keeps them signed in.
   */
  async function ops(path, options = {}) {
    const method = (options.method || 'GET').toUpperCase();
    let credentials;
    if (ConsoleSignIn.account()) {
      credentials = await ConsoleSignIn.authorization();
    } else if (opsKey()) {
      credentials = { 'x-api-key': opsKey() };
    } else {
      askForKey();
      throw new HubError(401, { title: 'Not signed in', detail: 'Sign in (or enter the ops key) to use the console.' }, 'Not signed in');
    }
    try {
      return await request(path, { ...options, headers: { Accept: 'application/json', ...(options.headers || {}), ...credentials } });
    } catch (err) {
      if (credentials.Authorization) throw ConsoleSignIn.explain(err, method);
      if (err.status === 401 || err.status === 403) {
        sessionStorage.removeItem(KEY_STORAGE);
        updateKeyState();
        askForKey();
      }
      throw err;
    }
  }

  // ---- navigation -------------------------------------------------------------------------------------------

  function route() {
    stopWatching();
    state.detailId = null;
    const [view, ...rest] = (location.hash || '#/instances').replace(/^#\/?/, '').split('/');
    const instanceId = rest.length ? decodeURIComponent(rest.join('/')) : null;
    const current = view === 'quarantine' || view === 'audit' ? view : 'instances';
    for (const name of ['instances', 'quarantine', 'audit']) {
      const link = $(`nav-${name}`);
      if (name === current) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    if (!signedIn()) {
      askForKey();
      return;
    }
    hideSignIn();
    views.instances.hidden = !(current === 'instances' && !instanceId);
    views.instance.hidden = !(current === 'instances' && instanceId);
    views.quarantine.hidden = current !== 'quarantine';
    views.audit.hidden = current !== 'audit';
    if (current === 'quarantine') loadQuarantine(false);
    else if (current === 'audit') loadAudit(false);
    else if (instanceId) openInstance(instanceId);
    else loadInstances();
  }

  window.addEventListener('hashchange', () => {
    show(message, null);
    route();
  });

  const instanceHash = (id) => `#/instances/${encodeURIComponent(id)}`;
  const instancePath = (id) => `ops/instances/${encodeURIComponent(id)}`;
  const statusOf = (instance) => instance?.status || 'unknown';
  const badge = (status, id) => el('span', { class: ['badge', String(status)], id }, String(status));

  function stageOf(instance) {
    const custom = parseMaybe(instance.customStatus);
    if (custom && typeof custom === 'object') return custom.stage || '';
    return typeof custom === 'string' ? custom : '';
  }

  // ---- instance list ----------------------------------------------------------------------------------------

  function isoFrom(input) {
    if (!input.value) return null;
    const date = new Date(input.value); // datetime-local is the operator's local time
    return Number.isNaN(date.getTime()) ? null : date.toISOString();
  }

  function listQuery(token) {
    const query = new URLSearchParams();
    const status = $('filter-status').value;
    const name = $('filter-name').value.trim();
    const prefix = $('filter-prefix').value.trim();
    const from = isoFrom($('filter-from'));
    const to = isoFrom($('filter-to'));
    if (status) query.set('status', status);
    if (name) query.set('name', name);
    if (prefix) query.set('prefix', prefix);
    if (from) query.set('from', from);
    if (to) query.set('to', to);
    if (token) query.set('continuationToken', token);
    const text = query.toString();
    return text ? `?${text}` : '';
  }

  async function loadInstances() {
    const body = $('instances').tBodies[0];
    body.replaceChildren(el('tr', {}, el('td', { colspan: 6, class: 'empty' }, 'Loading…')));
    try {
      const answer = (await ops(`ops/instances${listQuery(state.pageTokens[state.page])}`)).body;
      const instances = answer.instances;
      state.nextToken = answer.continuationToken || null;
      body.replaceChildren(...(instances.length
        ? instances.map(instanceRow)
        : [el('tr', {}, el('td', { colspan: 6, class: 'empty' }, 'No instance matches these filters.'))]));
    } catch (err) {
      state.nextToken = null;
      body.replaceChildren(el('tr', {}, el('td', { colspan: 6, class: 'empty' }, 'Could not list the instances.')));
      show(message, errorBlock(err, 'Listing instances'));
    }
    $('page-label').textContent = `Page ${state.page + 1} · newest first`;
    $('page-previous').disabled = state.page === 0;
    $('page-next').disabled = !state.nextToken;
  }

  /** A feed's run that ended with the feed quarantined: the hub says why (feedId, errors, issues), else null. */
  function quarantineOf(instance) {
    return instance.quarantine || null;
  }

  // The run completed, but what ops need to know is that its feed was quarantined.
  const quarantineBadge = (status, id) =>
    el('span', { class: 'badge Quarantined', id, title: `The run is ${status}; its feed failed validation and is quarantined.` }, 'Quarantined');

  // A JSON Pointer as shown: the empty pointer (RFC 6901: the whole document) would be invisible.
  const pointerText = (issue) => {
    return issue.instanceLocation || '(root)';
  };

  const issueText = (issue) => `${pointerText(issue)} ${issue.keyword}`;

  function quarantineStage(quarantine) {
    const { issues, errors: count } = quarantine;
    return el('div', { class: 'quarantine-reasons' },
      el('div', {}, `quarantined · ${count} violation${count === 1 ? '' : 's'}`),
      issues.length ? el('ul', { class: 'small mono' }, issues.map((issue) => el('li', { title: issue.message }, issueText(issue)))) : null,
      count > issues.length ? el('div', { class: 'small muted' }, `and ${count - issues.length} more on the detail page`) : null);
  }

  function instanceRow(instance) {
    const id = instance.instanceId;
    const status = statusOf(instance);
    const quarantine = quarantineOf(instance);
    return el('tr', { class: 'clickable', dataset: quarantine ? { instanceId: id, status, quarantined: 'true' } : { instanceId: id, status }, onclick: () => { location.hash = instanceHash(id); } },
      el('td', { class: 'mono' }, el('a', { href: instanceHash(id) }, id)),
      el('td', {}, instance.name),
      el('td', {}, quarantine ? quarantineBadge(status) : badge(status)),
      el('td', {}, quarantine ? quarantineStage(quarantine) : stageOf(instance)),
      el('td', { class: 'small' }, formatTime(instance.createdAt)),
      el('td', { class: 'small' }, formatTime(instance.lastUpdatedAt)));
  }

  function restartPaging() {
    state.pageTokens = [null];
    state.page = 0;
  }

  $('filters').addEventListener('submit', (event) => {
    event.preventDefault();
    show(message, null);
    restartPaging();
    loadInstances();
  });
  $('clear-filters').addEventListener('click', () => {
    for (const id of ['filter-status', 'filter-name', 'filter-prefix', 'filter-from', 'filter-to']) $(id).value = '';
    restartPaging();
    loadInstances();
  });
  $('page-next').addEventListener('click', () => {
    if (!state.nextToken) return;
    state.pageTokens = state.pageTokens.slice(0, state.page + 1).concat(state.nextToken);
    state.page += 1;
    loadInstances();
  });
  $('page-previous').addEventListener('click', () => {
    if (state.page === 0) return;
    state.page -= 1;
    loadInstances();
  });
  $('refresh-instances').addEventListener('click', () => loadInstances());

  $('replay-failed').addEventListener('click', async () => {
    const query = new URLSearchParams();
    const name = $('filter-name').value.trim();
    const since = isoFrom($('filter-from'));
    if (name) query.set('name', name);
    if (since) query.set('since', since);
    const scope = [name ? `named ${name}` : null, since ? `created since ${formatTime(since)}` : null].filter(Boolean).join(', ');
    const choice = await confirmAction('Replay every failed instance?',
      `Each failed instance${scope ? ` (${scope})` : ''} runs again from its original input. Instances replayed before are not replayed again.`);
    if (!choice.ok) return;
    try {
      const answer = (await ops(`ops/replay-failed${query.toString() ? `?${query}` : ''}`, { method: 'POST' })).body;
      const outcomes = answer.results;
      const counts = `${answer.matched} matched, ${answer.replayed} replayed, ${answer.skipped} skipped, ${answer.errors} error(s).`;
      show(message, okBlock(`Replay of failed instances: ${counts}`,
        outcomes.length ? el('ul', {}, outcomes.map((o) => el('li', {}, outcomeText(o)))) : null));
    } catch (err) {
      show(message, errorBlock(err, 'Replaying failed instances'));
    }
    loadInstances();
  });

  function outcomeText(outcome) {
    const { instanceId, outcome: result, detail } = outcome;
    return [instanceId, `: ${result}`, detail && ` (${detail})`].filter(Boolean).join('');
  }

  // ---- one instance -----------------------------------------------------------------------------------------

  async function openInstance(id) {
    state.detailId = id;
    $('detail-title').textContent = id;
    $('detail-facts').replaceChildren(el('dt', {}, 'Status'), el('dd', {}, 'Loading…'));
    const watch = state.pendingWatch && state.pendingWatch.id === id ? state.pendingWatch : null;
    state.pendingWatch = null;
    if (watch) {
      startWatching(id, watch.baseline, true);
      return;
    }
    try {
      const instance = await loadInstance(id);
      if (!TERMINAL.has(statusOf(instance))) startWatching(id, null, false);
    } catch (err) {
      show(message, errorBlock(err, `Reading ${id}`));
    }
  }

  async function loadInstance(id) {
    const instance = (await ops(instancePath(id))).body;
    if (state.detailId === id) renderInstance(instance);
    return instance;
  }

  /** Polls the open instance while it runs, and after an action until it has moved and settled. */
  function startWatching(id, baseline, immediately) {
    stopWatching();
    const watch = state.watch;
    const started = Date.now();
    const tick = async () => {
      state.detailTimer = null;
      if (state.detailId !== id || state.watch !== watch) return;
      let again;
      try {
        const instance = await loadInstance(id);
        const status = statusOf(instance);
        const moved = !baseline || status !== baseline.status || instance.lastUpdatedAt !== baseline.lastUpdatedAt;
        again = !TERMINAL.has(status) || (!moved && Date.now() - started < WATCH_FOR_CHANGE_MS);
      } catch (err) {
        // A replay's new instance may not be listed for a moment.
        again = err.status === 404 && Date.now() - started < WATCH_FOR_CHANGE_MS;
        if (!again) show(message, errorBlock(err, `Reading ${id}`));
      }
      if (again && state.detailId === id && state.watch === watch) state.detailTimer = setTimeout(tick, DETAIL_POLL_MS);
    };
    if (immediately) tick();
    else state.detailTimer = setTimeout(tick, DETAIL_POLL_MS);
  }

  function stopWatching() {
    if (state.detailTimer) clearTimeout(state.detailTimer);
    state.detailTimer = null;
    state.watch += 1;
  }

  function renderInstance(instance) {
    const status = statusOf(instance);
    const quarantine = quarantineOf(instance);
    const facts = [
      ['Status', quarantine ? [badge(status, 'detail-status'), ' ', quarantineBadge(status, 'detail-quarantined')] : badge(status, 'detail-status')],
      ['Name', instance.name],
      ['Created', formatTime(instance.createdAt)],
      ['Last updated', formatTime(instance.lastUpdatedAt)],
    ];
    if (instance.customStatus != null) facts.push(['Custom status', el('code', {}, instance.customStatus)]);
    $('detail-facts').replaceChildren(...facts.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]));

    // The hub says which actions the instance's state allows.
    for (const button of $('detail-actions').querySelectorAll('button[data-action]')) {
      const action = ACTIONS[button.dataset.action];
      const allowed = instance.actions.includes(button.dataset.action);
      button.disabled = !allowed;
      button.title = allowed ? action.hint : `Not for a ${status} instance.`;
    }

    renderFailure(instance.failure);
    renderPayload($('detail-input'), instance.input, instance.inputTruncated, 'No input recorded.');
    renderPayload($('detail-output'), instance.output, instance.outputTruncated, TERMINAL.has(status) ? 'No output.' : 'Not finished yet.');
    renderQuarantine(quarantine);
    renderFeeds(instance.feeds);
    renderHistory(instance.history, instance.historySource);
    renderEarlierRuns(instance.earlierRuns, instance.earlierRunCount);
    $('detail-raw').textContent = JSON.stringify(instance, null, 2);
  }

  function renderPayload(container, value, truncated, empty) {
    container.replaceChildren(...(value === undefined || value === null || value === ''
      ? [el('p', { class: 'empty' }, empty)]
      : [el('pre', {}, pretty(value)), truncated ? el('p', { class: 'small muted' }, 'Cut short by the hub: only the beginning is shown.') : '']));
  }

  function renderQuarantine(quarantine) {
    const card = $('detail-quarantine-card');
    card.hidden = !quarantine;
    if (!quarantine) return;
    const { issues, errors: count } = quarantine;
    $('detail-quarantine').replaceChildren(
      el('dl', { class: 'facts' },
        el('dt', {}, 'Feed'), el('dd', { class: 'mono' }, quarantine.feedId),
        el('dt', {}, 'Feed state now'), el('dd', {}, quarantine.state || 'not found'),
        el('dt', {}, 'Violations'), el('dd', {}, String(count))),
      issues.length ? violationTable('Errors', issues) : el('p', { class: 'empty' }, 'The hub has no report for this feed.'),
      count > issues.length ? el('p', { class: 'small muted' }, `${count - issues.length} more violations were counted but not listed.`) : '');
  }

  function renderEarlierRuns(runs, total) {
    const list = runs || [];
    const card = $('detail-earlier-card');
    card.hidden = list.length === 0;
    if (!list.length) return;
    const more = typeof total === 'number' && total > list.length ? el('p', { class: 'small muted' }, `${total - list.length} older runs are kept but not shown.`) : null;
    $('detail-earlier').replaceChildren(...list.map((run) => {
      const { status } = run;
      const events = run.history || [];
      return el('article', { class: 'earlier-run', dataset: { status } },
        el('header', {},
          el('span', { class: ['badge', status] }, status),
          el('span', { class: 'small' }, `Created ${formatTime(run.createdAt)}, ended ${formatTime(run.endedAt)}`),
          el('span', { class: 'small muted' }, `replaced ${formatTime(run.replacedAt)}${run.replacedBy ? ` (${run.replacedBy})` : ''}`)),
        run.failure ? el('div', { class: 'earlier-failure' }, failureBlock(run.failure, 1)) : null,
        run.output && !run.failure ? el('details', {}, el('summary', { class: 'small' }, 'Output'), el('pre', {}, pretty(run.output))) : null,
        el('details', {},
          el('summary', { class: 'small' }, `History (${events.length} events${run.eventsNotKept ? `, ${run.eventsNotKept} earlier ones not kept` : ''})`),
          events.length ? historyTable(events, null) : el('p', { class: 'empty' }, 'No history was readable for this run.')));
    }), more || '');
  }

  function renderFailure(value) {
    const card = $('detail-failure-card');
    card.hidden = !value;
    if (card.hidden) return;
    $('detail-failure').replaceChildren(failureBlock(value, 0));
  }

  function failureBlock(failure, depth) {
    const rows = [
      ['Message', failure.message], ['Type', failure.type], ['Activity', failure.activity], ['Attempts', failure.attempts],
      ['Orchestration', failure.summary], ['failedAt', failure.failedAt && formatTime(failure.failedAt)],
    ].filter(([, v]) => v != null);
    return el('div', {},
      el('dl', { class: 'facts', id: depth === 0 ? 'detail-failure-facts' : null },
        rows.flatMap(([term, v]) => [el('dt', {}, term), el('dd', {}, String(v))])),
      failure.stackTrace ? [el('h3', {}, 'Stack'), el('pre', {}, failure.stackTrace)] : null);
  }

  function renderFeeds(feeds) {
    const card = $('detail-feeds-card');
    card.hidden = feeds.length === 0;
    $('detail-feeds').replaceChildren(el('ul', {}, feeds.map((feed) => {
      const name = feed.feedId || `${feed.source} ${feed.period}`;
      const { state } = feed;
      const hash = !feed.feedId && feed.contentHash ? ` · ${String(feed.contentHash).slice(0, 16)}` : '';
      return el('li', {}, el('span', { class: 'mono' }, name), hash, state ? [' ', el('span', { class: ['badge', feedStateClass(state)] }, state)] : '');
    })));
  }

  function feedStateClass(state) {
    return { Consolidated: 'Completed', Validated: 'Running', Received: 'Pending', Quarantined: 'Failed' }[state] || 'unknown';
  }

  function renderHistory(events, source) {
    const note = el('p', { class: 'small muted' }, source);
    if (!events.length) {
      $('detail-history').replaceChildren(el('p', { class: 'empty' }, 'No history events.'), note);
      return;
    }
    $('detail-history').replaceChildren(el('div', { class: 'table-scroll' }, historyTable(events, 'history')), note);
  }

  function historyTable(events, id) {
    const rows = events.map((event, index) => {
      const { eventId, type, taskScheduledId } = event;
      const detail = [taskScheduledId != null ? `taskScheduledId: ${taskScheduledId}` : null, event.detail].filter((v) => v != null).join(' · ');
      return el('tr', { dataset: { eventType: type }, class: /Failed$/.test(type) ? 'failed-event' : null },
        el('td', { class: 'num' }, eventId == null ? String(index + 1) : eventId >= 0 ? String(eventId) : ''),
        el('td', { class: 'small' }, formatTime(event.timestamp)),
        el('td', {}, type),
        el('td', {}, event.name || ''),
        el('td', { class: 'mono small' }, detail.length > 400 ? `${detail.slice(0, 400)}…` : detail));
    });
    return el('table', { id, class: 'history' },
      el('thead', {}, el('tr', {}, el('th', { class: 'num' }, 'Event id'), el('th', {}, 'Time'), el('th', {}, 'Event'), el('th', {}, 'Name'), el('th', {}, 'Detail'))),
      el('tbody', {}, rows));
  }

  // ---- actions ----------------------------------------------------------------------------------------------

  const ACTIONS = {
    replay: {
      hint: 'Run again from the original input, as a new execution.',
      title: (id) => `Replay ${id}?`,
      text: 'It runs again from its original input under the same id, as a new run. The engine keeps only the new run; '
        + 'the hub keeps this one (its failure, output and history) and shows it under Earlier runs on this page.',
      request: (id) => [`${instancePath(id)}/replay`, 'POST'],
    },
    rewind: {
      hint: 'Rewind the failed instance in place, where the engine supports it.',
      title: (id) => `Rewind ${id}?`,
      text: 'The failed steps run again in the same instance, keeping the steps that succeeded — where the engine supports rewinding.',
      request: (id) => [`${instancePath(id)}/rewind`, 'POST'],
    },
    terminate: {
      hint: 'Stop the instance for good.',
      title: (id) => `Terminate ${id}?`,
      text: 'The instance stops for good; what it has not done yet will not happen.',
      reason: true,
      request: (id, reason) => [`${instancePath(id)}/terminate${reason ? `?reason=${encodeURIComponent(reason)}` : ''}`, 'POST', { reason }],
    },
    suspend: {
      hint: 'Pause the instance until it is resumed.',
      title: (id) => `Suspend ${id}?`,
      text: 'The instance pauses until it is resumed.',
      reason: true,
      request: (id, reason) => [`${instancePath(id)}/suspend${reason ? `?reason=${encodeURIComponent(reason)}` : ''}`, 'POST', { reason }],
    },
    resume: {
      hint: 'Continue a suspended instance.',
      title: (id) => `Resume ${id}?`,
      text: 'The instance continues where it was suspended.',
      request: (id) => [`${instancePath(id)}/resume`, 'POST'],
    },
    purge: {
      hint: 'Delete the finished instance and its history.',
      title: (id) => `Purge ${id}?`,
      text: 'Its state and history are deleted from the task hub. This cannot be undone.',
      request: (id) => [instancePath(id), 'DELETE'],
    },
  };

  for (const button of $('detail-actions').querySelectorAll('button[data-action]')) {
    button.addEventListener('click', () => runAction(button.dataset.action));
  }

  async function runAction(name) {
    const id = state.detailId;
    if (!id) return;
    const action = ACTIONS[name];
    const before = (() => {
      try { return JSON.parse($('detail-raw').textContent || 'null'); } catch { return null; }
    })();
    const choice = await confirmAction(action.title(id), action.text, action.reason);
    if (!choice.ok) return;
    const [path, method, payload] = action.request(id, choice.reason);
    const options = { method };
    if (payload) {
      options.body = JSON.stringify(payload);
      options.headers = { 'Content-Type': 'application/json' };
    }
    let answer;
    try {
      answer = (await ops(path, options)).body;
    } catch (err) {
      show(message, errorBlock(err, `${name[0].toUpperCase()}${name.slice(1)} ${id}`));
      return;
    }
    if (name === 'purge') {
      show(message, okBlock(`Purged ${id}.`, null));
      location.hash = '#/instances';
      return;
    }
    const said = answer.detail;
    const next = answer.instanceId;
    const baseline = { status: statusOf(before), lastUpdatedAt: before?.lastUpdatedAt };
    show(message, okBlock(next !== id ? `${name} of ${id} started as ${next}.` : `${name} of ${id} accepted.`, said ? el('div', {}, String(said)) : null));
    if (next !== id) {
      state.pendingWatch = { id: next, baseline: null };
      location.hash = instanceHash(next);
    } else {
      startWatching(id, baseline, true);
    }
  }

  /** The confirmation dialog: resolves {ok, reason}. */
  function confirmAction(title, text, withReason) {
    const dialog = $('confirm');
    $('confirm-title').textContent = title;
    $('confirm-text').textContent = text;
    $('confirm-reason-label').hidden = !withReason;
    $('confirm-reason').value = '';
    return new Promise((resolve) => {
      const finish = (ok) => {
        $('confirm-ok').removeEventListener('click', onOk);
        $('confirm-cancel').removeEventListener('click', onCancel);
        dialog.removeEventListener('cancel', onCancel);
        if (dialog.open) dialog.close();
        resolve({ ok, reason: $('confirm-reason').value.trim() || null });
      };
      const onOk = () => finish(true);
      const onCancel = (event) => {
        if (event) event.preventDefault();
        finish(false);
      };
      $('confirm-ok').addEventListener('click', onOk);
      $('confirm-cancel').addEventListener('click', onCancel);
      dialog.addEventListener('cancel', onCancel);
      dialog.showModal();
      (withReason ? $('confirm-reason') : $('confirm-cancel')).focus();
    });
  }

  // ---- quarantine -------------------------------------------------------------------------------------------

  async function loadQuarantine(more) {
    const list = $('quarantine-list');
    if (!more) {
      state.quarantineToken = null;
      list.replaceChildren(el('p', { class: 'empty' }, 'Loading…'));
    }
    try {
      const token = more ? state.quarantineToken : null;
      const answer = (await ops(`ops/quarantine${token ? `?continuationToken=${encodeURIComponent(token)}` : ''}`)).body;
      const { feeds } = answer;
      state.quarantineToken = answer.continuationToken || null;
      if (!more) list.replaceChildren();
      list.append(...feeds.map(quarantineItem));
      if (!list.childElementCount) list.append(el('p', { class: 'empty' }, 'No feed is quarantined.'));
    } catch (err) {
      if (!more) list.replaceChildren(el('p', { class: 'empty' }, 'Could not list the quarantine.'));
      show(message, errorBlock(err, 'Listing the quarantine'));
    }
    $('quarantine-more').hidden = !state.quarantineToken;
  }

  function quarantineItem(feed) {
    const { feedId, report } = feed;
    const errors = report?.errors || [];
    const warnings = report?.warnings || [];
    const when = feed.receivedAt;
    const facts = ['source', 'period']
      .filter((k) => feed[k] !== undefined && feed[k] !== null)
      .map((k) => el('span', { class: 'small' }, el('span', { class: 'muted' }, `${k} `), String(feed[k])));
    return el('article', { class: 'quarantine-item', dataset: { feedId } },
      el('header', {},
        el('strong', { class: 'mono' }, feedId),
        facts,
        when ? el('span', { class: 'small muted' }, formatTime(when)) : null,
        el('span', { class: 'spacer' }),
        el('button', { type: 'button', class: 'reprocess', onclick: () => reprocess(feedId) }, 'Reprocess…')),
      errors.length ? violationTable('Errors', errors) : null,
      warnings.length ? violationTable('Warnings', warnings) : null,
      !errors.length && !warnings.length ? el('details', {}, el('summary', { class: 'small' }, 'Report'), el('pre', {}, pretty(feed))) : null);
  }

  function violationTable(title, items) {
    return el('div', {},
      el('h3', {}, `${title} (${items.length})`),
      el('table', { class: 'violations' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Where'), el('th', {}, 'Rule'), el('th', {}, 'Message'))),
        el('tbody', {}, items.map((v) => el('tr', {},
          el('td', { class: 'mono small' }, pointerText(v)),
          el('td', { class: 'small' }, v.keyword),
          el('td', {}, v.message))))));
  }

  async function reprocess(feedId) {
    const choice = await confirmAction(`Reprocess ${feedId}?`,
      'The feed runs through the pipeline again (validation with the current schemas and reference data, then consolidation if it passes).');
    if (!choice.ok) return;
    try {
      const answer = (await ops(`ops/feeds/${encodeURIComponent(feedId)}/reprocess`, { method: 'POST' })).body;
      const { instanceId } = answer;
      show(message, okBlock(`Reprocessing ${feedId}.`,
        instanceId ? el('div', {}, 'Instance: ', el('a', { href: instanceHash(instanceId), class: 'mono' }, instanceId)) : null));
    } catch (err) {
      show(message, errorBlock(err, `Reprocessing ${feedId}`));
    }
    loadQuarantine(false);
  }

  $('quarantine-more').addEventListener('click', () => loadQuarantine(true));
  $('refresh-quarantine').addEventListener('click', () => loadQuarantine(false));

  // ---- audit log --------------------------------------------------------------------------------------------

  // The audit entry's fields, in the order shown.
  const AUDIT_ORDER = ['at', 'actor', 'keySlot', 'name', 'action', 'target', 'outcome', 'status', 'detail'];
  const AUDIT_LABELS = { at: 'When', actor: 'Who', keySlot: 'Key', name: 'name', action: 'Action', target: 'Target', outcome: 'Outcome', status: 'HTTP', detail: 'Detail' };
  const AUDIT_PAGE = 50;
  let auditEntries = [];

  /** The audit query from the filters; the hub filters and pages (newest first). */
  function auditQuery(token) {
    const query = new URLSearchParams({ limit: String(AUDIT_PAGE) });
    const text = { actor: $('audit-actor').value.trim(), action: $('audit-action').value, outcome: $('audit-outcome').value.trim(), target: $('audit-target').value.trim() };
    for (const [name, value] of Object.entries(text)) if (value) query.set(name, value);
    const from = isoFrom($('audit-from'));
    const to = isoFrom($('audit-to'));
    if (from) query.set('from', from);
    if (to) query.set('to', to);
    if (token) query.set('continuationToken', token);
    return `?${query}`;
  }

  async function loadAudit(more) {
    const list = $('audit-list');
    if (!more) {
      state.auditToken = null;
      auditEntries = [];
      list.replaceChildren(el('p', { class: 'empty' }, 'Loading…'));
    }
    try {
      const token = more ? state.auditToken : null;
      const answer = (await ops(`ops/audit${auditQuery(token)}`)).body;
      auditEntries = auditEntries.concat(answer.entries);
      state.auditToken = answer.continuationToken || null;
      list.replaceChildren(auditTable(auditEntries));
      $('audit-count').textContent = `${auditEntries.length} entr${auditEntries.length === 1 ? 'y' : 'ies'} shown${state.auditToken ? '; older ones on request' : ''}.`;
    } catch (err) {
      if (!more) list.replaceChildren(el('p', { class: 'empty' }, 'Could not read the audit log.'));
      show(message, errorBlock(err, 'Reading the audit log'));
    }
    $('audit-more').hidden = !state.auditToken;
  }

  function auditTable(entries) {
    if (!entries.length) return el('p', { class: 'empty' }, 'No audit entry matches these filters.');
    const columns = AUDIT_ORDER;
    const cell = (name, value) => {
      if (value == null) return el('td', {});
      if (name === 'at') return el('td', { class: 'small' }, formatTime(value));
      if (name === 'outcome') return el('td', {}, el('span', { class: ['badge', auditOutcomeClass(value)] }, value));
      return el('td', {}, String(value));
    };
    return el('table', { id: 'audit' },
      el('thead', {}, el('tr', {}, columns.map((c) => el('th', {}, AUDIT_LABELS[c] || c)))),
      el('tbody', {}, entries.map((entry) => el('tr', {}, columns.map((c) => cell(c, entry[c]))))));
  }

  function auditOutcomeClass(value) {
    const text = String(value).toLowerCase();
    if (/(fail|error|denied|refused|reject|conflict|not-found|not-supported|invalid)/.test(text)) return 'Failed';
    if (/(ok|succe|done|accept|complet|replayed|started|purged|terminated|suspended|resumed|rewound)/.test(text)) return 'Completed';
    return 'unknown';
  }

  $('audit-more').addEventListener('click', () => loadAudit(true));
  $('audit-filters').addEventListener('submit', (event) => {
    event.preventDefault();
    show(message, null);
    loadAudit(false);
  });
  $('audit-clear').addEventListener('click', () => {
    for (const id of ['audit-actor', 'audit-action', 'audit-outcome', 'audit-target', 'audit-from', 'audit-to']) $(id).value = '';
    loadAudit(false);
  });
  $('refresh-audit').addEventListener('click', () => loadAudit(false));

  // ---- start ------------------------------------------------------------------------------------------------

  // The hub says how to sign in (and a sign-in coming back is finished) before the first view is drawn.
  ConsoleSignIn.start().catch((err) => show(message, errorBlock(err, 'Signing in'))).finally(() => {
    updateKeyState();
    route();
  });
})();
