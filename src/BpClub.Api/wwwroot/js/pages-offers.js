// Offers: the promotions running now and starting soon, each rule in plain words in the chosen language
// (the server sends the rule's parts and the period; the words are ours).
import { api } from './api.js';
import { t, formatNumber, formatDate } from './i18n.js';
import { h } from './dom.js';

const list = values => values.join(', ');

/** What the promotion gives: "×2 points", "+50 bonus points", or both. */
function reward(rule) {
  const parts = [];
  if (rule.multiplier) parts.push(t('offers.multiplier', { m: formatNumber(rule.multiplier, 3) }));
  if (rule.bonusPoints) parts.push(t('offers.bonus', { n: formatNumber(rule.bonusPoints) }));
  return parts.join(' ' + t('offers.and') + ' ');
}

/** On what: some fuels, some shop goods, or every purchase. */
function scope(rule) {
  const parts = [];
  if (rule.productCodes) parts.push(t('offers.fuels', { list: list(rule.productCodes) }));
  if (rule.categories) parts.push(t('offers.categories', { list: list(rule.categories) }));
  return parts.length ? parts.join('; ') : t('offers.everything');
}

const where = rule => rule.stations
  ? t('offers.stations', { list: list(rule.stations.map(s => `${s.name} (${s.address})`)) })
  : t('offers.allStations');

const when = offer => offer.running
  ? t('offers.until', { date: formatDate(offer.endsAt) })
  : t('offers.fromTo', { from: formatDate(offer.startsAt), to: formatDate(offer.endsAt) });

function offerCard(offer) {
  return h('li', { class: `card offer ${offer.running ? 'running' : 'upcoming'}` },
    h('p', { class: 'offer-status small', text: t(offer.running ? 'offers.running' : 'offers.upcoming') }),
    h('h2', { class: 'offer-name', text: offer.name }),
    h('p', { class: 'offer-reward strong', text: `${reward(offer.rule)} ${scope(offer.rule)}` }),
    h('p', { class: 'offer-where', text: where(offer.rule) }),
    offer.rule.levels ? h('p', { class: 'offer-levels', text: t('offers.levels', { list: list(offer.rule.levels) }) })
      : null,
    h('p', { class: 'offer-when muted', text: when(offer) }));
}

export async function offersPage() {
  const { offers } = await api.offers();
  return h('div', { class: 'offers-page' },
    h('h1', { tabindex: '-1', text: t('offers.title') }),
    h('p', { class: 'explain', text: t('offers.explain') }),
    offers.length === 0
      ? h('p', { id: 'offers-empty', text: t('offers.empty') })
      : h('ul', { class: 'offer-list', id: 'offers' }, offers.map(offerCard)));
}
