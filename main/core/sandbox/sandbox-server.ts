/**
 * A faithful stand-in for Kuaidi100 that runs on loopback: the subscribe endpoint with the
 * spec's HTTP contract and return codes (AppCode or key check, 4 subscriptions per waybill a
 * month, 501 while tracking and for 30 minutes after tracking ended), and a pusher that sends
 * signed form posts along a scripted parcel life, retrying a failed push 3 times like
 * Kuaidi100 does, in compressed time.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../clock.js';
import { readBody } from '../http-body.js';
import { guessCarriers } from '../kuaidi100/carrier-guess.js';
import { companyByCode } from '../kuaidi100/companies.js';
import { encodePushBody } from '../kuaidi100/push-parse.js';
import { returnCodeInfo } from '../kuaidi100/return-codes.js';
import { signPush } from '../kuaidi100/signature.js';
import { basicStateOf } from '../kuaidi100/states.js';
import { validateSubscribe } from '../kuaidi100/subscribe-request.js';
import { epochToKuaidiTime } from '../kuaidi100/time.js';
import type { PushDataItem, PushParam, ResultV2, SubscribeParam } from '../kuaidi100/wire-types.js';
import { SCENARIOS, scenarioFor, type ScenarioName, type ScenarioStep } from './scenarios.js';

export const SANDBOX_APPCODE = 'sandbox-appcode';

export interface SandboxOptions {
  /** AppCodes (Huawei style) and keys (Kuaidi100 style) that are accepted. */
  appCodes?: string[];
  /** Credentials that answer 601 (expired). */
  expired?: string[];
  /** Delay before the first push and between pushes. */
  stepMs?: number;
  firstPushMs?: number;
  /** Kuaidi100 retries a failed push 3 times, 30 minutes apart. */
  retryDelayMs?: number;
  maxRetries?: number;
  /** How long after tracking ends a resubscribe is refused (30 minutes at Kuaidi100). */
  resubscribeDelayMs?: number;
  /** How long a push may take to be answered (20 s at Kuaidi100). */
  pushTimeoutMs?: number;
  clock?: Clock;
}

export interface PushAttempt {
  number: string;
  step: number;
  attempt: number;
  at: number;
  outcome: 'delivered' | 'failed' | 'dropped';
  detail: string;
}

interface Subscription {
  company: string;
  number: string;
  callbackurl: string;
  salt: string | null;
  resultv2: ResultV2;
  scenario: ScenarioName;
  step: number;
  events: PushDataItem[];
  lastEventAt: number;
  tracking: boolean;
  endedAt: number | null;
  comOld: string | null;
  timer: unknown;
  /** Resubscribed: the next push re-sends the current state with the full history. */
  resend: boolean;
}

const MONTHLY_LIMIT = 4;

export class SandboxServer {
  readonly #opts: Required<Omit<SandboxOptions, 'clock'>>;
  readonly #clock: Clock;
  readonly #subs = new Map<string, Subscription>();
  /** Subscribe attempts per carrier+number per calendar month. */
  readonly #monthly = new Map<string, number>();
  readonly #server: Server;
  readonly #pushing = new Set<Promise<void>>();
  readonly log: PushAttempt[] = [];
  /** Every subscribe request received, for tests and the benchmark. */
  readonly requests: { param: SubscribeParam | null; returnCode: string }[] = [];
  #closed = false;
  #url = '';

