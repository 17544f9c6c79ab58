/**
 * Builds the ChannelService on the core's own storage: the channel list in the settings
 * document, the secrets in the SecretStore beside the AppCode, and the outbox in a file of its
 * own (outbox.json in the data dir).
 *
 * Why its own file and not the store's write-ahead log: the outbox is saved after every
 * delivery attempt (a retry every 30 s while a robot is down, 20 sends a minute in a burst).
 * In the log each of those would be one more fsynced append in the queue the pushes wait on,
 * and the snapshot would carry it. A separate DurableJSONFile (temp file, fsync, rename; saves
 * that arrive during a write share the next one) is as durable and leaves a push's path alone.
 */
import { join } from 'node:path';
import type { ChannelDto } from '../../../preload/channel-dtos.js';
import type { Clock } from '../clock.js';
import { isSecretName, type SecretStore } from '../secrets.js';
import { DurableJSONFile, previousOf } from '../store/durable-json-file.js';
import { nodeFs, type FsPort } from '../store/fs-port.js';
import { DAMAGED_DIR, type RecoveryIssue } from '../store/recovery-report.js';
import type { ShipmentStore } from '../store/shipment-store.js';
import { ChannelService } from './channel-service.js';
import type { OutboxState } from './outbox.js';
import { logFor } from '../log.js';

const log = logFor('channels');

export const OUTBOX_FILE = 'outbox.json';

export interface ChannelWiringOptions {
  dataDir: string;
  store: ShipmentStore;
  secrets: SecretStore;
  clock?: Clock;
  fs?: FsPort;
  allowedHosts?: readonly string[];
  /** Where a damaged outbox is reported (the store's recovery report, shown by the shells). */
  issues: RecoveryIssue[];
  /** The list changed or a delivery was attempted: announce it to the window. */
  changed(list: ChannelDto[]): void;
}

/**
 * Reads what the outbox held. A damaged file (torn by the disk, edited by hand) is moved to
 * damaged/ and reported, and the previous save (`.prev`, kept by every write) is used: at
 * worst the last attempt's bookkeeping is lost, not the messages queued before it.
 */
async function readOutbox(file: DurableJSONFile<OutboxState>, o: ChannelWiringOptions, fs: FsPort): Promise<OutboxState | null> {
  try {
    return await file.read();
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    const dir = join(o.dataDir, DAMAGED_DIR);
    const aside = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${OUTBOX_FILE}`);
    await fs.mkdir(dir);
    await fs.rename(file.filename, aside);
    let previous: OutboxState | null = null;
    try {
      previous = await new DurableJSONFile<OutboxState>(previousOf(file.filename), { fs }).read();
    } catch {
      previous = null;
    }
    o.issues.push({
      file: file.filename,
      line: null,
      reason: `转发队列文件已损坏，已移至 ${aside}；${previous ? '已改用上一次保存的队列' : '等待发送的群消息已丢失'}`,
      reasonEn: `the forwarding queue was damaged; moved to ${aside}. ${previous ? 'The previous save is used instead' : 'Messages waiting to be sent were lost'}`,
    });
    log.error(`${file.filename}: ${o.issues.at(-1)!.reasonEn}`);
    return previous;
  }
}

export async function openChannelService(o: ChannelWiringOptions): Promise<ChannelService> {
  const fs = o.fs ?? nodeFs;
  const file = new DurableJSONFile<OutboxState>(join(o.dataDir, OUTBOX_FILE), { fs, keepPrevious: true });
  const saved = await readOutbox(file, o, fs);
  let service: ChannelService | null = null;
  service = new ChannelService({
    config: {
      load: () => structuredClone(o.store.settings.channels),
      save: async (channels) => {
        await o.store.updateSettings({ ...o.store.settings, channels });
      },
    },
    secrets: {
      get: (name) => (isSecretName(name) ? o.secrets.get(name) : null),
      set: (name, value) => {
        if (!isSecretName(name)) throw new Error(`not a channel secret name: ${name}`);
        o.secrets.set(name, value);
      },
    },
    outbox: { load: () => saved, save: (state) => file.write(state) },
    settings: () => ({ notify: o.store.settings.notify, language: o.store.settings.language }),
    clock: o.clock,
    validation: { allowedHosts: o.allowedHosts ?? [] },
    // The outbox may report while the constructor is still starting it: nothing to tell yet.
    changed: () => {
      if (service) o.changed(service.list());
    },
  });
  return service;
}
