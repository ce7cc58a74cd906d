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
  if (item.reason) parts.push(item.reason);
  if (item.amount) parts.push(formatMoney(item.amount));
  return parts.join(' · ');
}

function availability(item) {
  if (!item.availableAt || item.points <= 0 || item.kind === 'released' || item.kind === 'releasedEarly') return '';
  return new Date(item.availableAt) > new Date()
    ? t('history.availableFrom', { date: formatDate(item.availableAt) })
    : t('history.availableNow');
}

function row(item) {
  const points = item.points > 0 ? `+${formatNumber(item.points)}` : formatNumber(item.points);
  return h('tr', { 'data-id': item.id },
    h('td', { 'data-label': t('history.date'), text: formatDateTime(item.at) }),
    h('td', { 'data-label': t('history.station'), text: item.stationName ?? item.stationId ?? '—' }),
    h('td', { 'data-label': t('history.what') }, h('div', {},
      h('span', { class: 'what', text: kindLabel(item) }),
      details(item) ? h('span', { class: 'muted small block', text: details(item) }) : null)),
    h('td', { 'data-label': t('history.points'), class: `points ${item.points < 0 ? 'minus' : 'plus'}`, text: points }),
    h('td', { 'data-label': t('history.available'), text: availability(item) || '—' }));
}

/** The kinds a member filters by: each option of the select and the history kinds it stands for. */
const filterKinds = [
  ['', 'history.filter.all'],
  ['purchase,partner', 'history.filter.purchases'],
  ['redemption,reversal', 'kind.redemption'],
  ['refund', 'kind.refund'],
  ['released,releasedEarly', 'history.filter.released'],
  ['adjustment', 'kind.adjustment'],
  ['expired,annulled', 'history.filter.annulled'],
];

let filterCount = 0;

function labelled(label, control) {
  control.id = `history-${control.name}-${++filterCount}`;
  return h('div', { class: 'field' }, h('label', { for: control.id, text: t(label) }), control);
}

export function historyPage({ onError }) {
  const body = h('tbody');
  const kind = h('select', { name: 'kind' },
    ...filterKinds.map(([value, label]) => h('option', { value, text: t(label) })));
  const from = h('input', { type: 'date', name: 'from' });
  const to = h('input', { type: 'date', name: 'to' });
  const filterError = h('p', { class: 'form-error', role: 'alert', 'data-form-error': '' });
  const csv = h('a', { class: 'button-link', id: 'history-csv', download: '', text: t('history.csv') });
  let filter = {};
  const updateCsv = () => { csv.href = api.historyCsvUrl(filter); };
  updateCsv();
  const filters = h('form', { class: 'history-filters', id: 'history-filters' },
    labelled('history.filter.kind', kind), labelled('history.filter.from', from), labelled('history.filter.to', to),
    h('div', { class: 'filter-actions' }, h('button', { type: 'submit', class: 'primary', id: 'history-apply', text: t('history.filter.apply') }), csv),
    filterError);
  filters.addEventListener('submit', event => {
    event.preventDefault();
    filterError.textContent = '';
    if (from.value && to.value && from.value > to.value) {
      filterError.textContent = t('history.filter.order');
      return;
    }
    filter = { kind: kind.value, from: from.value, to: to.value };
    updateCsv();
    // The server gives one CSV at most 366 days; the list itself has no such limit.
    const days = from.value && to.value ? (Date.parse(to.value) - Date.parse(from.value)) / 86_400_000 : 0;
    if (days >= 366) {
      csv.removeAttribute('href');
      filterError.textContent = t('history.filter.tooLong');
    }
    cursors.length = 1;
    show(0);
  });
  const status = h('p', { class: 'muted', id: 'history-page', role: 'status' });
  const newer = h('button', { type: 'button', id: 'history-newer', text: t('history.newer') });
  const older = h('button', { type: 'button', id: 'history-older', text: t('history.older') });
  // Cursors of the pages seen so far: going back needs no reverse paging on the server.
  const cursors = [null];
  let index = 0;

  async function show(i) {
    newer.disabled = older.disabled = true;
    try {
      const page = await api.history(pageSize, cursors[i], filter);
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
    filters,
    h('table', { class: 'history-table' },
      h('thead', {}, h('tr', {},
        ...['history.date', 'history.station', 'history.what', 'history.points', 'history.available'].map(k => h('th', { scope: 'col', text: t(k) })))),
      body),
    h('div', { class: 'pager' }, newer, status, older));
}
