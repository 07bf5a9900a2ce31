// The HR dashboard (HR and ADMIN: everyone; a manager: their chain):
// eligibility by site and by role, compa-ratio box plots, the nomination
// funnel, leadership coverage, certification coverage, and the queue of
// PENDING nominations that HR approves (with a raise) or rejects.

import { gql, allPages, GqlError } from './api.js';
import {
  h, clear, section, note, formatMoney, formatDate, formatPercent, newId, plural, NOMINATION_LABEL,
  STATUS_LABEL, levelLabel, BELT_ORDER,
} from './dom.js';
import { stackedBars, bars, boxPlots } from './charts.js';

const DASHBOARD = `query Dashboard($groupBy: GroupBy!) {
  dashboard {
    asOf
    bySite: eligibility(groupBy: SITE) { key label total eligible fastTrack notYet ineligible stalled }
    byRole: eligibility(groupBy: ROLE) { key label total eligible fastTrack notYet ineligible stalled }
    compaRatios(groupBy: $groupBy) { key label count min p25 median p75 max belowMin aboveMax }
    nominationFunnel { pending approved rejected withdrawn medianDaysToDecision }
    leadershipCoverage { site csrs teamLeads neededAtMost15 neededAt10 understaffed }
    certificationCoverage { kind level holders share }
  }
  ladder { code title steps { to { code } raiseMinPercent raiseMaxPercent } }
}`;

const QUEUE = `query Queue($after: String) {
  nominations(status: PENDING, first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id createdAt justification override overrideReason
      nominee { id name site role { code title } salary { amount currency } }
      nominatedBy { name }
      targetRole { code title }
    }
  }
}`;

const PREVIEW = `query PayPreview($id: ID!, $raise: Float, $nominee: ID!) {
  promotionPayPreview(nominationId: $id, raisePercent: $raise) {
    raisePercent clampedToBand compaRatioAfter rangePenetrationAfter
    currentSalary { amount currency } newSalary { amount currency }
    bandMin { amount currency } bandMax { amount currency }
  }
  employee(id: $nominee) {
    id
    progression { monthsInRole monthsOfService rating }
    certifications { id name status }
  }
}`;

const DECIDED = `query Decided {
  nominations(first: 50) {
    nodes {
      id status decidedAt decisionReason
      nominee { id name }
      decidedBy { name }
      targetRole { title }
    }
  }
}`;

const PAY_QUEUE = `query PayQueue {
  payChanges(status: PROPOSED, first: 50) {
    totalCount
    nodes {
      id reason effectiveOn note overrideReason
      before { amount currency } after { amount currency }
      employee { id name role { title } site compaRatio }
      proposedBy { id name }
    }
  }
}`;

const DECIDE_PAY = `mutation DecidePay($id: ID!, $approve: Boolean!, $note: String) {
  decidePayChange(id: $id, approve: $approve, note: $note) { id status employee { name } after { amount currency } }
}`;

const MERIT = `query MeritProgress {
  meritCycles { id name status effectiveOn budgetPercent proposalCount
    budgets { scope budget { amount currency } used { amount currency } remaining { amount currency } } }
}`;

const CLOSE_MERIT = 'mutation CloseMerit($id: ID!) { closeMeritCycle(id: $id) { id status } }';

const PAY_GAPS = `query PayGaps {
  payGapReport { roleCode market currency women men meanGapPercent medianGapPercent meanTotalGapPercent }
  ladder { code title }
}`;

const PAY_REASON = { MERIT: 'Merit raise', MARKET_ADJUSTMENT: 'Market adjustment', CORRECTION: 'Correction' };

const APPROVE = `mutation Approve($id: ID!, $raise: Float) {
  approveNomination(id: $id, raisePercent: $raise) { id status newSalary { amount currency } nominee { name } targetRole { title } }
}`;
const REJECT = `mutation Reject($id: ID!, $reason: String!) {
  rejectNomination(id: $id, reason: $reason) { id status nominee { name } }
}`;

