import { escapeHtml } from 'tiny-router/helpers/html';

export function render() {
  return `<h1>${escapeHtml('About & contact')}</h1>`;
}
