// CSV (RFC 4180) reading and writing, with no dependencies.
//
// Reading accepts what spreadsheets actually produce: a UTF-8 byte-order mark,
// CRLF, LF or a lone CR between records, quoted fields with embedded commas,
// line breaks and doubled quotes (""). A record is numbered the way a spreadsheet
// numbers its rows (the first record, usually the header, is row 1), whatever line
// breaks its quoted fields contain.
//
// Writing quotes a field only when it must (a comma, quote, CR or LF), and guards
// against formula injection: a text cell that starts with = + - @ (or a tab or CR)
// is prefixed with an apostrophe, so a spreadsheet shows it as text instead of
// running it. Numbers and booleans are written as they are.

export class CsvError extends Error {
  constructor(
    message: string,
    /** The 1-based record (row) where the problem starts. */
    readonly row: number,
  ) {
    super(message);
    this.name = "CsvError";
  }
}

export interface ParseOptions {
  /** Field separator; "," by default. */
  delimiter?: string;
}

/**
 * Parses CSV text into records of fields. A final line break does not make an
 * empty record; an empty line in the middle is a record with one empty field
 * (`[""]`), as RFC 4180 says. Throws CsvError for a quoted field never closed.
 */
export function parseCsv(input: string, options: ParseOptions = {}): string[][] {
  const delimiter = options.delimiter ?? ",";
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
    throw new Error("The delimiter must be one character other than a quote or a line break.");
  }
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  // At the first character of a field: only there does a quote open a quoted field.
  let atFieldStart = true;
  let i = 0;
  const n = text.length;

  while (i < n) {
    const ch = text[i]!;
    if (ch === '"' && atFieldStart) {
      // A quoted field: read up to the closing quote; "" is one quote.
      const startRow = records.length + 1;
      let closed = false;
      i++;
      while (i < n) {
        const c = text[i]!;
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          closed = true;
          break;
        }
        field += c;
        i++;
      }
      if (!closed) throw new CsvError(`Row ${startRow}: a quoted value is never closed (a " is missing).`, startRow);
      atFieldStart = false;
      continue;
    }
    atFieldStart = false;
    if (ch === delimiter) {
      record.push(field);
      field = "";
      atFieldStart = true;
      i++;
    } else if (ch === "\r" || ch === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      atFieldStart = true;
      i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1;
    } else {
      // Ordinary character; also a quote inside an unquoted field (a"b) or after a
      // closing quote ("a"b): kept as it is, as spreadsheets do.
      field += ch;
      i++;
    }
  }
  // The last record, unless the text ended with a line break (or was empty).
  if (!atFieldStart || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

export type CsvCell = string | number | boolean | null | undefined | Date;

export interface WriteOptions {
  /** Record separator; CRLF by default (RFC 4180). */
  eol?: "\r\n" | "\n";
  delimiter?: string;
  /** Start with a UTF-8 byte-order mark, so Excel reads accents correctly. */
  bom?: boolean;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell as CSV text: neutralised against formulas, then quoted if needed. */
export function csvCell(value: CsvCell, delimiter = ","): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  let s = value instanceof Date ? value.toISOString() : value;
  if (FORMULA_START.test(s)) s = `'${s}`;
  if (s.includes(delimiter) || s.includes('"') || s.includes("\n") || s.includes("\r")) {
    s = `"${s.replaceAll('"', '""')}"`;
  }
  return s;
}

/** CSV text for the given records (the header is simply the first record). */
export function writeCsv(rows: readonly (readonly CsvCell[])[], options: WriteOptions = {}): string {
  const eol = options.eol ?? "\r\n";
  const delimiter = options.delimiter ?? ",";
  const body = rows.map((row) => row.map((cell) => csvCell(cell, delimiter)).join(delimiter)).join(eol);
  return (options.bom ? "\ufeff" : "") + (rows.length ? body + eol : "");
}

/**
 * Undoes the writer's formula guard on a value read back: "'=SUM(A1)" -> "=SUM(A1)",
 * "'+1 212 555 0101" -> "+1 212 555 0101". Any other value is returned unchanged.
 */
export function unguardCell(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}
