import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeMail, configureMail } from "../../app/lib/mail.server";
import { migrateJobQueue, startJobQueue, type JobDefinition, type JobQueue } from "../../app/lib/queue.server";
import { JOBS } from "../../app/models/jobs.server";
import { mailAccount, SEND_MAIL_JOB } from "../../app/models/mail/mail.server";
import { postOfficialResponse } from "../../app/models/pipeline/responses.server";
import { castVote } from "../../app/models/votes/votes.server";
import * as account from "../../app/routes/account";
import * as forgot from "../../app/routes/forgot-password";
import * as join from "../../app/routes/join";
import * as login from "../../app/routes/login";
import * as manageMail from "../../app/routes/manage.mail";
import * as mailbox from "../../app/routes/dev.mailbox";
import * as mentions from "../../app/routes/mentions";
import { addComment } from "../../app/models/discussion/comments.server";
import { sendDueDigests } from "../../app/models/mail/digest.server";
import * as reset from "../../app/routes/reset-password.$token";
import * as unsubscribe from "../../app/routes/unsubscribe.$token";
import * as verify from "../../app/routes/verify-email.$token";
import { useTestDatabase, type TestDatabase } from "../support/db";
import { PASSWORD, ensureCategory, makeIdea, makeMember } from "../support/factories";
import { callRoute, cookieFor } from "../support/routes";
import { startSmtp, type ReceivedMail, type TestSmtp } from "../support/smtp";

let t: TestDatabase;
let smtp: TestSmtp;
let worker: JobQueue;

// The real jobs, retried after a second instead of 30 s so a test can watch a retry.
const FAST_JOBS: JobDefinition[] = JOBS.map((j) => (j.name === SEND_MAIL_JOB ? { ...j, retryDelay: 1, retryBackoff: false } : j));

beforeAll(async () => {
  t = await useTestDatabase();
  await ensureCategory(t.db);
  smtp = await startSmtp();
  configureMail({ smtpUrl: smtp.url, siteUrl: "http://localhost", production: false });
  await migrateJobQueue(t, FAST_JOBS);
  worker = await startJobQueue(t, FAST_JOBS, { work: true, schedule: false, pollingIntervalSeconds: 0.5, register: false });
});

afterAll(async () => {
  await worker?.stop();
  closeMail();
  configureMail({ smtpUrl: undefined, siteUrl: undefined, production: undefined });
  await smtp.close();
});

const pathOf = (link: string) => {
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
};
const linkTo = (mail: ReceivedMail, prefix: string) => {
  const link = mail.links.find((l) => new URL(l).pathname.startsWith(prefix));
  if (!link) throw new Error(`no ${prefix} link in: ${mail.text}`);
  return link;
};
const tokenIn = (link: string) => new URL(link).pathname.split("/").pop()!;

async function until(check: () => Promise<boolean>, seconds = 20) {
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("timed out waiting");
}

const deliveriesTo = (address: string) =>
  t.db.selectFrom("mail_deliveries").select(["id", "kind", "state", "attempts", "smtp_response", "text_body"]).where("to_address", "=", address).orderBy("id").execute();

const uniqueEmail = (label: string) => `${label}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.test`;

