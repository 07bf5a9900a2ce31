// My progression: the ladder from the current role to each next role as an
// SVG diagram coloured (and labelled) by status, then per option what is
// met and what is missing, the countdown to eligibleOn, warnings and the
// projected pay, and for each option not yet ELIGIBLE the dated plan that
// closes its gaps; tenure, rating, pay, nominations and the last reviews.

import { gql } from './api.js';
import {
  h, s, add, clear, section, note, statusBadge, formatMoney, formatDate, daysUntil, plural,
  formatMonths, STATUS_LABEL, STATUS_ICON,
} from './dom.js';
import { legend } from './charts.js';

const QUERY = `query MyProgression {
  me {
    id name site hiredOn roleSince
    role { code title }
    salary { amount currency }
    compaRatio
    reviews { periodEnd rating csat avgResponseSeconds resolutionAccuracy interactionsPerDay }
    progression {
      asOf monthsInRole monthsOfService rating eligible stalled
      currentRole { code title level }
      options {
        status track eligibleOn warnings
        targetRole { code title level }
        gaps { kind message }
        projectedSalary { amount currency }
        step {
          fastTrackMonths standardMonths minRating topPerformerRating raiseMinPercent raiseMaxPercent
          requirements { kind description }
          skillRequirements { skill { name } minLevel }
        }
      }
    }
  }
  nominations(first: 50) {
    nodes {
      id status createdAt decidedAt decisionReason effectiveOn
      nominee { id }
      nominatedBy { name }
      targetRole { title }
    }
  }
}`;

const STATUS_KEYS = [
  { key: 'ELIGIBLE', label: 'Eligible: nothing is missing', cls: 'swatch-ELIGIBLE' },
  { key: 'NOT_YET', label: 'Not yet: only time in role is missing', cls: 'swatch-NOT_YET' },
  { key: 'INELIGIBLE', label: 'Ineligible: something besides time is missing', cls: 'swatch-INELIGIBLE' },
];

const NOMINATION_LABEL = {
  PENDING: 'Pending HR decision',
  APPROVED: 'Approved',
  REJECTED: 'Rejected',
  WITHDRAWN: 'Withdrawn',
};

/** Splits text into lines of at most `max` characters at spaces. */
function wrap(text, max) {
  const lines = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && (line.length + 1 + word.length) > max) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

function optionDetail(option, asOf) {
  if (option.status === 'ELIGIBLE') {
    return option.track === 'FAST_TRACK' ? 'fast track' : 'standard track';
  }
  if (option.status === 'NOT_YET' && option.eligibleOn) {
    const days = daysUntil(option.eligibleOn, asOf);
    return `in ${plural(days, 'day')}`;
  }
  return plural(option.gaps.length, 'gap');
}

