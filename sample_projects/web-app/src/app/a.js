// a -> b -> c -> a: an import cycle (safe here: only hoisted functions cross it)
import { layout } from './b.js';

export function startApp(router) {
  return layout(`app with ${router.size()} routes`);
}

export function appName() {
  return 'web-app';
}
