// Home: the two balances (live), the level, the last 12 months and the card with its barcode.
import { api } from './api.js';
import { t, formatNumber, formatDate, formatMonth, kyivMonth, kyivDay } from './i18n.js';
import { h } from './dom.js';
import { barcodeSvg } from './barcode.js';
import { monthlyChart } from './chart.js';

// The chart reads the history newest first until it passes 12 months back; a card with a very
// long history is cut at this many pages rather than slow the home page down.
const chartPageSize = 100;
const chartMaxPages = 10;

export function homePage({ me, balance, tier, watch }) {
  const available = h('p', { class: 'amount', id: 'available', 'aria-live': 'polite' });
  const total = h('p', { class: 'amount', id: 'total', 'aria-live': 'polite' });
  const release = h('p', { id: 'next-release' });
  const asOf = h('p', { class: 'muted small', text: t('home.live') });
  const expiring = h('p', { id: 'expiring', class: 'warning' });

  function showBalance(b) {
    available.textContent = formatNumber(b.available);
    total.textContent = formatNumber(b.total);
    release.textContent = b.nextRelease
      ? t('home.nextRelease', { points: formatNumber(b.nextRelease.points), date: formatDate(b.nextRelease.at) })
      : t('home.noRelease');
    expiring.textContent = b.expiring && warnsNow(b.expiring.on)
      ? t('home.expiring', { points: formatNumber(b.expiring.points), date: formatDate(b.expiring.on) })
      : '';
  }
  showBalance(balance);
  watch(showBalance);

  const balances = h('section', { class: 'card', 'aria-labelledby': 'balance-title' },
    h('h2', { id: 'balance-title', class: 'visually-hidden', text: t('home.total') }),
    h('div', { class: 'balances' },
      h('div', { class: 'balance' }, h('h3', { text: t('home.available') }), available, h('p', { class: 'unit', text: t('home.points') })),
      h('div', { class: 'balance' }, h('h3', { text: t('home.total') }), total, h('p', { class: 'unit', text: t('home.points') }))),
    h('p', { class: 'explain', text: t('home.holdExplain') }), release, expiring, asOf);

  const name = [me.firstName].filter(Boolean).join(' ');
  const chartPlace = h('div', { class: 'chart-place', 'aria-busy': 'true' });
  loadChart(chartPlace);

  return h('div', { class: 'home' },
    h('h1', { tabindex: '-1', text: name ? t('home.hello', { name }) : t('nav.home') }),
    h('div', { class: 'grid' }, balances, levelCard(tier), cardCard(me)),
    h('p', { class: 'home-links' }, h('a', { href: '#/offers', id: 'offers-link', text: t('home.offers') })),
    h('section', { class: 'card', 'aria-labelledby': 'chart-title' },
      h('h2', { id: 'chart-title', text: t('home.chart') }),
      h('p', { class: 'legend' },
        h('span', { class: 'swatch earned', 'aria-hidden': 'true' }), t('home.earned'), ' ',
        h('span', { class: 'swatch spent', 'aria-hidden': 'true' }), t('home.spent')),
      chartPlace));
}

/** The programme warns a month ahead of the annulment (from 1 May for 1 June), in Kyiv's calendar. */
function warnsNow(on) {
  const [year, month, day] = on.split('-').map(Number);
  const from = month === 1 ? `${year - 1}-12-${pad(day)}` : `${year}-${pad(month - 1)}-${pad(day)}`;
  const today = kyivDay(Date.now());
  return today >= from && today < on;
}

const pad = n => String(n).padStart(2, '0');