const ELIGIBILITY_KEYS = [
  { key: 'eligible', label: 'Eligible', cls: 'swatch-ELIGIBLE' },
  { key: 'notYet', label: 'Not yet', cls: 'swatch-NOT_YET' },
  { key: 'ineligible', label: STATUS_LABEL.INELIGIBLE, cls: 'swatch-INELIGIBLE' },
  { key: 'other', label: 'No next step', cls: 'swatch-none' },
];

const KIND_LABEL = {
  SIX_SIGMA: 'Six Sigma', LANGUAGE: 'Language', LEADERSHIP_TRAINING: 'Leadership training', OTHER: 'Other',
};

function eligibilityRows(buckets) {
  return buckets.map((b) => ({
    label: b.label,
    note: `${plural(b.total, 'person', 'people')}${b.fastTrack ? ` · ${b.fastTrack} fast track` : ''}${b.stalled ? ` · ${b.stalled} stalled` : ''}`,
    values: {
      eligible: b.eligible,
      notYet: b.notYet,
      ineligible: b.ineligible,
      other: Math.max(0, b.total - b.eligible - b.notYet - b.ineligible),
    },
  }));
}

function raiseRange(ladder, from, to) {
  const role = ladder.find((r) => r.code === from);
  const step = role && role.steps.find((st) => st.to.code === to);
  return step ? [step.raiseMinPercent, step.raiseMaxPercent] : [0, 100];
}

