import { api, say } from './app.js';

const form = document.getElementById('signin');
form.addEventListener('submit', async event => {
  event.preventDefault();
  say('');
  const name = form.name.value.trim(), password = form.password.value;
  if (!name || !password) { say('Enter your user name and password.', 'error'); return; }
  try {
    await api('/api/login', { method: 'POST', json: { name, password } });
    const next = new URLSearchParams(location.search).get('next');
    location.assign(next && next.startsWith('/') && !next.startsWith('//') ? next : '/worklist');
  } catch (e) {
    say(e.message.includes('wrong user name') ? 'Wrong user name or password.' : e.message, 'error');
    form.password.value = '';
    form.password.focus();
  }
});
