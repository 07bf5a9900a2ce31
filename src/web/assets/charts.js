// SVG charts drawn by the page itself. Each chart is a <figure> with a
// caption, an SVG (role="img" with a text summary), a legend where colours
// mean something, and the same figures as a table for screen readers and
// for anyone who wants the numbers.

import { h, s, newId } from './dom.js';

const ROW = 46; // label line + bar line
const BAR = 20;
const PAD = 8;

function figure(title, summary, svg, legend, table) {
  const captionId = newId('cap');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-labelledby', captionId);
  svg.prepend(s('title', {}, `${title}: ${summary}`));
  return h('figure', { class: 'chart' },
    h('figcaption', { id: captionId }, title),
    svg,
    legend,
    table ? h('details', { class: 'chart-table' }, h('summary', {}, 'Show the figures as a table'), table) : null);
}

export function legend(items) {
  return h('ul', { class: 'legend' },
    items.map((item) => h('li', {},
      h('span', { class: `swatch ${item.cls}`, 'aria-hidden': 'true' }), item.label)));
}

function dataTable(head, rows) {
  return h('table', { class: 'data' },
    h('thead', {}, h('tr', {}, head.map((cell) => h('th', { scope: 'col' }, cell)))),
    h('tbody', {}, rows.map((row) => h('tr', { class: row.cls || null },
      row.cells.map((cell, i) => (i === 0 ? h('th', { scope: 'row' }, cell) : h('td', {}, cell)))))));
}

/**
 * Horizontal stacked bars on one scale.
 * rows: [{ label, note, values: {key: n} }]; keys: [{ key, label, cls }]
 */
export function stackedBars({ title, rows, keys, width }) {
  const max = Math.max(1, ...rows.map((r) => keys.reduce((sum, k) => sum + (r.values[k.key] || 0), 0)));
  const plot = width - 2 * PAD - 40;
  const height = rows.length * ROW + PAD;
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'chart-svg' });
  rows.forEach((row, i) => {
    const y = PAD + i * ROW;
    svg.append(s('text', { x: PAD, y: y + 12, class: 'chart-label' }, row.label,
      row.note ? s('tspan', { class: 'chart-note' }, `  ${row.note}`) : null));
    let x = PAD;
    let total = 0;
    for (const key of keys) {
      const value = row.values[key.key] || 0;
      total += value;
      if (!value) continue;
      const w = (value / max) * plot;
      svg.append(s('rect', { x, y: y + 18, width: Math.max(w, 1), height: BAR, class: `seg ${key.cls}` },
        s('title', {}, `${row.label}: ${value} ${key.label.toLowerCase()}`)));
      if (w >= 22) {
        svg.append(s('text', { x: x + w / 2, y: y + 18 + BAR / 2 + 4, class: 'seg-value', 'text-anchor': 'middle' }, value));
      }
      x += w;
    }
    svg.append(s('text', { x: x + 6, y: y + 18 + BAR / 2 + 4, class: 'chart-total' }, total));
  });
  const summary = rows.map((r) => `${r.label}: ${keys.map((k) => `${r.values[k.key] || 0} ${k.label.toLowerCase()}`).join(', ')}`).join('; ');
  const table = dataTable(['', ...keys.map((k) => k.label), 'Note'],
    rows.map((r) => ({ cells: [r.label, ...keys.map((k) => String(r.values[k.key] || 0)), r.note || ''] })));
  return figure(title, summary, svg, legend(keys), table);
}

/**
 * Plain horizontal bars. rows: [{ label, value, text, cls, marks: [{value, label, cls}] }]
 */
export function bars({ title, rows, width, max: given, legendItems }) {
  const max = Math.max(1e-9, given || 0, ...rows.map((r) => r.value),
    ...rows.flatMap((r) => (r.marks || []).map((m) => m.value)));
  const plot = width - 2 * PAD - 120;
  const height = rows.length * ROW + PAD;
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'chart-svg' });
  rows.forEach((row, i) => {
    const y = PAD + i * ROW;
    svg.append(s('text', { x: PAD, y: y + 12, class: `chart-label ${row.labelCls || ''}` }, row.label));
    const w = (row.value / max) * plot;
    svg.append(s('rect', { x: PAD, y: y + 18, width: Math.max(w, 1), height: BAR, class: `seg ${row.cls || 'seg-plain'}` },
      s('title', {}, `${row.label}: ${row.text}`)));
    for (const mark of row.marks || []) {
      const mx = PAD + (mark.value / max) * plot;
      svg.append(s('line', { x1: mx, x2: mx, y1: y + 14, y2: y + 18 + BAR + 4, class: `mark ${mark.cls}` },
        s('title', {}, `${mark.label}: ${mark.value}`)));
    }
    const end = PAD + Math.max(w, ...(row.marks || []).map((m) => (m.value / max) * plot));
    svg.append(s('text', { x: end + 6, y: y + 18 + BAR / 2 + 4, class: 'chart-total' }, row.text));
  });
  const summary = rows.map((r) => `${r.label}: ${r.text}`).join('; ');
  const table = dataTable(['', 'Value'], rows.map((r) => ({ cells: [r.label, r.text], cls: r.rowCls })));
  return figure(title, summary, svg, legendItems ? legend(legendItems) : null, table);
}

