/**
 * An export written as a file: CSV (UTF-8 with a byte-order mark, so that Excel opens
 * the Chinese right; the lines that say what it is come first, then a blank line, then
 * the table) or xlsx (exceljs: the same lines as a header block above the table, the
 * header row bold and frozen). Text that a spreadsheet would take for a formula (= + - @)
 * is written quoted with a leading apostrophe in CSV: case ids and names come from
 * outside. The download's name goes in Content-Disposition.
 */
import ExcelJS from 'exceljs'
import type { ServerResponse } from 'node:http'
import type { Cell, ExportTable } from './exportTable.ts'
import type { ExportFormat } from './kpiQuery.ts'

const BOM = '\uFEFF'

/** csvCell writes one value: numbers as they are, text quoted where it must be, never as a formula. */
function csvCell(v: Cell): string {
  if (typeof v === 'number') return String(v)
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** toCsv writes a table as CSV text, with the BOM, lines ended by CRLF (RFC 4180). */
export function toCsv(t: ExportTable): string {
  const line = (cells: readonly Cell[]) => cells.map(csvCell).join(',')
  return BOM + [...t.meta.map((m) => line(m)), '', line(t.header), ...t.rows.map(line)].join('\r\n') + '\r\n'
}

/** toXlsx writes a table as an xlsx workbook of one sheet: the header block, a blank row, the table. */
export async function toXlsx(t: ExportTable): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.creator = 'Jiancha'
  const ws = wb.addWorksheet(t.sheet)
  for (const [k, v] of t.meta) ws.addRow([k, v]).getCell(1).font = { bold: true }
  ws.addRow([])
  const head = ws.addRow(t.header)
  head.font = { bold: true }
  ws.views = [{ state: 'frozen', ySplit: head.number }]
  for (const r of t.rows) ws.addRow(r)
  ws.columns.forEach((c, i) => (c.width = Math.min(40, Math.max(10, [...(t.header[i] ?? '')].length * 2 + 2))))
  return Buffer.from(await wb.xlsx.writeBuffer())
}

const TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
}

/** sendExport answers 200 with the file, named `${base}.${format}` for the download. */
export async function sendExport(res: ServerResponse, t: ExportTable, format: ExportFormat, base: string): Promise<void> {
  const body = format === 'csv' ? Buffer.from(toCsv(t), 'utf8') : await toXlsx(t)
  const name = `${base}.${format}`
  // An ASCII fallback beside the RFC 5987 name: codes are ASCII, but a registry's need not be.
  const ascii = name.replace(/[^\w.-]/g, '_')
  res.writeHead(200, {
    'Content-Type': TYPES[format],
    'Content-Length': body.length,
    'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    'Cache-Control': 'no-store',
  })
  res.end(body)
}
