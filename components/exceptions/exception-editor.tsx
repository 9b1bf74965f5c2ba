'use client';

import { useEffect, useMemo, useState } from 'react';
import { FetchError } from '@/lib/api/fetch-json';
import {
  type ExceptionEntry,
  useExceptionPreview,
  useGroupSamples,
  useGroupsWithin,
  useMarkBenign,
  useRuleGroups,
  useRulesFile,
} from '@/lib/queries/exceptions';
import { DataLink } from '../ui/data-link';
import { ApiErrorText } from './api-error';
import { useExceptionCollection } from './collection';
import {
  draftEntry,
  draftProblems,
  entrySummary,
  type FieldPick,
  initialPicks,
  type PreviewRange,
  proposeFields,
  rangeHolding,
  type SampleAlert,
  sourceOf,
} from './draft';
import { FieldPicker } from './field-picker';
import { groupText, PreviewPanel, RangePicker } from './preview-panel';

const SAMPLE_LIMIT = 200;
const DEBOUNCE_MS = 350;

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** What the editor tells the dialog around it. */
export interface EditorActions {
  close: () => void;
  /** A group's status changed: lists showing it refetch when the dialog closes. */
  marked: () => void;
}

export interface ExceptionOrigin {
  rule: string;
  /** The triage group it is written from, if known. */
  group: string | null;
  /** The alert it is written from; else the group's newest alerts are the samples. */
  alert?: SampleAlert;
}

/** Loads the samples, then the editor; the samples decide the fields it offers. */
export function ExceptionEditor({ origin, actions }: { origin: ExceptionOrigin; actions: EditorActions }) {
  const samples = useGroupSamples(origin.alert ? null : origin.group, origin.rule, SAMPLE_LIMIT);
  if (origin.alert) return <Editor origin={origin} samples={[origin.alert]} fromAlert actions={actions} />;
  if (origin.group === null) return <p className="text-sm text-muted lg:p-5">Nothing to write an exception from.</p>;
  if (samples.isPending) return <p className="text-sm text-muted lg:p-5">Loading the group’s alerts…</p>;
  if (samples.error)
    return (
      <div className="lg:p-5">
        <ApiErrorText error={samples.error} what="load the group’s alerts" />
      </div>
    );
  return <Editor origin={origin} samples={samples.data.events} fromAlert={false} actions={actions} />;
}

