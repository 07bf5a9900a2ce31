// Sign-in: the `login` mutation; the token goes to sessionStorage.

import { gql, GqlError, setToken } from './api.js';
import { h, newId } from './dom.js';

const LOGIN = `mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) { token expiresAt employee { id name } }
}`;

function explain(error) {
  if (!(error instanceof GqlError)) return 'Something went wrong. Please try again.';
  switch (error.code) {
    case 'UNAUTHENTICATED':
      return 'That email and password do not match an account. Check both and try again.';
    case 'RATE_LIMITED':
      return 'Too many sign-in attempts. Wait a few minutes, then try again.';
    case 'BAD_USER_INPUT':
      return `Please check what you typed: ${error.message}`;
    case 'NETWORK':
      return error.message;
    default:
      return 'The server could not sign you in right now. Please try again in a moment.';
  }
}

export function render(main, app) {
  const emailId = newId('email');
  const passwordId = newId('password');
  const errorId = newId('error');
  const error = h('p', { id: errorId, class: 'form-error', role: 'alert', hidden: true });
  const email = h('input', {
    id: emailId, name: 'email', type: 'email', autocomplete: 'username', required: true,
    'aria-describedby': errorId,
  });
  const password = h('input', {
    id: passwordId, name: 'password', type: 'password', autocomplete: 'current-password', required: true,
    'aria-describedby': errorId,
  });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const showError = (text) => {
    error.textContent = text;
    error.hidden = !text;
  };
  const form = h('form', { class: 'signin card', novalidate: true, 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, 'Sign in to Rungs'),
    h('p', { class: 'lead' }, 'See where you stand on the career ladder, what is missing, and from when.'),
    h('div', { class: 'field' }, h('label', { for: emailId }, 'Work email'), email),
    h('div', { class: 'field' }, h('label', { for: passwordId }, 'Password'), password),
    error,
    submit,
    h('p', { class: 'hint' }, 'Forgot your password? HR resets it: ask them, then sign in with the one they give you.'),
    // Only a server started with --demo says so (index.html's body data-demo).
    document.body.dataset.demo === '1' && h('details', { class: 'demo-hint' },
      h('summary', {}, 'Trying the demo organisation?'),
      h('p', {}, 'With ', h('code', {}, 'rungs serve --demo'), ' every demo account uses the password ',
        h('code', {}, 'rungs-demo-2026'), '. For example:'),
      h('ul', {},
        h('li', {}, h('code', {}, 'yui.sato@rungs.example'), ' — a CSR eligible for Team Lead'),
        h('li', {}, h('code', {}, 'daichi.okada@rungs.example'), ' — her Team Lead (a manager)'),
        h('li', {}, h('code', {}, 'hr@rungs.example'), ' — HR, who approves nominations'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError('');
    if (!email.value.trim() || !password.value) {
      showError('Enter your work email and your password.');
      (email.value.trim() ? password : email).focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    try {
      const data = await gql(LOGIN, { email: email.value.trim(), password: password.value });
      setToken(data.login.token);
      await app.signedIn();
    } catch (err) {
      showError(explain(err));
      password.select();
      password.focus();
    } finally {
      submit.disabled = false;
      submit.textContent = 'Sign in';
    }
  });
  main.append(form);
  email.focus();
  return { title: 'Sign in' };
}
