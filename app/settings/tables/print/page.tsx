import { headers } from "next/headers";
import { redirect } from "next/navigation";
import QRCode from "qrcode";
import { can, resolvePartnerScope } from "@/lib/auth";
import { currentPrincipal } from "@/lib/auth/next";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db";
import { getPartnerProfile } from "@/lib/orders/partner-profile";
import { PrintButton } from "./print-button";

export const dynamic = "force-dynamic";

/** The origin guests' phones reach: PUBLIC_URL when set, else the host this page was asked for. */
async function publicOrigin(): Promise<string> {
  const configured = getConfig().publicUrl;
  if (configured) return configured.replace(/\/$/, "");
  const h = await headers();
  const host = h.get("host") ?? "localhost:3000";
  const proto = getConfig().trustProxy && h.get("x-forwarded-proto") === "https" ? "https" : "http";
  return `${proto}://${host}`;
}

/**
 * The tables' QR codes on A4 (print CSS in app/globals.css `.print-sheet`): one card per table,
 * each a QR of /order/{slug}?table=NAME with the table's name large under it, 3 × 4 per page.
 */
export default async function TablesPrintPage({ searchParams }: { searchParams: Promise<{ partner?: string }> }) {
  const { partner } = await searchParams;
  const principal = await currentPrincipal();
  if (!principal) redirect(`/login?next=${encodeURIComponent(`/settings/tables/print?partner=${partner ?? ""}`)}`);
  if (!can(principal, "partner:write")) redirect("/settings");
  const db = getDb();
  const scope = await resolvePartnerScope({ db, principal });
  let slug = typeof partner === "string" ? partner : "";
  if (!slug) {
    let q = db.selectFrom("partners").select("slug").orderBy("name");
    if (scope !== null) q = q.where("id", "=", scope);
    slug = (await q.executeTakeFirst())?.slug ?? "";
  }
  const profile = await getPartnerProfile({ db, principal, slug });
  const origin = await publicOrigin();
  const cards = await Promise.all(
    profile.tables.map(async (table) => {
      const url = `${origin}/order/${encodeURIComponent(profile.slug)}?table=${encodeURIComponent(table)}`;
      const svg = await QRCode.toString(url, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
      return { table, url, svg };
    }),
  );
  return (
    <div className="print-sheet" data-testid="table-sheet">
      <div className="print-sheet-toolbar">
        <p>
          {profile.name}: {cards.length} table{cards.length === 1 ? "" : "s"}. Print on A4, cut along the lines.
        </p>
        <PrintButton />
      </div>
      {cards.length === 0 && <p>No tables yet: add them in Settings → Tables.</p>}
      <div className="print-sheet-grid">
        {cards.map((c) => (
          <figure key={c.table} className="print-sheet-card" data-testid="table-card" data-url={c.url}>
            {/* biome-ignore lint/security/noDangerouslySetInnerHtml: qrcode's own SVG of our URL, no user markup */}
            <div className="print-sheet-qr" dangerouslySetInnerHTML={{ __html: c.svg }} />
            <figcaption>
              <span className="print-sheet-table">Table {c.table}</span>
              <span className="print-sheet-hint">Scan to order · {profile.name}</span>
            </figcaption>
          </figure>
        ))}
      </div>
    </div>
  );
}
