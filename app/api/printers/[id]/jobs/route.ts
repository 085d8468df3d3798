import { getDb } from "@/lib/db";
import { apiRoute, json, requirePrincipal, textIdParam } from "@/lib/http";
import { listJobs } from "@/lib/printing";

export const dynamic = "force-dynamic";

/** The printer's latest 50 jobs, newest first, with their state (the print console's list). */
export const GET = apiRoute<{ id: string }>(async (req, { id }) => {
  const principal = await requirePrincipal(req);
  return json({ jobs: await listJobs({ db: getDb(), principal, printerId: textIdParam(id) }) });
});
