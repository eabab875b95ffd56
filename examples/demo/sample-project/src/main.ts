import { greet } from './greet.js';

const retries: number = 'three';
const name = 'world';

export const message = `${greet(name)} (${retries} retries)`;
