import { greet } from './greet.js';

const retries: number = 'three';
const name = 'world';

console.log(greet(name), retries);
