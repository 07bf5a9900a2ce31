// The shell: sign-in state, hash routes, the navigation, live updates and
// notices. Pages are modules with render(main, app) returning
// { title, onEvent?, redraw? }.

import { gql, getToken, setToken, whenUnauthenticated, whenReachable } from './api.js';
import { clear, h, note } from './dom.js';
import * as signin from './signin.js';

// Each page's code loads when the page is first shown, so an employee never
// downloads the manager's and HR's pages.

const ME = '{ me { id name email accessRole role { code title } } }';

const ROUTES = {
  me: { load: () => import('./progression.js'), allowed: () => true },
  openings: { load: () => import('./openings.js'), allowed: () => true },
  team: { load: () => import('./team.js'), allowed: (me) => me.accessRole === 'MANAGER' },
  dashboard: { load: () => import('./dashboard.js'), allowed: (me) => ['MANAGER', 'HR', 'ADMIN'].includes(me.accessRole) },
  people: { load: () => import('./people.js'), allowed: (me) => ['HR', 'ADMIN'].includes(me.accessRole) },
  succession: { load: () => import('./succession.js'), allowed: (me) => ['MANAGER', 'HR', 'ADMIN'].includes(me.accessRole) },
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
const activityList = document.getElementById('activity-list');
const activityCount = document.getElementById('activity-count');

// At most this many notices on screen; the activity list keeps them all.
const MAX_TOASTS = 2;
const activity = [];

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

  /** A notice: on screen for a while (dismissable), and kept in Activity. */
  toast(text, kind = 'info') {
    const close = h('button', { type: 'button', 'aria-label': 'Dismiss this notice' }, '×');
    const item = h('div', { class: `toast toast-${kind}` }, h('span', { class: 'toast-text' }, text), close);
    close.addEventListener('click', () => item.remove());
    toasts.append(item);
    while (toasts.children.length > MAX_TOASTS) toasts.firstElementChild.remove();
    setTimeout(() => item.remove(), 8000);
    remember(text);
  },

  async signedIn() {
    await loadMe();
    startLive().catch(() => setLive('off'));
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

function remember(text) {
  const at = new Date().toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  activity.unshift({ at, text });
  activity.length = Math.min(activity.length, 20);
  clear(activityList).append(...activity.map((a) => h('li', {}, h('span', { class: 'sub' }, `${a.at} `), a.text)));
  activityCount.textContent = String(activity.length);
}

function endSession(message) {
  // A dialog left open (a nomination being written) closes with the
  // session; its draft stays in this tab for the next sign-in.
  for (const dialog of document.querySelectorAll('dialog[open]')) dialog.close();
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

let socketState = 'off';
let reachable = true;

/** The badge says what is true: live only while the socket is and requests get through. */
function setLive(state) {
  socketState = state;
  const shown = state === 'live' && !reachable ? 'reconnecting' : state;
  liveBadge.textContent = LIVE_TEXT[shown] || shown;
  liveBadge.dataset.state = shown;
  document.body.dataset.live = shown;
}

whenReachable((ok) => {
  if (ok === reachable) return;
  reachable = ok;
  setLive(socketState);
});
window.addEventListener('offline', () => { reachable = false; setLive(socketState); });
window.addEventListener('online', () => { reachable = true; setLive(socketState); });

function describe(n) {
  const mine = app.me && n.nominee.id === app.me.id;
  const target = n.targetRole.title;
  switch (n.status) {
    case 'PENDING':
      return mine ? `You have been nominated for ${target}.` : `${n.nominee.name} was nominated for ${target} by ${n.nominatedBy.name}.`;
    case 'APPROVED':
      return mine ? `Congratulations: your promotion to ${target} was approved.` : `${n.nominee.name}'s promotion to ${target} was approved.`;
    case 'REJECTED':
      return mine ? `Your nomination for ${target} was not approved.` : `${n.nominee.name}'s nomination for ${target} was not approved.`;
    case 'WITHDRAWN':
      return mine ? `Your nomination for ${target} was withdrawn.` : `${n.nominee.name}'s nomination for ${target} was withdrawn.`;
    default:
      return mine ? 'Your nomination changed.' : `${n.nominee.name}'s nomination changed.`;
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

// Live updates load after the first page's own code: they are not on the
// way to its content.
async function startLive() {
  if (app.live) app.live.stop();
  app.live = null;
  const { LiveClient } = await import('./live.js');
  if (app.live || !app.me) return;
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
let showing = 0;

async function show() {
  const name = currentRoute();
  showing += 1;
  const mine = showing;
  app.page = null;
  if (!app.me) {
    clear(main);
    app.page = signin.render(main, app);
  } else {
    const route = ROUTES[name];
    if (!route || !route.allowed(app.me)) {
      location.hash = '#/me';
      return;
    }
    let module;
    try {
      module = await route.load();
    } catch {
      clear(main).append(note('This page could not be loaded. Check your connection, then reload.', 'error'));
      return;
    }
    if (mine !== showing) return;
    clear(main);
    app.page = module.render(main, app);
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
    // The first page's own query goes out together with `me`, not after it.
    if (currentRoute() === 'me') {
      ROUTES.me.load().then((page) => page.prefetch()).catch(() => {});
    }
    try {
      await loadMe();
      startLive().catch(() => setLive('off'));
    } catch {
      setToken(null);
      app.me = null;
    }
  }
  show();
}

boot();
