import { describe, expect, it } from 'vitest';
import { IPC_CALLS } from '../../main/electron/ipc.js';
import { permissionAllowed } from '../../main/electron/security.js';
import { toExportRow, elapsedText } from '../../main/core/export/export-view.js';
import { makeAliasResolveCarrier } from '../../main/core/import/carrier-resolve.js';
import { parseImportFile, parseNewShipment, parseSettingsPatch } from '../../main/core/input-validation.js';
import { defaultSettings } from '../../main/core/default-settings.js';
import { applySettingsPatch } from '../../main/core/settings-service.js';
import { toShipmentDto } from '../../main/core/shipment-dto.js';
import { newShipmentRecord } from '../../main/core/store/new-record.js';
import type { ShipmentRecord } from '../../main/core/store/schema.js';
import { orderNosOf } from '../../main/core/waybill-intake.js';
import { forwardItemsFor } from '../../main/core/forward/forward-events.js';
import { IMPORT_MAX_BYTES, type ParcelTrayApi } from '../../preload/contract.js';

const record = (patch: Partial<ShipmentRecord> = {}): ShipmentRecord => ({
  ...newShipmentRecord({ company: 'zhongtong', number: '75123456780001', now: '2026-11-28T02:00:00.000Z', autoCom: false, subscription: { status: 'active' } }),
  ...patch,
});

describe('orders on parcels', () => {
  it('a record stored before issue 13 (no orderNos, no buyer) loads with [] and null', () => {
    const { orderNos: _o, buyer: _b, ...old } = record();
    const dto = toShipmentDto(old as ShipmentRecord);
    expect(dto.orderNos).toEqual([]);
    expect(dto.buyer).toBeNull();
  });

  it('group-robot messages name the parcel’s order numbers and buyer', () => {
    const ev = { time: '2026-11-30 10:21:00', ftime: '2026-11-30 10:21:00', context: '【杭州市】 正在派件', status: '派件', statusCode: '5', areaCode: null, areaName: null, areaCenter: null, location: null, areaPinYin: null };
    const before = toShipmentDto(record({ state: '0', statusCode: '0', orderNos: ['A1', 'A2'], buyer: '张**' }));
    const after = toShipmentDto(record({ state: '5', statusCode: '5', events: [ev], orderNos: ['A1', 'A2'], buyer: '张**' }));
    const items = forwardItemsFor(before, after);
    expect(items.length).toBeGreaterThan(0);
    expect(items[0]).toMatchObject({ orderNo: 'A1、A2', buyer: '张**' });
  });

  it('accepts one order number or a list on manual entry, and refuses anything else', () => {
    expect(parseNewShipment({ number: 'YT1234567', orderNo: ' A1 ', buyer: ' 张** ' })).toEqual({ ok: true, value: { number: 'YT1234567', orderNo: ['A1'], buyer: '张**' } });
    expect(parseNewShipment({ number: 'YT1234567', orderNo: ['A1', 'A2', 'A1', ''] })).toMatchObject({ ok: true, value: { orderNo: ['A1', 'A2'] } });
    expect(parseNewShipment({ number: 'YT1234567', orderNo: 5 })).toMatchObject({ ok: false, error: { field: 'orderNo' } });
    expect(parseNewShipment({ number: 'YT1234567', buyer: 5 })).toMatchObject({ ok: false, error: { field: 'buyer' } });
    // the entry field's text may hold several
    expect(orderNosOf('A1, A2，A1')).toEqual(['A1', 'A2']);
  });
});

describe('import over IPC', () => {
  const calls: string[] = [];
  const api = {
    previewImport: async (input: { filename: string; bytes: Uint8Array }) => {
      calls.push(`${input.filename}:${input.bytes.byteLength}`);
      return { ok: true, value: null };
    },
    exportView: async (q: unknown, f: string) => ({ ok: true, value: { q, f } }),
  } as unknown as ParcelTrayApi;

  it('takes { filename, bytes } with bytes a Uint8Array of at most 20 MB', async () => {
    expect(await IPC_CALLS.previewImport(api, [{ filename: 'a.csv', bytes: new Uint8Array([65]) }])).toEqual({ ok: true, value: null });
    expect(calls).toEqual(['a.csv:1']);
    const big = await IPC_CALLS.previewImport(api, [{ filename: 'a.csv', bytes: new Uint8Array(IMPORT_MAX_BYTES + 1) }]);
    expect(big).toMatchObject({ ok: false, error: { code: 'invalid', field: 'file' } });
    expect(await IPC_CALLS.previewImport(api, [{ filename: 'a.csv', bytes: [65] }])).toMatchObject({ ok: false, error: { field: 'bytes' } });
    expect(await IPC_CALLS.previewImport(api, [{ filename: 'a.csv', bytes: new Uint8Array(0) }])).toMatchObject({ ok: false, error: { field: 'file' } });
    expect(calls).toHaveLength(1);
    expect(parseImportFile({ filename: 1, bytes: new Uint8Array(1) })).toMatchObject({ ok: false, error: { field: 'filename' } });
  });

  it('checks the export format and query before asking the core', async () => {
    expect(await IPC_CALLS.exportView(api, [{ state: 'delivering' }, 'csv'])).toMatchObject({ ok: true, value: { f: 'csv', q: { state: 'delivering' } } });
    expect(await IPC_CALLS.exportView(api, [{}, 'pdf'])).toMatchObject({ ok: false, error: { field: 'format' } });
    expect(await IPC_CALLS.exportView(api, [{ q: 5 }, 'csv'])).toMatchObject({ ok: false, error: { field: 'q' } });
  });
});

