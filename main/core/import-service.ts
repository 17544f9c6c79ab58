/**
 * Importing a marketplace order file: the preview (parsed in the core, kept in memory until
 * committed), the seller's column corrections (remembered per header signature in the
 * settings, key `importMappings`), and the commit, which adds each new row through the same
 * intake as any add, so it is de-duplicated and subscribed like a typed waybill.
 */
import type {
  ApiError,
  ImportCommitDto,
  ImportCommitOptions,
  ImportCommitOutcome,
  ImportCommitRowDto,
  ImportFileInput,
  ImportMappingDto,
  ImportPreviewDto,
  NewShipmentInput,
  Result,
  ShipmentDto,
} from '../../preload/contract.js';
import { inputOf } from './import/commit-plan.js';
import { defaultResolveCarrier } from './import/carrier-resolve.js';
import type { ColumnMapping } from './import/headers.js';
import { applyMapping, previewImport, type ImportDeps, type ImportRow, type ImportSession } from './import/preview.js';
import { ImportRegistry } from './import/registry.js';
import type { CoreDeps } from './tracker-deps.js';

/** Header signatures remembered at most; the oldest is forgotten first. */
const KEPT_MAPPINGS = 50;

const EXPIRED: ApiError = {
  code: 'not-found',
  message: '这个导入预览已过期或已导入，请重新选择文件',
  messageEn: 'This import preview has expired or was already imported; choose the file again',
};

type Add = (input: NewShipmentInput) => Promise<Result<ShipmentDto>>;

export class ImportService {
  readonly #d: CoreDeps;
  readonly #add: Add;
  readonly #registry: ImportRegistry<ImportSession>;

  constructor(deps: CoreDeps, add: Add) {
    this.#d = deps;
    this.#add = add;
    this.#registry = new ImportRegistry<ImportSession>(deps.clock);
  }

  #tracked = (number: string): boolean => this.#d.store.byNumber(number).some((r) => !r.removedAt);

  #deps(): ImportDeps {
    return {
      resolveCarrier: defaultResolveCarrier,
      existing: this.#tracked,
      rememberedMapping: (signature) => this.#d.store.settings.importMappings?.[signature] ?? null,
    };
  }

  async preview(input: ImportFileInput): Promise<Result<ImportPreviewDto>> {
    const session = await previewImport(input.bytes, input.filename, this.#deps());
    if (!session.ok) return session;
    this.#registry.put(session.value);
    return { ok: true, value: session.value.preview };
  }

  async remap(id: string, mapping: ImportMappingDto): Promise<Result<ImportPreviewDto>> {
    const session = this.#registry.get(id);
    if (!session) return { ok: false, error: EXPIRED };
    const next = applyMapping(session, mapping, this.#deps());
    if (!next.ok) return next;
    this.#registry.put(next.value);
    return { ok: true, value: next.value.preview };
  }

  async commit(id: string, options: ImportCommitOptions = {}): Promise<Result<ImportCommitDto>> {
    const found = this.#registry.get(id);
    if (!found) return { ok: false, error: EXPIRED };
    let session = found;
    if (options.mapping) {
      const next = applyMapping(session, options.mapping, this.#deps());
      if (!next.ok) return next;
      session = next.value;
    }
    // Taken before the first await: a second commit of the same preview (a double click) finds nothing.
    this.#registry.take(id);
    if (options.mapping) {
      const remembered = await this.#remember(session.preview.signature, session.preview.mapping);
      if (!remembered.ok) {
        // Nothing was added: the seller may try again with the same preview.
        this.#registry.put(found);
        return remembered;
      }
    }
    const rows: ImportCommitRowDto[] = [];
    for (const row of session.preview.rows) rows.push(await this.#commitRow(row));
    const count = (...o: ImportCommitOutcome[]): number => rows.filter((r) => o.includes(r.outcome)).length;
    return {
      ok: true,
      value: {
        added: count('added'),
        skipped: count('merged', 'duplicate', 'invalid', 'no-waybill'),
        failed: count('failed'),
        needsPhone: count('needs-phone'),
        rows,
      },
    };
  }

  async #commitRow(row: ImportRow): Promise<ImportCommitRowDto> {
    const base = { line: row.line, number: row.number, id: null, message: row.reason, messageEn: row.reasonEn };
    // A tracked waybill shipped for another order gains that order number (the intake merges it).
    const wanted = row.status === 'new' || (row.status === 'duplicate' && row.orderNo.length > 0);
    if (!wanted || row.number === null) return { ...base, outcome: row.status === 'new' ? 'failed' : row.status };
    const wasTracked = this.#tracked(row.number);
    const r = await this.#add(inputOf(row));
    if (r.ok) return { ...base, id: r.value.id, outcome: wasTracked ? 'merged' : 'added', message: null, messageEn: null };
    if (r.error.code === 'duplicate') return { ...base, outcome: 'duplicate', message: r.error.message, messageEn: r.error.messageEn ?? null };
    return { ...base, outcome: 'failed', message: r.error.message, messageEn: r.error.messageEn ?? null };
  }

  async #remember(signature: string, mapping: ColumnMapping): Promise<Result<true>> {
    const settings = this.#d.store.settings;
    const { [signature]: _old, ...others } = settings.importMappings ?? {};
    const kept = Object.entries(others).slice(-(KEPT_MAPPINGS - 1));
    try {
      await this.#d.store.updateSettings({ ...settings, importMappings: { ...Object.fromEntries(kept), [signature]: mapping } });
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      return { ok: false, error: { code: 'storage', message: `无法保存列的对应关系：${why}`, messageEn: `Could not save the column mapping: ${why}` } };
    }
    return { ok: true, value: true };
  }
}
