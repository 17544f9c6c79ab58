/** The list's tabs: which state group a parcel is shown under. */
/** State groups of the parcel list's tabs. */
export type StateGroup = 'all' | 'transit' | 'delivering' | 'delivered' | 'exception';
export const STATE_GROUPS: readonly StateGroup[] = ['all', 'transit', 'delivering', 'delivered', 'exception'];
