// The operator page: sign in with the operator key, look a card up, adjust it or release its holds, make
// stations and partners (their keys shown once), run promotions. Built with DOM calls like the cabinet.
import { h, field, formError, clearErrors, showError, onSubmit } from '../js/dom.js';
import { admin, operatorKey, operationId } from './api.js';
import { t, formatNumber, formatDateTime, fillTexts } from './strings.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');

/** Shows an API failure on the form: its title and detail above the button, field errors next to the fields. */
function showProblem(form, error) {
  clearErrors(form);
  if (error.status === 401) { signInView('signIn.ended'); return; }
  const problem = error.problem ?? {};
  const unplaced = [];
  let first = null;
  for (const [name, messages] of Object.entries(problem.errors ?? {})) {
    const input = [...form.elements].find(e => e.name && e.name.toLowerCase() === name.toLowerCase());
    if (input) first ??= showError(form, input.name, messages.join(' '));
    else unplaced.push(`${name}: ${messages.join(' ')}`);
  }
  const general = [problem.title ?? fallback(error), problem.detail, ...unplaced].filter(Boolean).join(' — ');
  form.querySelector('[data-form-error]').textContent = general;
  first?.focus();
}

function fallback(error) {
  if (error.status === 0 || error.status >= 500) return t('error.unavailable');
  if (error.status === 429) return t('error.rateLimited');
  return t('error.generic', { status: error.status });
}

const submit = (text, extra = {}) => h('button', { type: 'submit', class: 'primary', text, ...extra });
const status = () => h('p', { class: 'notice', role: 'status' });

