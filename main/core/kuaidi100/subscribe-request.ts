/**
 * Pure validation and construction of a subscribe request, checking before anything is sent
 * what the spec states (1.2): lower-case company (or empty with autoCom=1), number of 6–32
 * characters, a callback URL, `to` when resultv2=8, phone for 顺丰速运 / 顺丰快运.
 */
import { companyNeedsPhone } from './companies.js';
import type { ResultV2, SubscribeParam } from './wire-types.js';

export interface SubscribeInput {
  company: string;
  number: string;
  callbackurl: string;
  salt?: string | null;
  resultv2?: ResultV2 | null;
  autoCom?: boolean;
  phone?: string | null;
  from?: string | null;
  to?: string | null;
}

export interface FieldError {
  field: 'company' | 'number' | 'callbackurl' | 'to' | 'phone' | 'key';
  message: string;
  messageEn: string;
}

export const NUMBER_PATTERN = /^[A-Za-z0-9-]{6,32}$/;

/** Why Kuaidi100 would refuse this waybill number, or null (its length and characters). */
export function waybillNumberProblem(number: string): { message: string; messageEn: string } | null {
  if (number.length < 6 || number.length > 32) return { message: '单号长度须为 6–32 个字符', messageEn: 'The number must be 6–32 characters' };
  if (!NUMBER_PATTERN.test(number)) return { message: '单号只能包含字母、数字和连字符', messageEn: 'The number may contain only letters, digits and hyphens' };
  return null;
}

export function validateSubscribe(input: SubscribeInput): FieldError | null {
  const company = input.company.trim();
  const bad = waybillNumberProblem(input.number.trim());
  if (bad) return { field: 'number', ...bad };
  if (!company && !input.autoCom) {
    return {
      field: 'company',
      message: '请选择快递公司，或开启自动识别',
      messageEn: 'Choose a carrier or turn on automatic recognition',
    };
  }
  if (company && !/^[a-z0-9_]+$/.test(company)) {
    return {
      field: 'company',
      message: '快递公司编码必须为小写字母',
      messageEn: 'The carrier code must be lower-case',
    };
  }
  if (!input.callbackurl || !/^https?:\/\/\S+$/.test(input.callbackurl)) {
    return { field: 'callbackurl', message: '缺少回调地址', messageEn: 'The callback URL is missing' };
  }
  if (input.resultv2 === '8' && !input.to?.trim()) {
    return {
      field: 'to',
      message: '开启时效预测（resultv2=8）时必须填写目的地',
      messageEn: 'A destination is required for ETA prediction (resultv2=8)',
    };
  }
  if (companyNeedsPhone(company) && !input.phone?.trim()) {
    return {
      field: 'phone',
      message: '顺丰需要收件人或寄件人的手机号（虚拟号填 “-” 后四位）',
      messageEn: 'SF Express needs the sender’s or recipient’s phone (for a virtual number, the 4 digits after “-”)',
    };
  }
  return null;
}

/** Builds the `param` object; call validateSubscribe first. */
export function buildSubscribeParam(input: SubscribeInput): SubscribeParam {
  const param: SubscribeParam = {
    company: input.autoCom && !input.company.trim() ? '' : input.company.trim(),
    number: input.number.trim(),
    parameters: { callbackurl: input.callbackurl },
  };
  if (input.from?.trim()) param.from = input.from.trim();
  if (input.to?.trim()) param.to = input.to.trim();
  const p = param.parameters;
  if (input.salt != null) p.salt = input.salt;
  if (input.resultv2 && input.resultv2 !== '0') p.resultv2 = input.resultv2;
  if (input.autoCom && !param.company) p.autoCom = '1';
  if (input.phone?.trim()) p.phone = input.phone.trim();
  return param;
}