describe("every mail", () => {
  it("a sign-up gets a verification mail over SMTP with both parts, the site's name and a footer; its link verifies once", async () => {
    const email = uniqueEmail("joiner");
    const res = await callRoute(join.action, t.db, { path: "/join", form: { displayName: "Jo Iner", email, password: PASSWORD } });
    expect(res.status).toBe(302);
    const mail = await smtp.waitFor((m) => m.to.includes(email));
    expect(mail.subject).toBe("Confirm your e-mail address for Harbor Ideas");
    expect(mail.headers["content-type"]).toMatch(/^multipart\/alternative/);
    expect(mail.headers.from).toContain("ideas@localhost");
    expect(mail.text).toContain("Harbor Ideas");
    expect(mail.text).toContain("You get this because someone (we hope you) asked for it on your account.");
    expect(mail.html).toContain("Harbor Ideas");
    expect(mail.html).toContain("Confirm my address");
    // Account mail cannot be unsubscribed from.
    expect(mail.headers["list-unsubscribe"]).toBeUndefined();

    const member = await t.db.selectFrom("members").select(["id", "email_verified_at"]).where("email", "=", email).executeTakeFirstOrThrow();
    expect(member.email_verified_at).toBeNull();
    const link = linkTo(mail, "/verify-email/");
    const token = tokenIn(link);
    // Opening the link uses nothing up (mail scanners fetch links).
    const page = await callRoute(verify.loader, t.db, { path: pathOf(link), params: { token } });
    expect(page.data.email).toBe(email);
    const done = await callRoute(verify.action, t.db, { path: pathOf(link), params: { token }, form: {} });
    expect(done.status).toBe(302);
    const after = await t.db.selectFrom("members").select("email_verified_at").where("id", "=", member.id).executeTakeFirstOrThrow();
    expect(after.email_verified_at).not.toBeNull();
    const again = await callRoute(verify.action, t.db, { path: pathOf(link), params: { token }, form: {} });
    expect(again.status).toBe(409);
    // Once sent over SMTP, the body (with its link) is not kept. (The worker marks the row sent
    // just after the SMTP server accepts the mail, so the row may lag the mail by a moment.)
    await expect.poll(async () => (await deliveriesTo(email))[0]?.state, { timeout: 15_000 }).toBe("sent");
    const [delivery] = await deliveriesTo(email);
    expect(delivery).toMatchObject({ kind: "verify_email", state: "sent", attempts: 1, text_body: null });
    expect(delivery!.smtp_response).toMatch(/^250/);
  });

  it("a transaction that rolls back sends nothing", async () => {
    const member = await makeMember(t.db);
    const jobsBefore = Number((await sql<{ n: string }>`select count(*) as n from pgboss.job where name = ${SEND_MAIL_JOB}`.execute(t.db)).rows[0]!.n);
    await expect(
      t.db.transaction().execute(async (trx) => {
        await mailAccount(trx, { memberId: member.id, kind: "reset_password", key: `rollback:${member.id}`, to: member.email, content: { subject: "Never", heading: "Never", paragraphs: [] } });
        throw new Error("the change fails");
      }),
    ).rejects.toThrow("the change fails");
    const jobsAfter = Number((await sql<{ n: string }>`select count(*) as n from pgboss.job where name = ${SEND_MAIL_JOB}`.execute(t.db)).rows[0]!.n);
    expect(jobsAfter).toBe(jobsBefore);
    expect(await deliveriesTo(member.email)).toEqual([]);
    await new Promise((r) => setTimeout(r, 800));
    expect(smtp.messages.filter((m) => m.to.includes(member.email))).toEqual([]);
  });

  it("a delivery the SMTP server refuses once is failed with its answer, then sent exactly once after the retry", async () => {
    const member = await makeMember(t.db);
    smtp.refuseNext(1);
    await t.db.transaction().execute((trx) =>
      mailAccount(trx, { memberId: member.id, kind: "reset_password", key: `flaky:${member.id}`, to: member.email, content: { subject: "Flaky", heading: "Flaky", paragraphs: ["Once."] } }),
    );
    await until(async () => (await deliveriesTo(member.email))[0]?.state === "failed");
    const failed = (await deliveriesTo(member.email))[0]!;
    expect(failed.smtp_response).toContain("451");
    // An admin sees it, with the server's answer.
    const admin = await makeMember(t.db, { role: "admin" });
    const view = await callRoute(manageMail.loader, t.db, { path: "/manage/mail?state=failed", cookie: await cookieFor(t.db, admin.id) });
    expect(view.status).toBe(200);
    expect(view.data.items.some((d: { to: string; response: string }) => d.to === member.email && d.response.includes("451"))).toBe(true);

    await smtp.waitFor((m) => m.to.includes(member.email));
    await until(async () => (await deliveriesTo(member.email))[0]?.state === "sent");
    await new Promise((r) => setTimeout(r, 1500));
    expect(smtp.messages.filter((m) => m.to.includes(member.email))).toHaveLength(1);
    expect((await deliveriesTo(member.email))[0]).toMatchObject({ state: "sent", attempts: 2 });
  });

  it("only admins see the deliveries", async () => {
    const member = await makeMember(t.db);
    const res = await callRoute(manageMail.loader, t.db, { path: "/manage/mail", cookie: await cookieFor(t.db, member.id) });
    expect(res.status).toBe(403);
    const anonymous = await callRoute(manageMail.loader, t.db, { path: "/manage/mail" });
    expect(anonymous.status).toBe(302);
    const bad = await callRoute(manageMail.loader, t.db, { path: "/manage/mail?state=lost", cookie: await cookieFor(t.db, (await makeMember(t.db, { role: "admin" })).id) });
    expect(bad.status).toBe(400);
  });
});

