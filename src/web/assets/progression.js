// My progression: the ladder from the current role to each next role as an
// SVG diagram coloured (and labelled) by status, then per option what is
// met and what is missing, the countdown to eligibleOn, warnings and the
// projected pay, and for each option not yet ELIGIBLE the dated plan that
// closes its gaps; tenure, rating, pay, nominations and the last reviews.

import { gql, GqlError } from './api.js';
import {
  h, s, add, clear, section, note, statusBadge, formatMoney, formatDate, daysUntil, plural,
  formatMonths, STATUS_LABEL, STATUS_ICON, GAP_LABEL, TRACK_LABEL, NOMINATION_LABEL,
} from './dom.js';
import { legend } from './charts.js';

const QUERY = `query MyProgression {
  me {
    id name site hiredOn roleSince
    role { code title }
    manager { id name }
    enrolments { id status session { id } }
    salary { amount currency }
    payBasis fte annualisedSalary { amount currency }
    compaRatio
    reviews { periodEnd rating csat avgResponseSeconds resolutionAccuracy interactionsPerDay }
    payHistory { id reason status scheduled effectiveOn before { amount currency } after { amount currency } beforeBasis afterBasis beforeFte afterFte }
    bonusTargetPercent
    equityGrants { id grantedOn units vestingMonths cliffMonths vestedUnits }
    progression {
      asOf monthsInRole monthsOfService rating eligible stalled
      currentRole { code title level }
      options {
        status track eligibleOn warnings
        targetRole { code title level }
        gaps { kind message }
        projectedSalary { amount currency }
        targetBand { min { amount currency } max { amount currency } }
        projectedTotalPay { bonusTarget { amount currency } equityUnits }
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
  { key: 'INELIGIBLE', label: 'Steps to take: your plan shows them', cls: 'swatch-INELIGIBLE' },
];

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
    return TRACK_LABEL[option.track] || 'eligible';
  }
  if (option.status === 'NOT_YET' && option.eligibleOn) {
    const days = daysUntil(option.eligibleOn, asOf);
    return `in ${plural(days, 'day')}`;
  }
  return `${plural(option.gaps.length, 'requirement')} open`;
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
      `${STATUS_ICON[option.status]} ${STATUS_LABEL[option.status]} · ${optionDetail(option, asOf)}`));
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
  item(GAP_LABEL.TENURE, byKind('TENURE'),
    `${plural(progression.monthsInRole, 'month')} in role; the ${TRACK_LABEL[track] || 'track'} needs ${months}`);
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
  me { id plan(targetRoleCode: $target) {
    eligibleOn
    actions { kind description dueOn seatsLeft closes { kind message } session { id startsOn course { title } } }
  } }
}`;

