// My team (managers): everyone in the reporting chain with their best
// option, sortable and filterable; Nominate opens a form that shows the
// server's NOT_ELIGIBLE (with the gaps) and CONFLICT answers; the team's
// open nominations, which the nominator may withdraw.

import { gql, allPages, GqlError } from './api.js';
import {
  h, clear, section, note, statusBadge, formatDate, formatMoney, daysUntil, plural, newId, STATUS_LABEL,
  NOMINATION_LABEL, GAP_LABEL,
} from './dom.js';

const TEAM = `query Team($after: String) {
  employees(first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id name email site market
      salary { amount currency }
      role { code title }
      manager { id name }
      progression {
        asOf eligible stalled monthsInRole
        options {
          status track eligibleOn
          targetRole { code title }
          gaps { kind message }
        }
      }
    }
  }
}`;

const OPEN = `query Open($after: String) {
  nominations(status: PENDING, first: 100, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes {
      id createdAt justification
      nominee { id name role { title } }
      nominatedBy { id name }
      targetRole { code title }
    }
  }
}`;

const NOMINATE = `mutation Nominate($input: NominateInput!) {
  nominate(input: $input) { id status nominee { name } targetRole { title } }
}`;

const WITHDRAW = 'mutation Withdraw($id: ID!) { withdrawNomination(id: $id) { id status } }';

const DECIDED = `query TeamDecided {
  nominations(first: 50) {
    nodes {
      id status decidedAt decisionReason
      nominee { id name }
      nominatedBy { id name }
      targetRole { title }
    }
  }
}`;

const DRAFT_KEY = (id) => `rungs.draft.nominate.${id}`;

/** Why an option cannot be chosen today, in a few words. */
function whyNot(option) {
  if (option.status === 'NOT_YET') return `not yet: from ${formatDate(option.eligibleOn)}`;
  const first = option.gaps[0];
  const more = option.gaps.length > 1 ? ` (+${option.gaps.length - 1} more)` : '';
  return first ? `not yet: ${first.message}${more}` : 'not yet';
}

const RANK = { ELIGIBLE: 0, NOT_YET: 1, INELIGIBLE: 2 };

/** The option closest to a promotion: eligible first, then the soonest not-yet. */
export function bestOption(options) {
  return [...options].sort((a, b) => {
    const byStatus = RANK[a.status] - RANK[b.status];
    if (byStatus) return byStatus;
    return (a.eligibleOn || '9999').localeCompare(b.eligibleOn || '9999');
  })[0] || null;
}

const COLUMNS = [
  { key: 'name', label: 'Name', value: (r) => r.name.toLowerCase() },
  { key: 'role', label: 'Role', value: (r) => r.role.title },
  { key: 'site', label: 'Site', value: (r) => r.site },
  { key: 'status', label: 'Best option', value: (r) => (r.best ? RANK[r.best.status] : 9) },
  { key: 'when', label: 'Eligible on', value: (r) => (r.best && r.best.eligibleOn) || '9999' },
];

const BANDS = 'query Bands { salaryBands { role { code } market min { amount currency } max { amount currency } } }';

const PROPOSE_PAY = `mutation ProposePay($input: PayChangeInput!) {
  proposePayChange(input: $input) { id status after { amount currency } employee { name } }
}`;

const MERIT_CYCLES = 'query MeritCycles { meritCycles { id name status effectiveOn } }';

const MERIT_GUIDELINE = `query MeritGuideline($cycle: ID!, $who: ID!) {
  node(id: $cycle) { ... on MeritCycle { id guidelineFor(employeeId: $who) { rating compaQuartile guideline { minPercent maxPercent } } } }
}`;

const PROPOSE_MERIT = `mutation ProposeMerit($cycle: ID!, $who: ID!, $percent: Float!, $why: String) {
  proposeMerit(cycleId: $cycle, employeeId: $who, percent: $percent, justification: $why) { id percent newSalary { amount currency } employee { name } }
}`;

