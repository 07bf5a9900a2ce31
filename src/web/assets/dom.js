// Small DOM helpers: elements are built with createElement and text nodes
// (never innerHTML), so data from the API can never become markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function setAttrs(el, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, String(value));
    }
  }
  return el;
}

/** Appends children to an element, skipping null, undefined and false. */
export function add(el, ...children) {
  return append(el, children);
}

/** An HTML element: h('button', { type: 'button', onclick: fn }, 'Save'). */
export function h(tag, attrs, ...children) {
  return append(setAttrs(document.createElement(tag), attrs), children);
}

/** An SVG element. */
export function s(tag, attrs, ...children) {
  return append(setAttrs(document.createElementNS(SVG_NS, tag), attrs), children);
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

let uid = 0;
/** A unique id for label/aria wiring. */
export function newId(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}

// Every word a page shows for a machine code comes from here (issue 19);
// the API's messages (gaps, plan steps, warnings) are written for people
// already.

export const STATUS_LABEL = {
  ELIGIBLE: 'Eligible',
  NOT_YET: 'Not yet',
  INELIGIBLE: 'Steps to take',
};

// Steps to take is work ahead, not a failure: an arrow, never a cross.
export const STATUS_ICON = { ELIGIBLE: '✓', NOT_YET: '◷', INELIGIBLE: '→' };

export const GAP_LABEL = {
  TENURE: 'Time in role',
  PERFORMANCE: 'Performance',
  CERTIFICATION: 'Certifications',
  LANGUAGE: 'Languages',
  SKILL: 'Skills',
};

export const TRACK_LABEL = { FAST_TRACK: 'fast track', STANDARD: 'standard track' };

export const NOMINATION_LABEL = {
  PENDING: 'Waiting for HR',
  APPROVED: 'Approved',
  REJECTED: 'Not approved',
  WITHDRAWN: 'Withdrawn',
};

export const BELT_ORDER = ['WHITE', 'YELLOW', 'GREEN', 'BLACK', 'MASTER_BLACK'];

/** A Six Sigma belt or other level code in words: YELLOW → "Yellow Belt". */
export function levelLabel(code) {
  if (BELT_ORDER.includes(code)) {
    return `${code.split('_').map((w) => w[0] + w.slice(1).toLowerCase()).join(' ')} Belt`;
  }
  return code;
}

/** A status badge: colour, icon and words, never colour alone. */
export function statusBadge(status) {
  if (!status) return h('span', { class: 'badge badge-none' }, 'No next step');
  return h(
    'span',
    { class: `badge badge-${status}`, dataset: { status } },
    h('span', { 'aria-hidden': 'true' }, STATUS_ICON[status], ' '),
    STATUS_LABEL[status] || status,
  );
}

export function formatMoney(money) {
  if (!money) return '—';
  const value = Number(money.amount);
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: money.currency }).format(value);
  } catch {
    return `${money.amount} ${money.currency}`;
  }
}

export function formatDate(iso) {
  if (!iso) return '—';
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('en-GB', {
    day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC',
  });
}

/** Whole days from `asOf` (an ISO date, default today in UTC) to `iso`. */
export function daysUntil(iso, asOf) {
  const day = (text) => {
    const [y, m, d] = text.slice(0, 10).split('-').map(Number);
    return Date.UTC(y, m - 1, d);
  };
  const from = asOf ? day(asOf) : day(new Date().toISOString());
  return Math.round((day(iso) - from) / 86400000);
}

export function plural(n, word, words) {
  return `${n} ${n === 1 ? word : (words || `${word}s`)}`;
}

export function formatMonths(total) {
  const years = Math.floor(total / 12);
  const months = total % 12;
  if (years === 0) return plural(months, 'month');
  if (months === 0) return plural(years, 'year');
  return `${plural(years, 'year')} ${plural(months, 'month')}`;
}

export function formatPercent(share, digits = 0) {
  return `${(share * 100).toFixed(digits)}%`;
}

/** A page section with a heading. */
export function section(title, attrs, ...children) {
  const id = newId('section');
  return h('section', { class: 'card', 'aria-labelledby': id, ...(attrs || {}) },
    h('h2', { id }, title), ...children);
}

/** A message for an empty or failed area. */
export function note(text, kind = 'info') {
  return h('p', { class: `note note-${kind}`, role: kind === 'error' ? 'alert' : null }, text);
}
