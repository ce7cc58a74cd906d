// Signing in, registering a card (then the SMS code) and setting a new password with a code.
import { api } from './api.js';
import { t, formatTime } from './i18n.js';
import { h, field, formError, onSubmit, showApiError, lockedMessage } from './dom.js';

const phoneField = () => field({ name: 'phone', label: 'field.phone', type: 'tel', autocomplete: 'tel', hint: 'field.phone.hint', inputmode: 'tel', maxlength: 32 });
const newPasswordField = name => field({ name, label: 'field.newPassword', type: 'password', autocomplete: 'new-password', hint: 'field.newPassword.hint', maxlength: 128 });
const codeField = () => field({ name: 'code', label: 'field.code', autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 6 });

function page(titleKey, ...content) {
  return h('section', { class: 'auth card' }, h('h1', { tabindex: '-1', text: t(titleKey) }), ...content);
}

export const codeErrors = error =>
  error.status === 429 ? ['code', t(/wrong codes/i.test(error.problem.detail ?? '') ? 'error.tooManyCodes' : 'error.codeTooSoon')]
    : error.status === 404 ? ['code', t('error.expired')] : null;

export function signInPage({ onSignedIn, notice }) {
  const form = h('form', { novalidate: true, 'aria-labelledby': 'sign-in-title' },
    phoneField(),
    // Not offered for saving or autofill where the browser honours it (the issue asks for that).
    field({ name: 'password', label: 'field.password', type: 'password', autocomplete: 'off', maxlength: 256 }),
    formError(),
    h('button', { type: 'submit', class: 'primary', text: t('signIn.submit') }));
  onSubmit(form, async data => {
    try {
      await api.signIn(data.get('phone').trim(), data.get('password'));
      onSignedIn();
    } catch (error) {
      showApiError(form, error, e =>
        e.status === 401 ? ['password', t('error.signIn')] : e.status === 429 ? ['password', lockedMessage(e)] : null);
    }
  });
  const section = page('signIn.title',
    notice ? h('p', { class: 'notice', role: 'status', text: t(notice) }) : null,
    form,
    h('p', { class: 'links' },
      h('a', { href: '#/register', text: t('signIn.register') }),
      h('a', { href: '#/forgot', text: t('signIn.forgot') })));
  section.querySelector('h1').id = 'sign-in-title';
  return section;
}

export function registerPage({ onSignedIn }) {
  const start = h('form', { novalidate: true },
    field({ name: 'cardNumber', label: 'field.cardNumber', hint: 'field.cardNumber.hint', inputmode: 'numeric', autocomplete: 'off', maxlength: 24 }),
    phoneField(),
    newPasswordField('password'),
    field({ name: 'cardCode', label: 'field.cardCode', hint: 'field.cardCode.hint', autocomplete: 'off', required: false, maxlength: 20 }),
    formError(),
    h('button', { type: 'submit', class: 'primary', text: t('register.submit') }));
  const confirm = h('form', { novalidate: true, hidden: true },
    h('p', { class: 'notice', role: 'status', text: t('register.codeSent') }),
    codeField(), formError(),
    h('button', { type: 'submit', class: 'primary', text: t('register.confirm') }));
  let registrationId = null;

  onSubmit(start, async data => {
    try {
      const cardCode = data.get('cardCode').trim() || null;
      const started = await api.startRegistration(data.get('cardNumber').replace(/\s/g, ''), data.get('phone').trim(),
        data.get('password'), cardCode);
      registrationId = started.registrationId;
      start.hidden = true;
      confirm.hidden = false;
      confirm.querySelector('input').focus();
    } catch (error) {
      showApiError(start, error, e => {
        const detail = e.problem.detail ?? '';
        if (e.status === 404) return ['cardNumber', t('error.unknownCard')];
        if (e.status === 409) return /phone/i.test(detail) && !/already registered\./i.test(detail)
          ? ['phone', t('error.phoneTaken')] : ['cardNumber', t('error.alreadyRegistered')];
        if (e.status === 422) {
          if (/phone number/i.test(detail)) return ['phone', t('error.phoneNotRecorded')];
          if (/code is not correct/i.test(detail)) return ['cardCode', t('error.cardCodeWrong')];
          if (/enter the card code/i.test(detail)) return ['cardCode', t('error.cardCodeMissing')];
          if (/no code/i.test(detail)) return ['cardNumber', t('error.noCardCode')];
          return ['cardNumber', t('error.terminated')];
        }
        if (e.status === 429 && /card codes/i.test(detail))
          return ['cardCode', t('error.cardCodeLocked', { time: formatTime(Date.now() + (e.retryAfter ?? 3600) * 1000) })];
        if (e.status === 429) return ['phone', t('error.codeTooSoon')];
        return null;
      });
    }
  });
  onSubmit(confirm, async data => {
    try {
      await api.confirmRegistration(registrationId, data.get('code').trim());
      onSignedIn();
    } catch (error) {
      showApiError(confirm, error, e => e.status === 409 ? ['code', t('error.alreadyRegistered')] : codeErrors(e));
    }
  });
  return page('register.title', start, confirm,
    h('p', { class: 'links' }, h('a', { href: '#/signin', text: t('register.haveAccount') })));
}

export function forgotPage({ onDone }) {
  const start = h('form', { novalidate: true },
    h('p', { text: t('forgot.intro') }),
    phoneField(), formError(),
    h('button', { type: 'submit', class: 'primary', text: t('forgot.send') }));
  const confirm = h('form', { novalidate: true, hidden: true },
    h('p', { class: 'notice', role: 'status', text: t('forgot.codeSent') }),
    codeField(), newPasswordField('newPassword'), formError(),
    h('button', { type: 'submit', class: 'primary', text: t('forgot.save') }));
  let resetId = null;

  onSubmit(start, async data => {
    try {
      resetId = (await api.startReset(data.get('phone').trim())).resetId;
      start.hidden = true;
      confirm.hidden = false;
      confirm.querySelector('input').focus();
    } catch (error) {
      showApiError(start, error, e => e.status === 429 ? ['phone', t('error.codeTooSoon')] : null);
    }
  });
  onSubmit(confirm, async data => {
    try {
      await api.confirmReset(resetId, data.get('code').trim(), data.get('newPassword'));
      onDone();
    } catch (error) {
      showApiError(confirm, error, codeErrors);
    }
  });
  return page('forgot.title', start, confirm,
    h('p', { class: 'links' }, h('a', { href: '#/signin', text: t('back.signIn') })));
}
