import { header } from './c.js';

export function layout(body) {
  return `${header()} | ${body}`;
}
