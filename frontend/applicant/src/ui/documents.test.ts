import { describe, expect, it } from "vitest";
import { ACCEPT, checkFile, fileTypeOf, formatSize, MAX_UPLOAD_BYTES } from "./documents";

const file = (name: string, type: string, size = 10) => new File([new Uint8Array(size)], name, { type });
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

describe("fileTypeOf", () => {
  it("takes the type the browser gives", () => {
    expect(fileTypeOf(file("scan.pdf", "application/pdf"))).toBe("application/pdf");
    expect(fileTypeOf(file("photo", "image/jpeg"))).toBe("image/jpeg");
    expect(fileTypeOf(file("photo.PNG", "image/png"))).toBe("image/png");
  });

  it("falls back on the extension when the browser gives none", () => {
    expect(fileTypeOf(file("Scan.PDF", ""))).toBe("application/pdf");
    expect(fileTypeOf(file("photo.jpeg", "application/octet-stream"))).toBe("image/jpeg");
    expect(fileTypeOf(file("photo.jpg", ""))).toBe("image/jpeg");
  });

  it("refuses other types, whatever the name says", () => {
    expect(fileTypeOf(file("lettre.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))).toBeNull();
    expect(fileTypeOf(file("faux.pdf", "text/plain"))).toBeNull();
    expect(fileTypeOf(file("archive.zip", ""))).toBeNull();
  });
});

describe("checkFile", () => {
  it("accepts a non-empty PDF, JPEG or PNG up to the limit", () => {
    expect(checkFile(file("a.pdf", "application/pdf", 1))).toBeNull();
    expect(checkFile(file("a.png", "image/png", MAX_UPLOAD_BYTES))).toBeNull();
  });

  it("says why it refuses", () => {
    expect(checkFile(file("a.txt", "text/plain"))).toBe("type");
    expect(checkFile(file("a.pdf", "application/pdf", 0))).toBe("empty");
    expect(checkFile(file("a.pdf", "application/pdf", MAX_UPLOAD_BYTES + 1))).toBe("size");
  });
});

describe("formatSize", () => {
  it("writes sizes as people read them, in each language", () => {
    expect(formatSize(512, "fr")).toBe("512 octets");
    expect(formatSize(512, "en")).toBe("512 bytes");
    expect(plain(formatSize(482_133, "fr"))).toBe("471 Ko");
    expect(formatSize(482_133, "en")).toBe("471 KB");
    expect(formatSize(1.25 * 1024 * 1024, "fr")).toBe("1,3 Mo");
    expect(formatSize(10 * 1024 * 1024, "en")).toBe("10 MB");
  });
});

describe("ACCEPT", () => {
  it("lists the three types and their extensions", () => {
    expect(ACCEPT.split(",").sort()).toEqual([".jpeg", ".jpg", ".pdf", ".png", "application/pdf", "image/jpeg", "image/png"]);
  });
});
