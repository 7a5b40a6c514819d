import { state } from './state.js';

export function report(label, instance) {
  const same = instance === state ? ' (same instance as ./state.js)' : '';
  console.log(`${label}: count=${instance.count}${same}`);
}
