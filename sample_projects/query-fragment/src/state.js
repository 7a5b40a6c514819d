// Module state: every distinct URL that loads this file gets its own copy.
export const state = { count: 0, id: Math.random().toString(36).slice(2, 8) };

export function bump() {
  state.count += 1;
  return state.count;
}
