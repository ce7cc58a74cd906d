// History: newest first, a page at a time (the server's keyset cursor), each row with its date,
// station, what was bought, the points and when held points become available.
import { api } from './api.js';
import { t, formatNumber, formatMoney, formatDate, formatDateTime } from './i18n.js';
import { h } from './dom.js';

const pageSize = 10;

function kindLabel(item) {
  if (item.kind === 'spending') return t(/on$/i.test(item.description) ? 'kind.spending.on' : 'kind.spending.off');
  return t(`kind.${item.kind}`) === `kind.${item.kind}` ? item.description : t(`kind.${item.kind}`);
}

/** What was bought, in the chosen language: the fuel grades and litres, the shop items, the sum. */
function details(item) {
  const parts = [];
  if (item.kind === 'purchase' && item.description && item.description !== 'Purchase') {
    parts.push(item.description
      .replace(/(\d+(?:\.\d+)?) L\b/g, (_, l) => `${formatNumber(Number(l), 3)} ${t('litres')}`)
      .replace(/(\d+) shop items?/g, (_, n) => t('shop.items', { n })));
  } else if (item.litres) {
    parts.push(`${formatNumber(item.litres, 3)} ${t('litres')}`);
  }
  if (item.amount) parts.push(formatMoney(item.amount));
  return parts.join(' · ');
}

function availability(item) {
  if (!item.availableAt || item.points <= 0 || item.kind === 'released') return '';
  return new Date(item.availableAt) > new Date()
    ? t('history.availableFrom', { date: formatDate(item.availableAt) })
    : t('history.availableNow');
}

function row(item) {
  const points = item.points > 0 ? `+${formatNumber(item.points)}` : formatNumber(item.points);
  return h('tr', { 'data-id': item.id },
    h('td', { 'data-label': t('history.date'), text: formatDateTime(item.at) }),
    h('td', { 'data-label': t('history.station'), text: item.stationId ?? '—' }),
    h('td', { 'data-label': t('history.what') }, h('div', {},
      h('span', { class: 'what', text: kindLabel(item) }),
      details(item) ? h('span', { class: 'muted small block', text: details(item) }) : null)),
    h('td', { 'data-label': t('history.points'), class: `points ${item.points < 0 ? 'minus' : 'plus'}`, text: points }),
    h('td', { 'data-label': t('history.available'), text: availability(item) || '—' }));
}

export function historyPage({ onError }) {
  const body = h('tbody');
  const status = h('p', { class: 'muted', id: 'history-page', role: 'status' });
  const newer = h('button', { type: 'button', id: 'history-newer', text: t('history.newer') });
  const older = h('button', { type: 'button', id: 'history-older', text: t('history.older') });
  // Cursors of the pages seen so far: going back needs no reverse paging on the server.
  const cursors = [null];
  let index = 0;

  async function show(i) {
    newer.disabled = older.disabled = true;
    try {
      const page = await api.history(pageSize, cursors[i]);
      index = i;
      cursors[i + 1] = page.nextCursor;
      body.replaceChildren(...(page.items.length ? page.items.map(row)
        : [h('tr', {}, h('td', { colspan: '5', text: t('history.empty') }))]));
      status.textContent = t('history.page', { n: i + 1 });
      newer.disabled = i === 0;
      older.disabled = !page.nextCursor;
    } catch (error) {
      onError(error);
    }
  }
  newer.addEventListener('click', () => show(index - 1));
  older.addEventListener('click', () => show(index + 1));
  show(0);

  return h('section', { class: 'card history' },
    h('h1', { tabindex: '-1', text: t('history.title') }),
    h('table', { class: 'history-table' },
      h('thead', {}, h('tr', {},
        ...['history.date', 'history.station', 'history.what', 'history.points', 'history.available'].map(k => h('th', { scope: 'col', text: t(k) })))),
      body),
    h('div', { class: 'pager' }, newer, status, older));
}
