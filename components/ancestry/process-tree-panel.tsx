'use client';

import { DataLink } from '@/components/ui/data-link';
import { useMemo, useState } from 'react';
import { CHAIN_SEPARATOR } from '@/lib/falco/ancestry';
import { findPriority } from '@/lib/falco/priorities';
import { filterToSearchParams } from '@/lib/filters/event-filter';
import { filterHref } from '@/lib/filters/href';
import type { useEventFilter } from '@/lib/filters/use-event-filter';
import { useProcessTree } from '@/lib/queries/stats';
import type { ProcessTree, ProcessTreeNode, ProcessTreeScope } from '@/lib/stats/types';
import { Panel, PanelState } from '../ui/panel';
import { PriorityShape } from '../ui/priority-badge';
import { TreeSampleNote } from './tree-sample-note';

type FilterState = ReturnType<typeof useEventFilter>;

// Busy containers have hundreds of one-off chains (a pid per build step); siblings beyond this
// many wait behind a "show more" button so the tree stays readable.
const SIBLINGS_SHOWN = 25;
// Containers and hosts shown before a "show more"; a month of a cluster has hundreds.
const SCOPES_SHOWN = 20;
// Rows the tree opens with: levels open breadth-first while they fit. Opening every level of every
// container drew tens of thousands of elements for a month of alerts and froze the page for seconds.
const ROWS_OPEN_AT_FIRST = 250;

const scopeKey = (scope: ProcessTreeScope) => `${scope.containerId}\u0000${scope.hostname}`;

/** The nodes open at first (by scope and chain): breadth-first, busiest first, within the row budget. */
function initiallyOpen(scopes: readonly ProcessTreeScope[]): Set<string> {
  const open = new Set<string>();
  let rows = 0;
  let level: { scope: string; node: ProcessTreeNode }[] = [];
  for (const scope of scopes.slice(0, SCOPES_SHOWN)) {
    const roots = scope.roots.slice(0, SIBLINGS_SHOWN);
    rows += 1 + roots.length;
    level.push(...roots.map((node) => ({ scope: scopeKey(scope), node })));
  }
  while (level.length > 0) {
    const next: typeof level = [];
    for (const { scope, node } of level) {
      const children = node.children.slice(0, SIBLINGS_SHOWN);
      if (children.length === 0) continue;
      // The busiest nodes come first at each level; a node with one child costs one row, so a
      // lone chain (tmux → bash → sudo → cat) opens all the way down even past the budget.
      const budget = children.length === 1 ? 2 * ROWS_OPEN_AT_FIRST : ROWS_OPEN_AT_FIRST;
      if (rows + children.length > budget) continue;
      rows += children.length;
      open.add(`${scope}\u0000${node.chain}`);
      next.push(...children.map((child) => ({ scope, node: child })));
    }
    level = next;
  }
  return open;
}

/**
 * Where a node leads: the alerts at or below it in its container or host. The Alerts view starts at
 * `since` when the tree holds only the newest alerts, so the list has as many alerts as the node
 * counts; `inPage` narrows the current page's filter instead.
 */
function nodeHref(
  state: FilterState,
  scope: ProcessTreeScope,
  node: ProcessTreeNode,
  inPage: boolean,
  since: string | undefined,
): string {
  // The page's own scope (its container, its rule) already holds on the page; a link elsewhere carries it.
  let filter = { ...(inPage ? state.urlFilter : state.filter), chain: [node.chain] };
  if (!inPage && since) filter = { ...filter, from: since };
  if (scope.containerId !== null && !state.filter.container.includes(scope.containerId))
    filter = { ...filter, container: [scope.containerId] };
  if (scope.hostname && !state.filter.hostname.includes(scope.hostname))
    filter = { ...filter, hostname: [scope.hostname] };
  return inPage ? state.href({ set: filter }) : filterHref('/events', filter);
}

/** A node is on the selected path when its chain is a selected chain or one of its ancestors. */
function onSelectedPath(node: ProcessTreeNode, selected: readonly string[]): boolean {
  return selected.some((chain) => chain === node.chain || chain.startsWith(`${node.chain}${CHAIN_SEPARATOR}`));
}