/** Propose a merit raise in the open cycle, with the matrix's guideline. */
async function meritDialog(person, cycle, app, done) {
  const percentId = newId('merit');
  const whyId = newId('why');
  const percent = h('input', { id: percentId, name: 'percent', inputmode: 'decimal', required: true });
  const why = h('textarea', { id: whyId, rows: 3, maxlength: 2000 });
  const guide = h('p', { 'data-testid': 'merit-guideline' }, 'Reading the guideline…');
  const result = h('div', { class: 'dialog-result', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Propose');
  const cancel = h('button', { type: 'button' }, 'Cancel');
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': `${percentId}-title` },
    h('form', { method: 'dialog', novalidate: true },
      h('h2', { id: `${percentId}-title` }, `Merit raise for ${person.name}`),
      h('p', {}, `${cycle.name}, from ${formatDate(cycle.effectiveOn)}. Now ${formatMoney(person.salary)}.`),
      guide,
      h('div', { class: 'field' }, h('label', { for: percentId }, 'Raise (%)'), percent),
      h('div', { class: 'field' }, h('label', { for: whyId }, 'Why (needed outside the guideline)'), why),
      result,
      h('div', { class: 'actions' }, submit, cancel)));
  cancel.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => dialog.remove());
  dialog.querySelector('form').addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    try {
      const data = await gql(PROPOSE_MERIT, {
        cycle: cycle.id, who: person.id, percent: Number(percent.value.trim()), why: why.value.trim() || null,
      });
      dialog.close();
      const p = data.proposeMerit;
      app.toast(`Proposed ${p.percent}% (${formatMoney(p.newSalary)}) for ${p.employee.name}. HR applies it when the cycle closes.`, 'good');
      done();
    } catch (err) {
      clear(result).append(h('p', { class: 'result result-error' }, plainMessage(err)));
    } finally {
      submit.disabled = false;
    }
  });
  document.body.append(dialog);
  dialog.showModal();
  percent.focus();
  try {
    const data = await gql(MERIT_GUIDELINE, { cycle: cycle.id, who: person.id });
    const advice = data.node && data.node.guidelineFor;
    const rating = advice && advice.rating !== null ? `rating ${advice.rating.toFixed(2)}` : 'no rating yet';
    const quarter = advice ? `pay in quarter ${advice.compaQuartile} of the band` : '';
    if (advice && advice.guideline) {
      guide.textContent = `Guideline: ${advice.guideline.minPercent}% to ${advice.guideline.maxPercent}% (${rating}, ${quarter}).`;
      percent.value = String(advice.guideline.minPercent);
    } else {
      guide.textContent = `No guideline applies (${rating}): say why in a few words.`;
    }
  } catch (err) {
    guide.textContent = `The guideline could not be read: ${err.message}`;
  }
  return dialog;
}

/** A server message without the field name it starts with ("newSalary: ..."). */
function plainMessage(err) {
  const text = (err && err.message) || 'The change could not be proposed.';
  return text.replace(/^[A-Za-z.]+: /, '').replace(/^./, (c) => c.toUpperCase());
}

const PAY_REASONS = [['MERIT', 'Merit raise'], ['MARKET_ADJUSTMENT', 'Market adjustment'], ['CORRECTION', 'Correction']];

/** Propose a pay change without a promotion: inside the band; HR decides. */
function payDialog(person, band, app, done) {
  const amountId = newId('pay');
  const reasonId = newId('reason');
  const noteId = newId('note');
  const amount = h('input', { id: amountId, name: 'newSalary', inputmode: 'decimal', required: true, value: person.salary ? person.salary.amount : '' });
  const reason = h('select', { id: reasonId }, PAY_REASONS.map(([value, label]) => h('option', { value }, label)));
  const text = h('textarea', { id: noteId, rows: 3, maxlength: 2000 });
  const result = h('div', { class: 'dialog-result', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Propose');
  const cancel = h('button', { type: 'button' }, 'Cancel');
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': `${amountId}-title` },
    h('form', { method: 'dialog', novalidate: true },
      h('h2', { id: `${amountId}-title` }, `Propose a pay change for ${person.name}`),
      h('p', {}, `Now ${formatMoney(person.salary)}.`,
        band ? ` The ${person.role.title} band in ${person.market} is ${formatMoney(band.min)} to ${formatMoney(band.max)}; HR decides.` : ' There is no band for this role in their market; only HR may set it.'),
      h('div', { class: 'field' }, h('label', { for: amountId }, `New pay (${person.salary ? person.salary.currency : ''})`), amount),
      h('div', { class: 'field' }, h('label', { for: reasonId }, 'Reason'), reason),
      h('div', { class: 'field' }, h('label', { for: noteId }, 'Why (HR and the person read it)'), text),
      result,
      h('div', { class: 'actions' }, submit, cancel)));
  cancel.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => dialog.remove());
  dialog.querySelector('form').addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    try {
      const data = await gql(PROPOSE_PAY, { input: {
        employeeId: person.id, reason: reason.value, newSalary: amount.value.trim(), note: text.value.trim() || null,
      } });
      dialog.close();
      app.toast(`Proposed ${formatMoney(data.proposePayChange.after)} for ${data.proposePayChange.employee.name}. HR decides next.`, 'good');
      done();
    } catch (err) {
      clear(result).append(h('p', { class: 'result result-error' },
        err instanceof GqlError && err.code === 'CONFLICT' ? 'A pay change for this person is already waiting for HR.' : plainMessage(err)));
    } finally {
      submit.disabled = false;
    }
  });
  document.body.append(dialog);
  dialog.showModal();
  amount.focus();
  return dialog;
}

