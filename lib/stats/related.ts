// The bounds of an alert's related alerts (GET /api/events/:id/related), shared by the query that
// finds them (lib/db/related.ts) and the alert page that says what they cover.

/** Alerts per list, at most. */
export const RELATED_LIMIT = 20;

/**
 * How many of the alerts of the same rule nearest in time, on each side, "same rule elsewhere"
 * looks among. A rule raised a million times in one place and never elsewhere (the Kubernetes
 * audit log's rules come from one host) would otherwise be read whole, each way: 1.1 s warm and
 * up to half a minute cold at ten million alerts. Along the rule's time index these take 10–40 ms.
 */
export const RELATED_RULE_CANDIDATES = 10_000;
