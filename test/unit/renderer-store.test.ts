import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChangeEvent, ExportFileDto, ImportCommitDto, ImportPreviewDto, NewShipmentInput, ParcelTrayApi, Result, SettingsDto, ShipmentDto, ShipmentPatch, ShipmentQuery, StatusDto } from '../../preload/contract.js';
import { parseBatch } from '../../renderer/src/batch.js';
import { createParcelStore } from '../../renderer/src/store.js';
import { countGroups, latestEvent, stateText, toneOf, visibleShipments } from '../../renderer/src/view-model.js';
import { toShipmentDto } from '../../main/core/shipment-dto.js';
import { newShipmentRecord } from '../../main/core/store/new-record.js';
import type { ShipmentRecord } from '../../main/core/store/schema.js';

/** Shipments built by the core's own mapping, so the test sees real DTOs. */
function dto(number: string, patch: Partial<ShipmentRecord> = {}, updatedAt = '2026-01-01T00:00:00.000Z'): ShipmentDto {
  const rec = newShipmentRecord({ company: 'yuantong', number, now: updatedAt, autoCom: false, subscription: { status: 'active' } });
  return toShipmentDto({ ...rec, ...patch, updatedAt });
}

const event = (context: string, ftime = '2026-01-01 10:00:00') => ({
  time: ftime, ftime, context, status: null, statusCode: null, areaCode: null, areaName: null, areaCenter: null, location: null, areaPinYin: null,
});

describe('state-to-view mapping', () => {
  it('names the state in the chosen language, advanced names first', () => {
    const s = dto('YT1', { state: '3', statusCode: '304' });
    expect(stateText(s, 'zh')).toBe('投柜或站签收');
    expect(stateText(s, 'en')).toBe('Collected from locker or station');
    expect(toneOf(s)).toBe('delivered');
  });

  it('shows subscription problems before any push', () => {
    const failed = dto('YT2', { subscription: { ...dto('x').subscription, status: 'failed', reason: 'fix-credentials', salt: null, resultv2: null, attemptLog: [] } });
    expect(stateText(failed, 'zh')).toBe('订阅失败');
    expect(toneOf(failed)).toBe('exception');
    expect(stateText(dto('YT3'), 'zh')).toBe('已订阅，等待推送');
  });

  it('puts every exception in the 异常 group', () => {
    for (const [state, statusCode] of [['2', '204'], ['14', '14'], ['4', '4'], ['6', '6'], ['8', '13']] as const) {
      expect(toneOf(dto('YT4', { state, statusCode })), statusCode).toBe('exception');
    }
    expect(toneOf(dto('YT5', { tracking: 'abort', trackingMessage: '3天查询无记录' }))).toBe('exception');
    // a carrier correction is not a failure
    expect(toneOf(dto('YT6', { tracking: 'abort', comNew: 'ems', state: '0', statusCode: '0' }))).toBe('transit');
  });

  it('shows the newest event, else the tracking message', () => {
    expect(latestEvent(dto('YT7', { events: [event('新', '2026-01-02 08:30:00'), event('旧')] }))).toEqual({ text: '新', time: '2026-01-02 08:30' });
    expect(latestEvent(dto('YT8', { tracking: 'abort', trackingMessage: '60天无变化' }))?.text).toBe('60天无变化');
  });

  it('filters by group and text, newest update first, and counts groups', () => {
    const list = [
      dto('YT100', { state: '5', statusCode: '5', note: '张三' }, '2026-01-01T00:00:01.000Z'),
      dto('YT200', { state: '3', statusCode: '301' }, '2026-01-01T00:00:03.000Z'),
      dto('YT300', { state: '5', statusCode: '501', note: '李四' }, '2026-01-01T00:00:02.000Z'),
    ];
    expect(visibleShipments(list, 'all', '').map((s) => s.number)).toEqual(['YT200', 'YT300', 'YT100']);
    expect(visibleShipments(list, 'delivering', '').map((s) => s.number)).toEqual(['YT300', 'YT100']);
    expect(visibleShipments(list, 'all', '李').map((s) => s.number)).toEqual(['YT300']);
    expect(visibleShipments(list, 'all', 'yt1').map((s) => s.number)).toEqual(['YT100']);
    expect(countGroups(list)).toEqual({ all: 3, todo: 0, transit: 0, delivering: 2, delivered: 1, exception: 0 });
  });
});

