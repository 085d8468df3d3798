"use client";

import QRCode from "qrcode";
import { useEffect, useState } from "react";

/**
 * A QR code of `text` as inline SVG (the `qrcode` package, drawn in the browser): dark modules
 * on white with a quiet zone, so phone cameras read it off a TV or paper. `data-text` is what it encodes.
 */
export function QrCode({ text, size = 256, testId = "qr-code" }: { text: string; size?: number; testId?: string }) {
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toString(text, { type: "svg", margin: 2, errorCorrectionLevel: "M", color: { dark: "#000000", light: "#ffffff" } })
      .then((s) => live && setSvg(s))
      .catch(() => live && setSvg(null));
    return () => {
      live = false;
    };
  }, [text]);
  return (
    <div
      data-testid={testId}
      data-text={text}
      data-ready={svg ? "true" : "false"}
      role="img"
      aria-label={`QR code for ${text}`}
      style={{ width: size, height: size }}
      className="overflow-hidden rounded-lg bg-white [&>svg]:h-full [&>svg]:w-full"
      // biome-ignore lint/security/noDangerouslySetInnerHtml: the SVG is qrcode's own output for our text, no user markup
      dangerouslySetInnerHTML={svg ? { __html: svg } : undefined}
    />
  );
}
