import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config';

describe('PERCH_MAX_PENDING and PERCH_MAX_STORE_SIZE', () => {
  it('default to 10,000 waiting alerts and no store cap', () => {
    const config = readConfig({});
    expect(config.maxPendingAlerts).toBe(10_000);
    expect(config.maxStoreBytes).toBeNull();
  });

  it('read a count and a size', () => {
    const config = readConfig({ PERCH_MAX_PENDING: '50', PERCH_MAX_STORE_SIZE: '2gb' });
    expect(config.maxPendingAlerts).toBe(50);
    expect(config.maxStoreBytes).toBe(2 * 1024 ** 3);
  });

  it('name the setting when its value is unusable', () => {
    for (const [name, value] of [
      ['PERCH_MAX_PENDING', '0'],
      ['PERCH_MAX_PENDING', 'lots'],
      ['PERCH_MAX_PENDING', '1.5'],
      ['PERCH_MAX_STORE_SIZE', 'big'],
      ['PERCH_MAX_STORE_SIZE', '1kb'],
    ] as const) {
      expect(() => readConfig({ [name]: value }), `${name}=${value}`).toThrow(ConfigError);
      expect(() => readConfig({ [name]: value }), `${name}=${value}`).toThrow(name);
    }
  });
});
