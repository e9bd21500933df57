import { describe, expect, it } from 'vitest';
import { lineDiff } from './line-diff';

describe('lineDiff', () => {
  it('keeps common lines and marks the rest', () => {
    expect(lineDiff('Be kind.\nNo spam.', 'Be kind.\nNo ads.\nStay on topic.')).toEqual([
      { op: 'same', text: 'Be kind.' },
      { op: 'remove', text: 'No spam.' },
      { op: 'add', text: 'No ads.' },
      { op: 'add', text: 'Stay on topic.' },
    ]);
  });

  it('handles empty texts on either side', () => {
    expect(lineDiff('', 'One')).toEqual([{ op: 'add', text: 'One' }]);
    expect(lineDiff('One', '')).toEqual([{ op: 'remove', text: 'One' }]);
    expect(lineDiff('', '')).toEqual([]);
  });
});
