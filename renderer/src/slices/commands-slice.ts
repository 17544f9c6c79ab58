/** What the seller asks the core to do: add (one or a batch), resubscribe, remove, settings, repair. */
import type {
  CarrierDto, CarrierQuery, ExportFileDto, ExportFormat, ImportCommitDto, ImportCommitOptions, ImportFileInput, ImportMappingDto, ImportPreviewDto,
  NewShipmentInput, RepairPlanDto, Result, SettingsDto, SettingsPatch, ShipmentDto, ShipmentPatch, ShipmentUpdateDto, TunnelStatusDto,
} from '../../../preload/contract.js';
import { parseBatch } from '../batch.js';
import { withShipment, type Slice, type SliceContext } from './slice.js';

export type BatchOutcome = 'added' | 'duplicate' | 'rejected';
export interface BatchReportLine {
  line: number;
  number: string;
  outcome: BatchOutcome;
  message: string;
  messageEn: string | null;
}

export interface CommandsSlice {
  add(input: NewShipmentInput): Promise<Result<ShipmentDto>>;
  importBatch(text: string): Promise<BatchReportLine[]>;
  resubscribe(id: string): Promise<Result<ShipmentDto>>;
  remove(id: string): Promise<Result<{ id: string }>>;
  /**
   * Edits carrier, phone or note. What a resubscribe would spend is asked first (a dry run);
   * `confirm` sees it and may say no, then nothing changes (applied: false).
   */
  edit(id: string, patch: ShipmentPatch, confirm: (cost: NonNullable<ShipmentUpdateDto['cost']>) => boolean): Promise<Result<ShipmentUpdateDto>>;
  saveSettings(patch: SettingsPatch): Promise<Result<SettingsDto>>;
  checkTunnel(): Promise<Result<TunnelStatusDto>>;
  planRepair(): Promise<Result<RepairPlanDto>>;
  repair(): Promise<Result<RepairPlanDto>>;
  /** Carrier suggestions; null when the core could not be asked. */
  listCarriers(query: CarrierQuery): Promise<CarrierDto[] | null>;
  /** Marketplace order files: parsed by the core; the window only shows and corrects. */
  previewImport(input: ImportFileInput): Promise<Result<ImportPreviewDto>>;
  remapImport(id: string, mapping: ImportMappingDto): Promise<Result<ImportPreviewDto>>;
  commitImport(id: string, options?: ImportCommitOptions): Promise<Result<ImportCommitDto>>;
  /** The tab and search on screen, as a file. */
  exportView(format: ExportFormat): Promise<Result<ExportFileDto>>;
}

export const createCommandsSlice = ({ api }: SliceContext): Slice<CommandsSlice> => (set, get) => ({
  async add(input) {
    const r = await api.addShipment(input);
    if (r.ok) {
      set((st) => withShipment(st, r.value));
      void get().reloadPage(false);
    }
    return r;
  },

  async importBatch(text) {
    const report: BatchReportLine[] = [];
    for (const { line, input } of parseBatch(text)) {
      const r = await api.addShipment(input);
      if (r.ok) {
        set((st) => withShipment(st, r.value));
        report.push({ line, number: input.number, outcome: 'added', message: r.value.subscription.message ?? '', messageEn: r.value.subscription.messageEn });
      } else {
        const outcome = r.error.code === 'duplicate' ? 'duplicate' : 'rejected';
        report.push({ line, number: input.number, outcome, message: r.error.message, messageEn: r.error.messageEn ?? null });
      }
    }
    if (report.some((l) => l.outcome === 'added')) void get().reloadPage(false);
    return report;
  },

  async resubscribe(id) {
    const r = await api.resubscribe(id);
    if (r.ok) set((st) => withShipment(st, r.value));
    return r;
  },

  async remove(id) {
    const r = await api.removeShipment(id);
    if (r.ok) get().apply({ type: 'shipment-removed', id });
    return r;
  },

  async edit(id, patch, confirm) {
    const plan = await api.updateShipment(id, { ...patch, dryRun: true });
    if (!plan.ok || (plan.value.cost && !confirm(plan.value.cost))) return plan;
    const r = await api.updateShipment(id, patch);
    if (r.ok) set((st) => withShipment(st, r.value.shipment));
    return r;
  },

  checkTunnel: () => api.checkTunnel(),
  previewImport: (input) => api.previewImport(input),
  remapImport: (id, mapping) => api.remapImport(id, mapping),
  commitImport: (id, options) => api.commitImport(id, options),
  exportView(format) {
    const { group, query } = get();
    return api.exportView({ state: group === 'all' ? undefined : group, q: query.trim() || undefined }, format);
  },
  planRepair: () => api.planRepair(),
  repair: () => api.repair(),

  async listCarriers(query) {
    const r = await api.listCarriers(query);
    return r.ok ? r.value : null;
  },

  async saveSettings(patch) {
    const r = await api.updateSettings(patch);
    if (r.ok) set({ settings: r.value, lang: r.value.language });
    return r;
  },
});
