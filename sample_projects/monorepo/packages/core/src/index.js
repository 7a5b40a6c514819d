// Self-reference: a package may import itself by name through its own "exports".
import { slugify } from '@acme/core/util';
import { log } from '#internal/log';

export function createId(title) {
  const id = slugify(title);
  log(`created id ${id}`);
  return id;
}
