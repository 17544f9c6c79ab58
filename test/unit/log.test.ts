import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addSecret, logFor, redact, redactText, startLogFile, stopLogFile } from '../../main/core/log.js';
import { tempDir } from '../helpers/core.js';

const dirs: { remove(): void }[] = [];
afterEach(() => {
  stopLogFile();
  for (const d of dirs.splice(0)) d.remove();
});

describe('log', () => {
  it('writes scoped lines to DATADIR/logs/parceltray.log', () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = startLogFile(dir.path);
    expect(file).toBe(join(dir.path, 'logs', 'parceltray.log'));
    logFor('tracker').info('subscribed', 'YT123');
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/\(tracker\)\s*subscribed YT123/);
  });

  it('never writes a registered secret or a secret-looking field', () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = startLogFile(dir.path);
    const appCode = 'APPCODE-0f3a9c2e7b';
    addSecret(appCode, 'salt-value-xyz', 'cbsecret123456');
    const log = logFor('test');
    log.error('subscribe failed with', appCode, new Error(`request to /callback/cbsecret123456 failed`));
    log.warn({ key: 'kuaidi-key-998877', nested: { webhookKey: 'hook-abc-123456', salt: 'plain' }, fine: 'visible' });
    log.info('param=1&key=abcdef12345&sign=ABCDEF0123&customer=x');
    const text = readFileSync(file, 'utf8');
    for (const secret of [appCode, 'salt-value-xyz', 'cbsecret123456', 'kuaidi-key-998877', 'hook-abc-123456', 'abcdef12345', 'ABCDEF0123']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('visible');
    expect(text).toContain('customer=x');
    expect(text).toContain('[redacted]');
  });

  it('redact leaves the original object alone', () => {
    const original = { appCode: 'secret-app-code', n: 1 };
    expect(redact(original)).toEqual({ appCode: '[redacted]', n: 1 });
    expect(original.appCode).toBe('secret-app-code');
    expect(redactText('https://x.test/callback/AbC123_-x?nonce=1')).toBe('https://x.test/callback/[redacted]?nonce=1');
  });

  it('rotates by size and keeps a bounded number of files', () => {
    const dir = tempDir();
    dirs.push(dir);
    startLogFile(dir.path, { maxBytes: 2000, keep: 3 });
    const log = logFor('bulk');
    for (let i = 0; i < 200; i++) log.info(`line ${i} ${'x'.repeat(80)}`);
    const files = readdirSync(join(dir.path, 'logs')).sort();
    expect(files).toEqual(['parceltray.1.log', 'parceltray.2.log', 'parceltray.log']);
    for (const f of files) expect(readFileSync(join(dir.path, 'logs', f), 'utf8').length).toBeLessThan(2000 + 200);
    expect(readFileSync(join(dir.path, 'logs', 'parceltray.log'), 'utf8')).toContain('line 199');
  });
});
