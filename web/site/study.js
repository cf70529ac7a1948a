import { Niivue } from '/vendor/niivue/niivue.js';
import { api, startPage, say, el, percent, when } from './app.js';
import { facts } from './modelcard.js';

const user = await startPage();
const studyId = decodeURIComponent(location.pathname.split('/')[2] || '');
const $ = id => document.getElementById(id);
const canAnalyse = ['admin', 'clinician'].includes(user.role);

// Habitat labels (BraTS): 1 necrotic core, 2 oedema, 3 enhancing (4 = enhancing in older BraTS releases); same colours as the report.
const labelColours = {
  R: [0, 230, 40, 250, 250], G: [0, 40, 200, 220, 220], B: [0, 40, 60, 30, 30], A: [0, 255, 255, 255, 255], I: [0, 1, 2, 3, 4],
  labels: ['', 'necrotic core', 'oedema', 'enhancing', 'enhancing'],
};
const viewers = {}; // sequence → { nv, labelIndex, heatIndex }
let heatMap = null;

async function main() {
  let record;
  try { record = await api(`/api/studies/${encodeURIComponent(studyId)}`); }
  catch (e) { say(e.message, 'error'); return; }
  const { study, analyses } = record;
  document.title = `${study.patient} — Habitat`;
  $('title').textContent = `Patient ${study.patient}${study.studyDate ? ', ' + study.studyDate : ''}`;
  facts([{ label: 'Patient (pseudonym)', value: study.patient }, { label: 'Study date', value: study.studyDate || 'not given' },
    { label: 'Description', value: study.description || '—' }, { label: 'Uploaded', value: `${when(study.createdAt)} by ${study.uploadedBy}` },
    ...study.files.map(f => ({ label: roleName(f.role), value: `${f.originalName}${f.description ? ' (' + f.description + ')' : ''}, ${f.size.join('×')}` }))], $('study-facts'));

  await setUpModels();
  const sequences = ['T1c', 'FLAIR'].filter(s => study.files.some(f => f.role === s));
  if (sequences.length === 0) say('This study has no T1c or FLAIR image to display.', 'error');
  for (const s of ['T1c', 'FLAIR']) if (!sequences.includes(s)) { $('view-' + s).hidden = true; $('layout').querySelector(`option[value="${s}"]`).disabled = true; }
  await Promise.all(sequences.map(s => openViewer(s)));
  link();
  centreOnLesion();
  const latest = analyses.length ? analyses[analyses.length - 1] : null;
  if (latest) await follow(latest.id);
}

const roleName = r => ({ label_map: 'Label map', brain_mask: 'Brain mask' })[r] || `Sequence ${r}`;

async function openViewer(sequence) {
  const nv = new Niivue({ backColor: [0, 0, 0, 1], show3Dcrosshair: true, dragAndDropEnabled: false, isColorbar: false, textHeight: 0.04,
    isRadiologicalConvention: true, crosshairColor: [0.2, 0.8, 1, 1], crosshairWidth: 1, logLevel: 'error', loadingText: 'loading…' });
  await nv.attachToCanvas($('canvas-' + sequence));
  nv.setRadiologicalConvention(true);
  await nv.loadVolumes([
    { url: imageUrl(sequence), name: `${sequence}.nii.gz` },
    { url: imageUrl('label_map'), name: 'labels.nii.gz', opacity: Number($('label-opacity').value) },
  ]);
  nv.volumes[1].setColormapLabel(labelColours);
  nv.setInterpolation(true);
  nv.setSliceType(Number($('plane').value));
  nv.onLocationChange = where => { if (sequence === primary()) $('location').textContent = where.string || ''; showWindow(); };
  nv.onIntensityChange = () => showWindow();
  nv.updateGLVolume();
  viewers[sequence] = { nv, labelIndex: 1, heatIndex: -1 };
  showWindow();
}

const imageUrl = role => `/api/studies/${encodeURIComponent(studyId)}/images/${role}.nii.gz`;
const primary = () => (viewers.T1c && !$('view-T1c').hidden) ? 'T1c' : 'FLAIR';
const shown = () => Object.entries(viewers).filter(([s]) => !$('view-' + s).hidden).map(([, v]) => v);

/** Crosshair, pan and zoom linked across the viewers. */
function link() {
  const all = Object.values(viewers).map(v => v.nv);
  for (const nv of all) { const others = all.filter(o => o !== nv); if (others.length) nv.broadcastTo(others, { '2d': true, '3d': true }); }
}

/** Puts the crosshair at the centre of the lesion (labels 1, 3, 4) using the label map's own affine. */
function centreOnLesion() {
  const any = Object.values(viewers)[0];
  if (!any) return;
  const labels = any.nv.volumes[any.labelIndex];
  const [, nx, ny, nz] = labels.hdr.dims, img = labels.img, a = labels.hdr.affine;
  let si = 0, sj = 0, sk = 0, count = 0;
  for (let k = 0, n = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++, n++) {
    const v = img[n];
    if (v === 1 || v === 3 || v === 4) { si += i; sj += j; sk += k; count++; }
  }
  if (count === 0) return;
  const [i, j, k] = [si / count, sj / count, sk / count];
  const mm = [0, 1, 2].map(r => a[r][0] * i + a[r][1] * j + a[r][2] * k + a[r][3]);
  for (const { nv } of Object.values(viewers)) { nv.scene.crosshairPos = nv.mm2frac(mm); nv.drawScene(); nv.createOnLocationChange?.(); }
}

