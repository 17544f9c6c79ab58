import { describe, expect, it } from 'vitest';
import { IPC_CHANNELS, type ApiMethod, type ParcelTrayApi, type Result } from '../../preload/contract.js';
import { registerIpc, type IpcEventLike } from '../../main/electron/ipc.js';

type Handler = (event: IpcEventLike, ...args: unknown[]) => unknown;

function setup(api: Partial<ParcelTrayApi>) {
  const handlers = new Map<string, Handler>();
  registerIpc({ handle: (ch, h) => void handlers.set(ch, h), removeHandler: (ch) => void handlers.delete(ch) }, api as ParcelTrayApi, (url) => url === 'app://ok');
  return (method: ApiMethod, url: string, ...args: unknown[]) =>
    handlers.get(IPC_CHANNELS.invoke(method))!({ senderFrame: { url } }, ...args) as Promise<Result<unknown>>;
}

describe('IPC errors', () => {
  it('every refusal and failure carries Chinese and English', async () => {
    const invoke = setup({
      getStatus: () => Promise.reject(new Error('disk on fire')),
      getSettings: () => Promise.resolve({ ok: true, value: null as never }),
    });
    const answers = [
      await invoke('getSettings', 'https://evil.example'),
      await invoke('getStatus', 'app://ok'),
      await invoke('getSettings', 'app://ok', 'unexpected'),
      await invoke('getShipment', 'app://ok'),
    ];
    expect(answers.map((a) => !a.ok && a.error.code)).toEqual(['unauthorized', 'internal', 'invalid', 'invalid']);
    for (const a of answers) {
      if (a.ok) throw new Error('expected an error');
      expect(a.error.message).toMatch(/[\u4e00-\u9fff]/);
      expect(a.error.messageEn).toMatch(/^[\x20-\x7e]+$/);
    }
  });
});
