import 'server-only';
// What app/ and lib/api ask of the alert store outside the read pool: one service, so neither
// opens the store itself (pages never call getDb).
import { getDb } from '../db/connection';
import { getEventOrThrow, healthReport } from '../db/event-queries';
import { assertSearchAnswerable } from '../db/event-search';
import { newestEventId } from '../db/live-queries';
import { NotFound } from '../errors';
import type { EventFilter } from '../filters/event-filter';
import type { HealthReport } from './types';

/** The newest alert id (0 when the store is empty). */
export function newestAlertId(): number {
  return newestEventId(getDb());
}

/** Throws InvalidQuery when the filter's free text has a prefix too broad to answer quickly. */
export function checkSearchAnswerable(filter: EventFilter): void {
  assertSearchAnswerable(getDb(), filter);
}

/** Opens the store (throwing when it cannot be opened); the report only when `detailed`. */
export function storeHealth(version: string, detailed: boolean): HealthReport | null {
  const db = getDb();
  return detailed ? healthReport(db, version) : null;
}

export function storeIsEmpty(): boolean {
  return healthReport(getDb(), '').events === 0;
}

/** The rule of one alert, or null when there is no such alert. */
export function alertRule(id: number): string | null {
  try {
    return getEventOrThrow(getDb(), id).rule;
  } catch (error) {
    if (error instanceof NotFound) return null;
    throw error;
  }
}