function showWindow() {
  const v = viewers[primary()];
  if (!v) return;
  const base = v.nv.volumes[0];
  if (document.activeElement !== $('window-low')) $('window-low').value = round(base.cal_min);
  if (document.activeElement !== $('window-high')) $('window-high').value = round(base.cal_max);
}
const round = x => Number.isFinite(x) ? Number(x.toPrecision(5)) : '';

function setWindow(low, high) {
  if (!(Number.isFinite(low) && Number.isFinite(high) && high > low)) { say('Window: the high value must be above the low value.', 'error'); return; }
  say('');
  const v = viewers[primary()];
  v.nv.volumes[0].cal_min = low; v.nv.volumes[0].cal_max = high; v.nv.updateGLVolume();
}

function setLayout(value) {
  for (const s of ['T1c', 'FLAIR']) if (viewers[s]) $('view-' + s).hidden = value !== 'side' && value !== s;
  $('viewers').classList.toggle('single', value !== 'side');
  for (const { nv } of Object.values(viewers)) { nv.resizeListener(); nv.drawScene(); }
  showWindow();
}

function setPlane(type) {
  $('plane').value = String(type);
  for (const { nv } of Object.values(viewers)) nv.setSliceType(type);
}

function setLabels(on) {
  $('show-labels').checked = on;
  for (const v of Object.values(viewers)) v.nv.setOpacity(v.labelIndex, on ? Number($('label-opacity').value) : 0);
}

function setHeat(on) {
  if (on && !heatMap) { say('No feature map yet: run the analysis first.', 'error'); $('show-heat').checked = false; return; }
  $('show-heat').checked = on;
  for (const v of Object.values(viewers)) if (v.heatIndex >= 0) v.nv.setOpacity(v.heatIndex, on ? Number($('heat-opacity').value) : 0);
}

/** One slice forward or back in the current plane (axial: through z), in every viewer. */
function step(delta) {
  const type = Number($('plane').value);
  const move = type === 1 ? [0, delta, 0] : type === 2 ? [delta, 0, 0] : [0, 0, delta];
  for (const { nv } of Object.values(viewers)) nv.moveCrosshairInVox(...move);
}

function edge(last) {
  const type = Number($('plane').value), axis = type === 1 ? 1 : type === 2 ? 0 : 2;
  for (const { nv } of Object.values(viewers)) { const pos = [...nv.scene.crosshairPos]; pos[axis] = last ? 0.999 : 0.001; nv.scene.crosshairPos = pos; nv.drawScene(); }
}

$('layout').addEventListener('change', e => setLayout(e.target.value));
$('plane').addEventListener('change', e => setPlane(Number(e.target.value)));
$('show-labels').addEventListener('change', e => setLabels(e.target.checked));
$('show-heat').addEventListener('change', e => setHeat(e.target.checked));
$('label-opacity').addEventListener('input', () => setLabels(true));
$('heat-opacity').addEventListener('input', () => { if (heatMap) setHeat(true); });
for (const id of ['window-low', 'window-high']) $(id).addEventListener('change', () => setWindow(Number($('window-low').value), Number($('window-high').value)));
$('window-reset').addEventListener('click', () => { const b = viewers[primary()]?.nv.volumes[0]; if (b) setWindow(b.robust_min ?? b.global_min, b.robust_max ?? b.global_max); });
document.addEventListener('keydown', e => {
  if (e.target.closest('input, select, textarea') || e.ctrlKey || e.metaKey || e.altKey) return;
  const keys = { ArrowUp: () => step(1), PageUp: () => step(1), ArrowDown: () => step(-1), PageDown: () => step(-1), Home: () => edge(false), End: () => edge(true),
    l: () => setLabels(!$('show-labels').checked), h: () => setHeat(!$('show-heat').checked), 1: () => setPlane(0), 2: () => setPlane(1), 3: () => setPlane(2), 4: () => setPlane(3) };
  const action = keys[e.key.length === 1 ? e.key.toLowerCase() : e.key];
  if (action) { e.preventDefault(); action(); }
});

async function setUpModels() {
  const select = $('model'), button = $('analyse');
  if (!canAnalyse) { select.hidden = button.hidden = true; select.previousElementSibling.hidden = true; return; }
  try {
    const models = await api('/api/models');
    select.replaceChildren(...models.map(m => el('option', { value: m.id, selected: m.isDefault }, `${m.name}${m.synthetic ? ' (synthetic)' : ''}${m.isDefault ? ' — default' : ''}`)));
    if (models.length === 0) { button.disabled = true; say('No model is installed yet: an admin or researcher must upload one (Models page).', 'error'); }
  } catch (e) { say(e.message, 'error'); }
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const started = await api(`/api/studies/${encodeURIComponent(studyId)}/analyses`, { method: 'POST', json: { modelId: select.value || null } });
      // Acknowledge at once: a quick analysis may be finished before its first progress event reaches the page.
      showProgress({ status: 'queued', stage: 'submitted', progress: 0 });
      await follow(started.analysisId);
    } catch (e) { say(e.message, 'error'); }
    finally { button.disabled = false; }
  });
}

