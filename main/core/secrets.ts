/**
 * Where the AppCode and key live. The Electron shell supplies one backed by safeStorage; the
 * headless mode keeps them in a file only the current user may read (0600), and says so.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import type { SettingsDto } from '../../preload/contract.js';

export type SecretName = 'appCode' | 'key';

export interface SecretStore {
  readonly protection: SettingsDto['secretStorage'];
  get(name: SecretName): string | null;
  set(name: SecretName, value: string | null): void;
}

export class FileSecretStore implements SecretStore {
  readonly protection = 'file-0600' as const;
  readonly #path: string;
  #values: Partial<Record<SecretName, string>>;

  constructor(path: string) {
    this.#path = path;
    this.#values = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Partial<Record<SecretName, string>>) : {};
    if (existsSync(path) && process.platform !== 'win32') chmodSync(path, 0o600);
  }

  get(name: SecretName): string | null {
    return this.#values[name] ?? null;
  }

  set(name: SecretName, value: string | null): void {
    const next = { ...this.#values };
    if (value) next[name] = value;
    else delete next[name];
    const tmp = `${this.#path}.tmp`;
    writeFileSync(tmp, JSON.stringify(next), { mode: 0o600 });
    renameSync(tmp, this.#path);
    this.#values = next;
  }
}