function signInView(message) {
  nav.hidden = true;
  operatorKey.forget();
  const form = h('form', { class: 'card auth', id: 'sign-in-form', 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title', tabindex: '-1', text: t('signIn.title') }),
    message ? h('p', { class: 'notice', role: 'status', text: t(message) }) : null,
    field({
      name: 'operatorKey', label: t('signIn.key'), type: 'password', autocomplete: 'off', hint: t('signIn.hint'),
    }),
    formError(),
    h('div', { class: 'actions' }, submit(t('signIn.submit'))));
  onSubmit(form, async data => {
    const key = String(data.get('operatorKey') ?? '').trim();
    // A header carries printable ASCII only: anything else cannot be an operator key.
    if (!/^[\x21-\x7e]+$/.test(key)) {
      showError(form, 'operatorKey', t('signIn.wrongKey'))?.focus();
      return;
    }
    try {
      await admin.check(key);
    } catch (error) {
      if (error.status === 401) showError(form, 'operatorKey', t('signIn.wrongKey'))?.focus();
      else if (error.status === 403) showError(form, 'operatorKey', t('signIn.notOperator'))?.focus();
      else showProblem(form, error);
      return;
    }
    operatorKey.set(key);
    workspace();
  });
  main.replaceChildren(form);
  form.querySelector('h1').focus();
}

function workspace() {
  nav.hidden = false;
  main.replaceChildren(h('h1', { class: 'visually-hidden', text: t('brand') }),
    h('div', { class: 'admin' }, cardsSection(), stationsSection(), partnersSection(), promotionsSection()));
  main.querySelector('#lookup-form input').focus();
}

// Cards: lookup, then adjustments and early releases for the card shown.

function cardsSection() {
  const result = h('div', { id: 'card-result' });
  const form = h('form', { id: 'lookup-form', class: 'inline-form' },
    field({ name: 'cardNumber', label: t('cards.number'), inputmode: 'numeric', hint: t('cards.numberHint') }),
    formError(), h('div', { class: 'actions' }, submit(t('cards.lookUp'))));
  onSubmit(form, async data => {
    try {
      const card = (await admin.card(String(data.get('cardNumber')).trim())).body;
      result.replaceChildren(...cardView(card, () => refresh(card.cardNumber)));
    } catch (error) {
      result.replaceChildren();
      showProblem(form, error);
    }
  });
  async function refresh(number) {
    try {
      const card = (await admin.card(number)).body;
      result.querySelector('#card-details').replaceWith(details(card));
    } catch (error) {
      showProblem(form, error);
    }
  }
  return h('section', { id: 'cards', class: 'card wide', 'aria-labelledby': 'cards-title' },
    h('h2', { id: 'cards-title', text: t('cards.title') }), form, result);
}

function details(card) {
  const b = card.balance;
  const release = b.nextRelease
    ? t('cards.release', { points: formatNumber(b.nextRelease.points), date: formatDateTime(b.nextRelease.at) })
    : t('cards.noRelease');
  const phone = card.registration
    ? `${card.registration.phone}, ${t('cards.registeredAt', { date: formatDateTime(card.registration.registeredAt) })}`
    : t('cards.unregistered');
  const fact = (label, value, id) => [h('dt', { text: label }), h('dd', { text: value, id })];
  return h('div', { id: 'card-details' },
    h('dl', { class: 'facts' },
      fact(t('cards.number'), card.cardNumber, 'card-number'),
      fact(t('cards.status'), card.status, 'card-status'),
      fact(t('cards.available'), formatNumber(b.available), 'card-available'),
      fact(t('cards.onHold'), formatNumber(b.onHold), 'card-on-hold'),
      fact(t('cards.total'), formatNumber(b.total), 'card-total'),
      fact(t('cards.nextRelease'), release),
      fact(t('cards.level'), `${card.tier.name}, ${t('cards.litres', { litres: card.tier.qualifyingLitres })}`,
        'card-level'),
      fact(t('cards.phone'), phone, 'card-phone'),
      card.issuedAt ? fact(t('cards.issuedAt'), formatDateTime(card.issuedAt)) : null),
    h('h3', { text: t('cards.operations') }),
    operations(card.lastOperations));
}

function operations(items) {
  if (items.length === 0) return h('p', { class: 'muted', text: t('cards.noOperations') });
  const cell = (label, text, cls) => h('td', { 'data-label': label, text, class: cls });
  return h('div', { class: 'table-wrap' }, h('table', { class: 'history-table', id: 'operations' },
    h('thead', {}, h('tr', {}, ...['op.at', 'op.kind', 'op.points', 'op.what', 'op.by']
      .map(k => h('th', { scope: 'col', text: t(k) })))),
    h('tbody', {}, ...items.map(o => h('tr', {},
      cell(t('op.at'), formatDateTime(o.at)),
      cell(t('op.kind'), o.kind),
      cell(t('op.points'), (o.points > 0 ? '+' : '') + formatNumber(o.points),
        `points ${o.points < 0 ? 'minus' : 'plus'}`),
      cell(t('op.what'), [o.description, o.reason].filter(Boolean).join(' — ')),
      cell(t('op.by'), o.by ?? ''))))));
}

function cardView(card, refresh) {
  return [details(card), h('div', { class: 'subforms' },
    confirmedAction({
      id: 'adjust', title: t('adjust.title'), review: t('adjust.review'), confirm: t('adjust.confirm'),
      fields: [
        field({ name: 'points', label: t('adjust.points'), hint: t('adjust.pointsHint') }),
        field({ name: 'reason', label: t('adjust.reason'), hint: t('adjust.reasonHint'), maxlength: 200 })],
      read: (form, data) => {
        const text = String(data.get('points')).trim();
        if (!/^[+-]?\d{1,12}$/.test(text) || Number(text) === 0) {
          showError(form, 'points', t('adjust.pointsInvalid'))?.focus();
          return null;
        }
        const points = Number(text);
        const reason = String(data.get('reason')).trim();
        return {
          payload: { points, reason },
          question: [t(points > 0 ? 'adjust.confirmAdd' : 'adjust.confirmTake',
            { points: formatNumber(Math.abs(points)), card: card.cardNumber }), t('adjust.confirmReason', { reason })],
        };
      },
      send: (id, p) => admin.adjust(card.cardNumber, id, p.points, p.reason),
      done: r => t('adjust.done', { points: formatNumber(r.points), available: formatNumber(r.balance.available) }),
      refresh,
    }),
    confirmedAction({
      id: 'release', title: t('release.title'), review: t('release.review'), confirm: t('release.confirm'),
      fields: [field({ name: 'points', label: t('release.points'), hint: t('release.pointsHint'), required: false })],
      read: (form, data) => {
        const text = String(data.get('points') ?? '').trim();
        if (text !== '' && (!/^\d{1,12}$/.test(text) || Number(text) === 0)) {
          showError(form, 'points', t('release.pointsInvalid'))?.focus();
          return null;
        }
        const points = text === '' ? null : Number(text);
        return {
          payload: { points },
          question: [points === null ? t('release.confirmAll', { card: card.cardNumber })
            : t('release.confirmSome', { points: formatNumber(points), card: card.cardNumber })],
        };
      },
      send: (id, p) => admin.releaseHolds(card.cardNumber, id, p.points),
      done: r => t('release.done', {
        points: formatNumber(r.pointsReleased), available: formatNumber(r.balance.available),
      }),
      refresh,
    }))];
}

/**
 * A form whose submission is reviewed first: the review step shows what will happen and makes the operation id.
 * The id stays with that payload until it succeeds, so a double click, or a retry after a failure, sends the
 * same id and the server counts it once.
 */
function confirmedAction({ id, title, review, confirm, fields, read, send, done, refresh }) {
  const result = status();
  const form = h('form', { id: `${id}-form` }, ...fields, formError(),
    h('div', { class: 'actions' }, submit(review)));
  const question = h('div', { id: `${id}-question` });
  const confirmForm = h('form', { id: `${id}-confirm`, class: 'confirm', hidden: true }, question, formError(),
    h('div', { class: 'actions' }, submit(confirm),
      h('button', { type: 'button', class: 'secondary', text: t('cancel'), onclick: cancel })));
  let pending = null;

  function cancel() {
    pending = null;
    confirmForm.hidden = true;
    form.querySelector('input').focus();
  }

  onSubmit(form, async data => {
    result.textContent = '';
    const reviewed = read(form, data);
    if (!reviewed) return;
    const same = pending && JSON.stringify(pending.payload) === JSON.stringify(reviewed.payload);
    if (!same) pending = { payload: reviewed.payload, id: operationId(id) };
    question.replaceChildren(...reviewed.question.map(q => h('p', { class: 'strong', text: q })));
    clearErrors(confirmForm);
    confirmForm.hidden = false;
    confirmForm.querySelector('button[type="submit"]').focus();
  });

  onSubmit(confirmForm, async () => {
    if (!pending) return;
    try {
      const answer = await send(pending.id, pending.payload);
      pending = null;
      confirmForm.hidden = true;
      form.reset();
      result.textContent = done(answer.body);
      await refresh();
    } catch (error) {
      showProblem(confirmForm, error);
    }
  });

  return h('section', { class: 'subform', 'aria-labelledby': `${id}-title` },
    h('h3', { id: `${id}-title`, text: title }), form, confirmForm, result);
}

// Stations and partners: create or update, rotate the key; a new key is shown once, with a copy button.

function keyPanel(message, key) {
  const id = `key-${operationId('k')}`;
  const copied = h('p', { role: 'status', class: 'small' });
  const input = h('input', { id, class: 'key', readonly: true, value: key, spellcheck: 'false', autocomplete: 'off' });
  const panel = h('div', { class: 'key-panel' },
    h('p', { class: 'strong', text: message }),
    h('label', { for: id, text: t('key.label') }), input,
    h('p', { class: 'small', text: t('key.once') }),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', text: t('key.copy'), onclick: copy }),
      h('button', { type: 'button', class: 'secondary', text: t('key.done'), onclick: () => panel.remove() })),
    copied);
  async function copy() {
    try {
      await navigator.clipboard.writeText(key);
      copied.textContent = t('key.copied');
    } catch {
      input.select();
      copied.textContent = t('key.copyFailed');
    }
  }
  return panel;
}

