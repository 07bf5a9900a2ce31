// Openings (issue 21): everyone sees the open positions with their own
// standing for each role and applies with a short note; their applications
// follow with withdraw, accept and decline. A hiring manager (or HR) sees
// the applicants of the openings they hire for, ranked, and moves them:
// shortlist, offer, reject.

import { gql } from './api.js';
import {
  h, clear, section, note, statusBadge, formatDate, plural, newId,
} from './dom.js';

const OPENINGS = `query Openings {
  openings(first: 100, filter: { status: OPEN }) {
    totalCount
    nodes {
      id site seats filled closesOn workArrangement
      role { id code title }
      hiringManager { id name }
      postedBy { id }
      myStanding { status eligibleOn gaps { kind message } }
    }
  }
  myApplications {
    id status note reason
    opening { id site role { id title } }
  }
}`;

const APPLICANTS = `query Applicants($id: ID!) {
  node(id: $id) {
    id
    ... on Opening {
      applications(first: 100) {
        totalCount
        nodes { id status note applicant { id name site } standing { status eligibleOn } }
      }
    }
  }
}`;

const APPLY = `mutation Apply($id: ID!, $note: String) {
  applyToOpening(openingId: $id, note: $note) { id status }
}`;

const MOVE = `mutation MoveApplication($id: ID!, $to: ApplicationStatus!, $reason: String) {
  moveApplication(id: $id, to: $to, reason: $reason) { id status }
}`;

const WITHDRAW = `mutation Withdraw($id: ID!) { withdrawApplication(id: $id) { id status } }`;

const ACCEPT = `mutation AcceptOffer($id: ID!) { acceptOffer(applicationId: $id) { id status } }`;

const ARRANGEMENT = { ONSITE: 'on site', REMOTE: 'remote', HYBRID: 'hybrid' };

const APPLICATION_LABEL = {
  APPLIED: 'Applied',
  SHORTLISTED: 'Shortlisted',
  OFFERED: 'Offered',
  ACCEPTED: 'Accepted',
  DECLINED: 'Declined',
  REJECTED: 'Not selected',
  WITHDRAWN: 'Withdrawn',
};

const IN_PROGRESS = ['APPLIED', 'SHORTLISTED', 'OFFERED'];

function title(opening) {
  return `${opening.role.title}, ${opening.site}`;
}