interface TreeContext {
  state: FilterState;
  scope: ProcessTreeScope;
  inPage: boolean;
  selected: readonly string[];
  openAtFirst: ReadonlySet<string>;
  /** The time of the oldest alert in the tree, when it holds only the newest ones. */
  since: string | undefined;
}

function NodeList({
  nodes,
  context,
  depth,
  group,
}: {
  nodes: ProcessTreeNode[];
  context: TreeContext;
  depth: number;
  group: boolean;
}) {
  const [showAll, setShowAll] = useState(false);
  // The selected path always shows, even when it lies among the hidden siblings.
  const shown = showAll
    ? nodes
    : nodes.filter((node, i) => i < SIBLINGS_SHOWN || onSelectedPath(node, context.selected));
  const hidden = nodes.length - shown.length;
  return (
    <ul
      role={group ? 'group' : 'tree'}
      aria-label={group ? undefined : `Process tree of ${context.scope.label}`}
      className={group ? 'ml-3 border-l border-border pl-3' : undefined}
    >
      {shown.map((node) => (
        <TreeNode key={node.chain} node={node} context={context} depth={depth} />
      ))}
      {hidden > 0 && (
        <li role="none" className="py-0.5 pl-5">
          <button
            type="button"
            onClick={() => setShowAll(true)}
            className="rounded px-1.5 py-0.5 text-xs text-accent hover:bg-surface-2 hover:underline"
          >
            Show {hidden.toLocaleString()} more (
            {nodes
              .slice(SIBLINGS_SHOWN)
              .reduce((sum, node) => sum + node.count, 0)
              .toLocaleString()}{' '}
            alerts)
          </button>
        </li>
      )}
    </ul>
  );
}

function TreeNode({ node, context, depth }: { node: ProcessTreeNode; context: TreeContext; depth: number }) {
  const [open, setOpen] = useState(
    () =>
      context.openAtFirst.has(`${scopeKey(context.scope)}\u0000${node.chain}`) ||
      onSelectedPath(node, context.selected),
  );
  const priority = findPriority(node.worstPriority)!;
  const hasChildren = node.children.length > 0;
  const selected = context.selected.includes(node.chain);
  const unknown = node.name === '?';
  return (
    // biome-ignore lint/a11y/useFocusableInteractive: keyboard focus goes to the buttons inside each item.
    <li
      role="treeitem"
      aria-expanded={hasChildren ? open : undefined}
      aria-level={depth + 1}
      aria-selected={context.inPage ? selected : undefined}
      data-testid="tree-node"
      data-name={node.name}
      data-count={node.count}
    >
      <div className="flex items-center gap-1.5 py-0.5">
        <button
          type="button"
          onClick={() => setOpen(!open)}
          disabled={!hasChildren}
          aria-label={open ? `Collapse ${node.name}` : `Expand ${node.name}`}
          className="w-4 shrink-0 text-xs text-muted disabled:invisible"
        >
          {open ? '▾' : '▸'}
        </button>
        <DataLink
          href={nodeHref(context.state, context.scope, node, context.inPage, context.since)}
          scroll={!context.inPage}
          aria-current={selected ? 'true' : undefined}
          className={`group flex min-w-0 items-center gap-2 rounded px-1.5 py-0.5 ${selected ? 'bg-accent/15 ring-1 ring-accent' : 'hover:bg-surface-2'}`}
          title={`${node.count.toLocaleString()} alert(s) at or below ${node.name}; worst ${node.worstPriority}`}
        >
          <span className="shrink-0" style={{ color: priority.color }}>
            <PriorityShape rank={priority.rank} className="h-2.5 w-2.5" />
          </span>
          <span className={`alert-text font-mono text-sm ${unknown ? 'italic text-muted' : ''}`}>
            {unknown ? 'unknown' : node.name}
          </span>
          {node.pid !== null && <span className="shrink-0 font-mono text-xs text-muted">pid {node.pid}</span>}
          <span
            className="shrink-0 rounded-full bg-surface-2 px-1.5 text-xs tabular-nums text-muted group-hover:bg-border"
            data-testid="tree-count"
          >
            {node.count.toLocaleString()}
          </span>
        </DataLink>
      </div>
      {hasChildren && open && <NodeList nodes={node.children} context={context} depth={depth + 1} group />}
    </li>
  );
}

