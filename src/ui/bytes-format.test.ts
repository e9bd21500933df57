import { describe, expect, it } from 'vitest';
import { formatBytes } from './bytes-format';

describe('formatBytes', () => {
  it('reads like a file manager', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(3_400)).toBe('3.4 KB');
    expect(formatBytes(12_300_000)).toBe('12 MB');
    expect(formatBytes(2e12)).toBe('2.0 TB');
  });
});
