/**
 * The one notification after a start that had to mend damaged files: the seller (or whoever
 * they ask for help) learns that something was wrong, what it cost and where the damaged
 * copies are, instead of finding it only in the log. Pure.
 */
import { join } from 'node:path';
import type { Language } from '../../../preload/contract.js';
import { DAMAGED_DIR, type RecoveryReport } from '../store/recovery-report.js';

export interface RecoveryNotice {
  title: string;
  body: string;
}

export function recoveryNotice(report: RecoveryReport, dataDir: string, lang: Language): RecoveryNotice | null {
  if (!report.issues.length) return null;
  const files = [...new Set(report.issues.map((i) => i.file))];
  const lines = report.issues.filter((i) => i.line !== null).length;
  const where = report.damagedCopies.length ? join(dataDir, DAMAGED_DIR) : null;
  if (lang === 'en') {
    return {
      title: 'Damaged data files were repaired',
      body:
        `${report.issues.length} problem(s) in ${files.join(', ')}` +
        (lines ? `; ${lines} damaged line(s) skipped, everything intact kept` : '; everything intact kept') +
        '. The callback URL is unchanged.' +
        (where ? ` Copies of the damaged files: ${where}.` : '') +
        ' Details in the log file (Settings).',
    };
  }
  return {
    title: '数据文件有损坏，已修复',
    body:
      `${files.join('、')} 中发现 ${report.issues.length} 处问题` +
      (lines ? `，跳过 ${lines} 行损坏内容，其余完好数据均已保留` : '，完好数据均已保留') +
      '。回调地址未变。' +
      (where ? `损坏文件的副本在 ${where}。` : '') +
      '详情见日志文件（设置中可查看路径）。',
  };
}