describe('batch parsing', () => {
  it('reads plain lines, CSV with a header, quotes, tabs and full-width commas', () => {
    const lines = parseBatch('单号,快递公司,手机号,备注\nYT1000000001\n\nSF1000000002,shunfeng,6621,"王五, 二单"\nZT1000000003\tzhongtong\t\t备注\nJT1000000004，极兔速递');
    expect(lines.map((l) => [l.line, l.input])).toEqual([
      [2, { number: 'YT1000000001' }],
      [4, { number: 'SF1000000002', company: 'shunfeng', phone: '6621', note: '王五, 二单' }],
      [5, { number: 'ZT1000000003', company: 'zhongtong', note: '备注' }],
      [6, { number: 'JT1000000004', company: '极兔速递' }],
    ]);
  });
});

/** A contract implementation in memory, driving the store as the shells would. */
class FakeApi implements ParcelTrayApi {
  listeners = new Set<(e: ChangeEvent) => void>();
  items = new Map<string, ShipmentDto>();
  ok<T>(value: T): Promise<Result<T>> {
    return Promise.resolve({ ok: true, value });
  }
  listCalls: (number | undefined)[] = [];
  listShipments = (q: { limit?: number } = {}) => {
    this.listCalls.push(q.limit);
    const all = [...this.items.values()].sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1));
    return this.ok(q.limit ? all.slice(0, q.limit) : all);
  };
  pageCalls: ShipmentQuery[] = [];
  listPage = (q: ShipmentQuery) => {
    this.pageCalls.push(q);
    const all = [...this.items.values()].sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1));
    const offset = q.offset ?? 0;
    const counts = { all: all.length, todo: 0, transit: all.length, delivering: 0, delivered: 0, exception: 0 };
    return this.ok({ items: all.slice(offset, offset + (q.limit ?? all.length)), total: all.length, offset, counts });
  };
  getShipment = (id: string) => this.ok(this.items.get(id)!);
  addShipment = (input: NewShipmentInput): Promise<Result<ShipmentDto>> => {
    if (input.number.length < 6) return Promise.resolve({ ok: false, error: { code: 'invalid', message: '单号长度须为 6–32 个字符', field: 'number' } });
    if ([...this.items.values()].some((s) => s.number === input.number)) return Promise.resolve({ ok: false, error: { code: 'duplicate', message: '已在列表中', field: 'number' } });
    const s = dto(input.number, { note: input.note ?? null });
    this.items.set(s.id, s);
    return this.ok(s);
  };
  resubscribe = (id: string) => this.ok(this.items.get(id)!);
  removeShipment = (id: string) => this.ok({ id });
  patches: ShipmentPatch[] = [];
  /** A new carrier costs a subscription (the second this month); a note costs nothing. */
  updateShipment = (id: string, patch: ShipmentPatch) => {
    this.patches.push(patch);
    const before = this.items.get(id)!;
    const after = { ...before, company: patch.company ?? before.company, note: patch.note ?? before.note, updatedAt: '2026-01-02T00:00:00.000Z' };
    if (!patch.dryRun) this.items.set(id, after);
    const cost = patch.company ? { attempt: 2, limit: 4, message: '本月第 2/4 次订阅', messageEn: 'subscription 2 of 4 this month' } : null;
    return this.ok({ shipment: patch.dryRun ? before : after, applied: !patch.dryRun, cost });
  };
  getSettings = () => this.ok({ language: 'en' } as SettingsDto);
  updateSettings = () => this.ok({ language: 'zh' } as SettingsDto);
  getStatus = () => this.ok({ counts: { all: this.items.size, transit: this.items.size, delivering: 0, delivered: 0, exception: 0 } } as StatusDto);
  listCarriers = () => this.ok([]);
  listNotifications = () => this.ok([]);
  planRepair = () => this.ok({ calls: 0, items: [] });
  repair = () => this.ok({ calls: 0, items: [] });
  listChannels = () => this.ok([]);
  replaceChannels = () => this.ok([]);
  testChannel = () => this.ok({ ok: true, error: null, errorEn: null });
  checkTunnel = () => this.ok({ mode: 'none' as const, state: 'off' as const, url: null, error: null, since: '' });
  previewImport = (): Promise<Result<ImportPreviewDto>> => Promise.resolve({ ok: false, error: { code: 'invalid', message: 'not in this fake' } });
  remapImport = (): Promise<Result<ImportPreviewDto>> => Promise.resolve({ ok: false, error: { code: 'invalid', message: 'not in this fake' } });
  commitImport = (): Promise<Result<ImportCommitDto>> => Promise.resolve({ ok: false, error: { code: 'invalid', message: 'not in this fake' } });
  exportView = (): Promise<Result<ExportFileDto>> => Promise.resolve({ ok: false, error: { code: 'invalid', message: 'not in this fake' } });
  onChange(l: (e: ChangeEvent) => void) {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  emit(e: ChangeEvent) {
    this.listeners.forEach((l) => l(e));
  }
}

