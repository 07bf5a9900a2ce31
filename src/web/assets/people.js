// People (HR and ADMIN): everyone, narrowed by site, role, the status of
// their best option and whether they are stalled; the dashboard's figures
// link here (#/people?site=Tokyo&stalled=1), so "1 stalled" leads to a name.
// Pages of 50, with "Show more".

import { gql } from './api.js';
import {
  h, clear, section, note, statusBadge, formatDate, plural, newId, STATUS_LABEL,
} from './dom.js';

const PEOPLE = `query People($filter: EmployeeFilter, $after: String) {
  employees(first: 50, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id name email site
      role { title }
      progression { stalled options { status eligibleOn targetRole { title } } }
    }
  }
}`;

const RANK = { ELIGIBLE: 0, NOT_YET: 1, INELIGIBLE: 2 };

function best(options) {
  return [...options].sort((a, b) => (RANK[a.status] - RANK[b.status])
    || (a.eligibleOn || '9999').localeCompare(b.eligibleOn || '9999'))[0] || null;
}

/** The filter the hash asks for: #/people?site=Tokyo&roleCode=CSR&bestStatus=ELIGIBLE&stalled=1. */
function filterFromHash() {
  const query = new URLSearchParams((location.hash.split('?')[1]) || '');
  const filter = {};
  for (const key of ['site', 'roleCode', 'search']) {
    if (query.get(key)) filter[key] = query.get(key);
  }
  if (['ELIGIBLE', 'NOT_YET', 'INELIGIBLE'].includes(query.get('bestStatus'))) filter.bestStatus = query.get('bestStatus');
  if (query.get('stalled') === '1') filter.stalled = true;
  return filter;
}

/** A link to this page with a filter (used by the dashboard). */
export function peopleLink(filter, text) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) query.set(key, value === true ? '1' : value);
  return h('a', { href: `#/people?${query}` }, text);
}

export function render(main) {
  const filter = filterFromHash();
  const root = h('div', { class: 'page page-people' });
  main.append(h('h1', {}, 'People'), root);
  const state = { rows: [], total: 0, next: null, error: null };

  const searchId = newId('search');
  const statusId = newId('status');
  const search = h('input', { id: searchId, type: 'search', value: filter.search || '', placeholder: 'Name or email' });
  const status = h('select', { id: statusId },
    h('option', { value: '' }, 'Any status'),
    Object.entries(STATUS_LABEL).map(([value, label]) => h('option', { value, selected: filter.bestStatus === value }, label)));
  const stalled = h('input', { type: 'checkbox', id: newId('stalled'), checked: Boolean(filter.stalled) });
  const apply = h('button', { type: 'submit', class: 'primary' }, 'Show');
  const form = h('form', { class: 'filters', role: 'search' },
    h('div', { class: 'field' }, h('label', { for: searchId }, 'Name or email'), search),
    h('div', { class: 'field' }, h('label', { for: statusId }, 'Best option'), status),
    h('div', { class: 'field field-inline' }, stalled, h('label', { for: stalled.id }, 'Stalled only')),
    apply);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const query = new URLSearchParams();
    if (filter.site) query.set('site', filter.site);
    if (filter.roleCode) query.set('roleCode', filter.roleCode);
    if (search.value.trim()) query.set('search', search.value.trim());
    if (status.value) query.set('bestStatus', status.value);
    if (stalled.checked) query.set('stalled', '1');
    location.hash = `#/people?${query}`;
  });
  const scope = [
    filter.site,
    filter.roleCode && 'one role',
    filter.bestStatus && `best option ${STATUS_LABEL[filter.bestStatus].toLowerCase()}`,
    filter.stalled && 'stalled',
  ].filter(Boolean).join(' · ');
  const countLine = h('p', { class: 'hint', role: 'status' });
  const tableArea = h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'People (scrolls sideways)' });
  const more = h('button', { type: 'button', hidden: true }, 'Show more');
  root.append(section(scope ? `Who: ${scope}` : 'Everyone', { 'data-testid': 'people' }, form, countLine, tableArea, more));

  function draw() {
    clear(tableArea);
    if (state.error) {
      const retry = h('button', { type: 'button' }, 'Try again');
      retry.addEventListener('click', () => load(null));
      tableArea.append(note(state.error, 'error'), retry);
      more.hidden = true;
      return;
    }
    countLine.textContent = `${plural(state.total, 'person', 'people')} match; ${state.rows.length} shown.`;
    more.hidden = !state.next;
    if (!state.rows.length) {
      tableArea.append(note('Nobody matches.'));
      return;
    }
    tableArea.append(h('table', { class: 'data' },
      h('caption', { class: 'visually-hidden' }, 'People matching the filter'),
      h('thead', {}, h('tr', {}, ['Name', 'Role', 'Site', 'Best option', 'Eligible on'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, state.rows.map((r) => {
        const b = best(r.progression.options);
        return h('tr', { 'data-id': r.id },
          h('th', { scope: 'row' }, h('span', { class: 'person' }, r.name), h('span', { class: 'sub' }, r.email)),
          h('td', {}, r.role.title),
          h('td', {}, r.site),
          h('td', {}, b ? h('span', {}, statusBadge(b.status), ' ', b.targetRole.title) : statusBadge(null),
            r.progression.stalled ? h('span', { class: 'badge badge-stalled' }, 'Stalled') : null),
          h('td', {}, b && b.eligibleOn ? formatDate(b.eligibleOn) : '—'));
      }))));
  }

  async function load(after) {
    try {
      const data = await gql(PEOPLE, { filter, after });
      const page = data.employees;
      state.rows = after ? [...state.rows, ...page.nodes] : page.nodes;
      state.total = page.totalCount;
      state.next = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      state.error = null;
    } catch (err) {
      state.error = `Could not load the people: ${err.message}`;
    }
    draw();
  }
  more.addEventListener('click', () => load(state.next));

  tableArea.append(note('Loading…'));
  load(null);
  return { title: 'People', onEvent: () => load(null) };
}
