import { api, startPage, say, el, when } from './app.js';
import { facts } from './modelcard.js';

const user = await startPage();
const list = document.getElementById('models'), form = document.getElementById('model-form');
document.getElementById('demo-model').hidden = user.role !== 'admin';

async function load() {
  try {
    const models = await api('/api/models');
    if (models.length === 0) { list.replaceChildren(el('p', { class: 'muted' }, 'No model yet: upload a habitat train bundle' + (user.role === 'admin' ? ' or train the synthetic demo model.' : '.'))); return; }
    list.replaceChildren(...models.map(m => {
      const card = el('section', { class: 'card', 'data-model': m.id, 'aria-label': `Model ${m.name}` },
        el('h2', {}, m.name, m.isDefault ? ' — default' : '', m.synthetic ? ' (SYNTHETIC)' : ''),
        el('p', { class: 'muted' }, `Uploaded by ${m.uploadedBy}, ${when(m.createdAt)}`),
        facts([], el('dl', { class: 'facts model-card' })));
      api(`/api/models/${encodeURIComponent(m.id)}/card`).then(items => facts(items, card.querySelector('dl'))).catch(e => say(e.message, 'error'));
      if (!m.isDefault) {
        const b = el('button', { type: 'button', class: 'secondary' }, 'Make default');
        b.addEventListener('click', async () => {
          try { await api(`/api/models/${encodeURIComponent(m.id)}/default`, { method: 'POST' }); say(`${m.name} is now the default model.`, 'ok'); await load(); }
          catch (e) { say(e.message, 'error'); }
        });
        card.append(b);
      }
      return card;
    }));
  } catch (e) { say(e.message, 'error'); }
}

form.addEventListener('submit', async event => {
  event.preventDefault();
  const file = document.getElementById('model-file').files[0], name = document.getElementById('model-name').value.trim();
  if (!name || !file) { say('Give the model a name and choose its model.json.', 'error'); return; }
  const data = new FormData();
  data.append('name', name);
  data.append('model', file, file.name);
  if (document.getElementById('model-synthetic').checked) data.append('synthetic', 'true');
  try { await api('/api/models', { method: 'POST', form: data }); say(`Model ${name} uploaded.`, 'ok'); form.reset(); await load(); }
  catch (e) { say(e.message, 'error'); }
});

document.getElementById('demo-model').addEventListener('click', async () => {
  const bar = document.getElementById('demo-progress');
  try {
    const { jobId } = await api('/api/models/demo', { method: 'POST' });
    bar.hidden = false;
    say('Training the synthetic demo model…', 'info');
    for (;;) {
      const job = await api(`/api/jobs/${jobId}`);
      bar.value = job.progress;
      if (job.status === 'failed') throw new Error('Demo model training failed: ' + job.error);
      if (job.status === 'done') break;
      await new Promise(r => setTimeout(r, 1000));
    }
    bar.hidden = true;
    say('The synthetic demo model is ready.', 'ok');
    await load();
  } catch (e) { bar.hidden = true; say(e.message, 'error'); }
});
await load();