/** The ladder diagram: current role on the left (top on a phone), options on the right. */
function ladderDiagram(progression, width) {
  const { options, currentRole, monthsInRole, asOf } = progression;
  const narrow = width < 560;
  const PAD = 6;
  const OPT_H = 70;
  const GAP = 14;
  const charsPerLine = (w) => Math.max(10, Math.floor((w - 24) / 8.6));
  const svg = s('svg', { class: 'ladder', 'data-testid': 'ladder' });
  const defs = s('defs');
  for (const key of ['ELIGIBLE', 'NOT_YET', 'INELIGIBLE']) {
    defs.append(s('marker', {
      id: `arrow-${key}`, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 8, markerHeight: 8, orient: 'auto-start-reverse',
    }, s('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: `arrowhead arrow-${key}` })));
  }
  svg.append(defs);

  // Current role box.
  const curW = narrow ? width - 2 * PAD : Math.min(240, Math.floor(width * 0.32));
  const curLines = wrap(currentRole.title, charsPerLine(curW));
  const curH = 58 + curLines.length * 19;
  const optX = narrow ? 44 : width - PAD - Math.min(340, Math.floor(width * 0.5));
  const optW = narrow ? width - optX - PAD : width - PAD - optX;
  const optionsTop = narrow ? PAD + curH + 24 : PAD;
  const optionsH = options.length * OPT_H + Math.max(0, options.length - 1) * GAP;
  const curY = narrow ? PAD : PAD + Math.max(0, (optionsH - curH) / 2);
  const height = Math.max(curY + curH, optionsTop + optionsH) + PAD;
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', width);
  svg.setAttribute('height', height);

  const current = s('g', { class: 'ladder-current', 'data-role': currentRole.code });
  current.append(s('rect', { x: PAD, y: curY, width: curW, height: curH, rx: 10 }));
  current.append(s('text', { x: PAD + 12, y: curY + 20, class: 'ladder-kicker' }, 'You are here'));
  curLines.forEach((line, i) => current.append(
    s('text', { x: PAD + 12, y: curY + 42 + i * 19, class: 'ladder-title' }, line)));
  current.append(s('text', { x: PAD + 12, y: curY + curH - 10, class: 'ladder-sub' }, `${plural(monthsInRole, 'month')} in role`));
  svg.append(current);

  if (!options.length) {
    svg.append(s('text', { x: narrow ? PAD : optX, y: optionsTop + 30, class: 'ladder-sub' },
      'No ladder step leads out of this role yet.'));
  }

  options.forEach((option, i) => {
    const y = optionsTop + i * (OPT_H + GAP);
    const mid = y + OPT_H / 2;
    let path;
    if (narrow) {
      const trunkX = 22;
      path = `M ${trunkX} ${curY + curH} L ${trunkX} ${mid} L ${optX - 2} ${mid}`;
    } else {
      const sx = PAD + curW;
      const sy = curY + curH / 2;
      const cx = (sx + optX) / 2;
      path = `M ${sx} ${sy} C ${cx} ${sy}, ${cx} ${mid}, ${optX - 2} ${mid}`;
    }
    svg.append(s('path', { d: path, class: `ladder-arrow arrow-${option.status}`, 'marker-end': `url(#arrow-${option.status})` }));
    const group = s('g', {
      class: `ladder-option status-${option.status}`,
      'data-role': option.targetRole.code,
      'data-status': option.status,
    });
    group.append(s('title', {}, `${option.targetRole.title}: ${STATUS_LABEL[option.status]}`));
    group.append(s('rect', { x: optX, y, width: optW, height: OPT_H, rx: 10 }));
    const titleLine = wrap(option.targetRole.title, charsPerLine(optW))[0];
    const title = titleLine === option.targetRole.title ? titleLine : `${titleLine}…`;
    group.append(s('text', { x: optX + 12, y: y + 22, class: 'ladder-title' }, title));
    group.append(s('text', { x: optX + 12, y: y + 44, class: 'ladder-status' },
      `${STATUS_ICON[option.status]} ${STATUS_LABEL[option.status].toUpperCase()} · ${optionDetail(option, asOf)}`));
    if (option.projectedSalary) {
      group.append(s('text', { x: optX + 12, y: y + 62, class: 'ladder-sub' },
        `Projected pay ${formatMoney(option.projectedSalary)}`));
    }
    svg.append(group);
  });
  svg.setAttribute('role', 'img');
  const summary = options.map((o) => `${o.targetRole.title}: ${STATUS_LABEL[o.status]} (${optionDetail(o, asOf)})`).join('; ');
  svg.setAttribute('aria-label', `From ${currentRole.title} to: ${summary || 'no next role'}`);
  return svg;
}

function checklist(option, progression) {
  const { step, gaps, track } = option;
  const items = [];
  const byKind = (kind) => gaps.filter((g) => g.kind === kind);
  const item = (label, missing, metText) => {
    // Time is the one gap that closes by itself: a clock, not a cross.
    const waiting = missing.length > 0 && missing.every((g) => g.kind === 'TENURE');
    let cls = 'met';
    let icon = '✓';
    let words = 'Met: ';
    if (waiting) {
      cls = 'waiting';
      icon = '◷';
      words = 'Waiting: ';
    } else if (missing.length) {
      cls = 'missing';
      icon = '✗';
      words = 'Missing: ';
    }
    items.push(h('li', { class: cls },
      h('span', { class: 'check', 'aria-hidden': 'true' }, icon),
      h('span', { class: 'visually-hidden' }, words),
      h('strong', {}, label), ' — ',
      missing.length ? missing.map((g) => g.message).join('; ') : metText));
  };
  const months = track === 'FAST_TRACK' ? step.fastTrackMonths : step.standardMonths;
  item('Time in role', byKind('TENURE'),
    `${plural(progression.monthsInRole, 'month')} in role; ${track === 'FAST_TRACK' ? 'the fast track' : 'the standard track'} needs ${months}`);
  item('Performance', byKind('PERFORMANCE'),
    progression.rating === null
      ? 'no rating needed'
      : `rating ${progression.rating.toFixed(2)} (bar ${step.minRating.toFixed(1)}, top performer ${step.topPerformerRating.toFixed(1)})`);
  const certReqs = step.requirements.filter((r) => r.kind !== 'LANGUAGE');
  if (certReqs.length || byKind('CERTIFICATION').length) {
    item('Certifications', byKind('CERTIFICATION'), certReqs.map((r) => r.description).join('; ') || 'none needed');
  }
  const langReqs = step.requirements.filter((r) => r.kind === 'LANGUAGE');
  if (langReqs.length || byKind('LANGUAGE').length) {
    item('Languages', byKind('LANGUAGE'), langReqs.map((r) => r.description).join('; '));
  }
  const skillReqs = step.skillRequirements || [];
  if (skillReqs.length || byKind('SKILL').length) {
    item('Skills', byKind('SKILL'), skillReqs.map((r) => `${r.skill.name} ${r.minLevel}`).join('; '));
  }
  return h('ul', { class: 'checklist' }, items);
}

const PLAN = `query MyPlan($target: String!) {
  me { id plan(targetRoleCode: $target) { eligibleOn actions { kind description dueOn } } }
}`;

/**
 * The development plan of every option that is not ELIGIBLE yet, by target
 * role code: one fixed operation per target, in parallel (a server in
 * --persisted-only mode runs only the app's fixed operations).
 */
async function loadPlans(options) {
  const targets = options.filter((o) => o.status !== 'ELIGIBLE').map((o) => o.targetRole.code);
  const plans = await Promise.all(targets.map((target) => gql(PLAN, { target })));
  return Object.fromEntries(targets.map((code, i) => [code, plans[i].me.plan]));
}

function planBlock(plan) {
  if (!plan) return null;
  const when = plan.eligibleOn
    ? `Eligible from ${formatDate(plan.eligibleOn)} if you take these steps.`
    : 'No date yet: nothing scheduled closes every gap.';
  return h('section', { class: 'plan', 'aria-label': 'Your plan' },
    h('h4', {}, 'Your plan'),
    h('ol', { class: 'plan-actions' }, plan.actions.map((a) => h('li', { 'data-kind': a.kind },
      a.dueOn ? h('strong', {}, `${formatDate(a.dueOn)}: `) : null, a.description))),
    h('p', { class: 'plan-date' }, when));
}

function countdown(option, asOf) {
  if (option.status === 'NOT_YET' && option.eligibleOn) {
    const days = daysUntil(option.eligibleOn, asOf);
    return h('p', { class: 'countdown' },
      h('span', { class: 'countdown-number' }, String(days)),
      h('span', {}, ` ${days === 1 ? 'day' : 'days'} to go — eligible on ${formatDate(option.eligibleOn)}`));
  }
  if (option.status === 'ELIGIBLE') {
    return h('p', { class: 'countdown' },
      `Eligible since ${formatDate(option.eligibleOn)} on the ${option.track === 'FAST_TRACK' ? 'fast' : 'standard'} track.`);
  }
  return h('p', { class: 'countdown' }, `Not eligible yet: ${plural(option.gaps.length, 'requirement')} missing (below).`);
}

function optionCard(option, progression, plans) {
  return h('article', { class: `option-card status-${option.status}`, 'data-role': option.targetRole.code },
    h('header', {}, h('h3', {}, option.targetRole.title), statusBadge(option.status)),
    countdown(option, progression.asOf),
    checklist(option, progression),
    planBlock(plans[option.targetRole.code]),
    h('p', {}, h('strong', {}, 'Projected pay: '),
      option.projectedSalary
        ? `${formatMoney(option.projectedSalary)} a month (at the minimum raise of ${option.step.raiseMinPercent}%, within the band)`
        : 'no salary band for this role in your market yet'),
    option.warnings.length
      ? h('ul', { class: 'warnings', 'aria-label': 'Warnings' },
        option.warnings.map((w) => h('li', {}, h('span', { 'aria-hidden': 'true' }, '⚠ '), w)))
      : null);
}

function facts(me, p) {
  const fact = (label, value, sub) => h('div', { class: 'fact' },
    h('dt', {}, label), h('dd', {}, value, sub ? h('span', { class: 'fact-sub' }, sub) : null));
  return h('dl', { class: 'facts' },
    fact('Current role', p.currentRole.title, `since ${formatDate(me.roleSince)}`),
    fact('Service', formatMonths(p.monthsOfService), `hired ${formatDate(me.hiredOn)}`),
    fact('Time in role', plural(p.monthsInRole, 'month')),
    fact('Rating', p.rating === null ? 'No reviews yet' : p.rating.toFixed(2), 'mean of the last two reviews'),
    fact('Salary', formatMoney(me.salary), me.compaRatio ? `compa-ratio ${me.compaRatio.toFixed(2)}` : null));
}

/**
 * The pay of your own approved nominations. The listing leaves pay out: it
 * also holds nominations you made of people who may since have left your
 * chain, whose pay you may no longer see (FORBIDDEN).
 */
const NOMINATION_PAY = `query NominationPay($ids: [ID!]!) {
  nodes(ids: $ids) { id ... on Nomination { raisePercent newSalary { amount currency } } }
}`;

async function withPay(list) {
  const approved = list.filter((n) => n.status === 'APPROVED').slice(0, 20);
  if (!approved.length) return list;
  const pay = await gql(NOMINATION_PAY, { ids: approved.map((n) => n.id) });
  const byId = new Map(pay.nodes.filter(Boolean).map((p) => [p.id, p]));
  return list.map((n) => ({ ...n, ...(byId.get(n.id) || {}) }));
}

function nominationsList(list) {
  if (!list.length) return note('No nominations yet. Your manager nominates you when you are eligible.');
  return h('ul', { class: 'nominations' }, list.map((n) => h('li', { 'data-status': n.status },
    h('span', { class: `badge badge-nom-${n.status}` }, NOMINATION_LABEL[n.status] || n.status), ' ',
    h('strong', {}, n.targetRole.title), ` — nominated by ${n.nominatedBy.name} on ${formatDate(n.createdAt)}`,
    n.status === 'APPROVED' && n.newSalary
      ? `; new pay ${formatMoney(n.newSalary)} (+${n.raisePercent}%) from ${formatDate(n.effectiveOn)}`
      : '',
    n.decisionReason ? `; reason: ${n.decisionReason}` : '')));
}

function reviewsTable(reviews) {
  if (!reviews.length) return note('No performance reviews on record yet.');
  const fmt = (v, digits = 1, suffix = '') => (v === null || v === undefined ? '—' : `${Number(v).toFixed(digits)}${suffix}`);
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
    h('caption', { class: 'visually-hidden' }, 'Last performance reviews, newest first'),
    h('thead', {}, h('tr', {}, ['Period end', 'Rating', 'CSAT', 'Avg response', 'Accuracy', 'Interactions / day']
      .map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, reviews.slice(0, 4).map((r) => h('tr', {},
      h('th', { scope: 'row' }, formatDate(r.periodEnd)),
      h('td', {}, fmt(r.rating, 1)),
      h('td', {}, fmt(r.csat, 1, '%')),
      h('td', {}, r.avgResponseSeconds === null ? '—' : `${r.avgResponseSeconds} s`),
      h('td', {}, fmt(r.resolutionAccuracy, 1, '%')),
      h('td', {}, fmt(r.interactionsPerDay, 0)))))));
}

export function render(main, app) {
  const root = h('div', { class: 'page page-progression' });
  const live = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  main.append(h('h1', {}, 'My progression'), live, root);
  let data = null;
  let plans = {};
  let version = 0;
  let drawnWidth = 0;

  const width = () => Math.min(900, Math.max(280, root.clientWidth - 34));

  function draw() {
    clear(root);
    if (!data) return;
    drawnWidth = root.clientWidth;
    const { me } = data;
    const p = me.progression;
    const { mine } = data;
    add(root,
      h('p', { class: 'lead' }, `${me.name} · ${p.currentRole.title} · ${me.site}. Figures as of ${formatDate(p.asOf)}.`),
      p.stalled ? note('You have been eligible for more than six months with no open nomination: worth a conversation with your manager.', 'warn') : null,
      facts(me, p),
      section('Your next rungs', { class: 'card ladder-card' },
        h('p', { class: 'hint' }, p.eligible
          ? 'You are eligible for at least one next role.'
          : 'Each next role, and what stands between you and it.'),
        ladderDiagram(p, width()),
        legend(STATUS_KEYS)),
      h('div', { class: 'options-grid' }, p.options.map((o) => optionCard(o, p, plans))),
      section('My nominations', { 'data-testid': 'my-nominations' }, nominationsList(mine)),
      section('Last reviews', {}, reviewsTable(me.reviews)));
    version += 1;
    root.dataset.version = String(version);
  }

  async function load() {
    try {
      const loaded = await gql(QUERY);
      const own = loaded.nominations.nodes.filter((n) => n.nominee.id === loaded.me.id);
      data = { ...loaded, mine: await withPay(own) };
      // Plans are a nicety: the page works without them.
      plans = await loadPlans(data.me.progression.options).catch(() => ({}));
      draw();
    } catch (err) {
      clear(root).append(note(`Could not load your progression: ${err.message}`, 'error'));
    }
  }

  root.append(note('Loading…'));
  load();
  return {
    title: 'My progression',
    redraw: () => { if (data && root.clientWidth !== drawnWidth) draw(); },
    onEvent(nomination) {
      if (app.me && nomination.nominee.id === data?.me.id) {
        live.textContent = 'Your progression was updated.';
        load();
      }
    },
  };
}
