import { appName } from './a.js';

export function header() {
  return `[${appName()}]`;
}
