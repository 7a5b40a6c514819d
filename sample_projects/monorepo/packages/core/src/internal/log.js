const lines = [];

export function log(message) {
  lines.push(message);
}

export function history() {
  return [...lines];
}
