import { sql, type RawBuilder } from "kysely";
import { mailMembers, siteLink } from "../mail/mail.server";
import type { DB } from "../../lib/db.server";
import { renderMarkdown } from "../../lib/markdown.server";
import { emit } from "../events/events.server";
import { jobQueue } from "../../lib/queue.server";
import { allowed, assertCan, type Actor } from "../policy";
import { DomainError, notFound } from "../shared/errors";
import { keysetPage } from "../shared/keyset.server";
import type { CohortCriterion, CohortNames } from "./listening";
import { storedCriteriaSchema } from "./schemas.server";

/**
 * Cohorts: members chosen by what they did, each condition a set of member
 * ids read through an index, combined with AND (intersect). A saved cohort
 * keeps its conditions, not its members: it is computed when read, so it is
 * always current. See docs/decisions/018-member-record-and-cohorts.md.
 */

export const COHORT_PAGE = 50;
export const MAX_CRITERIA = 6;

function memberSet(c: CohortCriterion): RawBuilder<{ member_id: number }> {
  switch (c.kind) {
    case "voted_tag":
      // idea_tags_tag_idx (tag_id, idea_id), then votes_idea_up_idx (idea_id, member_id) where value = 1: index only.
      return sql`select v.member_id from idea_tags it join votes v on v.idea_id = it.idea_id
        where it.tag_id = ${c.tagId} and v.value = 1 group by v.member_id having count(*) >= ${c.min}`;
    case "commented_category":
      // ideas_category_trending_idx, then comments_idea_recent_idx (idea_id, created_at) include author_id.
      return sql`select distinct c.author_id as member_id from ideas i join comments c on c.idea_id = i.id
        where i.category_id = ${c.categoryId} and c.deleted_at is null
          and c.created_at >= now() - make_interval(days => ${c.days})`;
    case "supporters":
      // votes_idea_up_idx, index only.
      return sql`select member_id from votes where idea_id = ${c.ideaId} and value = 1`;
    case "adopted_authors":
      // ideas_status_trending_idx: adopted ideas are few.
      return sql`select distinct author_id as member_id from ideas where status = 'adopted'`;
  }
}

/** The cohort's member ids: the intersection of its conditions. */
function cohortIds(criteria: CohortCriterion[]): RawBuilder<{ member_id: number }> {
  if (!criteria.length) throw new DomainError(400, "Choose at least one condition.");
  if (criteria.length > MAX_CRITERIA) throw new DomainError(400, `A cohort has at most ${MAX_CRITERIA} conditions.`);
  return sql`(${sql.join(criteria.map((c) => sql`(${memberSet(c)})`), sql` intersect `)})`;
}

function membersOf(db: DB, criteria: CohortCriterion[]) {
  return db
    .selectFrom(cohortIds(criteria).as("cohort"))
    .innerJoin("members", "members.id", "cohort.member_id")
    .where("members.deleted_at", "is", null);
}

