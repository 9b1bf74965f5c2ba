// Perch's metrics live in registries of its own, never prom-client's global one, so a dev reload or a
// second bundle of these modules cannot register a metric twice.
import { collectDefaultMetrics, Registry } from 'prom-client';

/** The Prometheus text exposition format, version 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE: string = Registry.PROMETHEUS_CONTENT_TYPE;

const holder = globalThis as typeof globalThis & { __perchProcessRegistry?: Registry };

/** prom-client's process metrics (memory, heap, start time, …), registered once per process. */
export function processRegistry(): Registry {
  if (!holder.__perchProcessRegistry) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    holder.__perchProcessRegistry = registry;
  }
  return holder.__perchProcessRegistry;
}

/** The exposition text of these registries, one family after another with no blank line between. */
export async function renderRegistries(registries: readonly Registry[]): Promise<string> {
  const texts = await Promise.all(registries.map((registry) => registry.metrics()));
  return texts.map((text) => text.replace(/\n\n/g, '\n')).join('');
}