function nominateDialog(person, app, done) {
  const roleId = newId('target');
  const textId = newId('why');
  const resultId = newId('result');
  const eligible = person.progression.options.filter((o) => o.status === 'ELIGIBLE');
  // Only eligible roles can be chosen; the others say why not.
  const select = h('select', { id: roleId, name: 'target', required: true },
    person.progression.options.map((o) => h('option', {
      value: o.targetRole.code, selected: o === eligible[0], disabled: o.status !== 'ELIGIBLE',
    }, o.status === 'ELIGIBLE' ? `${o.targetRole.title} — eligible` : `${o.targetRole.title} — ${whyNot(o)}`)));
  const text = h('textarea', { id: textId, name: 'justification', rows: 4, required: true, maxlength: 2000 });
  // The justification is kept in this tab while it is written, so a session
  // that ends (or a closed dialog) does not lose it.
  text.value = sessionStorage.getItem(DRAFT_KEY(person.id)) || '';
  text.addEventListener('input', () => sessionStorage.setItem(DRAFT_KEY(person.id), text.value));
  const result = h('div', { id: resultId, class: 'dialog-result', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Nominate');
  const cancel = h('button', { type: 'button' }, 'Cancel');
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': `${roleId}-title` },
    h('form', { method: 'dialog', novalidate: true },
      h('h2', { id: `${roleId}-title` }, `Nominate ${person.name}`),
      h('div', { class: 'field' }, h('label', { for: roleId }, 'Target role'), select),
      h('div', { class: 'field' }, h('label', { for: textId }, 'Why this person is ready'), text),
      result,
      h('div', { class: 'actions' }, submit, cancel)));
  const show = (kind, title, lines = []) => {
    clear(result).append(h('div', { class: `result result-${kind}`, 'data-kind': kind },
      h('strong', {}, title), lines.length ? h('ul', {}, lines.map((l) => h('li', {}, l))) : null));
  };
  cancel.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => dialog.remove());
  dialog.querySelector('form').addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!text.value.trim()) {
      show('error', 'Write a short justification first.');
      text.focus();
      return;
    }
    submit.disabled = true;
    app.acted(`nominee:${person.id}`);
    try {
      const data = await gql(NOMINATE, {
        input: { nomineeId: person.id, targetRoleCode: select.value, justification: text.value.trim() },
      });
      sessionStorage.removeItem(DRAFT_KEY(person.id));
      dialog.close();
      app.toast(`Nominated ${data.nominate.nominee.name} for ${data.nominate.targetRole.title}. HR decides next.`, 'good');
      done();
    } catch (err) {
      if (err instanceof GqlError && err.code === 'NOT_ELIGIBLE') {
        show('not-eligible', `Not eligible: ${person.name} cannot be nominated for this role today.`,
          err.gaps.map((g) => `${GAP_LABEL[g.kind] || 'Requirement'}: ${g.message}`));
      } else if (err instanceof GqlError && err.code === 'CONFLICT') {
        show('conflict', `Already nominated: ${err.message}. Withdraw the open nomination first, or wait for HR's decision.`);
      } else if (err instanceof GqlError && err.code === 'FORBIDDEN') {
        show('error', `Not allowed: ${err.message}`);
      } else {
        show('error', err.message || 'The nomination failed.');
      }
    } finally {
      submit.disabled = false;
    }
  });
  document.body.append(dialog);
  dialog.showModal();
  select.focus();
  return dialog;
}