/**
 * The ancestry chains of the filter's alerts merged into one tree per container or host. With
 * `inPage` a node selects its chain in the page's filter; the tree ignores that filter so it stays
 * whole and marks the selected node.
 */
export function ProcessTreePanel({
  state,
  bare = false,
  inPage = false,
  linkParams = '',
}: {
  state: FilterState;
  bare?: boolean;
  inPage?: boolean;
  /** Search parameters of the page's own (such as `view=tree`) that its links keep. */
  linkParams?: string;
}) {
  const treeQuery = inPage ? filterToSearchParams({ ...state.filter, chain: [] }).toString() : state.query;
  const { data, error, isPending } = useProcessTree(treeQuery);
  const selected = inPage ? state.urlFilter.chain : [];
  const since = data?.sample?.since;
  const withParams = (href: string) => (linkParams ? `${href}${href.includes('?') ? '&' : '?'}${linkParams}` : href);
  const body = isPending ? (
    <PanelState kind="loading" />
  ) : error ? (
    <PanelState kind="error" message={`Could not load the process tree: ${error.message}`} />
  ) : data.scopes.length === 0 ? (
    <PanelState kind="empty" message="No alerts with process information in this range." />
  ) : (
    <TreeScopes
      data={data}
      state={state}
      inPage={inPage}
      selected={selected}
      since={since}
      narrowHref={data.sample ? withParams(state.href({ set: { from: data.sample.since } })) : ''}
    />
  );
  if (bare) return body;
  const actions = inPage ? (
    selected.length > 0 ? (
      <DataLink
        href={state.href({ set: { chain: [] } })}
        scroll={false}
        className="shrink-0 text-xs text-accent hover:underline"
        data-testid="tree-clear"
      >
        Clear selection
      </DataLink>
    ) : (
      <span className="hidden text-xs text-muted sm:inline">Click a process to list the alerts under it</span>
    )
  ) : null;
  return (
    <Panel title="Process tree" actions={actions}>
      {body}
    </Panel>
  );
}

function TreeScopes({
  data,
  state,
  inPage,
  selected,
  since,
  narrowHref,
}: {
  data: ProcessTree;
  state: FilterState;
  inPage: boolean;
  selected: readonly string[];
  since: string | undefined;
  narrowHref: string;
}) {
  const { scopes } = data;
  const [showAll, setShowAll] = useState(false);
  const openAtFirst = useMemo(() => initiallyOpen(scopes), [scopes]);
  const shown = showAll ? scopes : scopes.slice(0, SCOPES_SHOWN);
  const hidden = scopes.slice(shown.length);
  return (
    <div className={`space-y-4 p-4 ${inPage ? 'max-h-[32rem] overflow-auto' : ''}`} data-testid="process-tree">
      {data.sample && <TreeSampleNote sample={data.sample} narrowHref={narrowHref} />}
      {data.truncated && (
        <p className="text-sm text-muted" data-testid="tree-truncated">
          Showing the most frequent chains only; narrow the filter to see all.
        </p>
      )}
      {shown.map((scope) => (
        <section key={scopeKey(scope)} aria-label={`Processes in ${scope.label}`}>
          <h3 className="mb-1 text-sm font-semibold">
            <span className="alert-text">{scope.label}</span>{' '}
            <span className="font-normal text-muted tabular-nums">
              · {scope.count.toLocaleString()} alert{scope.count === 1 ? '' : 's'}
            </span>
          </h3>
          <NodeList
            nodes={scope.roots}
            context={{ state, scope, inPage, selected, openAtFirst, since }}
            depth={0}
            group={false}
          />
        </section>
      ))}
      {hidden.length > 0 && (
        <button
          type="button"
          onClick={() => setShowAll(true)}
          className="rounded px-1.5 py-0.5 text-sm text-accent hover:bg-surface-2 hover:underline"
        >
          Show {hidden.length.toLocaleString()} more containers and hosts (
          {hidden.reduce((sum, scope) => sum + scope.count, 0).toLocaleString()} alerts)
        </button>
      )}
    </div>
  );
}
