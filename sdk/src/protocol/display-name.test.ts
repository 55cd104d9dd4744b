import { describe, expect, it } from 'vitest';
import { displayName, visitorLabel, visitorLabelCode } from './display-name.js';

describe('visitorLabelCode', () => {
  it('reads the code back from every label visitorLabel makes', () => {
    for (const id of ['visitor_e9b7xYz', 'visitor_a', 'abcd1234-0000', '']) {
      const label = visitorLabel(id);
      expect(visitorLabelCode(label)).toBe(label.slice('Visitor '.length));
      expect(visitorLabelCode(displayName({}, id))).toMatch(/^[2-9A-HJ-NP-Z]{4}$/);
    }
  });

  it('takes no other name for a label', () => {
    for (const name of [
      'Ann',
      'ann@example.com',
      '+4930123456',
      'Visitor',
      'Visitor 7F3',
      'Visitor 7F3KX',
      'visitor 7F3K',
      'Visitor 7f3k',
      'Visitor 0O1I', // letters the label alphabet leaves out
      ' Visitor 7F3K',
      'Visitor 7F3K ',
      'Posetitel 7F3K',
    ])
      expect(visitorLabelCode(name), name).toBeNull();
  });
});
