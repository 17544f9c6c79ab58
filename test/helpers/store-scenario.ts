/**
 * Shared steps of the durability tests: a core on a data folder, signed pushes that create
 * shipments, and what must hold after any fault: every acknowledged push is on disk and the
 * callback URL (secret and salt) is unchanged.
 */
import { cpSync } from 'node:fs';
import { expect } from 'vitest';
import { startCore, type Core, type CoreOptions } from '../../main/core/app.js';
import { MemorySecretStore } from './memory-secrets.js';
import { openOnDisk } from './disk.js';
import { item, makePush, postPush } from './push.js';

export interface Identity {
  callbackSecret: string;
  salt: string;
  installId: string;
  path: string;
}

export const identityOf = (core: Core): Identity => ({
  callbackSecret: core.store.settings.callbackSecret,
  salt: core.store.settings.salt,
  installId: core.store.settings.installId,
  path: new URL(core.callbackServer.localUrl).pathname,
});

export function startOn(dataDir: string, options: Partial<CoreOptions> = {}): Promise<Core> {
  return startCore({ secrets: new MemorySecretStore(), sandbox: { stepMs: 1e9 }, ...options, dataDir });
}

/** A signed push that creates (or updates) the shipment `number`; returns the HTTP status. */
export async function push(core: Core, number: string, context = `到达 ${number}`, bytes = 0): Promise<number> {
  const text = bytes ? `${context} ${'长'.repeat(Math.ceil(bytes / 3))}` : context;
  const res = await postPush(core.callbackServer.localUrl, makePush(number, 'yuantong', '0', [item('2026-06-01 10:00:00', text)]), core.store.settings.salt);
  return res.status;
}

/** The data folder as a crash would leave it now (nothing closed, nothing snapshotted). */
export function crashImage(from: string, to: string): void {
  cpSync(from, to, { recursive: true });
}

/** Opens what is on disk and checks every acknowledged number is there and the identity kept. */
export async function expectNothingLost(dataDir: string, acked: Iterable<string>, identity: Omit<Identity, 'path'>): Promise<void> {
  const store = await openOnDisk(dataDir);
  const numbers = new Set(store.list().map((r) => r.number));
  expect([...acked].filter((n) => !numbers.has(n))).toEqual([]);
  expect({ callbackSecret: store.settings.callbackSecret, salt: store.settings.salt, installId: store.settings.installId }).toEqual({
    callbackSecret: identity.callbackSecret,
    salt: identity.salt,
    installId: identity.installId,
  });
}