describe('the window store', () => {
  it('loads, then follows change events without a reload', async () => {
    const api = new FakeApi();
    const first = dto('YT9000000001');
    api.items.set(first.id, first);
    const store = createParcelStore(api);
    await store.getState().init();
    expect(Object.keys(store.getState().shipments)).toEqual([first.id]);
    expect(store.getState().lang).toBe('en');

    api.emit({ type: 'shipment', shipment: { ...first, state: '5', statusCode: '5', group: 'delivering' } });
    expect(store.getState().shipments[first.id]?.group).toBe('delivering');
    store.getState().select(first.id);
    api.emit({ type: 'shipment-removed', id: first.id });
    expect(store.getState().shipments[first.id]).toBeUndefined();
    expect(store.getState().selectedId).toBeNull();
    store.getState().dispose();
    expect(api.listeners.size).toBe(0);
  });

  it('an edit that spends a subscription asks first; declined, nothing changes', async () => {
    const api = new FakeApi();
    const s = dto('YT9000000005');
    api.items.set(s.id, s);
    const store = createParcelStore(api);
    await store.getState().init();
    const asked: string[] = [];
    const no = await store.getState().edit(s.id, { company: 'shentong' }, (cost) => (asked.push(cost.message), false));
    expect(no.ok && no.value.applied).toBe(false);
    expect(asked).toEqual(['本月第 2/4 次订阅']);
    expect(api.patches).toEqual([{ company: 'shentong', dryRun: true }]);
    expect(store.getState().shipments[s.id]?.company).toBe('yuantong');
    const yes = await store.getState().edit(s.id, { company: 'shentong' }, () => true);
    expect(yes.ok && yes.value.applied).toBe(true);
    expect(store.getState().shipments[s.id]?.company).toBe('shentong');
    // a note spends nothing: no question asked
    await store.getState().edit(s.id, { note: '王五' }, () => {
      throw new Error('asked for a note');
    });
    expect(store.getState().shipments[s.id]?.note).toBe('王五');
  });

  it('answers an add with the error for the field it concerns; a good add lands in the list', async () => {
    const store = createParcelStore(new FakeApi());
    expect(await store.getState().add({ number: '12' })).toMatchObject({ ok: false, error: { field: 'number', code: 'invalid' } });
    expect(store.getState().shipments).toEqual({});
    expect((await store.getState().add({ number: 'YT9000000002' })).ok).toBe(true);
    expect(Object.values(store.getState().shipments).map((s) => s.number)).toEqual(['YT9000000002']);
  });

  it('imports a batch and reports each line', async () => {
    const store = createParcelStore(new FakeApi());
    const report = await store.getState().importBatch('YT9000000003\nYT9000000003\n12\nYT9000000004,,,note');
    expect(report.map((r) => [r.line, r.outcome])).toEqual([[1, 'added'], [2, 'duplicate'], [3, 'rejected'], [4, 'added']]);
    expect(Object.keys(store.getState().shipments)).toHaveLength(2);
  });
});

afterEach(() => vi.useRealTimers());