describe("password reset", () => {
  it("never says whether an account exists; the mailed link works once, signs out every other session and signs this browser in", async () => {
    const member = await makeMember(t.db);
    const otherSession = await cookieFor(t.db, member.id);
    const unknown = await callRoute(forgot.action, t.db, { path: "/forgot-password", form: { email: uniqueEmail("nobody") }, client: "10.1.0.1" });
    const known = await callRoute(forgot.action, t.db, { path: "/forgot-password", form: { email: member.email.toUpperCase() }, client: "10.1.0.1" });
    expect(unknown.status).toBe(200);
    expect(known.status).toBe(200);
    expect(Object.keys(unknown.data)).toEqual(Object.keys(known.data));

    const mail = await smtp.waitFor((m) => m.to.includes(member.email) && m.subject.includes("Reset"));
    expect(mail.subject).toBe("Reset your Harbor Ideas password");
    const link = linkTo(mail, "/reset-password/");
    const token = tokenIn(link);
    const stored = await t.db.selectFrom("email_tokens").select(["token_hash", "expires_at"]).where("member_id", "=", member.id).where("purpose", "=", "reset_password").executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);
    expect(new Date(stored.expires_at).getTime() - Date.now()).toBeLessThanOrEqual(60 * 60_000);

    const page = await callRoute(reset.loader, t.db, { path: pathOf(link), params: { token } });
    expect(page.data.valid).toBe(true);
    const short = await callRoute(reset.action, t.db, { path: pathOf(link), params: { token }, form: { password: "short" } });
    expect(short.status).toBe(400);
    const res = await callRoute(reset.action, t.db, { path: pathOf(link), params: { token }, form: { password: "a brand new passphrase" } });
    expect(res.status).toBe(302);
    expect(res.headers.get("Set-Cookie")).toContain("gs_session=");
    // The other session is gone; the new password signs in, the old one does not.
    const sessions = await t.db.selectFrom("sessions").select("id").where("member_id", "=", member.id).execute();
    expect(sessions).toHaveLength(1);
    expect(otherSession).not.toContain(sessions[0]!.id);
    const signIn = await callRoute(login.action, t.db, { path: "/login", form: { email: member.email, password: "a brand new passphrase" }, client: "10.1.0.2" });
    expect(signIn.status).toBe(302);
    const old = await callRoute(login.action, t.db, { path: "/login", form: { email: member.email, password: PASSWORD }, client: "10.1.0.2" });
    expect(old.status).toBe(400);
    // Once only.
    const again = await callRoute(reset.action, t.db, { path: pathOf(link), params: { token }, form: { password: "yet another passphrase" } });
    expect(again.status).toBe(409);
    expect((await callRoute(reset.loader, t.db, { path: pathOf(link), params: { token } })).data.valid).toBe(false);
  });

  it("an expired link is refused, a malformed one too, and requests are rate limited per address", async () => {
    const member = await makeMember(t.db);
    await callRoute(forgot.action, t.db, { path: "/forgot-password", form: { email: member.email }, client: "10.2.0.1" });
    const mail = await smtp.waitFor((m) => m.to.includes(member.email));
    const token = tokenIn(linkTo(mail, "/reset-password/"));
    await t.db.updateTable("email_tokens").set({ expires_at: new Date(Date.now() - 1000) }).where("member_id", "=", member.id).execute();
    const expired = await callRoute(reset.action, t.db, { path: `/reset-password/${token}`, params: { token }, form: { password: "a brand new passphrase" } });
    expect(expired.status).toBe(409);
    const junk = await callRoute(reset.action, t.db, { path: "/reset-password/x'--", params: { token: "x'--" }, form: { password: "a brand new passphrase" } });
    expect(junk.status).toBe(409);
    await callRoute(forgot.action, t.db, { path: "/forgot-password", form: { email: member.email }, client: "10.2.0.2" });
    await callRoute(forgot.action, t.db, { path: "/forgot-password", form: { email: member.email }, client: "10.2.0.3" });
    const limited = await callRoute(forgot.action, t.db, { path: "/forgot-password", form: { email: member.email }, client: "10.2.0.4" });
    expect(limited.status).toBe(429);
    const bad = await callRoute(forgot.action, t.db, { path: "/forgot-password", form: { email: "not an address" }, client: "10.2.0.5" });
    expect(bad.status).toBe(400);
  });
});