/** Shows an analysis: live progress while it runs (server-sent events, polling if they fail), then the result. */
async function follow(analysisId) {
  const { analysis } = await api(`/api/analyses/${encodeURIComponent(analysisId)}`);
  $('no-analysis').hidden = true;
  if (analysis.status === 'done') { $('running').hidden = true; return showResult(analysisId); }
  if (analysis.status === 'failed') return showFailure(analysis.error);
  $('running').hidden = false; $('result').hidden = true; $('failed').hidden = true;
  await new Promise(resolve => {
    const finish = async job => { $('running').hidden = true; if (job.status === 'done') await showResult(analysisId); else showFailure(job.error); resolve(); };
    const update = showProgress;
    const source = new EventSource(`/api/jobs/${encodeURIComponent(analysis.jobId)}/events`);
    source.addEventListener('progress', e => {
      const job = JSON.parse(e.data);
      const j = { status: job.status ?? job.Status, progress: job.progress ?? job.Progress, stage: job.stage ?? job.Stage, error: job.error ?? job.Error };
      update(j);
      if (j.status === 'done' || j.status === 'failed') { source.close(); finish(j); }
    });
    source.onerror = () => { // fall back to polling
      source.close();
      const poll = async () => {
        try {
          const job = await api(`/api/jobs/${encodeURIComponent(analysis.jobId)}`);
          const j = { status: job.status, progress: job.progress, stage: job.stage, error: job.error };
          update(j);
          if (j.status === 'done' || j.status === 'failed') finish(j); else setTimeout(poll, 1000);
        } catch (e) { say(e.message, 'error'); resolve(); }
      };
      poll();
    };
  });
}

function showProgress(job) {
  $('no-analysis').hidden = true; $('running').hidden = false; $('result').hidden = true; $('failed').hidden = true;
  $('progress').value = job.progress;
  $('stage').textContent = `${{ queued: 'Queued', running: 'Running', done: 'Finished', failed: 'Failed' }[job.status] ?? job.status}: ${job.stage} (${Math.round(100 * job.progress)}%)`;
}

function showFailure(error) {
  $('running').hidden = true;
  $('failed').hidden = false;
  $('failed').textContent = `The analysis failed: ${error || 'no reason was recorded'}. Check the images and the label map, then run it again.`;
}

async function showResult(analysisId) {
  const [{ analysis, maps }, summary] = await Promise.all([api(`/api/analyses/${encodeURIComponent(analysisId)}`), api(`/api/analyses/${encodeURIComponent(analysisId)}/summary`)]);
  $('result').hidden = false; $('failed').hidden = true; $('running').hidden = true;
  const p = analysis.probability, t = analysis.threshold;
  $('probability').textContent = percent(p);
  $('probability').dataset.value = String(p);
  $('positive-class').textContent = summary.positiveClass;
  $('class').textContent = analysis.predictedClass;
  $('threshold').textContent = percent(t);
  $('bar-fill').style.width = `${(100 * p).toFixed(2)}%`;
  $('bar-threshold').style.left = `${(100 * t).toFixed(2)}%`;
  $('contributions').replaceChildren(...summary.contributions.map(c => el('li', {},
    el('span', {}, c.words), ' ', el('span', { class: c.contribution >= 0 ? 'up' : 'down' }, c.direction), el('span', { class: 'muted' }, ` (value ${Number(c.value).toPrecision(4)})`))));
  if (summary.contributions.length === 0) $('contributions').append(el('li', {}, 'The model gave no per-feature explanation.'));
  facts(summary.volumes, $('volumes'));
  facts(summary.modelCard, $('model-card'));
  if (summary.synthetic) { $('synthetic').hidden = false; $('synthetic').textContent = 'Synthetic demonstration model: trained on generated images, not for any clinical use.'; }
  $('report-link').href = `/analyses/${encodeURIComponent(analysisId)}/report`;
  $('pdf-link').href = `/analyses/${encodeURIComponent(analysisId)}/report.pdf`;
  $('pdf-link').setAttribute('download', `habitat-${analysisId}.pdf`);
  if (maps.length > 0 && !heatMap) await addHeatMap(maps[0]);
}

async function addHeatMap(map) {
  heatMap = map;
  $('heat-name').textContent = map.name;
  for (const v of Object.values(viewers)) {
    await v.nv.addVolumeFromUrl({ url: map.url, name: `${map.name}.nii.gz`, colormap: 'warm', opacity: 0, ignoreZeroVoxels: true });
    v.heatIndex = v.nv.volumes.length - 1;
  }
  setHeat($('show-heat').checked);
}

await main();
document.body.dataset.ready = 'true';
