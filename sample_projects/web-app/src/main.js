import { readFile } from 'node:fs/promises';
import { createRouter } from 'tiny-router';
import { escapeHtml } from 'tiny-router/helpers/html';
import config from './config.json' with { type: 'json' };
import { startApp } from './app/a.js';

const router = createRouter(config.routes);
const about = await import('./pages/about.js');
router.add('/about', about.render);

const banner = await readFile(new URL('./config.json', import.meta.url), 'utf8');
console.log(escapeHtml(`<${config.name}>`), JSON.parse(banner).routes.length, 'routes');
console.log(startApp(router));
