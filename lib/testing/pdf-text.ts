/**
 * The text of a PDF, page by page, for tests that check what a rendered document says (invoices,
 * issue 17). pdfjs-dist 4.x's legacy build: Mozilla's own parser, which runs on Node 20 (5.x needs
 * Node 22) and reads what pdfkit writes — compressed content streams, embedded subset fonts mapped
 * back to Unicode through their ToUnicode CMaps — so a test reads the words a viewer shows rather
 * than guessing at the bytes. Whitespace (no-break and narrow no-break spaces in French amounts)
 * reads as one plain space.
 */
export async function pdfText(pdf: Uint8Array): Promise<string[]> {
  const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
  const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const content = await (await doc.getPage(n)).getTextContent();
    const text = content.items.map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : " ") : "")).join("");
    pages.push(text.replace(/[^\S\n]+/g, " "));
  }
  await doc.destroy();
  return pages;
}
