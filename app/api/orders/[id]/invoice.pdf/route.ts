import { getDb } from "@/lib/db";
import { UnauthorizedError } from "@/lib/errors";
import { apiRoute, authenticate, orderIdParam } from "@/lib/http";
import { orderInvoicePdf } from "@/lib/orders";

export const dynamic = "force-dynamic";

/**
 * The order's invoice (lib/orders/invoice.ts): staff by their session or token, the guest by the
 * order's tracking token (`?token=` — a link on /track — or `x-tracking-token`), as GET /api/orders/{id}.
 */
export const GET = apiRoute<{ id: string }>(async (req, { id }) => {
  const principal = await authenticate(req);
  const trackingToken = req.headers.get("x-tracking-token") ?? new URL(req.url).searchParams.get("token");
  if (!principal && !trackingToken) throw new UnauthorizedError();
  const { pdf, filename } = await orderInvoicePdf({ db: getDb(), principal, id: orderIdParam(id), trackingToken });
  return new Response(new Uint8Array(pdf), {
    headers: {
      "content-type": "application/pdf",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "private, no-store",
      "content-length": String(pdf.length),
    },
  });
});
