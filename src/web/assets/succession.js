// Succession (issue 21), for managers (their chain) and HR: per site, the
// bench for Team Lead seats, the slates for the leadership seats (confirmed
// successors first, then the engine's suggestions, each confirmable with a
// readiness) and the 9-box, where potential is assessed.

import { gql } from './api.js';
import { h, clear, section, note, plural, newId } from './dom.js';

const BENCH = `query Bench { dashboard { benchStrength { site teamLeadSeatsNeeded readyNow shortfall atRisk } } }`;

const SITE = `query SiteSuccession($site: String!) {
  successionSlates(site: $site) {
    site roleCode
    successors { employee { id name role { id title } } readiness suggested confirmedBy { id name } }
  }
  nineBox(site: $site) { performance potential count employees { id name } }
}`;

const CONFIRM = `mutation ConfirmSuccessor($input: SuccessorInput!) {
  confirmSuccessor(input: $input) { site roleCode }
}`;

const ASSESS = `mutation AssessPotential($id: ID!, $potential: PotentialLevel!) {
  assessPotential(employeeId: $id, potential: $potential) { id }
}`;

const READINESS = { READY_NOW: 'Ready now', ONE_TO_TWO_YEARS: '1–2 years', THREE_PLUS_YEARS: '3+ years' };
const ROLE = { TEAM_LEAD: 'Team Lead', OPERATIONS_MANAGER: 'Operations Manager' };
const LEVELS = ['HIGH', 'MEDIUM', 'LOW'];
const LEVEL = { HIGH: 'High', MEDIUM: 'Medium', LOW: 'Low' };

export function render(main, app) {
  const root = h('div', { class: 'page page-succession' });
  main.append(h('h1', {}, 'Succession'), root);
  let site = null;

  async function act(query, variables, done) {
    try {
      await gql(query, variables);
      app.toast(done, 'success');
    } catch (err) {
      app.toast(err.message, 'error');
    }
    await load();
  }

  function choose(label, options, current, onPick) {
    const id = newId('pick');
    const select = h('select', { id }, options.map(([value, text]) =>
      h('option', { value, selected: value === current }, text)));
    const button = h('button', { type: 'button' }, 'Save');
    button.addEventListener('click', () => onPick(select.value));
    return h('span', { class: 'inline-form' }, h('label', { for: id, class: 'visually-hidden' }, label), select, button);
  }

  function benchTable(buckets) {
    return h('table', { class: 'data', dataset: { testid: 'bench' } },
      h('thead', {}, h('tr', {},
        ['Site', 'Team Lead seats needed', 'Ready now', 'Shortfall', 'Slates'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, buckets.map((b) => {
        const open = h('button', { type: 'button' }, `Open ${b.site}`);
        open.addEventListener('click', () => { site = b.site; load(); });
        return h('tr', { class: b.atRisk ? 'at-risk' : '' },
          h('th', { scope: 'row' }, b.site),
          h('td', {}, String(b.teamLeadSeatsNeeded)),
          h('td', {}, String(b.readyNow)),
          h('td', {}, b.atRisk ? `${b.shortfall} (at risk)` : '0'),
          h('td', {}, open));
      })));
  }

  function slateItem(slate) {
    const role = ROLE[slate.roleCode] || slate.roleCode;
    const list = slate.successors.map((s) => {
      const who = s.employee.name;
      const how = s.suggested ? 'suggested' : `confirmed by ${s.confirmedBy ? s.confirmedBy.name : 'someone'}`;
      return h('li', { dataset: { testid: 'successor' } },
        h('strong', {}, who), ` (${s.employee.role.title}) · ${READINESS[s.readiness]} · ${how} `,
        choose(`Readiness of ${who} for ${role}`, Object.entries(READINESS), s.readiness, (readiness) =>
          act(CONFIRM, { input: { site: slate.site, roleCode: slate.roleCode, employeeId: s.employee.id, readiness } },
            `${who}: ${READINESS[readiness]} for ${role}`)));
    });
    return h('div', { class: 'slate', dataset: { testid: 'slate' } },
      h('h3', {}, `${role}, ${slate.site}`),
      list.length ? h('ol', {}, list) : note('Nobody yet.'));
  }

  function nineBox(cells) {
    const at = (performance, potential) =>
      cells.find((c) => c.performance === performance && c.potential === potential);
    const grid = h('table', { class: 'data nine-box', dataset: { testid: 'nine-box' } },
      h('caption', {}, 'Potential (rows) by performance (columns)'),
      h('thead', {}, h('tr', {}, h('td', {}), ['LOW', 'MEDIUM', 'HIGH'].map((p) =>
        h('th', { scope: 'col' }, `Performance ${LEVEL[p]}`)))),
      h('tbody', {}, LEVELS.map((potential) => h('tr', {},
        h('th', { scope: 'row' }, `Potential ${LEVEL[potential]}`),
        ['LOW', 'MEDIUM', 'HIGH'].map((performance) => {
          const cell = at(performance, potential);
          const people = cell ? cell.employees : [];
          return h('td', {},
            h('strong', {}, plural(cell ? cell.count : 0, 'person', 'people')),
            h('ul', {}, people.slice(0, 8).map((p) => h('li', {}, p.name,
              ' ', choose(`Potential of ${p.name}`, LEVELS.map((l) => [l, LEVEL[l]]), potential, (level) =>
                act(ASSESS, { id: p.id, potential: level }, `${p.name}: potential ${LEVEL[level]}`))))));
        })))));
    return grid;
  }

  async function load() {
    let bench;
    try {
      bench = (await gql(BENCH)).dashboard.benchStrength;
    } catch (err) {
      clear(root).append(note(`Succession could not be loaded: ${err.message}`, 'error'));
      return;
    }
    if (!site && bench.length) site = (bench.find((b) => b.atRisk) || bench[0]).site;
    const parts = [section('Bench strength', {}, bench.length ? benchTable(bench) : note('No site has CSRs yet.'))];
    if (site) {
      try {
        const data = await gql(SITE, { site });
        parts.push(
          section(`Slates in ${site}`, {}, data.successionSlates.length
            ? h('div', { class: 'slates' }, data.successionSlates.map(slateItem))
            : note('No one is on a path to a leadership seat here yet.')),
          section(`9-box in ${site}`, {}, nineBox(data.nineBox)),
        );
      } catch (err) {
        parts.push(note(err.message, 'error'));
      }
    }
    clear(root).append(...parts);
  }

  load();
  return { title: 'Succession', redraw: load };
}
