import { describe, expect, it } from "vitest";
import { csvCell, CsvError, parseCsv, unguardCell, writeCsv } from "./csv";

describe("parseCsv", () => {
  it("reads plain records with LF or CRLF or CR line breaks", () => {
    expect(parseCsv("a,b,c\n1,2,3\n")).toEqual([["a", "b", "c"], ["1", "2", "3"]]);
    expect(parseCsv("a,b\r\n1,2\r\n")).toEqual([["a", "b"], ["1", "2"]]);
    expect(parseCsv("a,b\r1,2")).toEqual([["a", "b"], ["1", "2"]]);
  });

  it("does not need a final line break, and does not invent a record for one", () => {
    expect(parseCsv("a,b\n1,2")).toEqual([["a", "b"], ["1", "2"]]);
    expect(parseCsv("")).toEqual([]);
    expect(parseCsv("\n")).toEqual([[""]]);
  });

  it("keeps empty fields, including trailing ones", () => {
    expect(parseCsv("a,,c\n,,\n")).toEqual([["a", "", "c"], ["", "", ""]]);
    expect(parseCsv("a,")).toEqual([["a", ""]]);
  });

  it("reads quoted fields with commas, doubled quotes and line breaks", () => {
    const text = 'name,note\r\n"Smith, Jane","She said ""hi""\r\nand left"\r\n"",x\r\n';
    expect(parseCsv(text)).toEqual([
      ["name", "note"],
      ["Smith, Jane", 'She said "hi"\r\nand left'],
      ["", "x"],
    ]);
  });

  it("numbers records like a spreadsheet's rows, whatever line breaks quoted fields hold", () => {
    const rows = parseCsv('h\n"multi\nline"\nthird\n');
    expect(rows).toHaveLength(3);
    expect(rows[2]).toEqual(["third"]);
  });

  it("drops a UTF-8 byte-order mark", () => {
    expect(parseCsv("\ufeffparent_email,x\n")).toEqual([["parent_email", "x"]]);
    expect(parseCsv('\ufeff"quoted",x')).toEqual([["quoted", "x"]]);
  });

  it("keeps a quote inside an unquoted field as an ordinary character", () => {
    expect(parseCsv('5" tall,b')).toEqual([['5" tall', "b"]]);
  });

  it("keeps empty lines as records with one empty field", () => {
    expect(parseCsv("a\n\nb\n")).toEqual([["a"], [""], ["b"]]);
  });

  it("refuses a quoted field that is never closed, naming the row", () => {
    expect(() => parseCsv('a,b\n1,"open\n2,3\n')).toThrow(CsvError);
    try {
      parseCsv('a,b\n1,"open\n2,3\n');
    } catch (error) {
      expect((error as CsvError).row).toBe(2);
      expect((error as CsvError).message).toMatch(/^Row 2: a quoted value is never closed/);
    }
  });

  it("accepts another delimiter", () => {
    expect(parseCsv("a;b\n1;2", { delimiter: ";" })).toEqual([["a", "b"], ["1", "2"]]);
  });

  it("keeps accents and emoji", () => {
    expect(parseCsv("Müller,Zoë 🎻\n")).toEqual([["Müller", "Zoë 🎻"]]);
  });
});

describe("writeCsv", () => {
  it("quotes only when needed and ends every record with CRLF", () => {
    expect(writeCsv([["a", "b c", "d,e"], ['say "hi"', "line\nbreak", ""]])).toBe('a,b c,"d,e"\r\n"say ""hi""","line\nbreak",\r\n');
  });

  it("writes numbers, booleans, dates and empty values", () => {
    expect(writeCsv([[1, 2.5, true, false, null, undefined, new Date("2026-01-02T03:04:05Z")]], { eol: "\n" })).toBe(
      "1,2.5,true,false,,,2026-01-02T03:04:05.000Z\n",
    );
  });

  it("neutralises formulas in text cells", () => {
    for (const s of ["=SUM(A1:A9)", "+1 212 555 0101", "-2+3", "@cmd", "\tx", "\rx"]) {
      expect(csvCell(s).replace(/^"/, "").startsWith("'")).toBe(true);
    }
    expect(csvCell("=HYPERLINK(\"http://x\",\"y\")")).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvCell("plain")).toBe("plain");
    // Numbers are ours, not user text: a negative number stays a number.
    expect(csvCell(-5)).toBe("-5");
  });

  it("can start with a byte-order mark for spreadsheets", () => {
    expect(writeCsv([["é"]], { bom: true })).toBe("\ufeffé\r\n");
    expect(writeCsv([])).toBe("");
  });

  it("round-trips through the parser (formula guards undone by unguardCell)", () => {
    const rows = [
      ["name", "note", "phone"],
      ["Smith, Jane", 'He said "no"\nthen yes', "+44 20 7946 0958"],
      ["", "=1+1", "@home"],
    ];
    const back = parseCsv(writeCsv(rows)).map((r) => r.map(unguardCell));
    expect(back).toEqual(rows);
  });

  it("unguardCell leaves other apostrophes alone", () => {
    expect(unguardCell("'tis")).toBe("'tis");
    expect(unguardCell("O'Brien")).toBe("O'Brien");
    expect(unguardCell("'=x")).toBe("=x");
  });
});
