// Building the page with DOM calls (never HTML strings: the CSP forbids inline styles and scripts,
// and nothing the server sends is ever parsed as markup).
import { t, formatTime, translateServerMessage } from './i18n.js';

export function h(tag, attributes = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) e.append(child);
  return e;
}

let fieldCount = 0;

/** A labelled input with its hint and the place for its error, tied together for screen readers. */
export function field({ name, label, type = 'text', autocomplete, hint, inputmode, required = true, maxlength }) {
  const id = `f-${name}-${++fieldCount}`;
  const input = h('input', {
    id, name, type, autocomplete, inputmode, required, maxlength,
    'aria-describedby': `${id}-hint ${id}-error`, spellcheck: type === 'text' ? 'false' : undefined,
  });
  return h('div', { class: 'field' },
    h('label', { for: id, text: t(label) }),
    input,
    hint ? h('p', { class: 'hint', id: `${id}-hint`, text: t(hint) }) : null,
    h('p', { class: 'field-error', id: `${id}-error`, 'data-error-for': name }));
}

export function formError() {
  return h('p', { class: 'form-error', role: 'alert', 'data-form-error': '' });
}

export function clearErrors(form) {
  form.querySelectorAll('[data-error-for], [data-form-error]').forEach(p => { p.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach(i => i.removeAttribute('aria-invalid'));
}

/** Shows a message next to the field (or above the button when there is no such field). */
export function showError(form, fieldName, message) {
  const place = fieldName && form.querySelector(`[data-error-for="${CSS.escape(fieldName)}"]`);
  if (place) {
    place.textContent = message;
    const input = form.querySelector(`[name="${CSS.escape(fieldName)}"]`);
    input?.setAttribute('aria-invalid', 'true');
    return input;
  }
  const general = form.querySelector('[data-form-error]');
  if (general) general.textContent = message;
  return null;
}

/**
 * Maps an ApiError onto the form: problem+json "errors" go next to their fields; specific(error)
 * may name [field, message] for statuses the page understands; the rest get a plain sentence.
 */
export function showApiError(form, error, specific = () => null) {
  clearErrors(form);
  let first = null;
  const errors = error.problem?.errors;
  if (error.status === 400 && errors && Object.keys(errors).length > 0) {
    for (const [name, messages] of Object.entries(errors)) {
      const fieldName = [...form.elements].find(el => el.name && el.name.toLowerCase() === name.toLowerCase())?.name ?? null;
      first ??= showError(form, fieldName, translateServerMessage(messages[0]));
    }
  } else {
    const known = specific(error);
    if (known) first = showError(form, known[0], known[1]);
    else showError(form, null, t(generalMessage(error)));
  }
  (first ?? form.querySelector('[data-form-error]'))?.focus?.();
}

function generalMessage(error) {
  if (error.status === 0 || error.status >= 500) return 'error.unavailable';
  if (error.status === 429) return 'error.rateLimited';
  if (error.status === 401) return 'error.sessionEnded';
  return 'error.generic';
}

/** "Locked until 14:35" from a 429's Retry-After. */
export const lockedMessage = error =>
  t('error.locked', { time: formatTime(Date.now() + (error.retryAfter ?? 900) * 1000) });

/** Runs the submission with the button disabled, so a double click does not send twice. */
export function onSubmit(form, action) {
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const button = form.querySelector('button[type="submit"]');
    if (button?.disabled) return;
    clearErrors(form);
    button && (button.disabled = true);
    form.setAttribute('aria-busy', 'true');
    try { await action(new FormData(form)); }
    finally {
      button && (button.disabled = false);
      form.removeAttribute('aria-busy');
    }
  });
}
