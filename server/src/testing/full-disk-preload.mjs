// Loaded with `node --import` by lifecycle.test.ts into a server process: while the file named by
// BECKON_TEST_FULL_DISK_FLAG exists, every file write fails with ENOSPC, as on a full disk. Embedded
// PostgreSQL writes its files through Node's `fs.writeSync`.
import fs from 'node:fs';

const flag = process.env.BECKON_TEST_FULL_DISK_FLAG;
const writeSync = fs.writeSync;
fs.writeSync = function (...args) {
  if (flag && fs.existsSync(flag))
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 });
  return writeSync.apply(this, args);
};