/** How many members meet the conditions. */
export async function cohortSize(db: DB, viewer: Actor | null, criteria: CohortCriterion[]): Promise<number> {
  assertCan(viewer, "cohort.build", null);
  const row = await membersOf(db, criteria).select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One page of the cohort's members, by member id. */
export async function cohortMembers(db: DB, viewer: Actor | null, criteria: CohortCriterion[], cursor?: string | null, limit = COHORT_PAGE) {
  assertCan(viewer, "cohort.build", null);
  const q = membersOf(db, criteria).select(["members.id", "members.handle", "members.display_name", "members.email", "members.created_at", "members.staff_messages"]);
  return keysetPage(q, { key: null, id: "members.id", direction: "asc", cursor, limit });
}

/** The names criteria refer to (tags, categories, ideas), for describing them. */
export async function criteriaNames(db: DB, criteria: CohortCriterion[]): Promise<CohortNames> {
  const tagIds = criteria.flatMap((c) => (c.kind === "voted_tag" ? [c.tagId] : []));
  const categoryIds = criteria.flatMap((c) => (c.kind === "commented_category" ? [c.categoryId] : []));
  const ideaIds = criteria.flatMap((c) => (c.kind === "supporters" ? [c.ideaId] : []));
  const [tags, categories, ideas] = await Promise.all([
    tagIds.length ? db.selectFrom("tags").select(["id", "name"]).where("id", "in", tagIds).execute() : [],
    categoryIds.length ? db.selectFrom("categories").select(["id", "name"]).where("id", "in", categoryIds).execute() : [],
    ideaIds.length ? db.selectFrom("ideas").select(["id", "title as name"]).where("id", "in", ideaIds).execute() : [],
  ]);
  const byId = (rows: { id: number; name: string }[]) => Object.fromEntries(rows.map((r) => [r.id, r.name]));
  return { tags: byId(tags), categories: byId(categories), ideas: byId(ideas) };
}

/** Checks that what criteria refer to exists (a 400 naming the field otherwise). */
async function checkCriteria(db: DB, criteria: CohortCriterion[]) {
  const names = await criteriaNames(db, criteria);
  for (const c of criteria) {
    if (c.kind === "voted_tag" && !names.tags[c.tagId]) throw new DomainError(400, "That tag does not exist.", "tag");
    if (c.kind === "commented_category" && !names.categories[c.categoryId]) throw new DomainError(400, "That category does not exist.", "category");
    if (c.kind === "supporters" && !names.ideas[c.ideaId]) throw new DomainError(400, "No idea has that number.", "idea");
  }
  return names;
}

export async function describeCohortInput(db: DB, viewer: Actor | null, criteria: CohortCriterion[]) {
  assertCan(viewer, "cohort.build", null);
  return checkCriteria(db, criteria);
}

export async function saveCohort(db: DB, viewer: Actor | null, input: { name: string; criteria: CohortCriterion[] }) {
  assertCan(viewer, "cohort.build", null);
  cohortIds(input.criteria);
  await checkCriteria(db, input.criteria);
  return db.transaction().execute(async (trx) => {
    assertCan(viewer, "cohort.build", null);
    const row = await trx
      .insertInto("cohorts")
      .values({ name: input.name, criteria: JSON.stringify(input.criteria), created_by: viewer.id })
      .returning("id")
      .executeTakeFirstOrThrow();
    await emit(trx, { type: "cohort.saved", actor: viewer, payload: { cohortId: row.id } });
    return row;
  });
}

export async function listCohorts(db: DB, viewer: Actor | null, cursor?: string | null) {
  assertCan(viewer, "cohort.build", null);
  const q = db
    .selectFrom("cohorts")
    .innerJoin("members", "members.id", "cohorts.created_by")
    .select(["cohorts.id", "cohorts.name", "cohorts.created_at", "members.display_name as created_by_name"]);
  return keysetPage(q, { key: null, id: "cohorts.id", direction: "desc", cursor, limit: 30 });
}

export async function getCohort(db: DB, viewer: Actor | null, cohortId: number) {
  assertCan(viewer, "cohort.build", null);
  const row = await db
    .selectFrom("cohorts")
    .innerJoin("members", "members.id", "cohorts.created_by")
    .select(["cohorts.id", "cohorts.name", "cohorts.criteria", "cohorts.created_at", "members.display_name as created_by_name"])
    .where("cohorts.id", "=", cohortId)
    .executeTakeFirst();
  if (!row) throw notFound("That cohort");
  const messages = await db
    .selectFrom("cohort_messages")
    .innerJoin("members", "members.id", "cohort_messages.sent_by")
    .select(["cohort_messages.id", "cohort_messages.subject", "cohort_messages.created_at", "cohort_messages.delivered_count", "cohort_messages.finished_at", "members.display_name as sent_by_name"])
    .where("cohort_messages.cohort_id", "=", cohortId)
    .orderBy("cohort_messages.id", "desc")
    .limit(20)
    .execute();
  return { ...row, criteria: storedCriteriaSchema.parse(row.criteria) as CohortCriterion[], messages };
}

/**
 * The cohort as CSV text, streamed in chunks of 1,000 members. The cohort's
 * ids are computed once (one set query; 4 bytes a member, a few MB for a
 * million), then each chunk's details come by primary key: an export costs one
 * cohort query, not one per page.
 */
export async function* exportCohortCsv(
  db: DB,
  viewer: Actor | null,
  criteria: CohortCriterion[],
  row: (m: { id: number; handle: string; display_name: string; email: string; created_at: Date; staff_messages: boolean }) => string,
) {
  assertCan(viewer, "cohort.build", null);
  const ids = (await sql<{ member_id: number }>`select member_id from ${cohortIds(criteria)} cohort order by member_id`.execute(db)).rows.map((r) => r.member_id);
  for (let i = 0; i < ids.length; i += 1_000) {
    const chunk = ids.slice(i, i + 1_000);
    const members = await db
      .selectFrom("members")
      .select(["id", "handle", "display_name", "email", "created_at", "staff_messages"])
      .where(sql<boolean>`id = any(${chunk}::int[])`)
      .where("deleted_at", "is", null)
      .orderBy("id")
      .execute();
    yield members.map((m) => row({ ...m, created_at: new Date(m.created_at) })).join("");
  }
}

export const DELIVERY_JOB = "deliver-cohort-message";
const DELIVERY_BATCH = 500;

/**
 * Sends a message to a cohort: the message row, its event and the delivery
 * job, in one transaction. The job fans it out; nothing is delivered here.
 */
export async function messageCohort(db: DB, viewer: Actor | null, input: { cohortId: number; subject: string; body: string }) {
  assertCan(viewer, "cohort.message", null);
  const bodyHtml = await renderMarkdown(input.body);
  return db.transaction().execute(async (trx) => {
    assertCan(viewer, "cohort.message", null);
    const cohort = await trx.selectFrom("cohorts").select(["id", "criteria"]).where("id", "=", input.cohortId).executeTakeFirst();
    if (!cohort) throw notFound("That cohort");
    const message = await trx
      .insertInto("cohort_messages")
      .values({
        cohort_id: cohort.id,
        criteria: JSON.stringify(cohort.criteria),
        subject: input.subject,
        body: input.body,
        body_html: bodyHtml,
        sent_by: viewer.id,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const event = await emit(trx, { type: "cohort.messaged", actor: viewer, payload: { messageId: message.id, cohortId: cohort.id } });
    await jobQueue().enqueue(trx, DELIVERY_JOB, { messageId: message.id, eventId: event.id }, { singletonKey: `cohort-message-${message.id}` });
    return message;
  });
}

/**
 * The delivery job: the cohort's members as of now, in batches by member id,
 * each told once (a notification keyed by member and the message's event),
 * leaving out members who refuse staff messages. Progress is kept on the
 * message, so a retried job carries on where it stopped; a batch done twice
 * adds nothing.
 */
export async function deliverCohortMessage(db: DB, data: { messageId: number; eventId: string }, mail: MailSeam = queueMemberMail) {
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      const message = await trx
        .selectFrom("cohort_messages")
        .select(["id", "criteria", "sent_by", "delivered_through", "finished_at"])
        .where("id", "=", data.messageId)
        .forUpdate()
        .executeTakeFirst();
      if (!message || message.finished_at) return true;
      const criteria = storedCriteriaSchema.parse(message.criteria) as CohortCriterion[];
      const batch = await sql<{ member_id: number }>`
        select cohort.member_id from ${cohortIds(criteria)} cohort
        join members on members.id = cohort.member_id and members.deleted_at is null and members.staff_messages
        where cohort.member_id > ${message.delivered_through}
        order by cohort.member_id limit ${DELIVERY_BATCH}`.execute(trx);
      const ids = batch.rows.map((r) => r.member_id);
      if (ids.length) {
        const inserted = await sql<{ member_id: number }>`
          insert into notifications (member_id, event_id, reason, idea_id, comment_id, actor_id, created_at)
          select m, ${data.eventId}::bigint, 'recipient', null, null, ${message.sent_by}::int, now()
          from unnest(${ids}::int[]) m
          on conflict (member_id, event_id) do nothing
          returning member_id`.execute(trx);
        await mail(trx, { memberIds: inserted.rows.map((r) => r.member_id), kind: "cohort_message", ref: { messageId: message.id } });
        await trx
          .updateTable("cohort_messages")
          .set((eb) => ({ delivered_through: ids[ids.length - 1]!, delivered_count: eb("delivered_count", "+", inserted.rows.length) }))
          .where("id", "=", message.id)
          .execute();
      }
      if (ids.length < DELIVERY_BATCH) {
        await trx.updateTable("cohort_messages").set({ finished_at: new Date() }).where("id", "=", message.id).execute();
        return true;
      }
      return false;
    });
    if (done) return;
  }
}

