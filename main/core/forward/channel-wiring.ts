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
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { ChannelDto } from '../../../preload/channel-dtos.js';
import type { Clock } from '../clock.js';
import { isSecretName, type SecretStore } from '../secrets.js';
import { DurableJSONFile } from '../store/durable-json-file.js';
import type { ShipmentStore } from '../store/shipment-store.js';
import { ChannelService } from './channel-service.js';
import type { OutboxState } from './outbox.js';

export const OUTBOX_FILE = 'outbox.json';

export interface ChannelWiringOptions {
  dataDir: string;
  store: ShipmentStore;
  secrets: SecretStore;
  clock?: Clock;
  allowedHosts?: readonly string[];
  /** The list changed or a delivery was attempted: announce it to the window. */
  changed(list: ChannelDto[]): void;
}

/** Reads what the outbox held; a file that is not JSON is kept aside (its messages are lost, the app starts). */
async function readOutbox(file: DurableJSONFile<OutboxState>): Promise<OutboxState | null> {
  try {
    return await file.read();
  } catch (e) {
    if (!(e instanceof SyntaxError) || !existsSync(file.filename)) throw e;
    const aside = `${file.filename}.corrupt-${Date.now()}`;
    renameSync(file.filename, aside);
    console.error(`ParcelTray: outbox.json was not valid JSON; kept it as ${aside}.`);
    return null;
  }
}

export async function openChannelService(o: ChannelWiringOptions): Promise<ChannelService> {
  const file = new DurableJSONFile<OutboxState>(join(o.dataDir, OUTBOX_FILE));
  const saved = await readOutbox(file);
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