  constructor(options: SandboxOptions = {}) {
    this.#opts = {
      appCodes: options.appCodes ?? [SANDBOX_APPCODE],
      expired: options.expired ?? [],
      stepMs: options.stepMs ?? 4000,
      firstPushMs: options.firstPushMs ?? options.stepMs ?? 4000,
      retryDelayMs: options.retryDelayMs ?? 30 * 60_000,
      maxRetries: options.maxRetries ?? 3,
      resubscribeDelayMs: options.resubscribeDelayMs ?? 30 * 60_000,
      pushTimeoutMs: options.pushTimeoutMs ?? 20_000,
    };
    this.#clock = options.clock ?? systemClock;
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  async listen(port = 0): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(port, '127.0.0.1', resolve));
    this.#url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/poll`;
    return this.#url;
  }

  /** The subscribe endpoint (empty before listen). */
  get url(): string {
    return this.#url;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.idle();
    for (const sub of this.#subs.values()) this.#clock.clearTimeout(sub.timer);
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const answer = (returnCode: string, message?: string): void => {
      const info = returnCodeInfo(returnCode)!;
      res.writeHead(info.httpStatus, { 'content-type': 'application/json;charset=utf-8' });
      res.end(JSON.stringify({ result: returnCode === '200', returnCode, message: message ?? info.message }));
    };
    if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://x').pathname !== '/poll') {
      res.writeHead(404).end();
      return;
    }
    const body = await readBody(req);
    const form = new URLSearchParams(body);
    let param: SubscribeParam | null = null;
    try {
      param = JSON.parse(form.get('param') ?? '') as SubscribeParam;
    } catch {
      param = null;
    }
    const code = this.#decide(req, form, param);
    this.requests.push({ param, returnCode: code.returnCode });
    answer(code.returnCode, code.message);
  }

  #decide(req: IncomingMessage, form: URLSearchParams, param: SubscribeParam | null): { returnCode: string; message?: string } {
    const appCode = req.headers['x-apig-appcode'];
    const credential = typeof appCode === 'string' ? appCode : form.get('schema') === 'json' ? param?.key : undefined;
    if (!credential || !this.#opts.appCodes.concat(this.#opts.expired).includes(credential)) return { returnCode: '600' };
    if (this.#opts.expired.includes(credential)) return { returnCode: '601', message: 'POLL: KEY 已过期' };
    if (!param || typeof param !== 'object' || !param.parameters) return { returnCode: '701' };
    const p = param.parameters;
    if (JSON.stringify(param).includes('敏感词')) return { returnCode: '502' };
    const invalid = validateSubscribe({
      company: String(param.company ?? ''),
      number: String(param.number ?? ''),
      callbackurl: String(p.callbackurl ?? ''),
      resultv2: p.resultv2 ?? null,
      autoCom: p.autoCom === '1',
      phone: p.phone ?? null,
      to: param.to ?? null,
    });
    if (invalid?.field === 'company' && p.autoCom !== '1') return { returnCode: '700' };
    if (invalid) return { returnCode: '701', message: invalid.message };
    const number = param.number.trim();
    if (number.includes('E500')) return { returnCode: '500' };
    let company = param.company;
    if (!company) {
      const guess = guessCarriers(number)[0];
      if (!guess) return { returnCode: '702', message: 'POLL:识别不到该单号对应的快递公司' };
      company = guess.code;
    }
    if (!companyByCode(company)) return { returnCode: '700' };

    const key = `${company}:${number}`;
    const now = this.#clock.now();
    const month = `${key}:${epochToKuaidiTime(now).slice(0, 7)}`;
    const existing = this.#subs.get(key);
    if (existing?.tracking) return { returnCode: '501', message: 'POLL:重复订阅' };
    if (existing?.endedAt != null && now - existing.endedAt < this.#opts.resubscribeDelayMs) {
      return { returnCode: '501', message: 'POLL:重复订阅（结束后半小时内）' };
    }
    const count = this.#monthly.get(month) ?? 0;
    if (count >= MONTHLY_LIMIT) return { returnCode: '501', message: 'POLL:重复订阅（本月已订阅 4 次）' };
    this.#monthly.set(month, count + 1);

    // A waybill it already knows: like Kuaidi100, the next push carries everything up to now.
    if (existing && (existing.step > 0 || existing.events.length > 0)) {
      Object.assign(existing, { callbackurl: p.callbackurl, salt: typeof p.salt === 'string' ? p.salt : null, tracking: true, endedAt: null, resend: true });
      this.#schedule(existing, this.#opts.firstPushMs, 0);
      return { returnCode: '200' };
    }
    const sub: Subscription = {
      company,
      number,
      callbackurl: p.callbackurl,
      salt: typeof p.salt === 'string' ? p.salt : null,
      resultv2: p.resultv2 ?? '0',
      scenario: scenarioFor(number),
      step: 0,
      events: [],
      lastEventAt: now - 1000,
      tracking: true,
      endedAt: null,
      comOld: null,
      timer: null,
      resend: false,
    };
    this.#subs.set(key, sub);
    this.#schedule(sub, this.#opts.firstPushMs, 0);
    return { returnCode: '200' };
  }

  #schedule(sub: Subscription, delay: number, attempt: number): void {
    if (this.#closed) return;
    sub.timer = this.#clock.setTimeout(() => {
      const p = this.#push(sub, attempt).finally(() => this.#pushing.delete(p));
      this.#pushing.add(p);
    }, delay);
  }

  /** True while a push is on its way (tests advancing a fake clock wait for it). */
  get busy(): boolean {
    return this.#pushing.size > 0;
  }

  /** Resolves when no push is on its way, including pushes scheduled by those that were. */
  async idle(): Promise<void> {
    while (this.#pushing.size) await Promise.allSettled([...this.#pushing]);
  }

  async #push(sub: Subscription, attempt: number): Promise<void> {
    const steps = SCENARIOS[sub.scenario];
    const step = steps[sub.step]!;
    if (attempt === 0 && !sub.resend) this.#advance(sub, step);
    sub.resend = false;
    const push = this.#pushParam(sub, step);
    const rawParam = JSON.stringify(push);
    const body = encodePushBody(rawParam, sub.salt === null ? null : signPush(rawParam, sub.salt));
    const result = await this.#post(sub.callbackurl, body);
    if (this.#closed) return;
    const entry = { number: sub.number, step: sub.step, attempt, at: this.#clock.now() };
    const last = sub.step === steps.length - 1;
    if (result === null) {
      this.log.push({ ...entry, outcome: 'delivered', detail: 'ok' });
    } else if (attempt < this.#opts.maxRetries) {
      this.log.push({ ...entry, outcome: 'failed', detail: result });
      this.#schedule(sub, this.#opts.retryDelayMs, attempt + 1);
      return;
    } else {
      this.log.push({ ...entry, outcome: 'dropped', detail: result });
    }
    if (step.status !== 'polling' && !(step.comNew && !last)) {
      sub.tracking = false;
      sub.endedAt = this.#clock.now();
    }
    if (!last && sub.tracking) {
      sub.step += 1;
      this.#schedule(sub, this.#opts.stepMs, 0);
    }
  }

  /** Adds the step's scan to the history, at a time after the previous one. */
  #advance(sub: Subscription, step: ScenarioStep): void {
    if (step.comNew) {
      sub.comOld = sub.company;
      sub.company = step.comNew;
      return;
    }
    if (step.noEvent) return;
    const at = Math.max(this.#clock.now(), sub.lastEventAt + 1000);
    sub.lastEventAt = at;
    const time = epochToKuaidiTime(at);
    const level = Number(sub.resultv2);
    const [province, city, district] = step.city.split(',');
    const item: PushDataItem = { time, ftime: time, context: step.context };
    if (level >= 1) {
      item.status = step.statusName;
      item.areaCode = 'CN330106000000';
      item.areaName = step.city;
    }
    if (level >= 4) {
      item.statusCode = step.statusCode;
      item.location = `${province ?? ''}省 ${city ?? ''} ${district ?? ''}`.trim();
      item.areaCenter = '120.130203,30.259324';
      item.areaPinYin = null;
    }
    sub.events.unshift(item);
  }

  #pushParam(sub: Subscription, step: ScenarioStep): PushParam {
    const level = Number(sub.resultv2);
    const state = level >= 4 ? step.state : (basicStateOf(step.state) ?? step.state);
    const push: PushParam = {
      status: step.status,
      billstatus: 'check',
      message: step.message,
      lastResult: {
        message: 'ok',
        nu: sub.number,
        ischeck: basicStateOf(step.state) === '3' ? '1' : '0',
        com: sub.company,
        status: '200',
        condition: 'F00',
        state,
        data: step.noEvent ? [] : [...sub.events],
      },
    };
    if (step.comNew) {
      push.autoCheck = '0';
      push.comOld = sub.comOld;
      push.comNew = sub.company;
    } else if (sub.comOld) {
      push.autoCheck = '1';
      push.comOld = sub.comOld;
      push.comNew = sub.company;
    }
    if (level >= 4 && !step.noEvent) {
      push.lastResult.routeInfo = {
        from: { number: 'CN440305000000', name: '广东,深圳市,南山区' },
        cur: { number: 'CN330106000000', name: step.city },
        to: { number: 'CN330106000000', name: '浙江,杭州市,西湖区' },
      };
      push.lastResult.isLoop = false;
    }
    if (level >= 8 && basicStateOf(step.state) !== '3') {
      const eta = epochToKuaidiTime(this.#clock.now() + 20 * 3600_000);
      push.lastResult.arrivalTime = eta.slice(0, 13);
      push.lastResult.totalTime = '1天 13小时';
      push.lastResult.remainTime = '0天 20小时';
      push.lastResult.predictedRoute = [
        { arriveTime: null, leaveTime: null, province: '广东', city: '深圳市', district: '南山区', name: '南山科技园网点', state: '已经过节点', type: '网点' },
        { arriveTime: null, leaveTime: null, province: '浙江', city: '杭州市', district: '余杭区', name: '杭州转运中心', state: '预估途径节点', type: '转运中心' },
      ];
    }
    return push;
  }

  /** Posts a push; null when Kuaidi100 would count it as received, else why not. */
  async #post(url: string, body: string): Promise<string | null> {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
        signal: AbortSignal.timeout(this.#opts.pushTimeoutMs),
      });
      const text = await res.text();
      if (res.status !== 200) return `HTTP ${res.status}`;
      const reply = JSON.parse(text) as { result?: boolean; returnCode?: string };
      return reply.result === true && reply.returnCode === '200' ? null : `reply ${text.slice(0, 100)}`;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }
}
