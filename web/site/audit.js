import { api, startPage, say, el, when } from './app.js';

await startPage();
const body = document.querySelector('#audit tbody'), search = document.getElementById('search');
let entries = [];

function render() {
  const needle = search.value.trim().toLowerCase();
  body.replaceChildren(...entries.filter(e => !needle || [e.user, e.action, e.target, e.detail].some(v => (v || '').toLowerCase().includes(needle)))
    .map(e => el('tr', {}, el('td', {}, String(e.seq)), el('td', {}, when(e.at)), el('td', {}, e.user), el('td', {}, e.action), el('td', {}, e.target), el('td', {}, e.detail))));
}

async function load(before) {
  try {
    const page = await api('/api/audit?limit=200' + (before ? `&before=${before}` : ''));
    entries = entries.concat(page);
    document.getElementById('older').disabled = page.length < 200;
    render();
  } catch (e) { say(e.message, 'error'); }
}
search.addEventListener('input', render);
document.getElementById('older').addEventListener('click', () => load(entries.length ? entries[entries.length - 1].seq : undefined));
await load();
