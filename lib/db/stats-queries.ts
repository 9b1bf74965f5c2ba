// The aggregates behind the dashboard, one module per resource; this index keeps the names that
// routes and scripts import from here.
export { containerRows } from './containers';
export { processTree, TREE_SAMPLE_ALERTS } from './process-tree';
export { rangeSummary } from './range-summary';
export { relatedEvents } from './related';
export { ruleRows } from './rules';
export { timeline } from './timeline';
export { topValues } from './top-values';
