import { getDbHandle } from "@/lib/db";
import { apiRoute, json, requirePrincipal } from "@/lib/http";
import { failedJobsFor } from "@/lib/jobs";

export const dynamic = "force-dynamic";

/** Background jobs whose last attempt failed, with their error (docs/contracts.md#jobs). */
export const GET = apiRoute(async (req) => {
  const principal = await requirePrincipal(req);
  return json(await failedJobsFor({ handle: getDbHandle(), principal }));
});
