// The text of a PDF the service writes (its receipts): just enough of PDF to
// read it back — objects, Flate streams, the fonts' ToUnicode maps (the
// fonts are subset with Identity-H: the shown codes are glyph numbers), and
// the strings of Tj/TJ. Not a general PDF reader.
import { inflateSync } from "node:zlib";

type PdfObject = { dict: string; stream: Buffer | null };

function objects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString("latin1");
  const out = new Map<number, PdfObject>();
  const header = /(\d+)\s+0\s+obj\b/g;
  for (let m; (m = header.exec(text)); ) {
    const start = m.index + m[0].length;
    const end = text.indexOf("endobj", start);
    const body = text.slice(start, end);
    const at = body.search(/\bstream\r?\n/);
    if (at < 0) {
      out.set(Number(m[1]), { dict: body, stream: null });
      continue;
    }
    const dict = body.slice(0, at);
    const dataStart = start + at + /stream\r?\n/.exec(body.slice(at))![0].length;
    const length = Number(/\/Length\s+(\d+)(?!\s+0\s+R)/.exec(dict)?.[1] ?? NaN);
    const dataEnd = Number.isFinite(length) ? dataStart + length : text.indexOf("endstream", dataStart);
    const raw = pdf.subarray(dataStart, dataEnd);
    out.set(Number(m[1]), { dict, stream: /\/FlateDecode/.test(dict) ? inflateSync(raw) : raw });
  }
  return out;
}

/** Bytes of a literal string's body (between the parentheses), escapes decoded. */
function literal(s: string): number[] {
  const bytes: number[] = [];
  const escapes: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12, "(": 40, ")": 41, "\\": 92 };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== "\\") {
      bytes.push(c.charCodeAt(0));
      continue;
    }
    const next = s[++i];
    if (next in escapes) bytes.push(escapes[next]);
    else if (/[0-7]/.test(next)) {
      let oct = next;
      while (oct.length < 3 && /[0-7]/.test(s[i + 1] ?? "")) oct += s[++i];
      bytes.push(parseInt(oct, 8));
    } else if (next === "\r" || next === "\n") {
      // A line continuation.
    } else bytes.push(next.charCodeAt(0));
  }
  return bytes;
}

function toUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const hex = (h: string) => parseInt(h, 16);
  const chars = (h: string) => String.fromCodePoint(...(h.match(/.{4}/g) ?? []).map(hex));
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const [, code, uni] of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(hex(code), chars(uni));
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
    for (const [, lo, hi, uni] of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g))
      for (let c = hex(lo); c <= hex(hi); c++) map.set(c, String.fromCodePoint(hex(uni) + c - hex(lo)));
  return map;
}

/** Every page's text, in drawing order, whitespace collapsed. */
export function pdfText(pdf: Buffer): string {
  const objs = objects(pdf);
  const ref = (dict: string, key: string) => Number(new RegExp(`/${key}\\s+(\\d+)\\s+0\\s+R`).exec(dict)?.[1]);
  const words: string[] = [];
  for (const obj of objs.values()) {
    if (!/\/Type\s*\/Page\b/.test(obj.dict)) continue;
    // The page's fonts by resource name: their code → text maps (two-byte codes with a map).
    const fonts = new Map<string, Map<number, string> | null>();
    const fontDict = /\/Font\s*<<([\s\S]*?)>>/.exec(obj.dict)?.[1] ?? "";
    for (const [, name, num] of fontDict.matchAll(/\/(\w+)\s+(\d+)\s+0\s+R/g)) {
      const font = objs.get(Number(num));
      const cmap = font && objs.get(ref(font.dict, "ToUnicode"))?.stream;
      fonts.set(name, cmap ? toUnicode(cmap.toString("latin1")) : null);
    }
    const contents = objs.get(ref(obj.dict, "Contents"))?.stream?.toString("latin1") ?? "";
    let font: Map<number, string> | null = null;
    const decode = (bytes: number[]) => {
      if (!font) return String.fromCharCode(...bytes);
      let s = "";
      for (let i = 0; i + 1 < bytes.length; i += 2) s += font.get((bytes[i] << 8) | bytes[i + 1]) ?? "";
      return s;
    };
    let line = "";
    let lastName = "";
    // A small scanner: literal strings nest their unescaped parentheses.
    for (let i = 0; i < contents.length; ) {
      const c = contents[i];
      if (c === "(") {
        let depth = 1;
        let j = i + 1;
        for (; j < contents.length && depth > 0; j++) {
          if (contents[j] === "\\") j++;
          else if (contents[j] === "(") depth++;
          else if (contents[j] === ")") depth--;
        }
        line += decode(literal(contents.slice(i + 1, j - 1)));
        i = j;
      } else if (c === "<" && contents[i + 1] !== "<") {
        const j = contents.indexOf(">", i);
        line += decode((contents.slice(i + 1, j).replace(/\s/g, "").match(/../g) ?? []).map((h) => parseInt(h, 16)));
        i = j + 1;
      } else if (c === "/") {
        const name = /^\/([^\s/<>[\]()]+)/.exec(contents.slice(i))![1];
        lastName = name;
        i += name.length + 1;
      } else if (/[A-Za-z'*]/.test(c)) {
        const op = /^[A-Za-z'*]+/.exec(contents.slice(i))![0];
        if (op === "Tf") font = fonts.get(lastName) ?? null;
        else if (["ET", "Td", "TD", "T*", "'"].includes(op)) {
          if (line) words.push(line);
          line = "";
        }
        i += op.length;
      } else i++;
    }
    if (line) words.push(line);
  }
  return words.join(" ").replace(/\s+/g, " ").trim();
}
