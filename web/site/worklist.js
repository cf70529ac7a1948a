import { api, startPage, say, el, percent, when } from './app.js';

const user = await startPage();
if (!['admin', 'clinician'].includes(user.role)) document.getElementById('upload-link').hidden = true;
const body = document.querySelector('#worklist tbody');
const search = document.getElementById('search');
let rows = [], sortKey = 'createdAt', descending = true;

function resultText(r) {
  if (r.status === 'done') return `${percent(r.probability)} ${r.predictedClass}`;
  if (r.status === 'failed') return 'analysis failed';
  return r.status === 'none' ? 'not analysed' : r.status;
}

function render() {
  const needle = search.value.trim().toLowerCase();
  const shown = rows.filter(r => !needle || [r.patient, r.studyDate, r.description, r.status, resultText(r)].some(v => (v || '').toLowerCase().includes(needle)));
  shown.sort((a, b) => {
    const x = a[sortKey] ?? '', y = b[sortKey] ?? '';
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return descending ? -order : order;
  });
  body.replaceChildren(...shown.map(r => el('tr', { 'data-study': r.id },
    el('td', {}, el('a', { href: `/studies/${encodeURIComponent(r.id)}` }, r.patient)),
    el('td', {}, r.studyDate || '—'),
    el('td', {}, r.description || ''),
    el('td', {}, el('span', { class: `status ${r.status}` }, r.status === 'none' ? 'not analysed' : r.status)),
    el('td', { class: 'result' }, resultText(r)),
    el('td', {}, when(r.createdAt)))));
  document.getElementById('count').textContent = `${shown.length} of ${rows.length} studies`;
  for (const th of document.querySelectorAll('#worklist th')) th.setAttribute('aria-sort', th.dataset.key === sortKey ? (descending ? 'descending' : 'ascending') : 'none');
}

for (const th of document.querySelectorAll('#worklist th')) th.querySelector('button').addEventListener('click', () => {
  descending = th.dataset.key === sortKey ? !descending : false;
  sortKey = th.dataset.key;
  render();
});
search.addEventListener('input', render);

async function load() {
  try {
    rows = await api('/api/worklist');
    render();
    if (rows.length === 0) say('No studies yet. Upload one to begin.', 'info');
    if (rows.some(r => r.status === 'queued' || r.status === 'running')) setTimeout(load, 2000);
  } catch (e) { say(e.message, 'error'); }
}
await load();
