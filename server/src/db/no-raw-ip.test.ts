import { describe, expect, it } from 'vitest';
import { getTableColumns, getTableName, type Table } from 'drizzle-orm';
import * as schema from './schema.js';

/** Issue 6: raw IP addresses are never stored. A new column that could hold one must be a deliberate, truncated choice. */
describe('the schema keeps no IP address', () => {
  it('no table has an ip/address/user-agent column', () => {
    const offending: string[] = [];
    for (const value of Object.values(schema)) {
      let name: string;
      try {
        name = getTableName(value as Table);
      } catch {
        continue;
      }
      if (typeof name !== 'string') continue;
      for (const column of Object.values(getTableColumns(value as Table))) {
        if (/(^|_)(ip|ips|ip_address|remote_addr|address|user_agent)(_|$)/i.test(column.name))
          offending.push(`${name}.${column.name}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
