// The bounds of an alert's related alerts (GET /api/events/:id/related), shared by the query that
// finds them (lib/db/related.ts) and the alert page that says what they cover.

/** Alerts per list, at most. */
export const RELATED_LIMIT = 20;

/**
 * How many of the same rule's alerts nearest in time, on each side, "same rule elsewhere" looks
 * among: a rule raised often in one place and never elsewhere would otherwise be read whole, each
 * way (docs/decisions/0029).
 */
export const RELATED_RULE_CANDIDATES = 10_000;
