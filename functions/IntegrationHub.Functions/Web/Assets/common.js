// Helpers shared by the ops console and the dashboard. Plain script, no build step, no dependency.
// Everything is built with DOM calls and textContent (never innerHTML), so no value from the hub can become markup.
'use strict';

const Hub = (() => {
  const SVG_NS = 'http://www.w3.org/2000/svg';

  function append(node, children) {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function setAttributes(node, attrs) {
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'class') node.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
      else if (name === 'dataset') Object.assign(node.dataset, value);
      else if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
      else if (value === true) node.setAttribute(name, '');
      else node.setAttribute(name, String(value));
    }
    return node;
  }

  /** An HTML element: el('td', {class: 'num'}, 'text', childNode, [more]). */
  function el(tag, attrs, ...children) {
    return append(setAttributes(document.createElement(tag), attrs), children);
  }

  /** An SVG element, same shape as el(). */
  function svg(tag, attrs, ...children) {
    return append(setAttributes(document.createElementNS(SVG_NS, tag), attrs), children);
  }

  /** An error answered by the hub: an RFC 7807 problem when the body is one. */
  class HubError extends Error {
    constructor(status, problem, fallback) {
      const title = problem && problem.title ? problem.title : fallback;
      super(title);
      this.status = status;
      this.problem = problem || null;
    }
  }

  /** Reads a non-2xx answer into a HubError, keeping the problem's fields. */
  async function toError(response) {
    let problem = null;
    const text = await response.text().catch(() => '');
    try {
      const parsed = text ? JSON.parse(text) : null;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) problem = parsed;
    } catch {
      // Not JSON (a proxy's page, an empty body): the status says what there is to say.
    }
    const fallback = `${response.status} ${response.statusText || 'error'}${text && !problem ? `: ${text.slice(0, 200)}` : ''}`;
    return new HubError(response.status, problem, fallback);
  }

  /** Sends a request and returns {status, body, etag}; throws a HubError for a status outside 2xx/304. */
  async function request(url, options = {}) {
    let response;
    try {
      response = await fetch(url, { cache: 'no-store', credentials: 'same-origin', ...options });
    } catch (err) {
      throw new HubError(0, null, `The hub did not answer (${err.message}). Is it running?`);
    }
    if (response.status === 304) return { status: 304, body: null, etag: response.headers.get('ETag') };
    if (!response.ok) throw await toError(response);
    const type = response.headers.get('Content-Type') || '';
    const body = response.status === 204 ? null : type.includes('json') ? await response.json() : await response.text();
    return { status: response.status, body, etag: response.headers.get('ETag') };
  }

  /** A block explaining an error: title, status, detail, the parameter at fault and any listed violations. */
  function errorBlock(err, context) {
    const problem = err && err.problem;
    const lines = [];
    if (problem) {
      if (problem.detail) lines.push(problem.detail);
      if (problem.parameter) lines.push(`Parameter: ${problem.parameter}`);
    }
    const status = err && err.status ? ` (${err.status})` : '';
    const items = problem && Array.isArray(problem.errors)
      ? problem.errors.slice(0, 20).map((e) => el('li', {}, typeof e === 'string' ? e : [e.pointer || e.instanceLocation || '', ' ', e.message || JSON.stringify(e)]))
      : [];
    return el('div', { class: 'alert error', role: 'alert' },
      el('div', { class: 'title' }, context ? `${context}: ` : '', (err && err.message) || String(err), status),
      lines.map((line) => el('div', {}, line)),
      items.length ? el('ul', {}, items) : null);
  }

  function okBlock(text, ...extra) {
    return el('div', { class: 'alert ok', role: 'status' }, el('div', { class: 'title' }, text), extra);
  }

  /** Shows a message in a container (replacing the previous one); null clears it. */
  function show(container, block) {
    container.replaceChildren(...(block ? [block] : []));
  }

  const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

  function formatTime(value) {
    if (!value) return '';
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? String(value) : dateTime.format(date);
  }

  /** Rounds for display only (the data set stores unrounded doubles). */
  function formatNumber(value, digits) {
    if (value === null || value === undefined || Number.isNaN(value)) return '–';
    const abs = Math.abs(value);
    const fraction = digits !== undefined ? digits : abs >= 1000 ? 0 : abs >= 100 ? 1 : abs >= 1 ? 2 : 4;
    return new Intl.NumberFormat(undefined, { maximumFractionDigits: fraction, minimumFractionDigits: 0 }).format(value);
  }

  /** JSON text made readable when it parses; other text as it is. */
  function pretty(value) {
    if (value === null || value === undefined) return '';
    if (typeof value !== 'string') return JSON.stringify(value, null, 2);
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }

  /** The parsed value of JSON text, or the value itself. */
  function parseMaybe(value) {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }

  /** The list in an answer: the answer itself when it is an array, else its first array among `names`, else its first array. */
  function listOf(body, ...names) {
    if (Array.isArray(body)) return body;
    if (!body || typeof body !== 'object') return [];
    for (const name of names) if (Array.isArray(body[name])) return body[name];
    const first = Object.values(body).find(Array.isArray);
    return first || [];
  }

  return { el, svg, request, HubError, errorBlock, okBlock, show, formatTime, formatNumber, pretty, parseMaybe, listOf };
})();
