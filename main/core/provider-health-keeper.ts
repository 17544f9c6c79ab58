/**
 * Keeps the provider's health (provider-health.ts) in the core: every subscribe answer goes
 * through here, and the state is saved with the settings, so a restart still shows a bad
 * AppCode until an answer proves otherwise.
 */
import type { SubscribeOutcome } from './kuaidi100/subscribe-client.js';
import { INITIAL_PROVIDER_HEALTH, nextProviderHealth, type ProviderHealth, type ProviderHealthState } from './provider-health.js';
import type { ShipmentStore } from './store/shipment-store.js';

export interface HealthChange {
  before: ProviderHealth;
  after: ProviderHealth;
}

export class ProviderHealthKeeper {
  readonly #store: ShipmentStore;

  constructor(store: ShipmentStore) {
    this.#store = store;
  }

  get state(): ProviderHealthState {
    return this.#store.settings.providerHealth ?? INITIAL_PROVIDER_HEALTH;
  }

  get health(): ProviderHealth {
    return this.state.health;
  }

  /** Feeds one answer; returns the change of readiness, or null when readiness did not change. */
  async observe(outcome: SubscribeOutcome, now: number): Promise<HealthChange | null> {
    const before = this.state;
    const after = nextProviderHealth(before, outcome, now);
    await this.#save(after);
    return before.health.ready === after.health.ready && JSON.stringify(before.health) === JSON.stringify(after.health)
      ? null
      : { before: before.health, after: after.health };
  }

  /** New credentials or another provider: what the old ones showed no longer says anything. */
  async reset(): Promise<void> {
    await this.#save(INITIAL_PROVIDER_HEALTH);
  }

  async #save(next: ProviderHealthState): Promise<void> {
    const settings = this.#store.settings;
    if (JSON.stringify(settings.providerHealth ?? INITIAL_PROVIDER_HEALTH) === JSON.stringify(next)) return;
    await this.#store.updateSettings({ ...settings, providerHealth: next });
  }
}