function Editor({
  origin,
  samples,
  fromAlert,
  actions,
}: {
  origin: ExceptionOrigin;
  samples: readonly SampleAlert[];
  fromAlert: boolean;
  actions: EditorActions;
}) {
  const source = useMemo(() => sourceOf(samples), [samples]);
  const proposed = useMemo(() => proposeFields(samples, source), [samples, source]);
  const [picks, setPicks] = useState<FieldPick[]>(() => initialPicks(proposed, samples.length));
  const [from, setFrom] = useState<PreviewRange>(() =>
    rangeHolding(
      samples
        .map((sample) => sample.time)
        .sort()
        .at(-1),
    ),
  );
  const [name, setName] = useState('');

  const problems = draftProblems(picks);
  const entry = useMemo(
    () =>
      problems.length === 0
        ? draftEntry(origin.rule, source, picks, { name: name.trim(), group: origin.group ?? undefined })
        : null,
    [problems.length, origin.rule, origin.group, source, picks, name],
  );
  const debounced = useDebounced(entry, DEBOUNCE_MS);
  const settling = debounced !== entry;
  const preview = useExceptionPreview(debounced && { ...debounced, from });
  const previewReady = preview.data !== undefined && !preview.isPlaceholderData && !preview.isFetching && !settling;
  const fileEntry = useMemo(
    (): ExceptionEntry | null =>
      debounced && preview.data && previewReady ? { ...debounced, matched: preview.data.matched } : null,
    [debounced, preview.data, previewReady],
  );
  const file = useRulesFile(fileEntry && [fileEntry]);

  // A group of another grouping is made of default-grouping groups: which ones, to tell "other" groups.
  const ownDefault = origin.group === null || origin.group.startsWith('ric-');
  const within = useGroupsWithin(ownDefault ? null : origin.group, from);
  const ownKeys = useMemo((): ReadonlySet<string> | null => {
    if (origin.group === null) return new Set();
    if (ownDefault) return new Set([origin.group]);
    return within.data ? new Set(within.data.groups.map((group) => group.key)) : null;
  }, [origin.group, ownDefault, within.data]);

  const ruleGroups = useRuleGroups(origin.rule, from);
  const described = useMemo(
    () => new Map((ruleGroups.data?.groups ?? []).map((group) => [group.key, group.fields])),
    [ruleGroups.data],
  );

  return (
    <div className="grid gap-5 lg:h-full lg:grid-cols-[minmax(0,5fr)_minmax(0,6fr)] lg:gap-0">
      <section className="min-w-0 lg:overflow-auto lg:border-r lg:border-border lg:px-5 lg:py-4" aria-label="Fields">
        <h3 className="text-sm font-semibold">Fields</h3>
        <p className="mt-0.5 text-xs text-muted">
          Falco fields of this {source} rule that{' '}
          {fromAlert
            ? 'the alert carries'
            : `the group’s ${samples.length === SAMPLE_LIMIT ? `newest ${SAMPLE_LIMIT}` : samples.length.toLocaleString()} alert${samples.length === 1 ? '' : 's'} carry`}
          , with the values seen. Other output fields (added by falcosidekick or append_output) are not Falco’s and are
          not offered.
        </p>
        {proposed.length === 0 ? (
          <p className="mt-3 text-sm text-muted" data-testid="exception-no-fields">
            None of the output fields is a Falco field of a {source} rule Perch knows, so no exception can be written
            from {fromAlert ? 'this alert' : 'these alerts'}.
          </p>
        ) : (
          <FieldPicker proposed={proposed} samples={samples.length} picks={picks} onPicks={setPicks} />
        )}
        <label className="mt-2 flex items-center gap-2 text-sm">
          <span className="shrink-0 text-muted">Name</span>
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="perch_… from the fields (optional)"
            data-testid="exception-name"
            className="min-w-0 flex-1 rounded-md border border-border bg-surface px-2 py-1 font-mono text-xs"
          />
        </label>
      </section>

      <section className="min-w-0 space-y-4 lg:overflow-auto lg:px-5 lg:py-4" aria-label="Preview">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h3 className="text-sm font-semibold">What it would have silenced</h3>
          <RangePicker value={from} onChange={setFrom} />
        </div>
        {entry === null ? (
          <ul className="text-sm text-muted" data-testid="exception-problems">
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        ) : preview.error && !preview.isFetching ? (
          <ApiErrorText error={preview.error} what="preview the exception" />
        ) : preview.data ? (
          <PreviewPanel
            preview={preview.data}
            rule={origin.rule}
            from={from}
            origin={origin.group}
            ownKeys={ownKeys}
            described={described}
            stale={!previewReady}
          />
        ) : (
          <p className="text-sm text-muted" role="status">
            Reading the rule’s stored alerts…
          </p>
        )}
        <RulesFilePanel
          entry={fileEntry}
          file={file}
          waiting={entry !== null && !previewReady && !preview.error}
          group={origin.group}
          groupLabel={origin.group ? groupText(described.get(origin.group)) : ''}
          actions={actions}
        />
      </section>
    </div>
  );
}

