// Partners: where else the card earns points, and how many, in plain words.
import { api } from './api.js';
import { t, formatNumber } from './i18n.js';
import { h } from './dom.js';

/** "5 points for every 100 UAH": a rate per hryvnia is too small a number to read. */
const rate = pointsPerUah => t('partners.rate', { points: formatNumber(pointsPerUah * 100, 2) });

export async function partnersPage() {
  const { partners } = await api.partners();
  const list = partners.length === 0
    ? h('p', { id: 'partners-empty', text: t('partners.empty') })
    : h('ul', { class: 'partner-list', id: 'partners' },
      partners.map(p => h('li', { class: 'card partner' },
        h('h2', { class: 'partner-name', text: p.name }),
        h('p', { class: 'partner-rate strong', text: rate(p.pointsPerUah) }))));
  return h('div', { class: 'partners-page' },
    h('h1', { tabindex: '-1', text: t('partners.title') }),
    h('p', { class: 'explain', text: t('partners.explain') }),
    list);
}
