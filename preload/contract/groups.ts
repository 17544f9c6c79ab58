/** The list's tabs: which state group a parcel is shown under. */
/** State groups of the parcel list's tabs. */
/** 'todo' (待处理): what the seller must act on (needs a phone, subscription failed, carrier unknown,
 * tracking aborted, no pickup in time); 'exception' (异常) is the parcel's own trouble only. */
export type StateGroup = 'all' | 'todo' | 'transit' | 'delivering' | 'delivered' | 'exception';
export const STATE_GROUPS: readonly StateGroup[] = ['all', 'todo', 'transit', 'delivering', 'delivered', 'exception'];

/** Why a parcel is under 待处理 (most pressing first when several apply). */
export type TodoReason = 'needs-phone' | 'carrier-unknown' | 'subscription-failed' | 'aborted' | 'pickup-late';
export const TODO_REASONS: readonly TodoReason[] = ['needs-phone', 'carrier-unknown', 'subscription-failed', 'aborted', 'pickup-late'];

/** Orders of the list: latest update, added, state, days on the way. */
export type SortKey = 'updated' | 'added' | 'state' | 'days';
export const SORT_KEYS: readonly SortKey[] = ['updated', 'added', 'state', 'days'];
export type SortDir = 'asc' | 'desc';
