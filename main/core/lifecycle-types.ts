/**
 * Shapes shared by the stored settings and journal (store/schema.ts) and the lifecycle rules
 * (lifecycle.ts); kept apart so that neither imports the other.
 */
export interface Outage {
  from: string;
  /** null while it lasts */
  to: string | null;
  reason: 'not-running' | 'tunnel-down';
}

export interface StaleThresholds {
  /** Hours without a push before a parcel 派件中 is in doubt. */
  deliveringHours: number;
  /** …for parcels in transit (and other states that are not final). */
  transitHours: number;
  /** …after subscribing, before any push arrived (the first usually comes within 4 h). */
  firstPushHours: number;
}