export function render(main, app) {
  const isHr = app.me && ['HR', 'ADMIN'].includes(app.me.accessRole);
  const root = h('div', { class: 'page page-dashboard' });
  main.append(h('h1', {}, isHr ? 'HR dashboard' : 'Dashboard: my reporting chain'), root);
  let data = null;
  let queue = [];
  let queueError = null;
  let decided = [];
  let payQueue = [];
  let payGaps = null;
  let merit = [];
  let groupBy = 'ROLE';
  let error = null;
  let version = 0;

  // Charts are drawn at the pixel width they get, so text keeps its size.
  const width = () => Math.max(260, root.clientWidth - 36);
  const halfWidth = () => (window.matchMedia('(min-width: 1100px)').matches
    ? Math.max(260, Math.floor((root.clientWidth - 16) / 2) - 38)
    : width());

  /** HR's decision panel of one nomination: evidence, live pay, confirmation. */
  function decisionPanel(n, min, max, result) {
    const raiseId = newId('raise');
    const reasonId = newId('reason');
    const panel = h('div', { class: 'decision-panel', 'data-testid': 'decision-panel' });
    const evidence = h('div', { class: 'evidence' }, note('Loading the evidence…'));
    const preview = h('p', { class: 'preview', role: 'status', 'aria-live': 'polite', 'data-testid': 'pay-preview' });
    const raise = h('input', {
      id: raiseId, type: 'number', min, max, step: '0.01', value: String(min), inputmode: 'decimal', required: true,
    });
    const approve = h('button', { type: 'button', class: 'primary' }, `Approve ${n.nominee.name}…`);
    const confirmArea = h('div');
    const reason = h('input', { id: reasonId, type: 'text', maxlength: 2000 });
    const reject = h('button', { type: 'button', class: 'danger', 'aria-label': `Reject ${n.nominee.name}'s nomination` }, 'Reject');
    let latest = null;
    let asked = 0;

    async function refreshPreview(withEvidence) {
      const value = Number(raise.value);
      if (!raise.value || Number.isNaN(value) || value < min || value > max) {
        latest = null;
        preview.textContent = `Enter a raise between ${min}% and ${max}%.`;
        return;
      }
      asked += 1;
      const mine = asked;
      try {
        const got = await gql(PREVIEW, { id: n.id, raise: value, nominee: n.nominee.id });
        if (mine !== asked) return;
        latest = got.promotionPayPreview;
        const band = latest.bandMin
          ? ` Band ${formatMoney(latest.bandMin)}–${formatMoney(latest.bandMax)}; compa-ratio after ${latest.compaRatioAfter.toFixed(2)}, ${formatPercent(latest.rangePenetrationAfter)} of the way up the band.`
          : ' No salary band for this role in their market.';
        preview.textContent = `New pay ${formatMoney(latest.newSalary)} (now ${formatMoney(latest.currentSalary)}, +${latest.raisePercent}%).${band}${latest.clampedToBand ? ' The band moved it from the plain raise.' : ''}`;
        if (withEvidence) {
          const e = got.employee;
          const certs = e.certifications.filter((c) => c.status === 'VERIFIED');
          clear(evidence).append(h('dl', { class: 'facts' },
            h('div', { class: 'fact' }, h('dt', {}, 'Service'), h('dd', {}, plural(e.progression.monthsOfService, 'month'))),
            h('div', { class: 'fact' }, h('dt', {}, 'Time in role'), h('dd', {}, plural(e.progression.monthsInRole, 'month'))),
            h('div', { class: 'fact' }, h('dt', {}, 'Rating'), h('dd', {}, e.progression.rating === null ? 'No reviews yet' : e.progression.rating.toFixed(2))),
            h('div', { class: 'fact' }, h('dt', {}, 'Certificates'), h('dd', {}, certs.length ? certs.map((c) => c.name).join(', ') : 'None verified'))));
        }
      } catch (err) {
        if (mine !== asked) return;
        latest = null;
        preview.textContent = `No preview: ${err.message}`;
        if (withEvidence) clear(evidence).append(note(`Could not load the evidence: ${err.message}`, 'error'));
      }
    }

    let timer = null;
    raise.addEventListener('input', () => {
      clear(confirmArea);
      clearTimeout(timer);
      timer = setTimeout(() => refreshPreview(false), 250);
    });
    approve.addEventListener('click', () => {
      if (!latest) {
        result.textContent = `Enter a raise between ${min}% and ${max}% first.`;
        raise.focus();
        return;
      }
      const chosen = latest;
      const yes = h('button', { type: 'button', class: 'primary' }, 'Confirm approval');
      const back = h('button', { type: 'button' }, 'Back');
      clear(confirmArea).append(h('div', { class: 'confirm', role: 'group', 'aria-label': 'Confirm the approval' },
        h('p', {}, `Promote ${n.nominee.name} to ${n.targetRole.title} at ${formatMoney(chosen.newSalary)} (+${chosen.raisePercent}%), from today?`),
        h('div', { class: 'actions' }, yes, back)));
      back.addEventListener('click', () => { clear(confirmArea); approve.focus(); });
      yes.addEventListener('click', async () => {
        yes.disabled = true;
        app.acted(`nomination:${n.id}`);
        try {
          const done = await gql(APPROVE, { id: n.id, raise: chosen.raisePercent });
          app.toast(`Approved: ${done.approveNomination.nominee.name} is now ${done.approveNomination.targetRole.title} at ${formatMoney(done.approveNomination.newSalary)}.`, 'good');
          load();
        } catch (err) {
          result.textContent = err instanceof GqlError && err.code === 'CONFLICT'
            ? `Already decided: ${err.message}` : `Could not approve: ${err.message}`;
          yes.disabled = false;
        }
      });
      yes.focus();
    });
    reject.addEventListener('click', async () => {
      if (!reason.value.trim()) {
        result.textContent = 'A rejection needs a reason: write it in the reason field.';
        reason.focus();
        return;
      }
      reject.disabled = true;
      app.acted(`nomination:${n.id}`);
      try {
        await gql(REJECT, { id: n.id, reason: reason.value.trim() });
        app.toast(`Did not approve the nomination of ${n.nominee.name}.`);
        load();
      } catch (err) {
        result.textContent = `Could not reject: ${err.message}`;
        reject.disabled = false;
      }
    });
    panel.append(
      h('h3', {}, 'Evidence'), evidence,
      h('h3', {}, 'Pay'),
      h('div', { class: 'field field-inline' }, h('label', { for: raiseId }, `Raise (${min}–${max}%)`), raise),
      preview,
      h('div', { class: 'decision-actions' },
        h('div', {}, approve, confirmArea),
        h('details', { class: 'reject-instead' }, h('summary', {}, 'Not approve instead'),
          h('div', { class: 'field' }, h('label', { for: reasonId }, 'Reason, for the nominee and the manager'), reason),
          reject)));
    refreshPreview(true);
    return panel;
  }

  function queueSection() {
    if (queueError) {
      const retry = h('button', { type: 'button' }, 'Try again');
      retry.addEventListener('click', () => load());
      return section('Pending nominations', { 'data-testid': 'queue' }, note(queueError, 'error'), retry);
    }
    if (!queue.length) return section('Pending nominations', { 'data-testid': 'queue' }, note('No nominations are waiting for a decision.'));
    const items = queue.map((n) => {
      const [min, max] = raiseRange(data.ladder, n.nominee.role.code, n.targetRole.code);
      const result = h('p', { class: 'form-result', role: 'alert' });
      let actions = null;
      if (isHr) {
        const open = h('button', { type: 'button', class: 'primary', 'aria-expanded': 'false' }, `Review and decide: ${n.nominee.name}`);
        const holder = h('div');
        open.addEventListener('click', () => {
          const expanded = open.getAttribute('aria-expanded') === 'true';
          open.setAttribute('aria-expanded', String(!expanded));
          clear(holder);
          if (!expanded) holder.append(decisionPanel(n, min, max, result));
        });
        actions = h('div', {}, open, holder);
      } else {
        actions = h('p', { class: 'hint' }, 'HR decides on this nomination.');
      }
      return h('li', { class: 'queue-item', 'data-id': n.id },
        h('p', {}, h('strong', {}, n.nominee.name), ` · ${n.nominee.role.title} → `, h('strong', {}, n.targetRole.title),
          ` · ${n.nominee.site}`, n.nominee.salary ? ` · now ${formatMoney(n.nominee.salary)}` : ''),
        h('p', { class: 'sub' }, `Nominated by ${n.nominatedBy.name} on ${formatDate(n.createdAt)}: “${n.justification}”`,
          n.override ? ` (HR override: ${n.overrideReason})` : ''),
        actions, result);
    });
    return section(`Pending nominations (${queue.length})`, { 'data-testid': 'queue' }, h('ul', { class: 'queue' }, items));
  }

  /** HR: pay changes proposed by managers, each approved after a confirmation or declined with a note. */
  function payQueueSection() {
    if (!isHr) return null;
    if (!payQueue.length) return section('Pay changes waiting', { 'data-testid': 'pay-queue' }, note('No pay changes are waiting for a decision.'));
    return section(`Pay changes waiting (${payQueue.length})`, { 'data-testid': 'pay-queue' },
      h('ul', { class: 'queue' }, payQueue.map((c) => {
        const result = h('p', { class: 'form-result', role: 'alert' });
        const mine = app.me && (c.proposedBy && c.proposedBy.id === app.me.id || c.employee.id === app.me.id);
        const approve = h('button', { type: 'button', class: 'primary', disabled: mine }, `Approve ${c.employee.name}'s new pay…`);
        const confirmArea = h('div');
        const noteId = newId('paynote');
        const reason = h('input', { id: noteId, type: 'text', maxlength: 2000 });
        const decline = h('button', { type: 'button', class: 'danger', disabled: mine }, 'Not approve');
        const decide = async (yes, text) => {
          try {
            const done = await gql(DECIDE_PAY, { id: c.id, approve: yes, note: text || null });
            app.toast(yes
              ? `Approved: ${done.decidePayChange.employee.name} is now paid ${formatMoney(done.decidePayChange.after)}.`
              : `Did not approve the pay change of ${done.decidePayChange.employee.name}.`, yes ? 'good' : 'info');
            load();
          } catch (err) {
            result.textContent = err instanceof GqlError && err.code === 'CONFLICT'
              ? `Not applied: ${err.message}.` : `Could not decide: ${err.message}`;
          }
        };
        approve.addEventListener('click', () => {
          const yes = h('button', { type: 'button', class: 'primary' }, 'Confirm new pay');
          const back = h('button', { type: 'button' }, 'Back');
          clear(confirmArea).append(h('div', { class: 'confirm', role: 'group', 'aria-label': 'Confirm the pay change' },
            h('p', {}, `Pay ${c.employee.name} ${formatMoney(c.after)} (now ${formatMoney(c.before)}) from ${formatDate(c.effectiveOn)}?`),
            h('div', { class: 'actions' }, yes, back)));
          back.addEventListener('click', () => { clear(confirmArea); approve.focus(); });
          yes.addEventListener('click', () => { yes.disabled = true; decide(true); });
          yes.focus();
        });
        decline.addEventListener('click', () => {
          if (!reason.value.trim()) {
            result.textContent = 'Declining needs a note for the person and the manager.';
            reason.focus();
            return;
          }
          decline.disabled = true;
          decide(false, reason.value.trim());
        });
        return h('li', { class: 'queue-item', 'data-id': c.id },
          h('p', {}, h('strong', {}, c.employee.name), ` · ${c.employee.role.title} · ${c.employee.site} · `,
            h('strong', {}, PAY_REASON[c.reason] || 'Pay change'), `: ${formatMoney(c.before)} → ${formatMoney(c.after)}`),
          h('p', { class: 'sub' }, `Proposed by ${c.proposedBy ? c.proposedBy.name : 'HR'}, from ${formatDate(c.effectiveOn)}`,
            c.note ? `: “${c.note}”` : '', c.overrideReason ? ` (outside the band: ${c.overrideReason})` : ''),
          mine ? h('p', { class: 'hint' }, 'You proposed this change or it is your own pay: another HR person decides.') : null,
          h('div', { class: 'decision-actions' },
            h('div', {}, approve, confirmArea),
            h('details', { class: 'reject-instead' }, h('summary', {}, 'Not approve instead'),
              h('div', { class: 'field' }, h('label', { for: noteId }, 'Note, for the person and the manager'), reason),
              decline)),
          result);
      })));
  }

  /** HR: the gender pay gap per role and market, in base pay (a table, no chart). */
  function payGapSection() {
    if (!isHr || !payGaps) return null;
    const titles = new Map(payGaps.ladder.map((r) => [r.code, r.title]));
    const rows = payGaps.payGapReport;
    const pct = (v) => (v === null || v === undefined ? '—' : `${v.toFixed(1)}%`);
    return section('Gender pay gap', { 'data-testid': 'pay-gap' },
      h('p', { class: 'hint' }, 'Pay of the people who declared their gender, a year full time: (men − women) ÷ men. A positive gap means women are paid less. Total pay adds the bonus target.'),
      rows.length
        ? h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Gender pay gap (scrolls sideways)' }, h('table', { class: 'data' },
          h('caption', { class: 'visually-hidden' }, 'Gender pay gap per role and market'),
          h('thead', {}, h('tr', {}, ['Role', 'Market', 'Paid in', 'Women', 'Men', 'Gap (mean)', 'Gap (median)', 'Total pay gap (mean)'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, rows.map((r) => h('tr', {},
            h('th', { scope: 'row' }, titles.get(r.roleCode) || 'Another role'),
            h('td', {}, r.market), h('td', {}, r.currency), h('td', {}, String(r.women)), h('td', {}, String(r.men)),
            h('td', {}, pct(r.meanGapPercent)), h('td', {}, pct(r.medianGapPercent)), h('td', {}, pct(r.meanTotalGapPercent)))))))
        : note('Nobody has declared a gender yet.'));
  }

  /** HR: merit cycles' progress (proposals, budget used per site) and Close. */
  function meritSection() {
    if (!isHr || !merit.length) return null;
    const today = new Date().toISOString().slice(0, 10);
    return section('Merit cycles', { 'data-testid': 'merit' }, merit.slice(0, 5).map((c) => {
      const close = c.status === 'OPEN' && c.effectiveOn <= today
        ? h('button', { type: 'button', class: 'small' }, 'Close and apply')
        : null;
      if (close) {
        close.addEventListener('click', async () => {
          if (!window.confirm(`Apply every raise proposed in “${c.name}” from ${formatDate(c.effectiveOn)}?`)) return;
          close.disabled = true;
          try {
            await gql(CLOSE_MERIT, { id: c.id });
            app.toast(`${c.name} is closed: its raises apply from ${formatDate(c.effectiveOn)}.`, 'good');
            load();
          } catch (err) {
            app.toast(`Could not close ${c.name}: ${err.message}`, 'warn');
            close.disabled = false;
          }
        });
      }
      return h('div', { class: 'merit-cycle', 'data-id': c.id, 'data-status': c.status },
        h('p', {}, h('strong', {}, c.name), ` — ${c.status === 'OPEN' ? 'open' : 'closed'}, from ${formatDate(c.effectiveOn)}, budget ${c.budgetPercent}% of payroll; `,
          `${c.proposalCount} ${c.proposalCount === 1 ? 'raise' : 'raises'} proposed. `, close),
        h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': `${c.name} budgets (scrolls sideways)` }, h('table', { class: 'data' },
          h('caption', { class: 'visually-hidden' }, `${c.name}: budget per site`),
          h('thead', {}, h('tr', {}, ['Site or market', 'Budget', 'Used', 'Left'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, c.budgets.map((b) => h('tr', {},
            h('th', { scope: 'row' }, b.scope), h('td', {}, formatMoney(b.budget)), h('td', {}, formatMoney(b.used)), h('td', {}, formatMoney(b.remaining))))))));
    }));
  }

  function historySection() {
    const list = decided.slice(0, 20);
    return section('Recent decisions', { 'data-testid': 'decisions' }, list.length
      ? h('ul', { class: 'nominations' }, list.map((n) => h('li', { 'data-status': n.status },
        h('span', { class: `badge badge-nom-${n.status}` }, NOMINATION_LABEL[n.status] || 'Decided'), ' ',
        h('strong', {}, n.nominee.name), ` for ${n.targetRole.title}`,
        n.decidedAt ? ` on ${formatDate(n.decidedAt)}` : '',
        n.decidedBy ? ` by ${n.decidedBy.name}` : '',
        n.decisionReason ? `: “${n.decisionReason}”` : '')))
      : note('No decisions yet.'));
  }

  let chartsArea = null;
  let drawnWidth = 0;

  function draw() {
    clear(root);
    if (error) {
      const retry = h('button', { type: 'button' }, 'Try again');
      retry.addEventListener('click', () => { clear(root).append(note('Loading…')); load(); });
      root.append(note(error, 'error'), retry);
      return;
    }
    if (!data) return;
    chartsArea = h('div', { class: 'chart-grid' });
    root.append(
      h('p', { class: 'lead' }, `Figures as of ${formatDate(data.dashboard.asOf)}${isHr ? ' for the whole organisation' : ' for your reporting chain'}.`),
      queueSection(),
      payQueueSection(),
      meritSection(),
      historySection(),
      chartsArea,
      payGapSection());
    drawCharts();
    version += 1;
    root.dataset.version = String(version);
  }

  /** HR: each bucket's figures as links to the people behind them (#/people). */
  function drill(buckets, param) {
    if (!isHr || !buckets.length) return null;
    const link = (bucket, extra, text) => {
      const query = new URLSearchParams({ [param]: bucket.key, ...extra });
      return h('a', { href: `#/people?${query}` }, text);
    };
    return h('details', { class: 'drill' }, h('summary', {}, 'Who are they?'),
      h('ul', {}, buckets.map((b) => h('li', {}, h('strong', {}, b.label), ': ',
        link(b, {}, plural(b.total, 'person', 'people')), ' · ',
        link(b, { bestStatus: 'ELIGIBLE' }, `${b.eligible} eligible`),
        b.stalled ? [' · ', link(b, { stalled: '1' }, `${b.stalled} stalled`)] : null))));
  }

  /** The charts alone (a resize redraws them without touching the queue's inputs). */
  function drawCharts() {
    clear(chartsArea);
    drawnWidth = root.clientWidth;
    const d = data.dashboard;
    const funnel = d.nominationFunnel;
    const decidedCount = funnel.approved + funnel.rejected + funnel.withdrawn;
    const total = funnel.pending + decidedCount;
    const groupId = newId('group');
    const groupSelect = h('select', { id: groupId },
      [['ROLE', 'role'], ['SITE', 'site'], ['MARKET', 'market']].map(([value, label]) =>
        h('option', { value, selected: value === groupBy }, label)));
    groupSelect.addEventListener('change', () => { groupBy = groupSelect.value; load(); });

    chartsArea.append(
      section('Eligibility by site', {}, stackedBars({ title: 'People by promotion status, per site', rows: eligibilityRows(d.bySite), keys: ELIGIBILITY_KEYS, width: halfWidth() }),
        drill(d.bySite, 'site')),
      section('Eligibility by role', {}, stackedBars({ title: 'People by promotion status, per job role', rows: eligibilityRows(d.byRole), keys: ELIGIBILITY_KEYS, width: halfWidth() }),
        drill(d.byRole, 'roleCode')),
      section('Compa-ratios', {},
        h('div', { class: 'field field-inline' }, h('label', { for: groupId }, 'Group by'), groupSelect),
        d.compaRatios.length
          ? boxPlots({ title: 'Salary / band midpoint', rows: d.compaRatios, width: halfWidth() })
          : note('No salaries with a band to compare to.')),
      section('Nomination funnel', {}, total === 0 ? note('No nominations yet.') : bars({
          title: `Nominations: ${total} in all`,
          width: halfWidth(),
          max: Math.max(1, total),
          rows: [
            { label: 'Nominated', value: total, text: String(total), cls: 'seg-plain' },
            { label: 'Pending', value: funnel.pending, text: String(funnel.pending), cls: 'seg-pending' },
            { label: 'Approved', value: funnel.approved, text: String(funnel.approved), cls: 'seg-ELIGIBLE' },
            { label: 'Not approved', value: funnel.rejected, text: String(funnel.rejected), cls: 'seg-INELIGIBLE' },
            { label: 'Withdrawn', value: funnel.withdrawn, text: String(funnel.withdrawn), cls: 'seg-none' },
          ],
        }),
        h('p', {}, funnel.medianDaysToDecision === null || decidedCount === 0
          ? 'No decisions yet, so no median time to a decision.'
          : `Median time to a decision: ${funnel.medianDaysToDecision.toFixed(1)} days.`)),
      section('Leadership coverage', {},
        bars({
          title: 'Team Leads per site, against the Team Leads needed',
          width: halfWidth(),
          rows: d.leadershipCoverage.map((b) => ({
            label: `${b.site}: ${b.csrs} CSRs, needs ${b.neededAtMost15 === b.neededAt10 ? b.neededAtMost15 : `${b.neededAtMost15} (minimum) to ${b.neededAt10}`}${b.understaffed ? ' — understaffed' : ''}`,
            labelCls: b.understaffed ? 'label-alert' : '',
            value: b.teamLeads,
            text: plural(b.teamLeads, 'Team Lead'),
            cls: b.understaffed ? 'seg-INELIGIBLE' : 'seg-ELIGIBLE',
            rowCls: b.understaffed ? 'row-alert' : null,
            marks: [
              { value: b.neededAtMost15, label: 'needed at 15 CSRs each', cls: 'mark-min' },
              { value: b.neededAt10, label: 'needed at 10 CSRs each', cls: 'mark-comfort' },
            ],
          })),
          legendItems: [
            { label: 'Team Leads (enough)', cls: 'swatch-ELIGIBLE' },
            { label: 'Team Leads (understaffed)', cls: 'swatch-INELIGIBLE' },
            { label: 'needed at 15 CSRs each (minimum)', cls: 'swatch-mark-min' },
            { label: 'needed at 10 CSRs each (comfortable)', cls: 'swatch-mark-comfort' },
          ],
        }),
        d.leadershipCoverage.some((b) => b.understaffed)
          ? note(`Understaffed: ${d.leadershipCoverage.filter((b) => b.understaffed).map((b) => b.site).join(', ')}.`, 'warn')
          : note('Every site has at least the minimum number of Team Leads.')),
      section('Certification coverage', {},
        d.certificationCoverage.length
          ? bars({
            title: 'Share of people holding each certificate (verified, valid)',
            width: halfWidth(),
            max: 1,
            // By kind, then by level as people rank them (White to Black Belt).
            rows: [...d.certificationCoverage].sort((a, b) => (a.kind === b.kind
              ? (BELT_ORDER.indexOf(a.level) - BELT_ORDER.indexOf(b.level)) || String(a.level).localeCompare(String(b.level))
              : a.kind.localeCompare(b.kind))).map((c) => ({
              label: `${KIND_LABEL[c.kind] || 'Other'}${c.level && c.level !== 'ANY' ? ` · ${levelLabel(c.level)}` : ''}`,
              value: c.share,
              text: `${c.holders} (${formatPercent(c.share)})`,
              cls: 'seg-plain',
            })),
          })
          : note('Nobody holds a verified certificate yet.')));
  }

  function redraw() {
    if (data && chartsArea && root.clientWidth !== drawnWidth) drawCharts();
  }

  async function load() {
    try {
      const [dash, pending, recent, pay, gaps, cycles] = await Promise.all([
        gql(DASHBOARD, { groupBy }),
        allPages(QUEUE, {}, (x) => x.nominations).then((list) => ({ list }), (err) => ({ err })),
        gql(DECIDED).then((x) => x.nominations.nodes.filter((n) => n.status !== 'PENDING'), () => decided),
        isHr ? gql(PAY_QUEUE).then((x) => x.payChanges.nodes, () => payQueue) : [],
        isHr ? gql(PAY_GAPS).catch(() => payGaps) : null,
        isHr ? gql(MERIT).then((x) => x.meritCycles, () => merit) : [],
      ]);
      merit = cycles;
      payQueue = pay;
      payGaps = gaps;
      data = dash;
      queue = pending.list || [];
      queueError = pending.err ? `Could not load the pending nominations: ${pending.err.message}` : null;
      decided = recent;
      error = null;
    } catch (err) {
      error = `Could not load the dashboard: ${err.message}`;
    }
    draw();
  }

  root.append(note('Loading…'));
  load();
  // A change elsewhere refreshes the figures, unless HR is typing in the
  // queue: then a button offers the refresh instead of wiping the input.
  function onEvent() {
    const typing = [...root.querySelectorAll('input')].some((input) => input === document.activeElement
      || (input.type === 'text' && input.value.trim()));
    if (!typing) {
      load();
      return;
    }
    if (root.querySelector('.stale')) return;
    const button = h('button', { type: 'button', class: 'small' }, 'Refresh');
    button.addEventListener('click', () => load());
    root.prepend(h('p', { class: 'note note-warn stale', role: 'status' }, 'Nominations changed since this page loaded. ', button));
  }

  return { title: isHr ? 'HR dashboard' : 'Dashboard', redraw, onEvent };
}