function keyHolderSection({ kind, idLabel, fields, body, save, rotate }) {
  const slot = h('div', { class: 'key-slot', id: `${kind}-key` });
  const saveForm = h('form', { id: `${kind}-form` },
    field({ name: `${kind}Id`, label: idLabel, hint: t('stations.idHint'), maxlength: 32 }), ...fields,
    formError(), h('div', { class: 'actions' }, submit(t(`${kind}s.save`))));
  const rotateForm = h('form', { id: `${kind}-rotate-form` },
    h('h3', { text: t(`${kind}s.rotateTitle`) }),
    field({ name: `${kind}Id`, label: idLabel, maxlength: 32 }),
    formError(), h('div', { class: 'actions' }, submit(t(`${kind}s.rotate`))));
  const show = (...children) => slot.replaceChildren(...children);
  onSubmit(saveForm, async data => {
    show();
    const id = String(data.get(`${kind}Id`)).trim();
    const fieldsBody = body(saveForm, data);
    if (!fieldsBody) return;
    try {
      const answer = await save(id, fieldsBody);
      show(answer.body.apiKey
        ? keyPanel(t(`${kind}s.created`, { id }), answer.body.apiKey)
        : h('p', { class: 'notice', role: 'status', text: t(`${kind}s.updated`, { id }) }));
      saveForm.reset();
    } catch (error) {
      showProblem(saveForm, error);
    }
  });
  onSubmit(rotateForm, async data => {
    show();
    const id = String(data.get(`${kind}Id`)).trim();
    try {
      const answer = await rotate(id);
      show(keyPanel(t(`${kind}s.rotated`, { id }), answer.body.apiKey));
      rotateForm.reset();
    } catch (error) {
      showProblem(rotateForm, error);
    }
  });
  return h('section', { id: `${kind}s`, class: 'card', 'aria-labelledby': `${kind}s-title` },
    h('h2', { id: `${kind}s-title`, text: t(`${kind}s.title`) }), saveForm, slot, rotateForm);
}

