import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { openDatabase, rowsOf } from './client.js';
import { postgresTarget } from './postgres-url.js';

describe('postgresTarget', () => {
  it('leaves a TCP URL as it is', () => {
    for (const url of [
      'postgres://postgres@127.0.0.1:5432/beckon',
      'postgresql://u:p@db.example.test/beckon?sslmode=require',
      // Not a directory: a host name given as a parameter is left to the driver.
      'postgres://u@localhost/beckon?host=db.internal',
    ])
      expect(postgresTarget(url)).toEqual({ url });
  });

  it('turns a host parameter that is a directory into the socket path, libpq-style', () => {
    expect(postgresTarget('postgresql:///beckon?host=/var/run/postgresql')).toEqual({
      url: 'postgresql:///beckon',
      path: '/var/run/postgresql/.s.PGSQL.5432',
    });
    expect(postgresTarget('postgres://beckon:secret@localhost:5433/beckon?host=%2Ftmp%2F&sslmode=disable')).toEqual({
      url: 'postgres://beckon:secret@localhost:5433/beckon?sslmode=disable',
      path: '/tmp/.s.PGSQL.5433',
    });
    // The port may come as a parameter too; neither parameter reaches the server as a setting.
    expect(postgresTarget('postgres://u@/beckon?port=6543&host=/run/pg')).toEqual({
      url: 'postgres://u@/beckon',
      path: '/run/pg/.s.PGSQL.6543',
    });
  });
});

// CI's PostgreSQL listens on its Unix socket too; elsewhere this needs TEST_DATABASE_URL and the socket.
const socketDir = '/var/run/postgresql';
const adminUrl = process.env.TEST_DATABASE_URL;
describe.skipIf(!adminUrl || !existsSync(`${socketDir}/.s.PGSQL.5432`))('a DATABASE_URL naming a Unix socket', () => {
  it('opens, migrates and queries PostgreSQL over the socket', async () => {
    const admin = postgres(adminUrl!, { max: 1, onnotice: () => {} });
    const name = `beckon_test_socket_${randomBytes(6).toString('hex')}`;
    await admin.unsafe(`create database ${name}`);
    const database = await openDatabase({
      kind: 'postgres',
      url: `postgresql://${new URL(adminUrl!).username}@localhost/${name}?host=${socketDir}`,
      maxConnections: 2,
    }).catch(async (error: unknown) => {
      await admin.unsafe(`drop database ${name}`);
      await admin.end();
      throw error;
    });
    try {
      const [row] = rowsOf<{ tcp: boolean }>(
        await database.db.execute(sql`select inet_client_addr() is not null as tcp`),
      );
      // No client address: the session came over the socket, not TCP.
      expect(row).toEqual({ tcp: false });
      await database.ping();
    } finally {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
