// A lost or damaged card: everything moves to a new card from a till. Its printed code proves the member holds it,
// or, when the cashier recorded the member's phone with it, a code sent by SMS to that phone.
import { api } from './api.js';
import { t, formatTime } from './i18n.js';
import { h, field, formError, onSubmit, showApiError } from './dom.js';
import { codeErrors } from './pages-auth.js';

const grouped = number => number.replace(/(\d{4})(?=\d)/g, '$1 ');

export function replaceCardPage({ me, onError }) {
  const start = h('form', { novalidate: true, id: 'replace-form', 'aria-describedby': 'replace-explain' },
    field({ name: 'newCardNumber', label: 'replace.newCard', hint: 'field.cardNumber.hint', inputmode: 'numeric', autocomplete: 'off', maxlength: 24 }),
    field({ name: 'cardCode', label: 'field.cardCode', hint: 'field.cardCode.hint', autocomplete: 'off', required: false, maxlength: 20 }),
    formError(),
    h('button', { type: 'submit', class: 'primary', text: t('replace.submit') }));
  const confirm = h('form', { novalidate: true, hidden: true, id: 'replace-confirm' },
    h('p', { class: 'notice', role: 'status', text: t('replace.codeSent') }),
    field({ name: 'code', label: 'field.code', autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 6 }),
    formError(),
    h('button', { type: 'submit', class: 'primary', text: t('replace.confirm') }));
  let replacementId = null;

  const section = h('section', { class: 'card', 'aria-labelledby': 'replace-title' },
    h('h2', { id: 'replace-title', text: t('replace.from', { card: grouped(me.cardNumber) }) }),
    h('p', { class: 'explain', id: 'replace-explain', text: t('replace.explain') }),
    start, confirm);
  // The session moved to the new card with everything else (the answer renewed the cookie).
  const done = replaced => {
    section.replaceChildren(
      h('p', { class: 'notice', role: 'status', id: 'replace-done', text: t('replace.done', { card: grouped(replaced.newCardNumber) }) }),
      h('p', { class: 'home-links' }, h('a', { href: '#/home', text: t('replace.home') })));
  };
  onSubmit(start, async data => {
    try {
      const answer = await api.replaceCard(data.get('newCardNumber').replace(/[\s-]/g, ''),
        data.get('cardCode').trim() || null);
      if (!answer.replacementId) { done(answer); return; }
      replacementId = answer.replacementId;
      start.hidden = true;
      confirm.hidden = false;
      confirm.querySelector('input').focus();
    } catch (error) {
      if (error.status === 401) { onError(error); return; }
      showApiError(start, error, e => {
        const detail = e.problem.detail ?? '';
        if (e.status === 404) return ['newCardNumber', t('replace.notIssued')];
        if (e.status === 409) return ['newCardNumber', t('replace.registered')];
        if (e.status === 422) {
          if (/phone number/i.test(detail)) return ['newCardNumber', t('replace.notYours')];
          if (/code is not correct/i.test(detail)) return ['cardCode', t('error.cardCodeWrong')];
          if (/enter the card code/i.test(detail)) return ['cardCode', t('error.cardCodeMissing')];
          if (/no code/i.test(detail)) return ['newCardNumber', t('error.noCardCode')];
          return ['newCardNumber', t('replace.notActive')];
        }
        if (e.status === 429 && /card codes/i.test(detail))
          return ['cardCode', t('error.cardCodeLocked', { time: formatTime(Date.now() + (e.retryAfter ?? 3600) * 1000) })];
        if (e.status === 429) return ['newCardNumber', t('error.codeTooSoon')];
        if (e.status === 400 && /another card/i.test(detail)) return ['newCardNumber', t('replace.sameCard')];
        return null;
      });
    }
  });
  onSubmit(confirm, async data => {
    try {
      done(await api.confirmReplacement(replacementId, data.get('code').trim()));
    } catch (error) {
      if (error.status === 401) { onError(error); return; }
      showApiError(confirm, error, codeErrors);
    }
  });

  return h('div', { class: 'settings' },
    h('h1', { tabindex: '-1', text: t('replace.title') }),
    section);
}
