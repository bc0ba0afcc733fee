/** The login form: username, password, and the reason the last attempt failed or the session ended. */
import { h } from '../dom.js';
import { login, LoginError, type Session } from '../session.js';

/** Render the form into `root`; `onSession` gets the session after a good login. */
export function renderLogin(
  root: HTMLElement,
  notice: string | undefined,
  onSession: (session: Session) => void,
): void {
  const error = h('p', { class: 'form-error', role: 'alert', id: 'login-error' }, notice ?? '');
  const username = h('input', {
    id: 'username',
    name: 'username',
    autocomplete: 'username',
    required: true,
    autocapitalize: 'none',
    spellcheck: 'false',
  });
  const password = h('input', {
    id: 'password',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Log in');
  const form = h(
    'form',
    { class: 'login', 'aria-labelledby': 'login-title', 'aria-describedby': 'login-error' },
    h('h1', { id: 'login-title' }, 'Weble gateway'),
    h('label', { for: 'username' }, 'Username'),
    username,
    h('label', { for: 'password' }, 'Password'),
    password,
    submit,
    error,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit.disabled = true;
    submit.textContent = 'Logging in…';
    error.textContent = '';
    login(username.value, password.value).then(onSession, (failure: unknown) => {
      submit.disabled = false;
      submit.textContent = 'Log in';
      error.textContent =
        failure instanceof LoginError ? failure.message : `Login failed: ${(failure as Error).message}`;
      password.select();
      password.focus();
    });
  });
  root.replaceChildren(h('main', { class: 'login-page' }, form));
  (username.value ? password : username).focus();
}
