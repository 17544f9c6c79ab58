/** Moves parcels that are done with (delivered or ended long ago) from the active store into the monthly archive. */
import type { ChangeBus } from './change-bus.js';
import { archiveDue } from './store/archive.js';
import type { CoreDeps } from './tracker-deps.js';

/** Returns how many moved. */
export async function archiveDone(deps: CoreDeps, bus: ChangeBus): Promise<number> {
  const { archive, store } = deps;
  if (!archive) return 0;
  const now = deps.clock.now();
  const due = store.list().filter((r) => archiveDue(r, now, store.settings.archiveAfterDays));
  // A parcel that rejoined the hot store may still be in the archive (a crash before it was
  // taken out): the hot copy is the newer one, so the archived copy goes. Only when the archive
  // is open anyway: opening its index just for this would cost every start tens of MB.
  if (due.length || archive.opened) {
    for (const id of await archive.alsoIn((id) => store.get(id) !== undefined)) await archive.take(id);
  }
  if (!due.length) return 0;
  await archive.add(due);
  // Only what the archive now holds as it is: a parcel changed while it was written (a push, a
  // note) stays here, newer than its archived copy, which the next pass takes out (above).
  const moved = due.filter((r) => store.get(r.id) === r);
  await store.drop(moved.map((r) => r.id));
  for (const r of moved) if (!r.removedAt) bus.emit({ type: 'shipment-removed', id: r.id });
  bus.status();
  return moved.length;
}
