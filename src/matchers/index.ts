// What the rest of procwire uses of the problem matchers; docs/MATCHERS.md is the reference.
export { cleanLine, MATCHED_LINE_CHARS } from './clean-line.js';
export { MatcherEngine, type EngineOutput } from './matcher-engine.js';
export { parseMatchers, type ResolvedMatcher } from './parse-matcher.js';
export type { MatcherObject, MatcherSpec, PatternObject, WatchPatternSpec } from './spec-types.js';
export type { CycleEvent } from './watch-cycles.js';
