import { afterEach, describe, expect, it, vi } from 'vitest';
import { meshDegreeFrom } from './mesh-degree';

describe('mesh degree setting', () => {
  afterEach(() => vi.restoreAllMocks());

  it('takes the URL over the stored setting, and 6 when neither is set', () => {
    expect(meshDegreeFrom('3', '8')).toBe(3);
    expect(meshDegreeFrom(null, '8')).toBe(8);
    expect(meshDegreeFrom(null, null)).toBe(6);
  });

  it('falls back to 6, with a warning, on anything but a whole number from 2 to 32', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    for (const bad of ['0', '1', '33', '2.5', '-3', 'six', '', '1e1']) {
      expect(meshDegreeFrom(bad, '8')).toBe(6);
    }
    expect(warn).toHaveBeenCalledTimes(8);
    expect(warn.mock.calls[0]![0]).toContain('whole number from 2 to 32');
  });
});