export function render(main, app) {
  const root = h('div', { class: 'page page-openings' });
  main.append(h('h1', {}, 'Openings'), root);

  async function act(query, variables, done) {
    try {
      await gql(query, variables);
      app.toast(done, 'success');
    } catch (err) {
      app.toast(err.message, 'error');
    }
    await load();
  }

  function applyForm(opening) {
    const id = newId('note');
    const text = h('textarea', { id, rows: 2, maxlength: 1000 });
    const form = h('form', { class: 'apply-form', 'aria-label': `Apply for ${title(opening)}` },
      h('label', { for: id }, 'Why you (the hiring manager reads it)'),
      text,
      h('button', { type: 'submit' }, 'Send application'));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      act(APPLY, { id: opening.id, note: text.value.trim() || null }, `Applied: ${title(opening)}`);
    });
    return form;
  }

  function openingItem(opening, applied) {
    const standing = opening.myStanding;
    const left = opening.seats - opening.filled;
    const item = h('li', { class: 'opening', dataset: { testid: 'opening' } },
      h('h3', {}, title(opening)),
      h('p', {}, `${ARRANGEMENT[opening.workArrangement] || opening.workArrangement} · `
        + `${plural(left, 'seat')} left · closes ${formatDate(opening.closesOn)} · `
        + `hiring manager ${opening.hiringManager.name}`),
      h('p', {}, 'Your standing: ', statusBadge(standing && standing.status),
        standing && standing.status === 'NOT_YET' && standing.eligibleOn
          ? ` from ${formatDate(standing.eligibleOn)}` : ''));
    if (standing && standing.gaps.length) {
      item.append(h('ul', { class: 'gaps' }, standing.gaps.map((gap) => h('li', {}, gap.message))));
    }
    if (applied) item.append(note('You have applied.'));
    else if (opening.hiringManager.id !== app.me.id && standing && standing.status !== 'INELIGIBLE') {
      item.append(applyForm(opening));
    }
    return item;
  }

  function applicationItem(application) {
    const what = title(application.opening);
    const item = h('li', { class: 'application', dataset: { testid: 'my-application' } },
      h('strong', {}, what), ' · ', APPLICATION_LABEL[application.status] || application.status,
      application.reason ? ` (${application.reason})` : '');
    const buttons = h('div', { class: 'actions' });
    if (application.status === 'OFFERED') {
      buttons.append(
        h('button', { type: 'button', onclick: () => act(ACCEPT, { id: application.id }, `You accepted: ${what}`) },
          `Accept the offer for ${what}`),
        h('button', { type: 'button', onclick: () => act(MOVE, { id: application.id, to: 'DECLINED' }, `Declined: ${what}`) },
          'Decline'),
      );
    }
    if (IN_PROGRESS.includes(application.status)) {
      buttons.append(h('button', {
        type: 'button',
        onclick: () => act(WITHDRAW, { id: application.id }, `Withdrawn: ${what}`),
      }, 'Withdraw'));
    }
    if (buttons.children.length) item.append(buttons);
    return item;
  }

  function applicantItem(opening, application) {
    const who = application.applicant.name;
    const standing = application.standing;
    const item = h('li', { class: 'applicant', dataset: { testid: 'applicant' } },
      h('strong', {}, who), ` (${application.applicant.site}) · `,
      APPLICATION_LABEL[application.status] || application.status, ' · ',
      statusBadge(standing && standing.status));
    if (application.note) item.append(h('p', { class: 'quote' }, application.note));
    const next = { APPLIED: ['SHORTLISTED', 'Shortlist'], SHORTLISTED: ['OFFERED', 'Offer the seat to'] };
    const buttons = h('div', { class: 'actions' });
    const step = next[application.status];
    if (step) {
      buttons.append(h('button', {
        type: 'button',
        onclick: () => act(MOVE, { id: application.id, to: step[0] }, `${APPLICATION_LABEL[step[0]]}: ${who}`),
      }, `${step[1]} ${who}`));
    }
    if (IN_PROGRESS.includes(application.status)) {
      buttons.append(h('button', {
        type: 'button',
        onclick: () => {
          const reason = window.prompt(`Why not ${who}? (they read it)`);
          if (reason) act(MOVE, { id: application.id, to: 'REJECTED', reason }, `Not selected: ${who}`);
        },
      }, `Reject ${who}`));
    }
    if (buttons.children.length) item.append(buttons);
    return item;
  }

  async function hiringSection(openings) {
    const mine = openings.filter((o) => o.hiringManager.id === app.me.id || o.postedBy.id === app.me.id);
    if (!mine.length) return null;
    const list = h('div', {});
    for (const opening of mine) {
      const data = await gql(APPLICANTS, { id: opening.id });
      const applications = data.node.applications.nodes;
      list.append(h('div', { class: 'hiring', dataset: { testid: 'hiring' } },
        h('h3', {}, `${title(opening)}: ${plural(data.node.applications.totalCount, 'applicant')}`),
        applications.length
          ? h('ol', { class: 'applicants' }, applications.map((a) => applicantItem(opening, a)))
          : note('Nobody has applied yet.')));
    }
    return section('Openings you hire for', {}, list);
  }

  async function load() {
    let data;
    try {
      data = await gql(OPENINGS);
    } catch (err) {
      clear(root).append(note(`The openings could not be loaded: ${err.message}`, 'error'));
      return;
    }
    const applied = new Set(data.myApplications
      .filter((a) => IN_PROGRESS.includes(a.status))
      .map((a) => a.opening.id));
    const openings = data.openings.nodes;
    const parts = [
      section('Open positions', {}, openings.length
        ? h('ul', { class: 'openings' }, openings.map((o) => openingItem(o, applied.has(o.id))))
        : note('No position is open right now.')),
      section('Your applications', { dataset: { testid: 'my-applications' } }, data.myApplications.length
        ? h('ul', {}, data.myApplications.map(applicationItem))
        : note('You have not applied to anything yet.')),
    ];
    const hiring = await hiringSection(openings).catch((err) => note(err.message, 'error'));
    if (hiring) parts.push(hiring);
    clear(root).append(...parts);
  }

  load();
  return { title: 'Openings', redraw: load };
}
