// The HR dashboard (HR and ADMIN: everyone; a manager: their chain):
// eligibility by site and by role, compa-ratio box plots, the nomination
// funnel, leadership coverage, certification coverage, and the queue of
// PENDING nominations that HR approves (with a raise) or rejects.

import { gql, allPages, GqlError } from './api.js';
import {
  h, clear, section, note, formatMoney, formatDate, formatPercent, newId, plural,
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

const APPROVE = `mutation Approve($id: ID!, $raise: Float) {
  approveNomination(id: $id, raisePercent: $raise) { id status newSalary { amount currency } nominee { name } targetRole { title } }
}`;
const REJECT = `mutation Reject($id: ID!, $reason: String!) {
  rejectNomination(id: $id, reason: $reason) { id status nominee { name } }
}`;

const ELIGIBILITY_KEYS = [
  { key: 'eligible', label: 'Eligible', cls: 'swatch-ELIGIBLE' },
  { key: 'notYet', label: 'Not yet', cls: 'swatch-NOT_YET' },
  { key: 'ineligible', label: 'Ineligible', cls: 'swatch-INELIGIBLE' },
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
  let groupBy = 'ROLE';
  let error = null;
  let version = 0;

  // Charts are drawn at the pixel width they get, so text keeps its size.
  const width = () => Math.max(260, root.clientWidth - 36);
  const halfWidth = () => (window.matchMedia('(min-width: 1100px)').matches
    ? Math.max(260, Math.floor((root.clientWidth - 16) / 2) - 38)
    : width());

  function queueSection() {
    if (!queue.length) return section('Pending nominations', { 'data-testid': 'queue' }, note('No nominations are waiting for a decision.'));
    const items = queue.map((n) => {
      const [min, max] = raiseRange(data.ladder, n.nominee.role.code, n.targetRole.code);
      const raiseId = newId('raise');
      const reasonId = newId('reason');
      const result = h('p', { class: 'form-result', role: 'alert' });
      let actions = null;
      if (isHr) {
        const raise = h('input', {
          id: raiseId, type: 'number', min, max, step: '0.01', value: String(min), inputmode: 'decimal', required: true,
        });
        const reason = h('input', { id: reasonId, type: 'text', maxlength: 2000 });
        const approve = h('button', { type: 'button', class: 'primary', 'aria-label': `Approve ${n.nominee.name}'s promotion to ${n.targetRole.title}` }, 'Approve');
        const reject = h('button', { type: 'button', class: 'danger', 'aria-label': `Reject ${n.nominee.name}'s nomination` }, 'Reject');
        const busy = (on) => { approve.disabled = on; reject.disabled = on; };
        approve.addEventListener('click', async () => {
          const value = Number(raise.value);
          if (!raise.value || Number.isNaN(value) || value < min || value > max) {
            result.textContent = `Enter a raise between ${min}% and ${max}%.`;
            raise.focus();
            return;
          }
          busy(true);
          app.acted(`nomination:${n.id}`);
          try {
            const done = await gql(APPROVE, { id: n.id, raise: value });
            app.toast(`Approved: ${done.approveNomination.nominee.name} is now ${done.approveNomination.targetRole.title} at ${formatMoney(done.approveNomination.newSalary)}.`, 'good');
            load();
          } catch (err) {
            result.textContent = err instanceof GqlError && err.code === 'CONFLICT'
              ? `Already decided: ${err.message}` : `Could not approve: ${err.message}`;
            busy(false);
          }
        });
        reject.addEventListener('click', async () => {
          if (!reason.value.trim()) {
            result.textContent = 'A rejection needs a reason: write it in the reason field.';
            reason.focus();
            return;
          }
          busy(true);
          app.acted(`nomination:${n.id}`);
          try {
            await gql(REJECT, { id: n.id, reason: reason.value.trim() });
            app.toast(`Rejected the nomination of ${n.nominee.name}.`);
            load();
          } catch (err) {
            result.textContent = `Could not reject: ${err.message}`;
            busy(false);
          }
        });
        actions = h('div', { class: 'decide' },
          h('div', { class: 'field field-inline' }, h('label', { for: raiseId }, `Raise (${min}–${max}%)`), raise),
          approve,
          h('div', { class: 'field field-inline' }, h('label', { for: reasonId }, 'Rejection reason'), reason),
          reject);
      } else {
        actions = h('p', { class: 'hint' }, 'HR decides on this nomination.');
      }
      return h('li', { class: 'queue-item', 'data-id': n.id },
        h('p', {}, h('strong', {}, n.nominee.name), ` · ${n.nominee.role.title} → `, h('strong', {}, n.targetRole.title),
          ` · ${n.nominee.site} · now ${formatMoney(n.nominee.salary)}`),
        h('p', { class: 'sub' }, `Nominated by ${n.nominatedBy.name} on ${formatDate(n.createdAt)}: “${n.justification}”`,
          n.override ? ` (HR override: ${n.overrideReason})` : ''),
        actions, result);
    });
    return section(`Pending nominations (${queue.length})`, { 'data-testid': 'queue' }, h('ul', { class: 'queue' }, items));
  }

  let chartsArea = null;
  let drawnWidth = 0;

  function draw() {
    clear(root);
    if (error) {
      root.append(note(error, 'error'));
      return;
    }
    if (!data) return;
    chartsArea = h('div', { class: 'chart-grid' });
    root.append(
      h('p', { class: 'lead' }, `Figures as of ${formatDate(data.dashboard.asOf)}${isHr ? ' for the whole organisation' : ' for your reporting chain'}.`),
      queueSection(),
      chartsArea);
    drawCharts();
    version += 1;
    root.dataset.version = String(version);
  }

  /** The charts alone (a resize redraws them without touching the queue's inputs). */
  function drawCharts() {
    clear(chartsArea);
    drawnWidth = root.clientWidth;
    const d = data.dashboard;
    const funnel = d.nominationFunnel;
    const decided = funnel.approved + funnel.rejected + funnel.withdrawn;
    const total = funnel.pending + decided;
    const groupId = newId('group');
    const groupSelect = h('select', { id: groupId },
      [['ROLE', 'role'], ['SITE', 'site'], ['MARKET', 'market']].map(([value, label]) =>
        h('option', { value, selected: value === groupBy }, label)));
    groupSelect.addEventListener('change', () => { groupBy = groupSelect.value; load(); });

    chartsArea.append(
      section('Eligibility by site', {}, stackedBars({ title: 'People by promotion status, per site', rows: eligibilityRows(d.bySite), keys: ELIGIBILITY_KEYS, width: halfWidth() })),
      section('Eligibility by role', {}, stackedBars({ title: 'People by promotion status, per job role', rows: eligibilityRows(d.byRole), keys: ELIGIBILITY_KEYS, width: halfWidth() })),
      section('Compa-ratios', {},
        h('div', { class: 'field field-inline' }, h('label', { for: groupId }, 'Group by'), groupSelect),
        d.compaRatios.length
          ? boxPlots({ title: 'Salary / band midpoint', rows: d.compaRatios, width: halfWidth() })
          : note('No salaries with a band to compare to.')),
      section('Nomination funnel', {},
        bars({
          title: `Nominations: ${total} in all`,
          width: halfWidth(),
          max: Math.max(1, total),
          rows: [
            { label: 'Nominated', value: total, text: String(total), cls: 'seg-plain' },
            { label: 'Pending', value: funnel.pending, text: String(funnel.pending), cls: 'seg-pending' },
            { label: 'Approved', value: funnel.approved, text: String(funnel.approved), cls: 'seg-ELIGIBLE' },
            { label: 'Rejected', value: funnel.rejected, text: String(funnel.rejected), cls: 'seg-INELIGIBLE' },
            { label: 'Withdrawn', value: funnel.withdrawn, text: String(funnel.withdrawn), cls: 'seg-none' },
          ],
        }),
        h('p', {}, funnel.medianDaysToDecision === null
          ? 'No decisions yet, so no median time to decision.'
          : `Median time to a decision: ${funnel.medianDaysToDecision.toFixed(1)} days.`)),
      section('Leadership coverage', {},
        bars({
          title: 'Team Leads per site, against the Team Leads needed',
          width: halfWidth(),
          rows: d.leadershipCoverage.map((b) => ({
            label: `${b.site}: ${b.csrs} CSRs, needs ${b.neededAtMost15 === b.neededAt10 ? b.neededAtMost15 : `${b.neededAtMost15} (minimum) to ${b.neededAt10}`}${b.understaffed ? ' — UNDERSTAFFED' : ''}`,
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
            rows: d.certificationCoverage.map((c) => ({
              label: `${KIND_LABEL[c.kind] || c.kind}${c.level && c.level !== 'ANY' ? ` · ${c.level}` : ''}`,
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
      const [dash, pending] = await Promise.all([
        gql(DASHBOARD, { groupBy }),
        allPages(QUEUE, {}, (x) => x.nominations),
      ]);
      data = dash;
      queue = pending;
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
