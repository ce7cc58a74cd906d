// Settings: paying with points on or off (off protects a lost card), and a new password.
import { api } from './api.js';
import { t, formatTime } from './i18n.js';
import { h, field, formError, onSubmit, showApiError, clearErrors } from './dom.js';

export function settingsPage({ me, onError }) {
  const toggle = h('input', { type: 'checkbox', id: 'spending', role: 'switch', 'aria-describedby': 'spending-explain spending-state' });
  toggle.checked = me.spendingEnabled === true;
  const state = h('p', { id: 'spending-state', class: 'strong', role: 'status' });
  const showState = saved => {
    state.textContent = t(toggle.checked ? 'settings.spendingOn' : 'settings.spendingOff') + (saved ? ` — ${t('settings.spendingSaved')}` : '');
  };
  showState(false);
  // Off at once (a lost card); on only after the password, asked for in a small form under the switch.
  const confirmOn = h('form', { novalidate: true, hidden: true, id: 'spending-confirm', 'aria-labelledby': 'spending-confirm-explain' },
    h('p', { id: 'spending-confirm-explain', text: t('settings.spendingConfirmExplain') }),
    field({ name: 'password', label: 'field.spendingPassword', type: 'password', autocomplete: 'off', maxlength: 256 }),
    formError(),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary', text: t('settings.spendingConfirm') }),
      h('button', { type: 'button', class: 'secondary', text: t('settings.cancel'), onclick: () => closeConfirm() })));
  const closeConfirm = () => {
    confirmOn.hidden = true;
    confirmOn.reset();
    clearErrors(confirmOn);
    toggle.checked = me.spendingEnabled === true;
    toggle.disabled = false;
    toggle.focus();
  };
  const adopt = result => {
    toggle.checked = result.enabled;
    me.spendingEnabled = result.enabled;
    showState(true);
  };
  toggle.addEventListener('change', async () => {
    if (toggle.checked) {
      toggle.disabled = true;
      confirmOn.hidden = false;
      confirmOn.querySelector('input').focus();
      return;
    }
    toggle.disabled = true;
    try {
      adopt(await api.switchSpending(false));
    } catch (error) {
      toggle.checked = !toggle.checked;
      onError(error);
    } finally {
      toggle.disabled = false;
    }
  });
  onSubmit(confirmOn, async data => {
    try {
      const result = await api.switchSpending(true, data.get('password'));
      confirmOn.hidden = true;
      confirmOn.reset();
      toggle.disabled = false;
      adopt(result);
      toggle.focus();
    } catch (error) {
      if (error.status === 401) onError(error);
      else showApiError(confirmOn, error, e => e.status === 429
        ? ['password', t('error.spendingLocked', { time: formatTime(Date.now() + (e.retryAfter ?? 900) * 1000) })] : null);
    }
  });

  const done = h('p', { class: 'notice', role: 'status', id: 'password-changed' });
  const password = h('form', { novalidate: true },
    field({ name: 'currentPassword', label: 'field.currentPassword', type: 'password', autocomplete: 'off', maxlength: 256 }),
    field({ name: 'newPassword', label: 'field.newPassword', type: 'password', autocomplete: 'new-password', hint: 'field.newPassword.hint', maxlength: 128 }),
    formError(), done,
    h('button', { type: 'submit', class: 'primary', text: t('settings.changePassword') }));
  onSubmit(password, async data => {
    done.textContent = '';
    try {
      await api.changePassword(data.get('currentPassword'), data.get('newPassword'));
      password.reset();
      done.textContent = t('settings.passwordChanged');
    } catch (error) {
      if (error.status === 401) onError(error);
      else showApiError(password, error);
    }
  });

  return h('div', { class: 'settings' },
    h('h1', { tabindex: '-1', text: t('settings.title') }),
    h('section', { class: 'card', 'aria-labelledby': 'spending-title' },
      h('h2', { id: 'spending-title', text: t('settings.spending') }),
      h('div', { class: 'switch-row' }, toggle, h('label', { for: 'spending', text: t('settings.spendingSwitch') })),
      state,
      confirmOn,
      h('p', { id: 'spending-explain', class: 'explain', text: t('settings.spendingExplain') })),
    h('section', { class: 'card', 'aria-labelledby': 'password-title' },
      h('h2', { id: 'password-title', text: t('settings.password') }),
      password));
}
