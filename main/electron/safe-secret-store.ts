/**
 * AppCode and key encrypted with Electron's safeStorage (Keychain, DPAPI, libsecret/kwallet).
 * On Linux without a keyring safeStorage falls back to `basic_text`, a hard-coded key: we
 * say so (secretStorage: 'basic-text') instead of pretending.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { SafeStorage } from 'electron';
import type { SecretName, SecretStore } from '../core/secrets.js';

export class SafeStorageSecretStore implements SecretStore {
  readonly protection: SecretStore['protection'];
  readonly #path: string;
  readonly #safe: SafeStorage;
  #values: Partial<Record<SecretName, string>>;

  constructor(safe: SafeStorage, path: string) {
    this.#safe = safe;
    this.#path = path;
    const available = safe.isEncryptionAvailable();
    const backend = process.platform === 'linux' && available ? safe.getSelectedStorageBackend() : null;
    this.protection = !available || backend === 'basic_text' ? 'basic-text' : 'os-encrypted';
    this.#values = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Partial<Record<SecretName, string>>) : {};
  }

  get(name: SecretName): string | null {
    const stored = this.#values[name];
    if (!stored) return null;
    try {
      return this.#safe.decryptString(Buffer.from(stored, 'base64'));
    } catch {
      // Encrypted under another OS user or keyring: ask the seller again rather than crash.
      return null;
    }
  }

  set(name: SecretName, value: string | null): void {
    const next = { ...this.#values };
    if (value) next[name] = this.#safe.encryptString(value).toString('base64');
    else delete next[name];
    writeFileSync(`${this.#path}.tmp`, JSON.stringify(next), { mode: 0o600 });
    renameSync(`${this.#path}.tmp`, this.#path);
    this.#values = next;
  }
}
