/**
 * Opening the store from its files, keeping everything that is intact: the snapshot (or, if it
 * is unusable, the previous one), then the log replayed over it; settings from the snapshot's
 * head, else the separate settings file, else the previous snapshot, and the log on top. Every
 * damaged file is copied to damaged/ before anything is rewritten, and every skipped line is
 * reported. Settings that cannot be found at all stop the start (StoreUnrecoverableError):
 * new ones would change the callback URL of every waybill already subscribed.
 */
import { basename, join } from 'node:path';
import type { Settings } from './schema.js';
import { isMissing, type FsPort } from './fs-port.js';
import { identityFlaw } from './record-check.js';
import { DAMAGED_DIR, keepDamagedCopy, StoreUnrecoverableError, type RecoveryIssue, type RecoveryReport } from './recovery-report.js';
import { readSnapshot, type SnapshotRead } from './snapshot-reader.js';
import type { SnapshotSource } from './snapshot-source.js';
import type { WriteAheadLog } from './write-ahead-log.js';
import type { DbShape } from './schema.js';
import type { StoreOp } from './shipment-store.js';
import { previousOf } from './durable-json-file.js';
import { logFor } from '../log.js';

const log = logFor('store');

export interface Recovered {
  data: DbShape;
  report: RecoveryReport;
  /** Segments up to this one may be deleted once a new snapshot is durable (the file that becomes .prev covers them). */
  prevCovers: number;
  /** Nothing was on disk: a new install. */
  fresh: boolean;
  /** The snapshot or settings had to be mended: write a clean snapshot now. */
  rewrite: boolean;
  /** The settings file is missing, damaged or older than the settings: write it. */
  settingsFileStale: boolean;
  /** The snapshot files the records read their histories from (the store closes them). */
  sources: SnapshotSource[];
}

type StoredSettings = Record<string, unknown>;

