// The cabinet: one page, hash routes (#/signin, #/register, #/forgot, #/home, #/history, #/settings, #/profile,
// #/partners, #/offers, #/replace-card).
// The session is the HttpOnly cookie set at sign-in: the page never sees the token.
import { api } from './api.js';
import { t, getLanguage, setLanguage } from './i18n.js';
import { h } from './dom.js';
import { signInPage, registerPage, forgotPage } from './pages-auth.js';
import { homePage } from './pages-home.js';
import { historyPage } from './pages-history.js';
import { settingsPage } from './pages-settings.js';
import { profilePage } from './pages-profile.js';
import { partnersPage } from './pages-partners.js';
import { offersPage } from './pages-offers.js';
import { replaceCardPage } from './pages-replace.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const language = document.getElementById('language');
let balanceEvents = null;
let notice = null;

const go = hash => {
  if (location.hash === hash) render(); else location.hash = hash;
};

function stopWatching() {
  balanceEvents?.close();
  balanceEvents = null;
}

/** The balance stream: every change of the card's balance arrives as an event named "balance". */
function watchBalance(show) {
  stopWatching();
  balanceEvents = new EventSource(api.balanceEventsUrl, { withCredentials: true });
  balanceEvents.addEventListener('balance', event => show(JSON.parse(event.data)));
}

function translateStatic() {
  document.querySelectorAll('[data-i18n]').forEach(e => { e.textContent = t(e.dataset.i18n); });
  document.title = `BP CLUB — ${t('nav.home')}`;
}

function markCurrent(route) {
  nav.querySelectorAll('a').forEach(a => {
    if (a.getAttribute('href') === `#/${route}`) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
}

/** A failure while signed in: an ended session goes back to sign-in, anything else is said plainly. */
function memberError(error) {
  if (error.status === 401) {
    notice = 'error.sessionEnded';
    go('#/signin');
    return;
  }
  const message = error.status === 0 || error.status >= 500 ? 'error.unavailable' : error.status === 429 ? 'error.rateLimited' : 'error.generic';
  main.prepend(h('p', { class: 'form-error', role: 'alert', text: t(message) }));
}

const signedIn = () => go('#/home');

const publicRoutes = {
  signin: () => {
    const page = signInPage({ onSignedIn: signedIn, notice });
    notice = null;
    return page;
  },
  register: () => registerPage({ onSignedIn: signedIn }),
  forgot: () => forgotPage({ onDone: () => { notice = 'forgot.done'; go('#/signin'); } }),
};

const memberRoutes = {
  home: async me => {
    const [balance, tier] = await Promise.all([api.balance(), api.tier()]);
    return homePage({ me, balance, tier, watch: watchBalance });
  },
  history: () => historyPage({ onError: memberError }),
  settings: me => settingsPage({ me, onError: memberError }),
  profile: me => profilePage({ me, onError: memberError, onLeft: () => { stopWatching(); notice = 'profile.left'; go('#/signin'); } }),
  partners: () => partnersPage(),
  offers: () => offersPage(),
  'replace-card': me => replaceCardPage({ me, onError: memberError }),
};

let rendering = 0;

async function render() {
  const attempt = ++rendering;
  stopWatching();
  translateStatic();
  const route = location.hash.replace(/^#\/?/, '') || 'home';
  let page;
  try {
    if (publicRoutes[route]) {
      nav.hidden = true;
      page = publicRoutes[route]();
    } else {
      const me = await api.me();
      page = await (memberRoutes[route] ?? memberRoutes.home)(me);
      nav.hidden = false;
      markCurrent(memberRoutes[route] ? route : 'home');
    }
  } catch (error) {
    if (attempt !== rendering) return;
    if (error.status === 401) { nav.hidden = true; go('#/signin'); return; }
    stopWatching();
    page = h('p', { class: 'form-error', role: 'alert', text: t(error.status === 0 || error.status >= 500 ? 'error.unavailable' : 'error.generic') });
  }
  // A later navigation has started meanwhile: its page wins.
  if (attempt !== rendering) return;
  main.replaceChildren(page);
  (main.querySelector('h1') ?? main).focus();
}

// The routes live in the hash, so the skip link moves the focus rather than the location.
document.querySelector('.skip').addEventListener('click', event => {
  event.preventDefault();
  main.focus();
});

document.getElementById('sign-out').addEventListener('click', async () => {
  stopWatching();
  try { await api.signOut(); } catch { /* the session may have ended already */ }
  go('#/signin');
});

language.value = getLanguage();
setLanguage(getLanguage());
language.addEventListener('change', () => {
  setLanguage(language.value);
  render();
});

window.addEventListener('hashchange', render);
render();