function levelCard(tier) {
  const counted = Number(tier.qualifyingLitres);
  const toNext = tier.litresToNextLevel === null || tier.litresToNextLevel === undefined ? null : Number(tier.litresToNextLevel);
  const target = toNext === null ? counted : counted + toNext;
  const percent = target > 0 ? Math.min(100, Math.round((counted / target) * 100)) : 100;
  const progress = h('div', {
    class: 'progress', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(percent),
    'aria-label': t('home.level'),
  }, h('div', { class: 'progress-fill' }));
  // Set through the CSSOM: the CSP allows no inline style attributes.
  progress.firstChild.style.width = `${percent}%`;
  return h('section', { class: 'card level', 'aria-labelledby': 'level-title' },
    h('h2', { id: 'level-title', text: t('home.level') }),
    h('p', { class: `tier tier-${tier.level}`, id: 'tier-name', text: tier.name }),
    progress,
    h('p', { id: 'litres-to-next', class: 'strong', text: toNext === null ? t('home.topLevel')
      : t('home.litresTo', { litres: formatNumber(toNext, 3), level: tier.nextLevel }) }),
    // A level held thanks to last month lapses unless this month's litres reach it too.
    Number(tier.litresToKeepLevel ?? 0) > 0
      ? h('p', { id: 'litres-to-keep', class: 'warning', text: t('home.litresToKeep',
        { litres: formatNumber(Number(tier.litresToKeepLevel), 3), level: tier.name }) })
      : null,
    h('p', { class: 'muted small', text: t('home.litresCounted', { litres: formatNumber(counted, 3), date: formatDate(tier.periodEndsAt) }) }));
}

function cardCard(me) {
  const grouped = me.cardNumber.replace(/(\d{4})(?=\d)/g, '$1 ');
  return h('section', { class: 'card loyalty-card', 'aria-labelledby': 'card-title' },
    h('h2', { id: 'card-title', text: t('home.card') }),
    h('div', { class: 'barcode-box' }, barcodeSvg(me.cardNumber, `${t('home.card')}: ${grouped}`)),
    h('p', { class: 'card-number', id: 'card-number', text: grouped }),
    h('p', { class: 'muted small', text: t('home.cardHint') }),
    h('p', { class: 'home-links' }, h('a', { href: '#/replace-card', id: 'replace-link', text: t('home.replaceCard') })));
}

async function loadChart(place) {
  const months = [];
  const now = new Date();
  for (let i = 11; i >= 0; i--) {
    // The 15th keeps the month right whatever the time zone.
    const date = new Date(now.getFullYear(), now.getMonth() - i, 15);
    months.push({ key: kyivMonth(date), label: formatMonth(date), earned: 0, spent: 0 });
  }
  const byKey = new Map(months.map(m => [m.key, m]));
  const oldest = months[0].key;
  try {
    let cursor = null;
    for (let page = 0; page < chartMaxPages; page++) {
      const result = await api.history(chartPageSize, cursor);
      let passed = false;
      for (const item of result.items) {
        const key = kyivMonth(item.at);
        if (key < oldest) { passed = true; break; }
        const month = byKey.get(key);
        if (!month) continue;
        if (item.kind === 'purchase' || item.kind === 'partner' || item.kind === 'refund') month.earned += item.points;
        else if (item.kind === 'redemption') month.spent += -item.points;
      }
      cursor = result.nextCursor;
      if (passed || !cursor) break;
    }
    for (const m of months) m.earned = Math.max(0, m.earned);
    const any = months.some(m => m.earned > 0 || m.spent > 0);
    if (!any) place.replaceChildren(h('p', { class: 'muted', text: t('home.chartEmpty') }));
    else {
      // Redrawn when the width crosses from phone to desktop, as when a phone is turned.
      let drawnNarrow = null;
      const draw = () => {
        const narrow = place.clientWidth > 0 && place.clientWidth < 520;
        if (narrow === drawnNarrow) return;
        drawnNarrow = narrow;
        place.replaceChildren(monthlyChart(months,
          { title: t('home.chart'), earnedLabel: t('home.earned'), spentLabel: t('home.spent'), format: v => formatNumber(v), narrow }));
      };
      draw();
      new ResizeObserver(draw).observe(place);
    }
  } catch {
    place.replaceChildren(h('p', { class: 'muted', text: t('error.unavailable') }));
  }
  place.removeAttribute('aria-busy');
}