async function readSettingsFile(fs: FsPort, file: string, issues: RecoveryIssue[]): Promise<{ exists: boolean; settings: StoredSettings | null }> {
  let text: string;
  try {
    // A byte-order mark (a hand edit in Notepad) is not damage.
    text = (await fs.readFile(file)).toString('utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    if (isMissing(e)) return { exists: false, settings: null };
    throw e;
  }
  let v: unknown;
  try {
    v = JSON.parse(text) as unknown;
  } catch {
    issues.push({ file, line: null, reason: text.trim() ? '文件不是有效的 JSON' : '文件是空的', reasonEn: text.trim() ? 'the file is not valid JSON' : 'the file is empty' });
    return { exists: true, settings: null };
  }
  const flaw = identityFlaw(v);
  if (flaw) {
    issues.push({ file, line: null, reason: flaw.reason, reasonEn: flaw.reasonEn });
    return { exists: true, settings: null };
  }
  return { exists: true, settings: v as StoredSettings };
}

export async function recover(
  fs: FsPort,
  dataDir: string,
  snapshotFile: string,
  settingsFile: string,
  wal: WriteAheadLog<StoreOp>,
  defaults: () => DbShape,
  mergeSettings: (defaults: Settings, stored: Partial<Settings> | undefined) => Settings,
): Promise<Recovered> {
  const issues: RecoveryIssue[] = [];
  const damagedCopies: string[] = [];
  const prevFile = previousOf(snapshotFile);
  const main = await readSnapshot(snapshotFile);
  issues.push(...main.issues);
  let prev: SnapshotRead | null = null;
  const readPrev = async (): Promise<SnapshotRead> => (prev ??= await readSnapshot(prevFile));

  let base = main;
  let prevCovers = main.walSeq;
  const setMainAside = async (): Promise<void> => {
    if (!main.exists || !main.issues.length) return;
    if (main.unusable || base !== main) {
      // Moved, not copied: the good .prev must not be replaced by this file at the next snapshot.
      const aside = join(dataDir, DAMAGED_DIR, `${new Date().toISOString().replace(/[:.]/g, '-')}-${basename(snapshotFile)}`);
      try {
        await fs.mkdir(join(dataDir, DAMAGED_DIR));
        await fs.rename(snapshotFile, aside);
        damagedCopies.push(aside);
      } catch (e) {
        log.error(`could not move the damaged ${snapshotFile} aside:`, e);
      }
    } else {
      const copy = await keepDamagedCopy(fs, dataDir, snapshotFile);
      if (copy) damagedCopies.push(copy);
    }
  };
  if (!main.exists || main.unusable) {
    const p = await readPrev();
    if (p.exists && !p.unusable) {
      base = p;
      prevCovers = p.walSeq;
      issues.push(...p.issues);
      if (main.exists) {
        issues.push({ file: prevFile, line: null, reason: '已改用上一份快照', reasonEn: 'the previous snapshot was used instead' });
      }
    }
  }

  const oldest = await wal.oldest();
  if (base.walSeq > 0 && oldest !== null && oldest > base.walSeq + 1) {
    issues.push({
      file: wal.path(base.walSeq + 1),
      line: null,
      reason: '快照之后的部分日志已不存在，这期间的更改可能丢失',
      reasonEn: 'part of the log after the snapshot is gone; changes made in that time may be lost',
    });
  }
  // A damaged (but readable) snapshot with a sound .prev: the .prev and the log after it hold
  // every change (segments after the .prev are only deleted once a newer snapshot becomes the
  // .prev), so the lines lost in the damaged file come back; what the damaged file still holds
  // is merged in, in case the log was cut short by hand.
  let salvage: SnapshotRead | null = null;
  if (base === main && main.exists && main.issues.length > 0) {
    const p = await readPrev();
    if (p.exists && !p.unusable && p.issues.length === 0 && (main.walSeq === 0 || p.walSeq <= main.walSeq)) {
      salvage = main;
      base = p;
      prevCovers = p.walSeq;
      issues.push({ file: snapshotFile, line: null, reason: '已用上一份快照和日志补回受损的记录', reasonEn: 'the previous snapshot and the log were used to restore the damaged records' });
    }
  }
  const replay = await wal.replay(base.walSeq);
  issues.push(...replay.issues);
  damagedCopies.push(...replay.damagedCopies);

  const settingsRead = await readSettingsFile(fs, settingsFile, issues);
  if (settingsRead.exists && !settingsRead.settings) {
    const copy = await keepDamagedCopy(fs, dataDir, settingsFile);
    if (copy) damagedCopies.push(copy);
  }
  let settingsFrom: RecoveryReport['settingsFrom'] = 'snapshot';
  // The damaged file's own head, when sound, is newer than the .prev's.
  // Salvaging, the damaged file's own head is the newest copy, then the settings file (written
  // at every change), and only then the .prev's.
  let stored: StoredSettings | null = salvage ? salvage.settings : base.settings;
  if (base !== main && !salvage && stored) settingsFrom = 'previous-snapshot';
  if (!stored && settingsRead.settings) {
    stored = settingsRead.settings;
    settingsFrom = 'settings-file';
  }
  if (!stored) {
    const p = await readPrev();
    if (p.settings) {
      stored = p.settings;
      settingsFrom = 'previous-snapshot';
    }
  }
  const lastSettingsOp = replay.ops.filter((op): op is Extract<StoreOp, { op: 'settings' }> => op.op === 'settings').at(-1);
  if (!stored && lastSettingsOp) settingsFrom = 'log';

  const anything = main.exists || (prev as SnapshotRead | null)?.exists === true || settingsRead.exists || oldest !== null || (await fs.stat(prevFile)) !== null;
  const fresh = !anything;
  const initial = defaults();
  if (!stored && !lastSettingsOp) {
    if (!fresh) {
      const reason = main.exists ? '快照中的设置已损坏，且没有可用的设置文件或上一份快照' : '快照不存在，且没有可用的设置文件或上一份快照';
      const reasonEn = main.exists
        ? 'the settings in the snapshot are damaged and there is no usable settings file or previous snapshot'
        : 'the snapshot is missing and there is no usable settings file or previous snapshot';
      throw new StoreUnrecoverableError(snapshotFile, dataDir, reasonEn, reason);
    }
    settingsFrom = 'new';
  }
  // Only now, with the settings known, is anything moved or rewritten.
  await setMainAside();

  const data = assemble({ ...base, settings: (stored ?? undefined) as Partial<Settings> | undefined }, replay.ops, initial.settings, mergeSettings);
  const dropped = new Set(replay.ops.flatMap((op) => (op.op === 'drop' ? op.ids : [])));
  if (salvage) {
    for (const [id, rec] of Object.entries(salvage.shipments)) {
      const have = data.shipments[id];
      if (have ? rec.updatedAt > have.updatedAt : !dropped.has(id)) data.shipments[id] = rec;
    }
    if (!replay.ops.some((op) => op.op === 'journal') && salvage.journal) data.journal = salvage.journal;
  }
  // A record whose history is lost and that neither .prev nor the log has: the record itself
  // (number, carrier, order, note, state) is worth keeping, and the next push brings the scans.
  for (const [id, rec] of Object.entries(main.withoutHistory)) {
    if (data.shipments[id] || dropped.has(id)) continue;
    data.shipments[id] = rec;
    issues.push({
      file: snapshotFile,
      line: null,
      reason: `记录 ${id} 的物流记录无法找回，已保留记录本身（快递100 下次推送会带回完整物流记录）`,
      reasonEn: `the scan history of record ${id} could not be recovered; the record itself was kept (Kuaidi100's next push brings the whole history again)`,
    });
  }

  const snapshotDamaged = main.issues.length > 0 || base !== main;
  const sources = [main.source, (prev as SnapshotRead | null)?.source ?? null].filter((x): x is SnapshotSource => x !== null);
  const settingsFileStale =
    !settingsRead.settings || JSON.stringify(settingsRead.settings) !== JSON.stringify(data.settings);
  return {
    data,
    report: { issues, damagedCopies, settingsFrom },
    prevCovers,
    fresh,
    rewrite: snapshotDamaged && !fresh,
    settingsFileStale,
    sources,
  };
}

/**
 * The document from what a snapshot holds and the log after it: the stored settings over the
 * defaults, the ops in order, then settings from the log over the defaults too (a line written
 * by an older version lacks the fields added since).
 */
export function assemble(
  base: { walSeq: number; shipments: DbShape['shipments']; settings: Partial<Settings> | undefined; journal: DbShape['journal'] | null | undefined },
  ops: readonly StoreOp[],
  defaults: Settings,
  mergeSettings: (defaults: Settings, stored: Partial<Settings> | undefined) => Settings,
): DbShape {
  const data: DbShape = {
    version: 1,
    walSeq: base.walSeq,
    shipments: base.shipments,
    settings: mergeSettings(defaults, base.settings),
    journal: base.journal ?? [],
  };
  for (const op of ops) applyOp(data, op);
  if (ops.some((op) => op.op === 'settings')) data.settings = mergeSettings(defaults, data.settings);
  return data;
}

function applyOp(data: DbShape, op: StoreOp): void {
  switch (op.op) {
    case 'put':
      data.shipments[op.rec.id] = op.rec;
      return;
    case 'drop':
      for (const id of op.ids) delete data.shipments[id];
      return;
    case 'settings':
      data.settings = op.settings;
      return;
    case 'journal':
      data.journal = op.journal;
      return;
  }
}
