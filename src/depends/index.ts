// Start order (`spec.dependsOn`): conditions, the graph check, and the event-driven wait.
export { CONDITIONS, parseDependsOn, type DependencyCondition } from './conditions.js';
export { checkDependencies, type DependencyNode } from './graph.js';
export { judge, waitForDependencies, type DependencyView } from './wait.js';