const stationsSection = () => keyHolderSection({
  kind: 'station', idLabel: t('stations.id'),
  fields: [field({ name: 'name', label: t('stations.name') }),
    field({ name: 'address', label: t('stations.address') })],
  body: (form, data) => ({ name: String(data.get('name')).trim(), address: String(data.get('address')).trim() }),
  save: (id, b) => admin.saveStation(id, b.name, b.address),
  rotate: id => admin.rotateStationKey(id),
});

const partnersSection = () => keyHolderSection({
  kind: 'partner', idLabel: t('partners.id'),
  fields: [field({ name: 'name', label: t('partners.name') }),
    field({ name: 'pointsPerUah', label: t('partners.rate'), inputmode: 'decimal', hint: t('partners.rateHint') })],
  body: (form, data) => {
    const rate = Number(String(data.get('pointsPerUah')).trim().replace(',', '.'));
    if (!Number.isFinite(rate)) {
      showError(form, 'pointsPerUah', t('partners.rateHint'))?.focus();
      return null;
    }
    return { name: String(data.get('name')).trim(), pointsPerUah: rate };
  },
  save: (id, b) => admin.savePartner(id, b.name, b.pointsPerUah),
  rotate: id => admin.rotatePartnerKey(id),
});

// Promotions: the list with an "end now" button each, and a form to create or replace one.

function promotionState(p, now = Date.now()) {
  if (now < Date.parse(p.startsAt)) return 'scheduled';
  return now < Date.parse(p.endsAt) ? 'running' : 'over';
}

function promotionRule(p) {
  return [p.multiplier ? t('promo.times', { multiplier: p.multiplier }) : null,
    p.bonusPoints ? t('promo.plus', { points: formatNumber(p.bonusPoints) }) : null,
    p.stationIds?.length ? t('promo.where', { stations: p.stationIds.join(', ') }) : null,
    p.productCodes?.length ? p.productCodes.join(', ') : null,
    p.categories?.length ? p.categories.join(', ') : null].filter(Boolean).join(' ');
}

