import { createId } from '@acme/core';
import { slugify } from '@acme/core/util';

export function renderButton(label) {
  return `<button id="${createId(label)}" class="btn-${slugify(label)}">${label}</button>`;
}
