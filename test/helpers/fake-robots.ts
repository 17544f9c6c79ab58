/**
 * Local stand-ins for the three group robots, on 127.0.0.1, checking each request exactly as
 * the platforms document it and answering with their codes and texts; plus a real SMTP server
 * (the smtp-server package) that keeps the mails it accepts, decoded.
 *
 *  企业微信  POST /cgi-bin/webhook/send?key=K  {"msgtype":"markdown","markdown":{"content"}} | text
 *            → {"errcode":0,"errmsg":"ok"} | 93000 invalid webhook url | 45009 api freq out of limit
 *  钉钉      POST /robot/send?access_token=T[&timestamp=ms&sign=urlenc(b64(hmac(secret, ts\nsecret)))]
 *            → {"errcode":0,"errmsg":"ok"} | 310000 sign not match / 关键词不匹配 | 300001 | 130101
 *  飞书      POST /open-apis/bot/v2/hook/T {timestamp(s), sign=b64(hmac(key=ts\nsecret, "")), msg_type, content}
 *            → {"code":0,"msg":"success"} | 19021 sign match fail… | 19024 Key Words Not Found | 9499
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export type Platform = 'wecom' | 'dingtalk' | 'feishu';

export interface RobotConfig {
  secret?: string;
  keyword?: string;
}

export interface RobotCall {
  platform: Platform;
  token: string;
  body: Record<string, unknown>;
  /** The message text as the group would show it. */
  text: string;
  answer: Record<string, unknown>;
  at: number;
}

export class FakeRobots {
  readonly #server: Server;
  readonly robots = new Map<string, RobotConfig & { platform: Platform }>();
  /** Tokens whose robot is "down": answers HTTP 502 with an HTML page, like a failing proxy. */
  readonly down = new Set<string>();
  /** Every request that reached a robot, accepted or not. */
  readonly calls: RobotCall[] = [];
  /** The platforms' own rate limit (20 a minute per robot); their clock is `now`. */
  readonly #sent = new Map<string, number[]>();

  private constructor(server: Server, readonly now: () => number) {
    this.#server = server;
  }

