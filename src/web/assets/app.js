// The shell: sign-in state, hash routes, the navigation, live updates and
// notices. Pages are modules with render(main, app) returning
// { title, onEvent?, redraw? }.

import { gql, getToken, setToken, whenUnauthenticated } from './api.js';
import { clear, h } from './dom.js';
import { LiveClient } from './live.js';
import * as signin from './signin.js';
import * as progression from './progression.js';
import * as team from './team.js';
import * as dashboard from './dashboard.js';

const ME = '{ me { id name email accessRole role { code title } } }';

const ROUTES = {
  me: { module: progression, allowed: () => true },
  team: { module: team, allowed: (me) => me.accessRole === 'MANAGER' },
  dashboard: { module: dashboard, allowed: (me) => ['MANAGER', 'HR', 'ADMIN'].includes(me.accessRole) },
};

const LIVE_TEXT = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  off: 'Offline',
};

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const session = document.getElementById('session');
const who = document.getElementById('who');
const liveBadge = document.getElementById('live');
const toasts = document.getElementById('toasts');

// What this tab just did, so that its own change coming back over the
// subscription refreshes the page without a second notice.
const recent = new Map();

const app = {
  me: null,
  page: null,
  live: null,

  /** Marks a change this tab is about to make ('nomination:ID' or 'nominee:ID'). */
  acted(key) {
    recent.set(key, Date.now());
  },

  toast(text, kind = 'info') {
    const item = h('div', { class: `toast toast-${kind}` }, text);
    toasts.append(item);
    setTimeout(() => item.remove(), 8000);
  },

  async signedIn() {
    await loadMe();
    startLive();
    if (!location.hash || location.hash === '#/signin') location.hash = '#/me';
    else show();
  },

  async signOut(message) {
    if (getToken()) {
      try {
        await gql('mutation { logout }');
      } catch {
        // The token may already be dead; signing out locally is enough.
      }
    }
    endSession(message);
  },
};

function endSession(message) {
  setToken(null);
  app.me = null;
  if (app.live) app.live.stop();
  app.live = null;
  nav.hidden = true;
  session.hidden = true;
  if (location.hash === '#/signin') show();
  else location.hash = '#/signin';
  if (message) app.toast(message, 'warn');
}

async function loadMe() {
  const data = await gql(ME);
  app.me = data.me;
  who.textContent = `${app.me.name} · ${app.me.role.title}`;
  for (const link of nav.querySelectorAll('a[data-route]')) {
    const route = ROUTES[link.dataset.route];
    link.hidden = !route.allowed(app.me);
  }
  nav.hidden = false;
  session.hidden = false;
}

function setLive(state) {
  liveBadge.textContent = LIVE_TEXT[state] || state;
  liveBadge.dataset.state = state;
  document.body.dataset.live = state;
}

function describe(n) {
  const mine = app.me && n.nominee.id === app.me.id;
  const target = n.targetRole.title;
  switch (n.status) {
    case 'PENDING':
      return mine ? `You have been nominated for ${target}.` : `${n.nominee.name} was nominated for ${target} by ${n.nominatedBy.name}.`;
    case 'APPROVED':
      return mine ? `Congratulations: your promotion to ${target} was approved.` : `${n.nominee.name}'s promotion to ${target} was approved.`;
    case 'REJECTED':
      return mine ? `Your nomination for ${target} was not approved.` : `${n.nominee.name}'s nomination for ${target} was rejected.`;
    case 'WITHDRAWN':
      return mine ? `Your nomination for ${target} was withdrawn.` : `${n.nominee.name}'s nomination for ${target} was withdrawn.`;
    default:
      return `A nomination changed (${n.status}).`;
  }
}

function ownChange(n) {
  const fresh = (key) => recent.has(key) && Date.now() - recent.get(key) < 15000;
  return fresh(`nomination:${n.id}`) || (n.status === 'PENDING' && fresh(`nominee:${n.nominee.id}`));
}

async function onEvent(nomination) {
  if (!ownChange(nomination)) {
    app.toast(describe(nomination), nomination.status === 'APPROVED' ? 'good' : 'info');
  }
  if (app.me && nomination.nominee.id === app.me.id && nomination.status === 'APPROVED') {
    try {
      await loadMe();
    } catch {
      // The page refresh below reports errors.
    }
  }
  if (app.page && app.page.onEvent) app.page.onEvent(nomination);
}

function startLive() {
  if (app.live) app.live.stop();
  app.live = new LiveClient(getToken, {
    onEvent,
    onStatus: setLive,
    onRefused: () => endSession('Your session has ended. Please sign in again.'),
  });
  app.live.start();
}

function currentRoute() {
  const name = (location.hash || '').replace(/^#\/?/, '').split('?')[0];
  return name || 'me';
}

let firstShow = true;

function show() {
  const name = currentRoute();
  clear(main);
  app.page = null;
  if (!app.me) {
    app.page = signin.render(main, app);
  } else {
    const route = ROUTES[name];
    if (!route || !route.allowed(app.me)) {
      location.hash = '#/me';
      return;
    }
    app.page = route.module.render(main, app);
    if (!firstShow) {
      const heading = main.querySelector('h1');
      if (heading) {
        heading.setAttribute('tabindex', '-1');
        heading.focus();
      }
    }
  }
  firstShow = false;
  document.title = `${app.page.title} · Rungs`;
  for (const link of nav.querySelectorAll('a[data-route]')) {
    if (link.dataset.route === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

let resizeTimer = null;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    if (app.page && app.page.redraw) app.page.redraw();
  }, 200);
});

window.addEventListener('hashchange', () => {
  if (location.hash === '#main') return;
  show();
});

document.getElementById('signout').addEventListener('click', () => app.signOut());
document.querySelector('.skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});

whenUnauthenticated(() => endSession('Your session has ended. Please sign in again.'));

async function boot() {
  setLive('off');
  if (getToken()) {
    try {
      await loadMe();
      startLive();
    } catch {
      setToken(null);
      app.me = null;
    }
  }
  show();
}

boot();
