/**
 * The text of a PDF, page by page, for tests that check what a generated PDF says. pdfjs-dist's
 * legacy build of the 4.x line: the 5.x line needs Node 22 (Pass runs on Node 20), and the legacy
 * build is the one meant for Node (no DOM, its worker run in-process). Each page's text items are
 * joined in reading order; a line break where pdf.js reports the end of a line.
 */
import { createRequire } from "node:module";
import path from "node:path";

/** pdf.js reads the 14 standard fonts' metrics (Helvetica…) from its own folder. */
const STANDARD_FONTS = `${path.join(path.dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json")), "standard_fonts")}/`;

export async function pdfText(pdf: Uint8Array): Promise<string[]> {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const doc = await pdfjs.getDocument({
    data: new Uint8Array(pdf),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    standardFontDataUrl: STANDARD_FONTS,
  }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const content = await page.getTextContent();
    let text = "";
    for (const item of content.items) {
      if (!("str" in item)) continue;
      text += item.str;
      text += item.hasEOL ? "\n" : " ";
    }
    // Every run of whitespace but a line break (French amounts use no-break and narrow no-break spaces) reads as one space.
    pages.push(text.replace(/[^\S\n]+/g, " "));
  }
  await doc.destroy();
  return pages;
}
