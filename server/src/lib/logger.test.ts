import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

describe('createLogger', () => {
  it('computes a field given as a function only for a line it writes', () => {
    const lines: string[] = [];
    let computed = 0;
    const ip = () => {
      computed++;
      return 'hashed';
    };
    const logger = createLogger('warn', (line) => lines.push(line));
    logger.info('request', { ip });
    expect(computed).toBe(0);
    expect(lines).toEqual([]);
    logger.warn('refused', { ip });
    expect(computed).toBe(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'warn', msg: 'refused', ip: 'hashed' });
  });
});
