/** The audit trail as CSV (RFC 4180 quoting): `time,user,role,peer,action,target,result,detail,message`. */
import type { AuditEntry } from './audit-entry.js';

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  // A cell starting with = + - @ is a formula to spreadsheets: prefix it so it stays text.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function auditCsv(entries: readonly AuditEntry[]): string {
  const lines = ['time,user,role,peer,action,target,result,detail,message'];
  for (const e of entries)
    lines.push(
      [new Date(e.at).toISOString(), e.user, e.role, e.peer, e.action, e.target, e.result, e.detail, e.message]
        .map(cell)
        .join(','),
    );
  return `${lines.join('\n')}\n`;
}