function RulesFilePanel({
  entry,
  file,
  waiting,
  group,
  groupLabel,
  actions,
}: {
  entry: ExceptionEntry | null;
  file: ReturnType<typeof useRulesFile>;
  waiting: boolean;
  group: string | null;
  groupLabel: string;
  actions: EditorActions;
}) {
  const collection = useExceptionCollection();
  const [added, setAdded] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const text = entry && file.data && !file.isFetching ? file.data : null;
  // The draft changed since: what was added or copied was another one.
  const [shownText, setShownText] = useState(text);
  if (shownText !== text) {
    setShownText(text);
    setCopied(false);
    setAdded(null);
  }

  const add = () => {
    if (!entry) return;
    collection.add(entry, groupLabel);
    setAdded(entrySummary(entry));
  };
  const copy = async () => {
    if (!text) return;
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };

  return (
    <div className="space-y-2 border-t border-border pt-3">
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="mr-auto text-sm font-semibold">Falco rules file</h3>
        <button
          type="button"
          onClick={copy}
          disabled={!text}
          data-testid="exception-copy"
          className="rounded-md border border-border bg-surface px-2.5 py-1 text-sm hover:bg-surface-2 disabled:cursor-not-allowed disabled:opacity-50"
        >
          {copied ? 'Copied ✓' : 'Copy'}
        </button>
        <button
          type="button"
          onClick={add}
          disabled={!text}
          data-testid="exception-add"
          className="rounded-md border border-border bg-surface px-2.5 py-1 text-sm hover:bg-surface-2 disabled:cursor-not-allowed disabled:opacity-50"
        >
          Add to rules file
        </button>
      </div>
      {file.error && !file.isFetching ? (
        <ApiErrorText error={file.error} what="write the rules file" />
      ) : text ? (
        <pre
          className="max-h-64 overflow-auto whitespace-pre rounded-md bg-code p-3 font-mono text-xs leading-5"
          data-testid="exception-yaml"
        >
          {text}
        </pre>
      ) : (
        <p className="text-sm text-muted" data-testid="exception-yaml-waiting">
          {entry || waiting ? 'Writing the YAML…' : 'The YAML appears once the draft is complete.'}
        </p>
      )}
      {added && (
        <p role="status" className="alert-text text-sm text-[var(--live-ok)]" data-testid="exception-added">
          Added to the rules file ({collection.entries.length.toLocaleString()} exception
          {collection.entries.length === 1 ? '' : 's'}).{' '}
          <DataLink
            href="/exceptions"
            className="text-accent underline-offset-2 hover:underline"
            onClick={actions.close}
          >
            Open the rules file →
          </DataLink>
        </p>
      )}
      {group && <BenignPanel group={group} text={text} entry={entry} actions={actions} />}
    </div>
  );
}

function BenignPanel({
  group,
  text,
  entry,
  actions,
}: {
  group: string;
  text: string | null;
  entry: ExceptionEntry | null;
  actions: EditorActions;
}) {
  const mutation = useMarkBenign();
  const [note, setNote] = useState('');
  const suggested = entry
    ? `Silenced by a Falco exception: ${entrySummary(entry)}${entry.matched === undefined ? '' : ` (matched ${entry.matched.toLocaleString()} stored alerts)`}.`
    : '';
  const done = mutation.data?.groups[0];
  const error = mutation.error;
  return (
    <div className="space-y-2 border-t border-border pt-3">
      <h3 className="text-sm font-semibold">Mark the group benign</h3>
      <p className="text-xs text-muted">
        Its history keeps this exception, so it says why the group went quiet once Falco reloads its rules.
      </p>
      <label className="flex items-center gap-2 text-sm">
        <span className="shrink-0 text-muted">Note</span>
        <input
          value={note}
          onChange={(e) => setNote(e.target.value)}
          maxLength={2_000}
          placeholder={suggested || 'Why it is benign (optional)'}
          title={suggested ? `Left empty, the note reads: ${suggested}` : undefined}
          data-testid="exception-benign-note"
          className="min-w-0 flex-1 rounded-md border border-border bg-surface px-2 py-1 text-sm"
        />
      </label>
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          disabled={!text || mutation.isPending || done !== undefined}
          onClick={() =>
            text &&
            mutation.mutate({ group, note: note.trim() || suggested, exception: text }, { onSuccess: actions.marked })
          }
          data-testid="exception-benign"
          className="rounded-md bg-accent px-3 py-1.5 text-sm font-semibold text-accent-fg hover:opacity-90 disabled:cursor-not-allowed disabled:opacity-50"
        >
          {mutation.isPending ? 'Marking…' : 'Mark benign with this exception'}
        </button>
        {done && (
          <p role="status" className="text-sm text-[var(--live-ok)]" data-testid="exception-benign-done">
            Marked benign{done.status.setBy ? `, recorded as ${done.status.setBy}` : ''}.{' '}
            <button
              type="button"
              onClick={actions.close}
              data-testid="exception-benign-close"
              className="text-accent underline-offset-2 hover:underline"
            >
              Close
            </button>
          </p>
        )}
        {error && (
          <p
            role="alert"
            className="alert-text text-sm text-[var(--priority-critical)]"
            data-testid="exception-benign-error"
          >
            {error instanceof FetchError && error.status === 403
              ? `Refused: ${error.message}`
              : error instanceof FetchError && error.status === 401
                ? 'Your session has ended: log in again to change a status.'
                : `Could not mark it benign: ${error.message}`}
          </p>
        )}
      </div>
    </div>
  );
}