/**
 * The e-mail seam: "queue a mail of kind Y to member X", inside the delivery's
 * transaction. The mail channel applies the member's own choice for messages from
 * the team (e-mail at once by default) and only mails confirmed addresses; the
 * delivery is keyed by message and member, so a retried batch never mails twice.
 */
export type MailSeam = (trx: DB, mail: { memberIds: number[]; kind: "cohort_message"; ref: { messageId: number } }) => Promise<void>;
export const queueMemberMail: MailSeam = async (trx, { memberIds, ref }) => {
  if (!memberIds.length) return;
  const message = await trx.selectFrom("cohort_messages").select(["id", "subject", "body"]).where("id", "=", ref.messageId).executeTakeFirstOrThrow();
  await mailMembers(trx, {
    memberIds,
    kind: "staff_message",
    key: (memberId) => `cohort-message:${message.id}:${memberId}`,
    content: {
      subject: message.subject,
      heading: message.subject,
      // The Markdown source reads well as plain text; the site shows it rendered.
      paragraphs: message.body.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean),
      action: { label: "Read it on the site", url: siteLink(`/messages/${message.id}`) },
    },
  });
};

/** A message as its recipient (or staff) reads it. */
export async function getCohortMessage(db: DB, viewer: Actor | null, messageId: number) {
  if (!viewer) throw new DomainError(403, "Sign in first.");
  const message = await db
    .selectFrom("cohort_messages")
    .innerJoin("members", "members.id", "cohort_messages.sent_by")
    .select(["cohort_messages.id", "cohort_messages.subject", "cohort_messages.body_html", "cohort_messages.created_at", "members.display_name as sent_by_name", "members.role as sent_by_role"])
    .where("cohort_messages.id", "=", messageId)
    .executeTakeFirst();
  if (!message) throw notFound("That message");
  if (!allowed(viewer, "cohort.message", null)) {
    const received = await db
      .selectFrom("notifications")
      .innerJoin("events", "events.id", "notifications.event_id")
      .select("notifications.id")
      .where("notifications.member_id", "=", viewer.id)
      .where("events.type", "=", "cohort.messaged")
      .where(sql<boolean>`(events.data->>'messageId')::int = ${messageId}`)
      .executeTakeFirst();
    if (!received) throw notFound("That message");
  }
  return message;
}