function promotionsSection() {
  const list = h('div', { id: 'promotion-list' });
  const note = status();
  const listError = h('form', { class: 'list-error' }, formError());
  async function load() {
    try {
      const promotions = (await admin.promotions()).body;
      list.replaceChildren(promotions.length === 0 ? h('p', { class: 'muted', text: t('promotions.none') })
        : promotionTable(promotions));
    } catch (error) {
      showProblem(listError, error);
    }
  }
  async function end(id) {
    note.textContent = '';
    try {
      await admin.endPromotion(id);
      note.textContent = t('promo.ended', { id });
      await load();
    } catch (error) {
      showProblem(listError, error);
    }
  }
  function promotionTable(promotions) {
    const cell = (label, ...content) => h('td', { 'data-label': label }, ...content);
    return h('div', { class: 'table-wrap' }, h('table', { class: 'history-table' },
      h('thead', {}, h('tr', {}, ...['promo.id', 'promo.name', 'promo.when', 'promo.rule', 'promo.state',
        'promo.actions'].map(k => h('th', { scope: 'col', text: t(k) })))),
      h('tbody', {}, ...promotions.map(p => {
        const state = promotionState(p);
        return h('tr', { 'data-promotion': p.promotionId },
          cell(t('promo.id'), p.promotionId), cell(t('promo.name'), p.name),
          cell(t('promo.when'), `${formatDateTime(p.startsAt)} – ${formatDateTime(p.endsAt)}`),
          cell(t('promo.rule'), promotionRule(p)), cell(t('promo.state'), t(`promo.${state}`)),
          cell(t('promo.actions'), state === 'over' ? '' : h('button', {
            type: 'button', class: 'secondary', text: t('promo.end', { id: p.promotionId }),
            onclick: () => end(p.promotionId),
          })));
      }))));
  }

  const form = h('form', { id: 'promotion-form' },
    h('h3', { text: t('promo.save') }),
    field({ name: 'promotionId', label: t('promo.id'), maxlength: 64 }),
    field({ name: 'name', label: t('promo.name') }),
    field({ name: 'startsAt', label: t('promo.startsAt'), type: 'datetime-local' }),
    field({ name: 'endsAt', label: t('promo.endsAt'), type: 'datetime-local' }),
    field({ name: 'multiplier', label: t('promo.multiplier'), inputmode: 'decimal', hint: t('promo.multiplierHint'),
      required: false }),
    field({ name: 'bonusPoints', label: t('promo.bonus'), inputmode: 'numeric', hint: t('promo.bonusHint'),
      required: false }),
    field({ name: 'stationIds', label: t('promo.stations'), hint: t('promo.listHint'), required: false }),
    field({ name: 'productCodes', label: t('promo.products'), hint: t('promo.listHint'), required: false }),
    field({ name: 'categories', label: t('promo.categories'), hint: t('promo.listHint'), required: false }),
    formError(), h('div', { class: 'actions' }, submit(t('promo.save'))));
  onSubmit(form, async data => {
    note.textContent = '';
    const text = name => String(data.get(name) ?? '').trim();
    const number = name => text(name) === '' ? null : Number(text(name).replace(',', '.'));
    const listOf = name => text(name) === '' ? null : text(name).split(',').map(s => s.trim()).filter(Boolean);
    const instant = name => {
      const at = new Date(text(name));
      return Number.isNaN(at.getTime()) ? null : at.toISOString();
    };
    let bad = false;
    for (const name of ['startsAt', 'endsAt']) {
      if (instant(name) === null) bad = !!showError(form, name, t('promo.dateInvalid'));
    }
    for (const name of ['multiplier', 'bonusPoints']) {
      if (number(name) !== null && !Number.isFinite(number(name))) {
        bad = !!showError(form, name, t(name === 'multiplier' ? 'promo.multiplierHint' : 'promo.bonusHint'));
      }
    }
    if (bad) return;
    const id = text('promotionId');
    try {
      await admin.savePromotion(id, {
        name: text('name'), startsAt: instant('startsAt'), endsAt: instant('endsAt'),
        multiplier: number('multiplier'), bonusPoints: number('bonusPoints'),
        stationIds: listOf('stationIds'), productCodes: listOf('productCodes'), categories: listOf('categories'),
      });
      note.textContent = t('promo.saved', { id });
      form.reset();
      await load();
    } catch (error) {
      showProblem(form, error);
    }
  });
  load();
  return h('section', { id: 'promotions', class: 'card wide', 'aria-labelledby': 'promotions-title' },
    h('h2', { id: 'promotions-title', text: t('promotions.title') }), listError, note, list, form);
}

fillTexts();
document.getElementById('sign-out').addEventListener('click', () => signInView('signIn.signedOut'));
if (operatorKey.get()) workspace(); else signInView();