/**
 * Box plots of compa-ratios on one axis with the band midpoint (1.0) marked.
 * rows: [{ label, count, min, p25, median, p75, max, belowMin, aboveMax }]
 */
export function boxPlots({ title, rows, width }) {
  const lo = Math.min(0.8, ...rows.map((r) => r.min));
  const hi = Math.max(1.2, ...rows.map((r) => r.max));
  const from = Math.floor(lo * 10) / 10;
  const to = Math.ceil(hi * 10) / 10;
  const left = PAD + 4;
  const plot = width - left - PAD - 4;
  const x = (v) => left + ((v - from) / (to - from)) * plot;
  const axisY = rows.length * ROW + PAD + 4;
  const height = axisY + 28;
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, width, height, class: 'chart-svg' });
  rows.forEach((row, i) => {
    const y = PAD + i * ROW;
    // The midpoint is marked beside each box only, so it never crosses the
    // row's label.
    svg.append(s('line', { x1: x(1), x2: x(1), y1: y + 15, y2: y + 21 + BAR, class: 'midpoint' },
      s('title', {}, 'Band midpoint (compa-ratio 1.0)')));
    const outside = [row.belowMin ? `${row.belowMin} below band` : '', row.aboveMax ? `${row.aboveMax} above band` : '']
      .filter(Boolean).join(', ');
    svg.append(s('text', { x: PAD, y: y + 12, class: 'chart-label' }, row.label,
      s('tspan', { class: 'chart-note' }, `  n=${row.count} · median ${row.median.toFixed(2)}${outside ? ` · ${outside}` : ''}`)));
    const mid = y + 18 + BAR / 2;
    svg.append(s('line', { x1: x(row.min), x2: x(row.max), y1: mid, y2: mid, class: 'whisker' }));
    svg.append(s('line', { x1: x(row.min), x2: x(row.min), y1: mid - 6, y2: mid + 6, class: 'whisker' }));
    svg.append(s('line', { x1: x(row.max), x2: x(row.max), y1: mid - 6, y2: mid + 6, class: 'whisker' }));
    svg.append(s('rect', {
      x: x(row.p25), y: y + 18, width: Math.max(2, x(row.p75) - x(row.p25)), height: BAR, class: 'box',
    }, s('title', {}, `${row.label}: min ${row.min.toFixed(2)}, p25 ${row.p25.toFixed(2)}, median ${row.median.toFixed(2)}, p75 ${row.p75.toFixed(2)}, max ${row.max.toFixed(2)}`)));
    svg.append(s('line', { x1: x(row.median), x2: x(row.median), y1: y + 16, y2: y + 20 + BAR, class: 'median' }));
  });
  svg.append(s('line', { x1: left, x2: left + plot, y1: axisY, y2: axisY, class: 'axis' }));
  for (let t = Math.round(from * 10); t <= Math.round(to * 10); t += 1) {
    const v = t / 10;
    svg.append(s('line', { x1: x(v), x2: x(v), y1: axisY, y2: axisY + 4, class: 'axis' }));
    svg.append(s('text', { x: x(v), y: axisY + 16, class: 'tick', 'text-anchor': 'middle' }, v.toFixed(1)));
  }
  const summary = rows.map((r) => `${r.label}: median ${r.median.toFixed(2)} (from ${r.min.toFixed(2)} to ${r.max.toFixed(2)}, ${r.count} people)`).join('; ');
  const table = dataTable(['', 'People', 'Min', 'P25', 'Median', 'P75', 'Max', 'Below band', 'Above band'],
    rows.map((r) => ({ cells: [r.label, String(r.count), ...[r.min, r.p25, r.median, r.p75, r.max].map((v) => v.toFixed(2)), String(r.belowMin), String(r.aboveMax)] })));
  const key = h('ul', { class: 'legend' },
    h('li', {}, h('span', { class: 'swatch swatch-box', 'aria-hidden': 'true' }), 'middle half (25th–75th percentile), bar = median'),
    h('li', {}, h('span', { class: 'swatch swatch-whisker', 'aria-hidden': 'true' }), 'whiskers: lowest to highest'),
    h('li', {}, h('span', { class: 'swatch swatch-midpoint', 'aria-hidden': 'true' }), 'band midpoint (1.0)'));
  return figure(title, summary, svg, key, table);
}
