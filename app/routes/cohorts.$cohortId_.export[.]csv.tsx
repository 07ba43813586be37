import type { LoaderFunctionArgs } from "@remix-run/node";
import { idParam, orFail, requireMember } from "../lib/http.server";
import { exportCohortCsv, getCohort } from "../models/listening/cohorts.server";
import { csvRow } from "../models/listening/listening";

/**
 * A cohort as CSV, streamed: the header, then a page of 1,000 members at a
 * time as the client reads. Cells are quoted and defused (see csvCell).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const viewer = requireMember(context, request);
  const cohortId = idParam(params.cohortId, "That cohort");
  const cohort = await orFail(getCohort(context.db, viewer, cohortId));
  const lines = exportCohortCsv(context.db, viewer, cohort.criteria, (m) =>
    csvRow([m.id, m.handle, m.display_name, m.email, m.created_at.toISOString(), m.staff_messages ? "yes" : "no"]),
  );
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvRow(["member_id", "handle", "display_name", "email", "joined_at", "accepts_staff_messages"])));
    },
    async pull(controller) {
      try {
        const next = await lines.next();
        if (next.done) controller.close();
        else if (next.value) controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  const slug = cohort.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40) || "cohort";
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="cohort-${cohort.id}-${slug}.csv"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
