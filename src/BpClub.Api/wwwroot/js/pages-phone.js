// The profile's phone change: the new phone and the password, then the code the new phone gets by SMS.
import { api } from './api.js';
import { t, formatTime } from './i18n.js';
import { h, field, formError, onSubmit, showApiError } from './dom.js';

/** A section for the profile page; onChanged(phone) runs once the account is on the new phone. */
export function phoneSection({ me, onError, onChanged }) {
  const current = h('p', { class: 'explain', id: 'phone-current', text: t('profile.phone', { phone: me.phone }) });
  const done = h('p', { class: 'notice', role: 'status', id: 'phone-changed' });
  const start = h('form', { novalidate: true, id: 'phone-form', 'aria-describedby': 'phone-explain' },
    field({ name: 'phone', label: 'field.newPhone', hint: 'field.phone.hint', type: 'tel', autocomplete: 'tel', maxlength: 32 }),
    field({ name: 'password', label: 'field.phonePassword', type: 'password', autocomplete: 'current-password', maxlength: 256 }),
    formError(),
    h('button', { type: 'submit', class: 'primary', text: t('profile.phoneSend') }));
  const sent = h('p', { class: 'notice', role: 'status', id: 'phone-code-sent' });
  const confirm = h('form', { novalidate: true, id: 'phone-confirm-form', hidden: true },
    sent,
    field({ name: 'code', label: 'field.code', autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 6 }),
    formError(),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', text: t('profile.phoneConfirm') }),
      h('button', { type: 'button', class: 'secondary', id: 'phone-cancel', text: t('settings.cancel'), onclick: () => back() })));
  let change = null;
  const back = () => {
    change = null;
    confirm.hidden = true;
    confirm.reset();
    start.hidden = false;
    start.elements.phone.focus();
  };

  onSubmit(start, async data => {
    done.textContent = '';
    const phone = data.get('phone').trim();
    try {
      const started = await api.startPhoneChange(phone, data.get('password'));
      change = { id: started.phoneChangeId, phone };
      start.reset();
      start.hidden = true;
      sent.textContent = t('profile.phoneCodeSent', { phone });
      confirm.hidden = false;
      confirm.elements.code.focus();
    } catch (error) {
      if (error.status === 401) onError(error);
      else showApiError(start, error, e => e.status !== 429 ? null
        : /wrong passwords/i.test(e.problem.detail ?? '')
          ? ['password', t('error.locked', { time: formatTime(Date.now() + (e.retryAfter ?? 900) * 1000) })]
          : ['phone', t('error.codeTooSoon')]);
    }
  });
  onSubmit(confirm, async data => {
    try {
      const updated = await api.confirmPhoneChange(change.id, data.get('code').trim());
      Object.assign(me, updated);
      onChanged?.(updated.phone);
      current.textContent = t('profile.phone', { phone: updated.phone });
      back();
      done.textContent = t('profile.phoneChanged', { phone: updated.phone });
    } catch (error) {
      if (error.status === 401) onError(error);
      else showApiError(confirm, error, e =>
        e.status === 429 ? ['code', t('error.tooManyCodes')]
          : e.status === 409 && /holds a registered card/i.test(e.problem.detail ?? '') ? ['code', t('error.phoneTaken')]
            : e.status === 404 || e.status === 409 ? ['code', t('error.expired')] : null);
    }
  });

  return h('section', { class: 'card', 'aria-labelledby': 'phone-title' },
    h('h2', { id: 'phone-title', text: t('profile.phoneTitle') }),
    current,
    h('p', { class: 'explain', id: 'phone-explain', text: t('profile.phoneExplain') }),
    done, start, confirm);
}
