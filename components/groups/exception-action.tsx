'use client';

import type { GroupRow } from '@/lib/triage/groupings';
import { ExceptionButton } from '../exceptions/exception-button';

/** "Write a Falco exception" on a group's detail: the editor takes the group's newest alerts as samples. */
export function ExceptionAction({ group }: { group: GroupRow }) {
  return <ExceptionButton origin={{ rule: group.fields.rule, group: group.key }} />;
}