describe("notification mail", () => {
  it("a status change mails each verified backer who chose e-mail once, with one-click unsubscribe that needs no sign-in", async () => {
    const pm = await makeMember(t.db, { role: "product_manager" });
    const author = await makeMember(t.db);
    const backer = await makeMember(t.db);
    const unverified = await makeMember(t.db, { emailVerified: false });
    const quiet = await makeMember(t.db);
    const idea = await makeIdea(t.db, author, { title: "Oat milk at every store" });
    for (const m of [backer, unverified, quiet]) await castVote(t.db, m, { ideaId: idea.id, value: 1 });
    await t.db.insertInto("mail_preferences").values({ member_id: quiet.id, kind: "idea_update", choice: "in_app" }).execute();

    await postOfficialResponse(t.db, pm, { ideaId: idea.id, toStatus: "planned", body: "We are on it." });
    const mail = await smtp.waitFor((m) => m.to.includes(backer.email));
    expect(mail.subject).toBe("Update on “Oat milk at every store”");
    expect(mail.text).toContain("is now Planned");
    expect(mail.text).toContain(`http://localhost/ideas/${idea.id}-`);
    expect(mail.text).toContain("You get this because you voted for or follow this idea");
    expect(mail.text).toContain("http://localhost/account#preferences");
    expect(mail.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    const unsubscribeUrl = /^<(.+)>$/.exec(mail.headers["list-unsubscribe"]!)![1]!;
    expect(mail.text).toContain(unsubscribeUrl);
    await smtp.waitFor((m) => m.to.includes(author.email));
    await new Promise((r) => setTimeout(r, 1500));
    // One mail for the backer although they vote and follow (voting follows); none for the others.
    expect(smtp.messages.filter((m) => m.to.includes(backer.email))).toHaveLength(1);
    expect(smtp.messages.filter((m) => m.to.includes(unverified.email) && !m.subject.startsWith("Confirm"))).toEqual([]);
    expect(smtp.messages.filter((m) => m.to.includes(quiet.email))).toEqual([]);
    expect(smtp.messages.filter((m) => m.to.includes(pm.email))).toEqual([]);

    // RFC 8058: the mail client POSTs once, without a session.
    const token = tokenIn(unsubscribeUrl);
    const page = await callRoute(unsubscribe.loader, t.db, { path: pathOf(unsubscribeUrl), params: { token } });
    expect(page.data).toMatchObject({ kind: "idea_update", choice: "email" });
    const oneClick = await callRoute(unsubscribe.action, t.db, { path: pathOf(unsubscribeUrl), params: { token }, form: { "List-Unsubscribe": "One-Click" } });
    expect(oneClick.status).toBe(200);
    const prefs = await t.db.selectFrom("mail_preferences").select(["kind", "choice"]).where("member_id", "=", backer.id).execute();
    expect(prefs).toEqual([{ kind: "idea_update", choice: "in_app" }]);
    // A forged or altered token changes nothing.
    const forged = token.replace(/^\d+/, String(author.id));
    expect((await callRoute(unsubscribe.action, t.db, { path: `/unsubscribe/${forged}`, params: { token: forged }, form: { "List-Unsubscribe": "One-Click" } })).status).toBe(404);
    expect((await callRoute(unsubscribe.loader, t.db, { path: "/unsubscribe/junk", params: { token: "junk" } })).status).toBe(404);

    await postOfficialResponse(t.db, pm, { ideaId: idea.id, toStatus: "in_progress", body: "Started." });
    await smtp.waitFor((m) => m.to.includes(author.email) && m.text.includes("In progress"));
    await new Promise((r) => setTimeout(r, 1000));
    expect(smtp.messages.filter((m) => m.to.includes(backer.email))).toHaveLength(1);
    // The bell still tells them.
    const bell = await t.db.selectFrom("notifications").select("id").where("member_id", "=", backer.id).execute();
    expect(bell).toHaveLength(2);
  });
});

describe("the account page", () => {
  it("changes the name and bio, the password (signing out other sessions) and the e-mail (after verification)", async () => {
    const member = await makeMember(t.db);
    const cookie = await cookieFor(t.db, member.id);
    const other = await cookieFor(t.db, member.id);
    const post = (form: Record<string, string>) => callRoute(account.action, t.db, { path: "/account", form, cookie });

    const page = await callRoute(account.loader, t.db, { path: "/account", cookie });
    expect(page.status).toBe(200);
    expect(page.data.account).toMatchObject({ email: member.email, verified: true });
    expect(page.data.account.sessions).toHaveLength(2);
    expect(JSON.stringify(page.data)).not.toContain(cookie.split("=")[1]);

    expect((await post({ intent: "profile", displayName: "  Renamed   Member ", bio: "Coffee first." })).status).toBe(302);
    expect(await t.db.selectFrom("members").select(["display_name", "bio"]).where("id", "=", member.id).executeTakeFirstOrThrow()).toEqual({ display_name: "Renamed Member", bio: "Coffee first." });
    expect((await post({ intent: "profile", displayName: "", bio: "" })).status).toBe(400);

    const wrong = await post({ intent: "password", currentPassword: "not my password", newPassword: "a new long passphrase" });
    expect(wrong.status).toBe(400);
    expect(wrong.data.fieldErrors.currentPassword).toBe("That is not your current password.");
    expect((await post({ intent: "password", currentPassword: PASSWORD, newPassword: "a new long passphrase" })).status).toBe(302);
    expect((await callRoute(account.loader, t.db, { path: "/account", cookie: other })).status).toBe(302);
    expect((await callRoute(account.loader, t.db, { path: "/account", cookie })).status).toBe(200);

    const next = uniqueEmail("moved");
    expect((await post({ intent: "email", email: next, currentPassword: PASSWORD })).status).toBe(400);
    expect((await post({ intent: "email", email: next, currentPassword: "a new long passphrase" })).status).toBe(302);
    const mail = await smtp.waitFor((m) => m.to.includes(next));
    expect(mail.subject).toBe("Confirm your new e-mail address for Harbor Ideas");
    // Until the link is used, the old address stays.
    const pending = await callRoute(account.loader, t.db, { path: "/account", cookie });
    expect(pending.data.account).toMatchObject({ email: member.email, pendingEmail: next });
    const token = tokenIn(linkTo(mail, "/verify-email/"));
    expect((await callRoute(verify.action, t.db, { path: `/verify-email/${token}`, params: { token }, form: {}, cookie })).status).toBe(302);
    const changed = await callRoute(account.loader, t.db, { path: "/account", cookie });
    expect(changed.data.account).toMatchObject({ email: next, verified: true, pendingEmail: null });

    // An address another account uses is refused.
    const someone = await makeMember(t.db);
    const taken = await post({ intent: "email", email: someone.email, currentPassword: "a new long passphrase" });
    expect(taken.status).toBe(409);
  });

  it("saves notification choices and signs out everywhere else; refuses bad input and visitors", async () => {
    const member = await makeMember(t.db);
    const cookie = await cookieFor(t.db, member.id);
    await cookieFor(t.db, member.id);
    await cookieFor(t.db, member.id);
    const post = (form: Record<string, string>) => callRoute(account.action, t.db, { path: "/account", form, cookie });
    const choices = { reply: "email", idea_comment: "digest", mention: "off", idea_update: "in_app", category_idea: "email", moderation: "email", staff_message: "off", impact: "in_app" };
    expect((await post({ intent: "preferences", digest: "daily", ...choices })).status).toBe(302);
    const page = await callRoute(account.loader, t.db, { path: "/account", cookie });
    expect(page.data.account.choices).toEqual(choices);
    expect(page.data.account.digest).toBe("daily");
    expect((await post({ intent: "preferences", digest: "hourly", ...choices })).status).toBe(400);
    expect((await post({ intent: "preferences", digest: "daily", ...choices, reply: "sms" })).status).toBe(400);
    expect((await post({ intent: "nonsense" })).status).toBe(400);

    const out = await post({ intent: "sign-out-others" });
    expect(out.status).toBe(302);
    expect(await t.db.selectFrom("sessions").select("id").where("member_id", "=", member.id).execute()).toHaveLength(1);
    expect((await callRoute(account.action, t.db, { path: "/account", form: { intent: "sign-out-others" } })).status).toBe(302);
    // Already verified: nothing to resend.
    expect((await post({ intent: "resend-verification" })).status).toBe(409);
  });
});

describe("the development mailbox", () => {
  it("keeps every mail when no SMTP server is set, links and headers included", async () => {
    configureMail({ smtpUrl: null });
    try {
      const member = await makeMember(t.db);
      await callRoute(forgot.action, t.db, { path: "/forgot-password", form: { email: member.email }, client: "10.3.0.1" });
      await until(async () => (await deliveriesTo(member.email))[0]?.state === "sent");
      const list = await callRoute(mailbox.loader, t.db, { path: "/dev/mailbox" });
      const item = list.data.mails.find((m: { to: string }) => m.to === member.email);
      expect(item.subject).toBe("Reset your Harbor Ideas password");
      const kept = (await deliveriesTo(member.email))[0]!;
      expect(kept.text_body).toContain("http://localhost/reset-password/");
      expect(smtp.messages.filter((m) => m.to.includes(member.email))).toEqual([]);
    } finally {
      configureMail({ smtpUrl: smtp.url });
    }
  });
});

describe("@mentions", () => {
  it("a mention tells the member once, in the bell and by mail, never for a quote or code; the author is told once", async () => {
    const author = await makeMember(t.db);
    const writer = await makeMember(t.db, { displayName: "Wren Writer" });
    const kate = await makeMember(t.db, { displayName: "Kate Mention" });
    const quoted = await makeMember(t.db);
    const coded = await makeMember(t.db);
    const idea = await makeIdea(t.db, author, { title: "Cold brew on tap" });
    const comment = await addComment(t.db, writer, {
      ideaId: idea.id,
      parentId: null,
      body: `Hey @${kate.handle} and again @${kate.handle.toUpperCase()}, @${author.handle} too.\n\n> @${quoted.handle} said it first\n\n\`@${coded.handle}\``,
    });
    const told = await t.db.selectFrom("notifications").select(["member_id", "reason"]).where("comment_id", "=", comment.id).orderBy("member_id").execute();
    expect(told).toEqual([{ member_id: author.id, reason: "idea_author" }, { member_id: kate.id, reason: "mentioned" }].sort((a, b) => a.member_id - b.member_id));
    const mail = await smtp.waitFor((m) => m.to.includes(kate.email));
    expect(mail.subject).toBe("Wren Writer mentioned you on “Cold brew on tap”");
    expect(mail.text).toContain("Wren Writer mentioned you in a comment on “Cold brew on tap”.");
    expect(mail.text).toContain(`#comment-${comment.id}`);
    await smtp.waitFor((m) => m.to.includes(author.email));
    await new Promise((r) => setTimeout(r, 1000));
    expect(smtp.messages.filter((m) => m.to.includes(kate.email))).toHaveLength(1);
    expect(smtp.messages.filter((m) => m.to.includes(author.email))).toHaveLength(1);
    expect(smtp.messages.filter((m) => m.to.includes(quoted.email) || m.to.includes(coded.email))).toEqual([]);
    const html = (await t.db.selectFrom("comments").select("body_html").where("id", "=", comment.id).executeTakeFirstOrThrow()).body_html;
    expect(html).toContain(`<a href="/members/${kate.handle}"`);
  });

  it("a member who turned mentions off hears nothing, not even in the bell", async () => {
    const author = await makeMember(t.db);
    const writer = await makeMember(t.db);
    const hermit = await makeMember(t.db);
    await t.db.insertInto("mail_preferences").values({ member_id: hermit.id, kind: "mention", choice: "off" }).execute();
    const idea = await makeIdea(t.db, author);
    const comment = await addComment(t.db, writer, { ideaId: idea.id, parentId: null, body: `@${hermit.handle} what do you think?` });
    expect(await t.db.selectFrom("notifications").select("id").where("comment_id", "=", comment.id).where("member_id", "=", hermit.id).execute()).toEqual([]);
  });

  it("offers members by the start of their name or handle to signed-in members", async () => {
    const me = await makeMember(t.db);
    await makeMember(t.db, { displayName: "Zebulon Quartz" });
    const cookie = await cookieFor(t.db, me.id);
    const byName = await callRoute(mentions.loader, t.db, { path: "/mentions?q=zebulon", cookie });
    expect(byName.status).toBe(200);
    expect(byName.data.members.map((m: { displayName: string }) => m.displayName)).toContain("Zebulon Quartz");
    const handle = byName.data.members[0].handle as string;
    const byHandle = await callRoute(mentions.loader, t.db, { path: `/mentions?q=${handle.slice(0, 6)}`, cookie });
    expect(byHandle.data.members.map((m: { handle: string }) => m.handle)).toContain(handle);
    // LIKE wildcards are plain characters here.
    expect((await callRoute(mentions.loader, t.db, { path: "/mentions?q=%25", cookie })).data.members).toEqual([]);
    expect((await callRoute(mentions.loader, t.db, { path: "/mentions?q=___", cookie })).data.members.every((m: { handle: string }) => m.handle.startsWith("___"))).toBe(true);
    expect((await callRoute(mentions.loader, t.db, { path: "/mentions?q=zeb" })).status).toBe(403);
  });
});

describe("the digest", () => {
  it("bundles what the member did not read of the kinds they put in it, with what is trending, once per period", async () => {
    const reader = await makeMember(t.db, { displayName: "Dana Digest" });
    const replier = await makeMember(t.db, { displayName: "Rory Replier" });
    const author = await makeMember(t.db);
    const idea = await makeIdea(t.db, author, { title: "Seasonal syrups all year" });
    await t.db.insertInto("mail_preferences").values({ member_id: reader.id, kind: "reply", choice: "digest" }).execute();
    await t.db.updateTable("members").set({ digest: "daily" }).where("id", "=", reader.id).execute();
    await castVote(t.db, reader, { ideaId: idea.id, value: 1 });
    const mine = await addComment(t.db, reader, { ideaId: idea.id, parentId: null, body: "I would buy these." });
    await addComment(t.db, replier, { ideaId: idea.id, parentId: mine.id, body: "Same here!" });
    // A reply goes to the digest, not out at once.
    await smtp.waitFor((m) => m.to.includes(author.email));
    expect(smtp.messages.filter((m) => m.to.includes(reader.email))).toEqual([]);

    await sendDueDigests(t.db);
    const mail = await smtp.waitFor((m) => m.to.includes(reader.email));
    expect(mail.subject).toBe("Your daily Harbor Ideas digest");
    expect(mail.text).toContain("What you have not read yet (1):");
    expect(mail.text).toContain("Rory Replier replied to your comment on “Seasonal syrups all year”.");
    expect(mail.text).toContain("Trending in categories you follow:");
    expect(mail.text).toMatch(/Seasonal syrups all year \(\d+ votes?, \d+ comments?\): http:\/\/localhost\/ideas\//);
    expect(mail.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");

    // Not again within the day.
    await sendDueDigests(t.db);
    await new Promise((r) => setTimeout(r, 1000));
    expect(smtp.messages.filter((m) => m.to.includes(reader.email))).toHaveLength(1);

    // Its one-click link takes every kind out of the digest.
    const url = /^<(.+)>$/.exec(mail.headers["list-unsubscribe"]!)![1]!;
    const token = tokenIn(url);
    expect((await callRoute(unsubscribe.action, t.db, { path: pathOf(url), params: { token }, form: { "List-Unsubscribe": "One-Click" } })).status).toBe(200);
    expect(await t.db.selectFrom("mail_preferences").select(["kind", "choice"]).where("member_id", "=", reader.id).execute()).toEqual([{ kind: "reply", choice: "in_app" }]);
  });
});

describe("the site's branding in mail", () => {
  it("a mail carries the site name and accent colour the admin set", async () => {
    const { mailMember } = await import("../../app/models/mail/mail.server");
    const member = await makeMember(t.db);
    await t.db.insertInto("settings").values([
      { key: "site_name", value: JSON.stringify("Northwind Ideas") },
      { key: "accent_color", value: JSON.stringify("#1d4e7a") },
    ]).onConflict((oc) => oc.column("key").doUpdateSet((eb) => ({ value: eb.ref("excluded.value") }))).execute();
    try {
      await t.db.transaction().execute((trx) =>
        mailMember(trx, { memberId: member.id, kind: "idea_update", key: `brand-test:${member.id}`, content: { subject: "A branded mail", heading: "Hello", paragraphs: ["Body"] } }),
      );
      const row = await t.db.selectFrom("mail_deliveries").select(["text_body", "html_body"]).where("key", "=", `brand-test:${member.id}`).executeTakeFirstOrThrow();
      expect(row.text_body).toMatch(/^Northwind Ideas\n/);
      expect(row.html_body).toContain("Northwind Ideas");
      expect(row.html_body).not.toContain("Harbor Ideas");
      expect(row.html_body).toMatch(/#[0-9a-f]{6}/);
      expect(row.html_body).not.toContain("#7a3e12");
    } finally {
      await t.db.deleteFrom("settings").where("key", "in", ["site_name", "accent_color"]).execute();
    }
  });
});