const ENROL = `mutation Enrol($sessionId: ID!) {
  enrol(sessionId: $sessionId) { id status waitlistPosition session { id course { title } } }
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

/** Who to ask when nothing scheduled closes a gap. */
function whoToAsk(ctx) {
  const manager = ctx.me.manager ? `${ctx.me.manager.name} (your manager)` : 'your manager';
  return `Ask ${manager} or HR.`;
}

/** The enrol button of a plan step that names a session you are not in yet. */
function enrolButton(action, ctx) {
  if (!action.session || ctx.enrolled.has(action.session.id)) return null;
  const title = action.session.course.title;
  const full = action.seatsLeft === 0;
  const button = h('button', { type: 'button', class: 'primary small', 'data-session': action.session.id },
    full ? `Join the waitlist for ${title}` : `Enrol in ${title}`);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const done = await gql(ENROL, { sessionId: action.session.id });
      const e = done.enrol;
      ctx.app.toast(e.status === 'WAITLISTED'
        ? `You are on the waitlist for ${e.session.course.title} (position ${e.waitlistPosition}).`
        : `You are enrolled in ${e.session.course.title}.`, 'good');
      ctx.reload();
    } catch (err) {
      const text = err instanceof GqlError && err.code === 'CONFLICT'
        ? `You are already enrolled in ${title}.` : `Could not enrol: ${err.message}`;
      ctx.app.toast(text, 'warn');
      button.disabled = false;
    }
  });
  return button;
}

function planBlock(option, plan, ctx) {
  if (!plan) return null;
  const title = option.targetRole.title;
  const when = plan.eligibleOn
    ? `Eligible from ${formatDate(plan.eligibleOn)} if you take these steps.`
    : `No date yet: nothing scheduled closes every requirement. ${whoToAsk(ctx)}`;
  return h('section', { class: 'plan', 'aria-label': `Your plan for ${title}` },
    h('h4', {}, 'Your plan'),
    h('ol', { class: 'plan-actions' }, plan.actions.map((a) => {
      const enrolled = a.session && ctx.enrolled.has(a.session.id);
      return h('li', { 'data-kind': a.kind },
        a.dueOn ? h('strong', {}, `By ${formatDate(a.dueOn)}: `) : null,
        a.description,
        enrolled ? h('span', { class: 'badge badge-ELIGIBLE' }, ' ✓ Enrolled') : null,
        a.closes.length
          ? h('span', { class: 'closes' }, 'Closes: ',
            a.closes.map((g) => `${GAP_LABEL[g.kind] || 'Requirement'} (${g.message})`).join('; '))
          : null,
        a.dueOn ? null : h('span', { class: 'closes' }, whoToAsk(ctx)),
        enrolButton(a, ctx));
    })),
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
  return h('p', { class: 'countdown' }, `${plural(option.gaps.length, 'requirement')} still open: your plan below closes them.`);
}

function optionCard(option, progression, plans, ctx) {
  return h('article', { class: `option-card status-${option.status}`, 'data-role': option.targetRole.code },
    h('header', {}, h('h3', {}, option.targetRole.title), statusBadge(option.status)),
    countdown(option, progression.asOf),
    checklist(option, progression),
    planBlock(option, plans[option.targetRole.code], ctx),
    h('p', {}, h('strong', {}, 'Projected pay: '),
      option.projectedSalary
        ? `${formatMoney(option.projectedSalary)}${PER_BASIS[ctx.me.payBasis] || ''} (at the minimum raise of ${option.step.raiseMinPercent}% on a promotion, up to ${option.step.raiseMaxPercent}%, within the band)`
        : 'no salary band for this role in your market yet'),
    option.projectedTotalPay && (option.projectedTotalPay.bonusTarget || option.projectedTotalPay.equityUnits)
      ? h('p', {}, h('strong', {}, 'With the role: '), [
        option.projectedTotalPay.bonusTarget ? `a bonus target of ${formatMoney(option.projectedTotalPay.bonusTarget)}` : null,
        option.projectedTotalPay.equityUnits ? `${option.projectedTotalPay.equityUnits.toLocaleString('en')} equity units, vesting over time` : null,
      ].filter(Boolean).join(' and '), '.')
      : null,
    option.targetBand
      ? h('p', {}, h('strong', {}, 'Pay range: '), `${formatMoney(option.targetBand.min)} to ${formatMoney(option.targetBand.max)} for ${option.targetRole.title} in your market`)
      : null,
    option.warnings.length
      ? h('ul', { class: 'warnings', 'aria-label': `Warnings for ${option.targetRole.title}` },
        option.warnings.map((w) => h('li', {}, h('span', { 'aria-hidden': 'true' }, '⚠ '), w)))
      : null);
}

/** The tracker of an open nomination: nominated → HR review → decision. */
function tracker(n) {
  const step = (label, state, when) => h('li', { 'data-state': state },
    h('span', { class: 'visually-hidden' }, { done: 'Done: ', current: 'Now: ', later: 'Next: ' }[state]),
    label, when ? h('span', { class: 'when' }, when) : null);
  return h('ol', { class: 'tracker', 'aria-label': 'Your nomination, step by step' },
    step('Nominated', 'done', `by ${n.nominatedBy.name}, ${formatDate(n.createdAt)}`),
    step('HR review', 'current', `${plural(Math.max(0, -daysUntil(n.createdAt)), 'day')} so far`),
    step('Decision', 'later', 'you will see it here'));
}

/** The soonest option that is not eligible yet, and its plan. */
function soonest(options, plans) {
  const dated = (o) => (o.status === 'NOT_YET' ? o.eligibleOn : plans[o.targetRole.code]?.eligibleOn) || '9999-12-31';
  return [...options].filter((o) => o.status !== 'ELIGIBLE')
    .sort((a, b) => dated(a).localeCompare(dated(b)))[0] || null;
}

/** What comes next when nothing is eligible: the countdown or the first step. */
function comingNext(option, plans, ctx, asOf) {
  if (!option) return [h('p', {}, 'No ladder step leads out of your role yet. HR adds new steps as the organisation grows.')];
  const title = option.targetRole.title;
  if (option.status === 'NOT_YET') {
    const days = daysUntil(option.eligibleOn, asOf);
    return [h('p', {}, h('strong', { class: 'countdown-number' }, String(days)),
      ` ${days === 1 ? 'day' : 'days'} to go: you can be nominated for ${title} from ${formatDate(option.eligibleOn)}. Nothing else is missing.`)];
  }
  const plan = plans[option.targetRole.code];
  const first = plan && plan.actions.find((a) => a.kind !== 'WAIT_FOR_TENURE');
  if (!first) return [h('p', {}, `For ${title}: ${option.gaps.map((g) => g.message).join('; ')}.`)];
  return [
    h('p', {}, `Your first step towards ${title}: `, h('strong', {}, first.description),
      first.dueOn ? ` (by ${formatDate(first.dueOn)}).` : '.'),
    plan.eligibleOn
      ? h('p', {}, `Follow your plan and you can be nominated from ${formatDate(plan.eligibleOn)}.`)
      : h('p', {}, `Nothing scheduled closes every requirement yet. ${whoToAsk(ctx)}`),
    h('div', { class: 'next-actions' }, enrolButton(first, ctx)),
  ];
}

/**
 * The one thing to do next, at the top of the page: what a nomination is
 * waiting for, the news of a promotion, whom to talk to when eligible, or the
 * countdown and the first step of the plan. Never red: none of it is bad news.
 */
function nextStep(ctx, plans) {
  const { me, mine } = ctx;
  const p = me.progression;
  const pending = mine.find((n) => n.status === 'PENDING');
  const promoted = mine.find((n) => n.status === 'APPROVED' && n.targetRole.title === p.currentRole.title
    && p.monthsInRole < 3);
  const eligible = p.options.filter((o) => o.status === 'ELIGIBLE');
  const manager = me.manager ? me.manager.name : 'your manager';
  let title;
  let body;
  if (pending) {
    title = `You are nominated for ${pending.targetRole.title}`;
    body = [tracker(pending), h('p', {}, 'HR reviews the nomination and decides. There is nothing you need to do.')];
  } else if (promoted) {
    title = `Congratulations: you are now ${promoted.targetRole.title}`;
    body = [
      h('p', {}, `Since ${formatDate(promoted.effectiveOn || me.roleSince)}`,
        promoted.newSalary ? `, with new pay of ${formatMoney(promoted.newSalary)} (+${promoted.raisePercent}%).` : '.'),
      h('h3', {}, 'What comes next'),
      ...comingNext(soonest(p.options, plans), plans, ctx, p.asOf),
    ];
  } else if (eligible.length) {
    const first = eligible[0];
    const others = eligible.slice(1).map((o) => o.targetRole.title);
    title = `You can be nominated for ${first.targetRole.title}`;
    body = [
      h('p', {}, `Talk to ${manager} about ${first.targetRole.title}: your manager nominates you, then HR decides.`,
        others.length ? ` You are also eligible for ${others.join(', ')}.` : ''),
      p.stalled ? h('p', {}, 'You have been eligible for more than six months with no nomination: now is a good time to ask.') : null,
    ];
  } else {
    const next = soonest(p.options, plans);
    title = next ? `Next: ${next.targetRole.title}` : 'You are at the top of your ladder';
    body = comingNext(next, plans, ctx, p.asOf);
  }
  return h('section', { class: 'card next-step', 'aria-labelledby': 'next-step-title', 'data-testid': 'next-step' },
    h('h2', { id: 'next-step-title' }, title), ...body);
}

function facts(me, p) {
  const fact = (label, value, sub) => h('div', { class: 'fact' },
    h('dt', {}, label), h('dd', {}, value, sub ? h('span', { class: 'fact-sub' }, sub) : null));
  return h('dl', { class: 'facts' },
    fact('Current role', p.currentRole.title, `since ${formatDate(me.roleSince)}`),
    fact('Service', formatMonths(p.monthsOfService), `hired ${formatDate(me.hiredOn)}`),
    fact('Time in role', plural(p.monthsInRole, 'month')),
    fact('Manager', me.manager ? me.manager.name : 'Nobody'),
    fact('Rating', p.rating === null ? 'No reviews yet' : p.rating.toFixed(2), 'mean of the last two reviews'),
    fact('Salary', `${formatMoney(me.salary)}${PER_BASIS[me.payBasis] || ''}`, [
      me.fte !== 1 ? `${me.fte === 0.5 ? 'half time' : `${me.fte} of full time`}` : null,
      me.payBasis !== 'ANNUAL' || me.fte !== 1 ? `${formatMoney(me.annualisedSalary)} a year full time` : null,
      me.compaRatio ? `compa-ratio ${me.compaRatio.toFixed(2)}` : null,
    ].filter(Boolean).join(' · ') || null));
}

/** How a pay basis reads after an amount ("¥220 an hour"). */
const PER_BASIS = { ANNUAL: ' a year', MONTHLY: ' a month', HOURLY: ' an hour' };

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
    h('span', { class: `badge badge-nom-${n.status}` }, NOMINATION_LABEL[n.status] || 'Changed'), ' ',
    h('strong', {}, n.targetRole.title), ` — nominated by ${n.nominatedBy.name} on ${formatDate(n.createdAt)}`,
    n.status === 'APPROVED' && n.newSalary
      ? `; new pay ${formatMoney(n.newSalary)} (+${n.raisePercent}%) from ${formatDate(n.effectiveOn)}`
      : '',
    n.decisionReason ? `; reason: ${n.decisionReason}` : '')));
}

const PAY_REASON = {
  PROMOTION: 'Promotion',
  MERIT: 'Merit raise',
  MARKET_ADJUSTMENT: 'Market adjustment',
  CORRECTION: 'Correction',
  LATERAL_MOVE: 'Move to another role',
  TERMS_CHANGE: 'Change of hours or pay basis',
};
const BASIS_WORD = { ANNUAL: 'a year', MONTHLY: 'a month', HOURLY: 'an hour' };
const PAY_STATUS = { PROPOSED: 'proposed, waiting for HR', APPROVED: null, REJECTED: 'not approved' };

/** Every change of pay, newest first (the API's payHistory). */
function payList(history) {
  if (!history.length) return note('No pay changes on record yet.');
  return h('ul', { class: 'nominations', 'data-testid': 'pay-history' }, history.slice(0, 20).map((c) => h('li', {},
    h('strong', {}, PAY_REASON[c.reason] || 'Pay change'), ` from ${formatDate(c.effectiveOn)}: `,
    c.reason === 'TERMS_CHANGE'
      ? `${formatMoney(c.after)} ${BASIS_WORD[c.afterBasis] || ''}, ${c.beforeFte} → ${c.afterFte} of full time`
      : `${formatMoney(c.before)} → ${formatMoney(c.after)}`,
    c.scheduled ? ` (approved, applies on ${formatDate(c.effectiveOn)})` : '',
    PAY_STATUS[c.status] ? ` (${PAY_STATUS[c.status]})` : '')));
}

function reviewsTable(reviews) {
  if (!reviews.length) return note('No performance reviews on record yet.');
  const fmt = (v, digits = 1, suffix = '') => (v === null || v === undefined ? '—' : `${Number(v).toFixed(digits)}${suffix}`);
  // Scrolls sideways on a phone: focusable, so a keyboard can scroll it too.
  return h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Last reviews (scrolls sideways)' }, h('table', { class: 'data' },
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

let prefetched = null;

/** Starts the page's query before the page is shown (the shell calls it at boot). */
export function prefetch() {
  prefetched = gql(QUERY);
  prefetched.catch(() => {});
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
    const ctx = {
      app, me, mine, reload: load,
      enrolled: new Set(me.enrolments.filter((e) => e.status === 'ENROLLED' || e.status === 'WAITLISTED').map((e) => e.session.id)),
    };
    add(root,
      h('p', { class: 'lead' }, `${me.name} · ${p.currentRole.title} · ${me.site}. Figures as of ${formatDate(p.asOf)}.`),
      nextStep(ctx, plans),
      facts(me, p),
      section('Your next rungs', { class: 'card ladder-card' },
        h('p', { class: 'hint' }, p.eligible
          ? 'You are eligible for at least one next role.'
          : 'Each next role, and what stands between you and it.'),
        ladderDiagram(p, width()),
        legend(STATUS_KEYS)),
      h('div', { class: 'options-grid' }, p.options.map((o) => optionCard(o, p, plans, ctx))),
      section('My nominations', { 'data-testid': 'my-nominations' }, nominationsList(mine)),
      section('My pay', { 'data-testid': 'my-pay' },
        me.bonusTargetPercent ? h('p', {}, h('strong', {}, 'Bonus target: '), `${me.bonusTargetPercent}% of your pay`) : null,
        me.equityGrants.length
          ? h('ul', { class: 'nominations', 'data-testid': 'equity' }, me.equityGrants.map((g) => h('li', {},
            h('strong', {}, `${g.units.toLocaleString('en')} equity units`), ` granted ${formatDate(g.grantedOn)}: `,
            `${g.vestedUnits.toLocaleString('en')} vested so far, all of them over ${plural(g.vestingMonths, 'month')}`,
            g.cliffMonths ? ` (nothing before ${plural(g.cliffMonths, 'month')})` : '')))
          : null,
        payList(me.payHistory)),
      section('Last reviews', {}, reviewsTable(me.reviews)));
    version += 1;
    root.dataset.version = String(version);
  }

  async function load() {
    try {
      const early = prefetched;
      prefetched = null;
      const loaded = await (early || gql(QUERY));
      const own = loaded.nominations.nodes.filter((n) => n.nominee.id === loaded.me.id);
      // The page shows at once; the pay of approved nominations and the
      // plans follow together, one round trip later. Plans are a nicety:
      // the page works without them.
      data = { ...loaded, mine: own };
      draw();
      const [mine, loadedPlans] = await Promise.all([
        withPay(own),
        loadPlans(loaded.me.progression.options).catch(() => ({})),
      ]);
      data = { ...loaded, mine };
      plans = loadedPlans;
      draw();
    } catch (err) {
      const retry = h('button', { type: 'button' }, 'Try again');
      retry.addEventListener('click', () => { clear(root).append(note('Loading…')); load(); });
      clear(root).append(note(`Could not load your progression: ${err.message}`, 'error'), retry);
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
