// react-query for Falco exceptions: a group's sample alerts, the preview of a draft, its rules file,
// and marking a group benign with it. Every input of a fetch is part of its key.
import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FetchError, fetchJson, fetchText } from '../api/fetch-json';
import type { EventListResponse } from '../events/types';
import type { GroupList } from '../triage/groupings';
import type { ExceptionPreview } from '../triage/preview';
import type { StatusChangeAnswer } from '../triage/triage-service';

/** The operators of lib/triage/exceptions.ts, in the order the editor offers them. */
export const EXCEPTION_COMPS = ['=', 'in', 'startswith', 'endswith', 'contains', 'pmatch'] as const;
export type ExceptionComp = (typeof EXCEPTION_COMPS)[number];
type ExceptionValue = string | string[];

/** One exception as POST /api/exceptions/preview and /rules-file take it. */
export interface ExceptionEntry {
  rule: string;
  source?: string;
  fields: string[];
  comps: ExceptionComp[];
  values: ExceptionValue[][];
  name?: string;
  group?: string;
  matched?: number;
}

export type { ExceptionPreview };

const postJson = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const exceptionKeys = {
  all: ['exceptions'] as const,
  samples: (query: string) => [...exceptionKeys.all, 'samples', query] as const,
  groups: (query: string) => [...exceptionKeys.all, 'groups', query] as const,
  preview: (body: unknown) => [...exceptionKeys.all, 'preview', body] as const,
  rulesFile: (body: unknown) => [...exceptionKeys.all, 'rules-file', body] as const,
};

// A refused draft is refused again: show the issues at once.
const noRetryOnRefusal = (failures: number, error: Error) =>
  failures < 1 && !(error instanceof FetchError && error.status >= 400 && error.status < 500);

/** The newest alerts of a group, whose output_fields the editor proposes fields and values from. */
const sampleOptions = (group: string, rule: string, limit: number) => {
  const query = new URLSearchParams({ group, rule, from: 'all', limit: String(limit) }).toString();
  return queryOptions({
    queryKey: exceptionKeys.samples(query),
    queryFn: () => fetchJson<EventListResponse>(`/api/events?${query}`),
    refetchOnWindowFocus: false,
  });
};

/** Groups of the default grouping (the preview's) over a range: of a rule, or inside a group of another grouping. */
const defaultGroupsOptions = (scope: { rule: string } | { group: string }, from: string) => {
  const query = new URLSearchParams({ ...scope, groupBy: 'rule,image,chain', sort: 'count', from, limit: '500' });
  return queryOptions({
    queryKey: exceptionKeys.groups(query.toString()),
    queryFn: () => fetchJson<GroupList>(`/api/groups?${query}`),
    refetchOnWindowFocus: false,
  });
};

export interface PreviewRequest extends ExceptionEntry {
  from: string;
}

const previewOptions = (body: PreviewRequest) =>
  queryOptions({
    queryKey: exceptionKeys.preview(body),
    queryFn: () => fetchJson<ExceptionPreview>('/api/exceptions/preview', postJson(body)),
    retry: noRetryOnRefusal,
    refetchOnWindowFocus: false,
    placeholderData: keepPreviousData,
  });

const rulesFileOptions = (exceptions: ExceptionEntry[]) =>
  queryOptions({
    queryKey: exceptionKeys.rulesFile(exceptions),
    queryFn: () => fetchText('/api/exceptions/rules-file', postJson({ exceptions })),
    retry: noRetryOnRefusal,
    refetchOnWindowFocus: false,
    // The file's header names the time it was written: keep one text while the inputs stay the same.
    staleTime: Number.POSITIVE_INFINITY,
  });

export const useGroupSamples = (group: string | null, rule: string, limit = 200) =>
  useQuery({ ...sampleOptions(group ?? '', rule, limit), enabled: group !== null });

export const useGroupsWithin = (group: string | null, from: string) =>
  useQuery({ ...defaultGroupsOptions({ group: group ?? '' }, from), enabled: group !== null });

export const useRuleGroups = (rule: string, from: string) => useQuery(defaultGroupsOptions({ rule }, from));

export const useExceptionPreview = (body: PreviewRequest | null) =>
  useQuery({ ...previewOptions(body ?? ({} as PreviewRequest)), enabled: body !== null });

export const useRulesFile = (exceptions: ExceptionEntry[] | null) =>
  useQuery({ ...rulesFileOptions(exceptions ?? []), enabled: exceptions !== null && exceptions.length > 0 });

interface BenignChange {
  group: string;
  note: string;
  exception: string;
}

/** Marks one group benign with the rules file that silences it. */
export const useMarkBenign = () =>
  useMutation({
    mutationFn: ({ group, note, exception }: BenignChange) =>
      fetchJson<StatusChangeAnswer>(
        '/api/groups/status',
        postJson({ groups: [group], status: 'benign', note: note || undefined, exception }),
      ),
  });

/** Refetches the groups and alerts that show a status, after a change made in the editor. */
export function useRefreshTriage() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: ['groups'] });
    void client.invalidateQueries({ queryKey: ['events', 'detail'] });
  };
}
