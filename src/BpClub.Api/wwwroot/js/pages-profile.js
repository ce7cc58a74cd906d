// Profile: the name and birth date recorded at the till, the phone, a download of everything held, and leaving the
// programme.
import { api } from './api.js';
import { t, formatTime } from './i18n.js';
import { h, field, formError, onSubmit, showApiError } from './dom.js';
import { phoneSection } from './pages-phone.js';

export function profilePage({ me, onError, onLeft }) {
  const saved = h('p', { class: 'notice', role: 'status', id: 'profile-saved' });
  const profile = h('form', { novalidate: true, id: 'profile-form' },
    field({ name: 'firstName', label: 'field.firstName', autocomplete: 'given-name', maxlength: 100 }),
    field({ name: 'lastName', label: 'field.lastName', autocomplete: 'family-name', maxlength: 100 }),
    field({ name: 'birthDate', label: 'field.birthDate', type: 'date', autocomplete: 'bday', required: false }),
    formError(), saved,
    h('button', { type: 'submit', class: 'primary', text: t('profile.save') }));
  const fill = p => {
    profile.elements.firstName.value = p.firstName ?? '';
    profile.elements.lastName.value = p.lastName ?? '';
    profile.elements.birthDate.value = p.birthDate ?? '';
  };
  fill(me);
  onSubmit(profile, async data => {
    saved.textContent = '';
    // Only what changed is sent: a field left as it was stays as it is.
    const change = {};
    if (data.get('firstName') !== (me.firstName ?? '')) change.firstName = data.get('firstName');
    if (data.get('lastName') !== (me.lastName ?? '')) change.lastName = data.get('lastName');
    if (data.get('birthDate') && data.get('birthDate') !== (me.birthDate ?? '')) change.birthDate = data.get('birthDate');
    try {
      const updated = await api.updateProfile(change);
      Object.assign(me, updated);
      fill(updated);
      saved.textContent = t('profile.saved');
    } catch (error) {
      if (error.status === 401) onError(error);
      else showApiError(profile, error);
    }
  });

  const leave = h('form', { novalidate: true, id: 'leave-form', 'aria-describedby': 'leave-explain' },
    field({ name: 'password', label: 'field.leavePassword', type: 'password', autocomplete: 'current-password', maxlength: 256 }),
    h('div', { class: 'switch-row' },
      h('input', { type: 'checkbox', id: 'leave-sure', name: 'sure', required: true, 'aria-describedby': 'leave-sure-error' }),
      h('label', { for: 'leave-sure', text: t('profile.leaveSure') })),
    h('p', { class: 'field-error', id: 'leave-sure-error', 'data-error-for': 'sure' }),
    formError(),
    h('button', { type: 'submit', class: 'danger', text: t('profile.leave') }));
  onSubmit(leave, async data => {
    if (!data.get('sure')) {
      leave.querySelector('[data-error-for="sure"]').textContent = t('profile.leaveConfirmFirst');
      leave.elements.sure.setAttribute('aria-invalid', 'true');
      leave.elements.sure.focus();
      return;
    }
    try {
      await api.terminate(data.get('password'));
      onLeft();
    } catch (error) {
      if (error.status === 401) onError(error);
      else showApiError(leave, error, e => e.status === 429
        ? ['password', t('error.locked', { time: formatTime(Date.now() + (e.retryAfter ?? 900) * 1000) })] : null);
    }
  });

  return h('div', { class: 'settings' },
    h('h1', { tabindex: '-1', text: t('profile.title') }),
    h('section', { class: 'card', 'aria-labelledby': 'profile-title' },
      h('h2', { id: 'profile-title', text: t('profile.details') }),
      profile),
    phoneSection({ me, onError }),
    h('section', { class: 'card', 'aria-labelledby': 'export-title' },
      h('h2', { id: 'export-title', text: t('profile.export') }),
      h('p', { class: 'explain', id: 'export-explain', text: t('profile.exportExplain') }),
      h('a', { href: api.exportUrl, download: '', class: 'button-link', id: 'export-link',
        'aria-describedby': 'export-explain', text: t('profile.download') })),
    h('section', { class: 'card', 'aria-labelledby': 'leave-title' },
      h('h2', { id: 'leave-title', text: t('profile.leaveTitle') }),
      h('p', { class: 'explain', id: 'leave-explain', text: t('profile.leaveExplain') }),
      leave));
}
