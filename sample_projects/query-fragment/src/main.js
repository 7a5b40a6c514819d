import { state as plain, bump } from './state.js';
import { state as versioned } from './state.js?v=2';
import { state as fragment } from './state.js#x';
import counter from './counter.cjs';
import counterAgain from './counter.cjs?cache=bust';
import { report } from './report.js';

bump();
report('state.js', plain);
report('state.js?v=2', versioned);
report('state.js#x', fragment);
console.log('three instances:', plain !== versioned && plain !== fragment && versioned !== fragment);

counter.hit();
console.log('counter.cjs shared through ?query:', counter === counterAgain, counterAgain.hit());
