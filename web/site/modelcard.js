import { el } from './app.js';

/** A list of {label, value} items (model card, volumes, study facts) as a definition list. */
export function facts(items, target) {
  target.replaceChildren(...items.flatMap(({ label, value }) => [el('dt', {}, label), el('dd', {}, value)]));
  return target;
}
