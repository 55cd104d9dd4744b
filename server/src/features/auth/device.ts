import { createHmac } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { randomToken, sameToken } from '../../lib/crypto.js';

/**
 * The known-device cookie: set at each successful login, sent back only to `/api/auth`. It names a
 * random device id and a MAC over the account and that id, keyed with the account's password hash: no
 * server secret to configure or share between nodes, nobody without the hash can forge one, and a new
 * password forgets every device at once.
 */
export const deviceCookie = 'beckon_device';
const deviceCookieMaxAgeSeconds = 365 * 24 * 60 * 60;

export interface DeviceAccount {
  id: string;
  passwordHash: string;
}

const macOf = (account: DeviceAccount, deviceId: string) =>
  createHmac('sha256', account.passwordHash).update(`beckon-device:${account.id}:${deviceId}`).digest('base64url');

/** The device id of this request's cookie if the cookie was issued to `account`, else null. */
export function knownDeviceId(c: Context, account: DeviceAccount | null): string | null {
  const value = getCookie(c, deviceCookie);
  if (!account || !value || value.length > 200) return null;
  const [deviceId, mac, ...rest] = value.split('.');
  if (!deviceId || !mac || rest.length > 0) return null;
  return sameToken(mac, macOf(account, deviceId)) ? deviceId : null;
}

/** Remembers this browser as a device of `account` (keeping its id if it already was one). */
export function rememberDevice(c: Context, account: DeviceAccount, deviceId: string | null, secure: boolean): void {
  const id = deviceId ?? randomToken(16);
  setCookie(c, deviceCookie, `${id}.${macOf(account, id)}`, {
    httpOnly: true,
    sameSite: 'Strict',
    secure,
    path: '/api/auth',
    maxAge: deviceCookieMaxAgeSeconds,
  });
}
