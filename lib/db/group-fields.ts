import 'server-only';
// A group's key fields, read from the newest alert of its newest atom (migration 0017).
import type { Grouping, GroupKeyFields } from '../triage/groupings';
import type { Db } from './connection';
import { chainNames, keyColumn } from './group-atoms';
import { prepared } from './statements';

interface SampleRow {
  key: string;
  rule: string;
  image_repository: string | null;
  hostname: string | null;
  process_chain: string | null;
  user_name: string | null;
  k8s_ns: string | null;
}

/** The key fields of a group from one of its alerts' columns, as its grouping names them. */
export function keyFieldsOf(grouping: Grouping, row: Omit<SampleRow, 'key'>): GroupKeyFields {
  const fields: GroupKeyFields = { rule: row.rule };
  for (const part of grouping.parts) {
    if (part === 'place') {
      if (row.image_repository !== null) fields.image = row.image_repository;
      else fields.host = row.hostname;
    } else if (part === 'chain') fields.chain = chainNames(row.process_chain);
    else if (part === 'user') fields.user = row.user_name;
    else if (part === 'namespace') fields.namespace = row.k8s_ns;
  }
  return fields;
}

/** Each stored group's key fields, by its key in hex; groups without atoms left are missing. */
export function groupKeyFields(db: Db, grouping: Grouping, hexKeys: readonly string[]): Map<string, GroupKeyFields> {
  if (hexKeys.length === 0) return new Map();
  const column = keyColumn(grouping);
  const rows = prepared<SampleRow>(
    db,
    `SELECT k.value AS key, e.rule, e.image_repository, e.hostname, e.process_chain, e.user_name, e.k8s_ns
     FROM json_each(@keys) k
     JOIN events e ON e.id = (SELECT a.sample_id FROM group_atoms a WHERE a.${column} = unhex(k.value) ORDER BY a.last_ns DESC LIMIT 1)`,
  ).all({ keys: JSON.stringify(hexKeys) });
  return new Map(rows.map((row) => [row.key, keyFieldsOf(grouping, row)]));
}
