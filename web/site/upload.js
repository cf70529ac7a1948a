import { api, antiforgery, explain, startPage, say, el } from './app.js';

await startPage();
const form = document.getElementById('upload-form'), zone = document.getElementById('dropzone'), picker = document.getElementById('files');
const table = document.getElementById('file-roles'), body = table.querySelector('tbody');
const roles = [['T1c', 'T1c (post-contrast T1)'], ['FLAIR', 'FLAIR'], ['T2', 'T2'], ['T1', 'T1 (pre-contrast)'], ['label_map', 'label map (habitat)'], ['brain_mask', 'brain mask'], ['skip', 'do not upload']];
/** Chosen items: {file, role} for image files; {file, series:[{uid, role}]} for a DICOM zip. */
let items = [];

/** A role suggested from a file name: what scanners and BraTS-style exports usually call them. */
function suggestRole(name) {
  const n = name.toLowerCase();
  if (/(seg|label|habitat)/.test(n)) return 'label_map';
  if (/brain.?mask|mask/.test(n)) return 'brain_mask';
  if (/flair/.test(n)) return 'FLAIR';
  if (/t1c|t1ce|t1gd|t1.?post|gad|contrast/.test(n)) return 'T1c';
  if (/t2/.test(n)) return 'T2';
  if (/t1/.test(n)) return 'T1';
  return 'skip';
}

function roleSelect(id, chosen, label, sequencesOnly = false) {
  const select = el('select', { id, 'aria-label': label });
  for (const [value, text] of roles.filter(([v]) => !sequencesOnly || !['label_map', 'brain_mask'].includes(v)))
    select.append(el('option', { value, selected: value === chosen }, text));
  return select;
}

async function addFiles(files) {
  say('');
  for (const file of files) {
    if (/\.zip$/i.test(file.name)) {
      const data = new FormData();
      data.append('dicom', file, file.name);
      say(`Reading the DICOM series in ${file.name}…`, 'info');
      try {
        const series = await api('/api/dicom/inspect', { method: 'POST', form: data });
        items.push({ file, series: series.map(s => ({ ...s, role: s.suggestedRole || 'skip' })) });
        say(`${series.length} series found in ${file.name}: confirm their roles below.`, 'info');
      } catch (e) { say(`${file.name}: ${e.message}`, 'error'); }
    } else {
      items = items.filter(i => i.file.name !== file.name);
      items.push({ file, role: suggestRole(file.name) });
    }
  }
  render();
}

function render() {
  body.replaceChildren();
  items.forEach((item, n) => {
    if (item.series) item.series.forEach((s, m) => {
      const select = roleSelect(`role-${n}-${m}`, s.role, `Role of series ${s.description}`, true);
      select.addEventListener('change', () => { s.role = select.value; });
      body.append(el('tr', {}, el('td', {}, `${item.file.name}: ${s.description || s.seriesInstanceUid}`),
        el('td', {}, `${s.modality} ${s.columns}×${s.rows}×${s.slices}; suggested ${s.suggestedRole || 'none'}`), el('td', {}, select)));
    });
    else {
      const select = roleSelect(`role-${n}`, item.role, `Role of ${item.file.name}`);
      select.addEventListener('change', () => { item.role = select.value; });
      body.append(el('tr', {}, el('td', {}, item.file.name), el('td', {}, `${(item.file.size / 1048576).toFixed(1)} MB; suggested ${suggestRole(item.file.name)}`), el('td', {}, select)));
    }
  });
  table.hidden = items.length === 0;
}

zone.addEventListener('dragover', e => { e.preventDefault(); zone.classList.add('over'); });
zone.addEventListener('dragleave', () => zone.classList.remove('over'));
zone.addEventListener('drop', e => { e.preventDefault(); zone.classList.remove('over'); addFiles([...e.dataTransfer.files]); });
zone.addEventListener('keydown', e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); picker.click(); } });
picker.addEventListener('change', () => { addFiles([...picker.files]); picker.value = ''; });
document.getElementById('labelmap').addEventListener('change', e => {
  const file = e.target.files[0];
  if (!file) return;
  items = items.filter(i => i.role !== 'label_map');
  items.push({ file, role: 'label_map' });
  render();
});

form.addEventListener('submit', async event => {
  event.preventDefault();
  const patient = form.patient.value.trim();
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(patient)) { say('Patient pseudonym: 1–64 letters, digits, “.”, “_” or “-” (never a name).', 'error'); form.patient.focus(); return; }
  const chosen = items.filter(i => i.series || i.role !== 'skip');
  const used = chosen.filter(i => !i.series).map(i => i.role);
  const duplicate = used.find((r, n) => used.indexOf(r) !== n);
  if (duplicate) { say(`Two files have the role ${duplicate}: choose one.`, 'error'); return; }
  if (!used.includes('label_map')) { say('The habitat label map is required.', 'error'); return; }
  if (!used.some(r => ['T1c', 'FLAIR', 'T2', 'T1'].includes(r)) && !chosen.some(i => i.series?.some(s => s.role !== 'skip'))) { say('Add at least a T1c or FLAIR image.', 'error'); return; }
  const data = new FormData();
  data.append('patient', patient);
  if (form.studyDate.value) data.append('studyDate', form.studyDate.value);
  data.append('description', form.description.value.trim());
  for (const i of chosen) {
    if (i.series) { data.append('dicom', i.file, i.file.name); for (const s of i.series) data.append('series.' + s.seriesInstanceUid, s.role); }
    else data.append(i.role, i.file, i.file.name);
  }
  const button = document.getElementById('upload-button'), bar = document.getElementById('upload-progress');
  button.disabled = true; bar.hidden = false; bar.value = 0;
  say('Uploading…', 'info');
  try {
    const study = await send(data, bar);
    say('Uploaded. Opening the study…', 'ok');
    location.assign(`/studies/${encodeURIComponent(study.id)}`);
  } catch (e) { say(e.message, 'error'); }
  finally { button.disabled = false; bar.hidden = true; }
});

/** Posts the form with upload progress (fetch cannot report it). */
async function send(data, bar) {
  const token = await antiforgery();
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/studies');
    xhr.setRequestHeader('X-CSRF-TOKEN', token);
    xhr.upload.addEventListener('progress', e => { if (e.lengthComputable) bar.value = e.loaded / e.total; });
    xhr.addEventListener('load', async () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve(JSON.parse(xhr.responseText));
      else reject(new Error(await explain(new Response(xhr.responseText, { status: xhr.status }))));
    });
    xhr.addEventListener('error', () => reject(new Error('The upload was interrupted: check the connection and try again.')));
    xhr.send(data);
  });
}
