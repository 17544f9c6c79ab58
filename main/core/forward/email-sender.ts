/**
 * E-mail over SMTP with nodemailer (nodemailer.com/smtp: `secure: true` = TLS from the first
 * byte, port 465 — what QQ 邮箱 and 163 document; `secure: false` = plain, upgraded with
 * STARTTLS when the server offers it, ports 587/25; `auth: { user, pass }` with the mailbox's
 * 授权码, not its login password). One transport per send: a seller's mail goes out a few
 * times an hour at most, and a fresh connection never carries a broken one's state.
 * nodemailer is imported at the first mail, not at start (~50 ms a seller without an e-mail
 * channel would pay at every start).
 */
import type { EmailSettingsInput } from '../../../preload/channel-dtos.js';
import type { ChannelMessage } from './message-format.js';
import type { SendResult } from './send-result.js';

export interface EmailTarget extends Omit<EmailSettingsInput, 'pass'> {
  pass: string;
}

interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

export function parseSmtpError(e: unknown): SendResult {
  const err: SmtpError = typeof e === 'object' && e !== null ? (e as SmtpError) : { message: String(e) };
  const said = (err.response ?? err.message ?? '').slice(0, 200);
  if (err.code === 'EAUTH' || err.responseCode === 535) {
    return { ok: false, error: `邮箱登录失败：${said}（请填写邮箱的授权码，不是登录密码）`, errorEn: `Mailbox login failed: ${said} (use the mailbox's authorisation code, not its password)`, retryable: false };
  }
  if (err.responseCode && err.responseCode >= 500) {
    return { ok: false, error: `邮件服务器拒收：${said}`, errorEn: `The mail server refused: ${said}`, retryable: false };
  }
  return { ok: false, error: `邮件发送失败：${said}`, errorEn: `Sending the mail failed: ${said}`, retryable: true };
}

export async function sendEmail(target: EmailTarget, msg: ChannelMessage, timeoutMs: number): Promise<SendResult> {
  const { default: nodemailer } = await import('nodemailer');
  const transport = nodemailer.createTransport({
    host: target.host,
    port: target.port,
    secure: target.secure,
    auth: { user: target.user, pass: target.pass },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  try {
    await transport.sendMail({ from: target.from, to: target.to, subject: msg.title, text: msg.text });
    return { ok: true };
  } catch (e) {
    return parseSmtpError(e);
  } finally {
    transport.close();
  }
}