describe('export rows from the list', () => {
  const now = Date.parse('2026-11-30T02:21:00.000Z'); // 10:21 China time
  const ev = { time: '2026-11-30 10:21:00', ftime: '2026-11-30 10:21:00', context: '【杭州市】 快递员 王师傅正在为您派件', status: '派件', statusCode: '5', areaCode: null, areaName: null, areaCenter: null, location: null, areaPinYin: null };

  it('names the state, the newest scan and its China time, the time on the way, orders and buyer', () => {
    const dto = toShipmentDto(record({ state: '5', statusCode: '5', events: [ev], orderNos: ['A1', 'A2'], buyer: '张**', note: '加急' }));
    expect(toExportRow(dto, 'zh', now)).toEqual({
      orderNo: ['A1', 'A2'], buyer: '张**', carrier: '中通快递', number: '75123456780001', state: '派件',
      latestScan: ev.context, latestTime: '2026-11-30 10:21', elapsed: '2天0小时', alert: null, note: '加急',
    });
    expect(toExportRow(dto, 'en', now)).toMatchObject({ state: 'Out for delivery', elapsed: '2d 0h' });
  });

  it('says what needs the seller: a failed subscription, an exception', () => {
    const failed = toShipmentDto(record({ subscription: { ...record().subscription, status: 'failed', message: '单号不存在', messageEn: 'No such number' } }));
    expect(toExportRow(failed, 'zh', now)).toMatchObject({ state: '订阅失败', alert: '订阅失败：单号不存在' });
    expect(toExportRow(failed, 'en', now).alert).toBe('Subscription failed：No such number');
    const problem = toShipmentDto(record({ state: '2', statusCode: '204', events: [ev] }));
    expect(toExportRow(problem, 'zh', now).alert).toBe('派件异常');
    expect(elapsedText(30 * 60_000, 'zh')).toBe('不到1小时');
  });
});

describe('buyer templates in the settings', () => {
  it('keeps what the seller wrote per kind and language; an empty text goes back to the default', () => {
    const patch = parseSettingsPatch({ buyerTemplates: { delivered: { zh: '已签收 {number}', en: 'Delivered {number}' } } });
    expect(patch.ok).toBe(true);
    const once = applySettingsPatch(defaultSettings(), patch.ok ? patch.value : {});
    expect(once.ok && once.value.buyerTemplates).toEqual({ delivered: { zh: '已签收 {number}', en: 'Delivered {number}' } });
    const cleared = applySettingsPatch(once.ok ? once.value : defaultSettings(), { buyerTemplates: { delivered: { zh: '' } } });
    expect(cleared.ok && cleared.value.buyerTemplates).toEqual({ delivered: { en: 'Delivered {number}' } });
    expect(parseSettingsPatch({ buyerTemplates: { shipped: { zh: 'x' } } })).toMatchObject({ ok: false, error: { field: 'buyerTemplates' } });
    expect(parseSettingsPatch({ buyerTemplates: { delivered: { fr: 'x' } } })).toMatchObject({ ok: false });
    expect(parseSettingsPatch({ buyerTemplates: { delivered: { zh: 'x'.repeat(501) } } })).toMatchObject({ ok: false, error: { field: 'buyerTemplates.delivered.zh' } });
  });
});

describe('import carrier names go through the one alias table', () => {
  const resolve = makeAliasResolveCarrier();
  it('resolves aliases the entry field knows, and never takes a guess from the number as certain', () => {
    expect(resolve('J&T', 'JT1234567890123')).toEqual({ kind: 'code', code: 'jtexpress' });
    expect(resolve('中通', '75123456780001')).toEqual({ kind: 'code', code: 'zhongtong' });
    expect(resolve('JD', 'JDVA12345678901')).toEqual({ kind: 'code', code: 'jd' });
    // 顺丰 names two services; the number decides when it can
    expect(resolve('顺丰', 'SF1234567890123').kind).not.toBe('unknown');
    // no name, or a name the table does not know: at most a suggestion, the core decides at subscribe
    expect(resolve(null, 'YT1234567890123').kind).not.toBe('code');
    expect(resolve('某某小物流', 'YT1234567890123').kind).not.toBe('code');
    // a name the code table itself holds (快捷快物流) is a name, not a guess
    expect(resolve('快捷快物流', 'YT1234567890123').kind).toBe('code');
  });
});

describe('Electron permissions', () => {
  const own = (u: string): boolean => u === 'file:///app/index.html';
  it('allows only clipboard writing, and only to our page', () => {
    expect(permissionAllowed('clipboard-sanitized-write', 'file:///app/index.html', own)).toBe(true);
    expect(permissionAllowed('clipboard-sanitized-write', 'https://evil.example/', own)).toBe(false);
    for (const p of ['clipboard-read', 'media', 'geolocation', 'notifications', 'openExternal']) expect(permissionAllowed(p, 'file:///app/index.html', own)).toBe(false);
  });
});