describe('the ticked selection (复制给买家 on several parcels)', () => {
  it('ticks, unticks, ticks a range once, and forgets a removed parcel', async () => {
    const api = new FakeApi();
    const [a, b, c] = [dto('YT9100000001'), dto('YT9100000002'), dto('YT9100000003')];
    for (const s of [a, b, c]) api.items.set(s.id, s);
    const store = createParcelStore(api);
    await store.getState().init();
    const st = () => store.getState();
    st().toggleChecked(b.id);
    st().toggleChecked(a.id);
    expect(st().checkedIds).toEqual([b.id, a.id]);
    st().toggleChecked(b.id);
    expect(st().checkedIds).toEqual([a.id]);
    st().setChecked([a.id, b.id, c.id, b.id], true);
    expect(st().checkedIds).toEqual([a.id, b.id, c.id]);
    st().setChecked([b.id], false);
    expect(st().checkedIds).toEqual([a.id, c.id]);
    api.emit({ type: 'shipment-removed', id: c.id });
    expect(st().checkedIds).toEqual([a.id]);
    st().clearChecked();
    expect(st().checkedIds).toEqual([]);
    st().dispose();
  });

  it('hands over ticked parcels outside the page in memory by fetching them, in the order ticked', async () => {
    const api = new FakeApi();
    const inPage = dto('YT9200000001');
    api.items.set(inPage.id, inPage);
    const store = createParcelStore(api);
    await store.getState().init();
    // Added behind the window's back: the store never loaded it, as with a row scrolled far away.
    const away = dto('YT9200000002');
    api.items.set(away.id, away);
    expect(store.getState().shipments[away.id]).toBeUndefined();
    const fetched: string[] = [];
    const get = api.getShipment;
    api.getShipment = (id: string) => {
      fetched.push(id);
      return get(id);
    };
    store.getState().toggleChecked(away.id);
    store.getState().toggleChecked(inPage.id);
    const list = await store.getState().checkedShipments();
    expect(list.map((s) => s.number)).toEqual(['YT9200000002', 'YT9200000001']);
    expect(fetched).toEqual([away.id]);
    store.getState().dispose();
  });
});

describe('a window that keeps up with thousands of parcels', () => {
  it('holds one page, not the store; updates a parcel in view in place and refetches a stale page at most every REFETCH_MS', async () => {
    vi.useFakeTimers();
    const { FIRST_SCREEN, PAGE_MARGIN, REFETCH_MS } = await import('../../renderer/src/slices/entities-slice.js');
    const api = new FakeApi();
    for (let i = 0; i < 5000; i++) {
      const s = dto(`YT7${String(i).padStart(9, '0')}`, {}, new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString());
      api.items.set(s.id, s);
    }
    const store = createParcelStore(api);
    await store.getState().init();
    let st = store.getState();
    expect(st.total).toBe(5000);
    expect(Object.keys(st.shipments)).toHaveLength(FIRST_SCREEN + PAGE_MARGIN);
    expect(api.pageCalls).toHaveLength(1);

    // 50 events for parcels in view within one throttle window: each updates in place, one refetch follows.
    const inView = st.page.ids.slice(0, 50).map((id) => st.shipments[id]!);
    for (const s of inView) api.emit({ type: 'shipment', shipment: { ...s, note: 'changed' } });
    st = store.getState();
    expect(inView.every((s) => st.shipments[s.id]!.note === 'changed')).toBe(true);
    expect(Object.keys(st.shipments)).toHaveLength(FIRST_SCREEN + PAGE_MARGIN);
    expect(api.pageCalls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(REFETCH_MS);
    expect(api.pageCalls).toHaveLength(2);

    // Scrolling far down asks for the page around the rows shown.
    store.getState().showRange(3000, 3020);
    await vi.advanceTimersByTimeAsync(REFETCH_MS);
    st = store.getState();
    expect(api.pageCalls.at(-1)).toMatchObject({ offset: 3000 - PAGE_MARGIN, limit: 20 + 2 * PAGE_MARGIN });
    expect(st.page.offset).toBe(3000 - PAGE_MARGIN);
    expect(st.shipments[st.page.ids[PAGE_MARGIN]!]!.number).toBe([...api.items.values()].sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1))[3000]!.number);

    // A change of view (tab, order, carrier, notification's parcels) asks the core from the top.
    store.getState().setSort('added', 'asc');
    await vi.advanceTimersByTimeAsync(0);
    expect(api.pageCalls.at(-1)).toMatchObject({ sort: 'added', dir: 'asc', offset: 0 });
    store.getState().showOnly(['a', 'b']);
    await vi.advanceTimersByTimeAsync(0);
    expect(api.pageCalls.at(-1)).toMatchObject({ ids: ['a', 'b'], offset: 0 });

    // The event stream came back after a break: the page is asked for again (events were missed).
    const calls = api.pageCalls.length;
    api.emit({ type: 'ui', command: 'resync' });
    await vi.advanceTimersByTimeAsync(0);
    expect(api.pageCalls.length).toBe(calls + 1);
    store.getState().dispose();
  });
});