  static async start(now: () => number = Date.now): Promise<FakeRobots> {
    let self: FakeRobots | null = null;
    const server = createServer((req, res) => void self!.#handle(req, res));
    self = new FakeRobots(server, now);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return self;
  }

  get base(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  add(platform: Platform, token: string, config: RobotConfig = {}): string {
    this.robots.set(token, { platform, ...config });
    if (platform === 'wecom') return `${this.base}/cgi-bin/webhook/send?key=${token}`;
    if (platform === 'dingtalk') return `${this.base}/robot/send?access_token=${token}`;
    return `${this.base}/open-apis/bot/v2/hook/${token}`;
  }

  /** Messages a robot accepted (what its group shows). */
  accepted(token: string): RobotCall[] {
    return this.calls.filter((c) => c.token === token && (c.answer.errcode === 0 || c.answer.code === 0));
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    const reply = (answer: Record<string, unknown>, status = 200): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(answer));
    };
    let platform: Platform;
    let token: string;
    if (url.pathname === '/cgi-bin/webhook/send') [platform, token] = ['wecom', url.searchParams.get('key') ?? ''];
    else if (url.pathname === '/robot/send') [platform, token] = ['dingtalk', url.searchParams.get('access_token') ?? ''];
    else if (url.pathname.startsWith('/open-apis/bot/v2/hook/')) [platform, token] = ['feishu', url.pathname.split('/').pop() ?? ''];
    else return reply({ errcode: 404, errmsg: 'not found' }, 404);
    if (this.down.has(token)) {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><body>502 Bad Gateway</body></html>');
      return;
    }
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      body = {};
    }
    const robot = this.robots.get(token);
    const record = (text: string, answer: Record<string, unknown>): void => {
      this.calls.push({ platform, token, body, text, answer, at: this.now() });
      reply(answer);
    };
    const ok = req.method === 'POST' && /application\/json/.test(req.headers['content-type'] ?? '');
    if (platform === 'wecom') {
      if (!robot || robot.platform !== 'wecom') return record('', { errcode: 93000, errmsg: 'invalid webhook url, hint: [1] from ip: 127.0.0.1' });
      const text = body.msgtype === 'markdown' ? (body.markdown as { content?: unknown } | undefined)?.content : body.msgtype === 'text' ? (body.text as { content?: unknown } | undefined)?.content : undefined;
      if (!ok || typeof text !== 'string') return record('', { errcode: 40008, errmsg: 'invalid message type' });
      if (Buffer.byteLength(text) > (body.msgtype === 'markdown' ? 4096 : 2048)) return record(text, { errcode: 40058, errmsg: 'content exceed max length' });
      if (!this.#allow(token)) return record(text, { errcode: 45009, errmsg: 'api freq out of limit' });
      return record(text, { errcode: 0, errmsg: 'ok' });
    }
    if (platform === 'dingtalk') {
      if (!robot || robot.platform !== 'dingtalk') return record('', { errcode: 300001, errmsg: 'token is not exist' });
      const text = body.msgtype === 'markdown'
        ? (body.markdown as { title?: unknown; text?: unknown } | undefined)
        : body.msgtype === 'text' ? { title: '', text: (body.text as { content?: unknown } | undefined)?.content } : undefined;
      if (!ok || !text || typeof text.text !== 'string' || (body.msgtype === 'markdown' && typeof text.title !== 'string')) {
        return record('', { errcode: 40035, errmsg: '缺少参数 json' });
      }
      if (robot.secret) {
        const ts = url.searchParams.get('timestamp') ?? '';
        // The raw query must carry the URL-encoded Base64: a bare '+' would read as a space.
        const rawSign = /[?&]sign=([^&]*)/.exec(req.url ?? '')?.[1] ?? '';
        const expected = createHmac('sha256', robot.secret).update(`${ts}\n${robot.secret}`).digest('base64');
        if (!/^\d{13}$/.test(ts) || Math.abs(this.now() - Number(ts)) > 3600_000 || decodeURIComponent(rawSign) !== expected || rawSign.includes('+')) {
          return record(text.text, { errcode: 310000, errmsg: 'sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]' });
        }
      }
      const all = `${String(text.title ?? '')}${text.text}`;
      if (robot.keyword && !all.includes(robot.keyword)) {
        return record(text.text, { errcode: 310000, errmsg: 'description:关键词不匹配;solution:请联系群管理员查看此机器人的关键词，并在发送的信息中包含此关键词;' });
      }
      if (!this.#allow(token)) return record(text.text, { errcode: 130101, errmsg: 'send too fast, exceed 20 times per minute' });
      return record(text.text, { errcode: 0, errmsg: 'ok' });
    }
    if (!robot || robot.platform !== 'feishu') return record('', { code: 19001, msg: 'param invalid: incoming webhook access token invalid', data: {} });
    const content = body.content as { text?: unknown } | undefined;
    if (!ok || body.msg_type !== 'text' || typeof content?.text !== 'string') return record('', { code: 9499, msg: 'Bad Request', data: {} });
    if (robot.secret) {
      const ts = typeof body.timestamp === 'string' ? body.timestamp : '';
      const expected = createHmac('sha256', `${ts}\n${robot.secret}`).update(Buffer.alloc(0)).digest('base64');
      if (!/^\d{10}$/.test(ts) || Math.abs(this.now() / 1000 - Number(ts)) > 3600 || body.sign !== expected) {
        return record(content.text, { code: 19021, msg: 'sign match fail or timestamp is not within one hour from current time', data: {} });
      }
    }
    if (robot.keyword && !content.text.includes(robot.keyword)) return record(content.text, { code: 19024, msg: 'Key Words Not Found', data: {} });
    if (!this.#allow(token)) return record(content.text, { code: 11232, msg: 'frequency limited psm[lark.oapi.app_platform_runtime]appID[1]', data: {} });
    return record(content.text, { StatusCode: 0, StatusMessage: 'success', code: 0, msg: 'success', data: {} });
  }

  #allow(token: string): boolean {
    const now = this.now();
    const recent = (this.#sent.get(token) ?? []).filter((t) => t > now - 60_000);
    if (recent.length >= 20) return false;
    this.#sent.set(token, [...recent, now]);
    return true;
  }
}

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  user: string | null;
}

/** Decodes RFC 2047 encoded-words (=?UTF-8?B?…?= / ?Q?) in a header. */
function decodeWords(v: string): string {
  return v.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([\w-]+)\?([BbQq])\?([^?]*)\?=/g, (_m, _cs: string, enc: string, data: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'));
}

/** Just enough MIME for nodemailer's single-part text mails. */
export function parseMail(raw: string): { subject: string; text: string } {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const headers = head.replace(/\r?\n[ \t]+/g, ' ');
  const get = (name: string): string => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(headers)?.[1]?.trim() ?? '';
  const body = rest.join('\n\n');
  const cte = get('Content-Transfer-Encoding').toLowerCase();
  const text = cte === 'base64'
    ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
    : cte === 'quoted-printable'
      ? Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8')
      : body;
  return { subject: decodeWords(get('Subject')), text: text.replace(/\r\n/g, '\n').trimEnd() };
}

export interface FakeSmtp {
  port: number;
  mails: ReceivedMail[];
  close(): Promise<void>;
}

/** A real SMTP server (smtp-server) on 127.0.0.1 that requires AUTH with this user and pass. */
export async function startSmtp(user: string, pass: string): Promise<FakeSmtp> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    // Plain connection without STARTTLS (no certificate in tests); AUTH allowed over it.
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, cb) {
      if (auth.username === user && auth.password === pass) cb(null, { user: auth.username });
      else cb(Object.assign(new Error('Invalid login: 535 Error: authentication failed'), { responseCode: 535 }));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const { subject, text } = parseMail(Buffer.concat(chunks).toString('utf8'));
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          subject,
          text,
          user: typeof session.user === 'string' ? session.user : null,
        });
        cb();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