export function render(main, app) {
  const root = h('div', { class: 'page page-team' });
  main.append(h('h1', {}, 'My team'), root);
  const state = {
    rows: [], open: [], decided: [], sort: 'status', dir: 1, search: '', status: '', site: '', error: null,
    expanded: new Set(), tab: 'open', bands: [], merit: null,
  };
  let version = 0;

  const tableArea = h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Your reporting chain (scrolls sideways)' });
  const openArea = h('div');
  const countLine = h('p', { class: 'hint', role: 'status' });

  const searchId = newId('search');
  const statusId = newId('status');
  const siteId = newId('site');
  const search = h('input', { id: searchId, type: 'search', placeholder: 'Name or email' });
  const statusSelect = h('select', { id: statusId },
    h('option', { value: '' }, 'Any status'),
    Object.entries(STATUS_LABEL).map(([value, label]) => h('option', { value }, label)));
  const siteSelect = h('select', { id: siteId }, h('option', { value: '' }, 'All sites'));
  search.addEventListener('input', () => { state.search = search.value.trim().toLowerCase(); drawTable(); });
  statusSelect.addEventListener('change', () => { state.status = statusSelect.value; drawTable(); });
  siteSelect.addEventListener('change', () => { state.site = siteSelect.value; drawTable(); });

  const openTab = h('button', { type: 'button', role: 'tab' }, 'Open');
  const decidedTab = h('button', { type: 'button', role: 'tab' }, 'Decided');
  const tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Nominations' }, openTab, decidedTab);
  openTab.addEventListener('click', () => { state.tab = 'open'; drawOpen(); });
  decidedTab.addEventListener('click', () => { state.tab = 'decided'; drawOpen(); });

  root.append(
    section('Reports', { 'data-testid': 'team' },
      h('div', { class: 'filters', role: 'search' },
        h('div', { class: 'field' }, h('label', { for: searchId }, 'Filter by name or email'), search),
        h('div', { class: 'field' }, h('label', { for: statusId }, 'Status'), statusSelect),
        h('div', { class: 'field' }, h('label', { for: siteId }, 'Site'), siteSelect)),
      countLine,
      tableArea),
    section('Nominations', { 'data-testid': 'open-nominations' }, tabs, openArea));

  function visibleRows() {
    const col = COLUMNS.find((c) => c.key === state.sort);
    return state.rows
      .filter((r) => !state.search || r.name.toLowerCase().includes(state.search) || r.email.toLowerCase().includes(state.search))
      .filter((r) => !state.status || (r.best && r.best.status === state.status))
      .filter((r) => !state.site || r.site === state.site)
      .sort((a, b) => {
        // By default, people stalled (eligible for six months, nobody
        // nominated them) come first.
        if (state.sort === 'status' && a.progression.stalled !== b.progression.stalled) {
          return a.progression.stalled ? -1 : 1;
        }
        const va = col.value(a);
        const vb = col.value(b);
        const cmp = va < vb ? -1 : va > vb ? 1 : a.name.localeCompare(b.name);
        return cmp * state.dir;
      });
  }

  function header(col) {
    const active = state.sort === col.key;
    const button = h('button', { type: 'button', class: 'sort' }, col.label,
      h('span', { 'aria-hidden': 'true' }, active ? (state.dir > 0 ? ' ▲' : ' ▼') : ' ↕'));
    button.addEventListener('click', () => {
      if (state.sort === col.key) state.dir = -state.dir;
      else { state.sort = col.key; state.dir = 1; }
      drawTable();
      const again = tableArea.querySelector(`th[data-key="${col.key}"] button`);
      if (again) again.focus();
    });
    return h('th', {
      scope: 'col', 'data-key': col.key,
      'aria-sort': active ? (state.dir > 0 ? 'ascending' : 'descending') : 'none',
    }, button);
  }

  function drawTable() {
    clear(tableArea);
    if (state.error) {
      tableArea.append(note(state.error, 'error'));
      return;
    }
    const rows = visibleRows();
    countLine.textContent = `${plural(rows.length, 'person', 'people')} shown of ${state.rows.length} in your reporting chain.`;
    if (!rows.length) {
      tableArea.append(note(state.rows.length ? 'Nobody matches these filters.' : 'Nobody reports to you yet.'));
      return;
    }
    const pending = new Map(state.open.map((n) => [n.nominee.id, n]));
    tableArea.append(h('table', { class: 'data team-table' },
      h('caption', { class: 'visually-hidden' }, 'Your reporting chain; column headers sort'),
      h('thead', {}, h('tr', {}, COLUMNS.map(header), h('th', { scope: 'col' }, 'Action'))),
      h('tbody', {}, rows.map((r) => {
        const best = r.best;
        let when = '—';
        if (best && best.status === 'NOT_YET' && best.eligibleOn) {
          when = `${formatDate(best.eligibleOn)} (in ${plural(daysUntil(best.eligibleOn, r.progression.asOf), 'day')})`;
        } else if (best && best.status === 'ELIGIBLE') {
          when = `since ${formatDate(best.eligibleOn)}`;
        }
        const open = pending.get(r.id);
        const canNominate = !open && best && best.status === 'ELIGIBLE';
        const cells = [];
        if (open) {
          cells.push(h('span', { class: 'badge badge-nom-PENDING' }, `Nominated: ${open.targetRole.title}`));
          if (app.me && open.nominatedBy.id === app.me.id) cells.push(' ', withdrawButton(open));
        } else if (canNominate) {
          const nominate = h('button', { type: 'button', class: 'primary small', 'aria-label': `Nominate ${r.name}` }, 'Nominate');
          nominate.addEventListener('click', () => nominateDialog(r, app, refresh));
          cells.push(nominate);
        }
        const expanded = state.expanded.has(r.id);
        const toggle = h('button', {
          type: 'button', class: 'small', 'aria-expanded': String(expanded), 'aria-label': `${expanded ? 'Hide why' : 'Why'}: ${r.name}`,
        }, expanded ? 'Hide why' : 'Why');
        toggle.addEventListener('click', () => {
          if (state.expanded.has(r.id)) state.expanded.delete(r.id);
          else state.expanded.add(r.id);
          drawTable();
          const again = tableArea.querySelector(`tr[data-id="${r.id}"] button[aria-expanded]`);
          if (again) again.focus();
        });
        cells.push(' ', toggle);
        if (r.salary) {
          const pay = h('button', { type: 'button', class: 'small', 'aria-label': `Propose a pay change for ${r.name}` }, 'Pay');
          const band = state.bands.find((b) => b.role.code === r.role.code && b.market === r.market);
          pay.addEventListener('click', () => payDialog(r, band, app, refresh));
          cells.push(' ', pay);
        }
        if (r.salary && state.merit) {
          const merit = h('button', { type: 'button', class: 'small', 'aria-label': `Propose a merit raise for ${r.name}` }, 'Merit');
          merit.addEventListener('click', () => meritDialog(r, state.merit, app, refresh));
          cells.push(' ', merit);
        }
        const row = h('tr', { 'data-id': r.id, 'data-status': best ? best.status : 'NONE' },
          h('th', { scope: 'row' }, h('span', { class: 'person' }, r.name), h('span', { class: 'sub' }, r.email)),
          h('td', { 'data-label': 'Role' }, r.role.title),
          h('td', { 'data-label': 'Site' }, r.site),
          h('td', { 'data-label': 'Best option' }, best ? h('span', {}, statusBadge(best.status), ' ', best.targetRole.title) : statusBadge(null),
            r.eligibleCount > 1 ? h('span', { class: 'sub' }, `+${r.eligibleCount - 1} more eligible`) : null,
            r.progression.stalled ? h('span', { class: 'badge badge-stalled' }, 'Stalled') : null),
          h('td', { 'data-label': 'Eligible on' }, when),
          h('td', { 'data-label': 'Action' }, cells));
        if (!expanded) return row;
        const detail = h('tr', { class: 'row-detail', 'data-detail-for': r.id },
          h('td', { colspan: 6 }, r.progression.options.length
            ? h('ul', {}, r.progression.options.map((o) => h('li', {},
              h('strong', {}, o.targetRole.title), ': ', STATUS_LABEL[o.status],
              o.status === 'ELIGIBLE' ? '' : ` — ${o.status === 'NOT_YET' ? `from ${formatDate(o.eligibleOn)}` : o.gaps.map((g) => g.message).join('; ')}`)))
            : 'No ladder step leads out of this role.'));
        return [row, detail];
      }))));
    version += 1;
    root.dataset.version = String(version);
  }

  function withdrawButton(n) {
    const withdraw = h('button', { type: 'button', class: 'small', 'aria-label': `Withdraw the nomination of ${n.nominee.name}` }, 'Withdraw');
    withdraw.addEventListener('click', async () => {
      withdraw.disabled = true;
      app.acted(`nomination:${n.id}`);
      try {
        await gql(WITHDRAW, { id: n.id });
        app.toast(`Withdrew the nomination of ${n.nominee.name}.`);
        refresh();
      } catch (err) {
        app.toast(`Could not withdraw: ${err.message}`, 'warn');
        withdraw.disabled = false;
      }
    });
    return withdraw;
  }

  function drawOpen() {
    clear(openArea);
    openTab.setAttribute('aria-selected', String(state.tab === 'open'));
    decidedTab.setAttribute('aria-selected', String(state.tab === 'decided'));
    if (state.error) {
      // Never a false "nothing here" when the list could not be loaded.
      const retry = h('button', { type: 'button' }, 'Try again');
      retry.addEventListener('click', () => refresh());
      openArea.append(note(state.error, 'error'), retry);
      return;
    }
    if (state.tab === 'decided') {
      openArea.append(state.decided.length
        ? h('ul', { class: 'nominations', 'data-testid': 'decided-nominations' }, state.decided.map((n) => h('li', { 'data-id': n.id, 'data-status': n.status },
          h('span', { class: `badge badge-nom-${n.status}` }, NOMINATION_LABEL[n.status] || 'Decided'), ' ',
          h('strong', {}, n.nominee.name), ` for ${n.targetRole.title}`,
          n.decidedAt ? ` on ${formatDate(n.decidedAt)}` : '',
          n.decisionReason ? `: “${n.decisionReason}”` : '')))
        : note('No decided nominations yet.'));
      return;
    }
    if (!state.open.length) {
      openArea.append(note('No open nominations in your team.'));
      return;
    }
    openArea.append(h('ul', { class: 'nominations' }, state.open.map((n) => {
      const mine = app.me && n.nominatedBy.id === app.me.id;
      return h('li', { 'data-id': n.id },
        h('span', { class: 'badge badge-nom-PENDING' }, NOMINATION_LABEL.PENDING), ' ',
        h('strong', {}, n.nominee.name), ` (${n.nominee.role.title}) for `, h('strong', {}, n.targetRole.title),
        ` — by ${n.nominatedBy.name} on ${formatDate(n.createdAt)}: “${n.justification}” `, mine ? withdrawButton(n) : null);
    })));
  }

  async function refresh() {
    try {
      const [people, open, decided, bands, cycles] = await Promise.all([
        allPages(TEAM, {}, (d) => d.employees),
        allPages(OPEN, {}, (d) => d.nominations),
        gql(DECIDED).then((d) => d.nominations.nodes.filter((n) => n.status !== 'PENDING')),
        gql(BANDS).then((d) => d.salaryBands, () => []),
        gql(MERIT_CYCLES).then((d) => d.meritCycles, () => []),
      ]);
      state.bands = bands;
      state.merit = cycles.find((c) => c.status === 'OPEN') || null;
      state.decided = decided;
      state.rows = people
        .filter((p) => !app.me || p.id !== app.me.id)
        .map((p) => ({
          ...p,
          best: bestOption(p.progression.options),
          eligibleCount: p.progression.options.filter((o) => o.status === 'ELIGIBLE').length,
        }));
      state.open = open;
      state.error = null;
      const sites = [...new Set(state.rows.map((r) => r.site))].sort();
      const chosen = siteSelect.value;
      clear(siteSelect).append(h('option', { value: '' }, 'All sites'),
        sites.map((site) => h('option', { value: site, selected: site === chosen }, site)));
    } catch (err) {
      state.error = `Could not load your team: ${err.message}`;
    }
    drawTable();
    drawOpen();
  }

  tableArea.append(note('Loading…'));
  refresh();
  return {
    title: 'My team',
    onEvent: () => refresh(),
  };
}
