import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import "./globals.css";
import { Providers } from "@/components/providers";

export const metadata: Metadata = {
  title: "Pass",
  description: "The live order system for restaurants",
  // Installable (app/manifest.ts): the home-screen icon and a full-screen launch on iOS too.
  icons: { icon: "/icon.svg", apple: "/apple-icon.png" },
  appleWebApp: { capable: true, title: "Pass", statusBarStyle: "black-translucent" },
};

export const viewport: Viewport = { themeColor: "#0b0d10", width: "device-width", initialScale: 1 };

/**
 * Every page renders per request, the 404 page included: each answer's scripts carry the nonce of
 * its own Content-Security-Policy (proxy.ts), which a page prerendered at build time could not.
 */
export default async function RootLayout({ children }: { children: React.ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body className="min-h-dvh font-sans antialiased">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
