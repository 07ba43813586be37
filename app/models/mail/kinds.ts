import type { MailChoice, NotificationReason } from "../../../db/schema";

/**
 * The kinds of notification a member chooses for, each with its default.
 * Account mail (verification, password reset) is not among them: it always
 * goes, to the address concerned. See docs/decisions/014-email.md.
 */
export const PREFERENCE_KINDS = ["reply", "idea_comment", "mention", "idea_update", "category_idea", "moderation", "staff_message", "impact"] as const;
export type PreferenceKind = (typeof PREFERENCE_KINDS)[number];

export const PREFERENCE_LABELS: Record<PreferenceKind, { label: string; hint: string }> = {
  reply: { label: "Replies to my comments", hint: "Someone answers a comment of yours." },
  idea_comment: { label: "Comments on my ideas", hint: "Someone comments on an idea you posted." },
  mention: { label: "Mentions", hint: "Someone writes @your-handle in a comment." },
  idea_update: {
    label: "Ideas I voted for or follow",
    hint: "A status change or official response, a merge, a declined idea back under review.",
  },
  category_idea: { label: "New ideas from what I follow", hint: "Someone you follow, or someone in a category you follow, posts an idea." },
  impact: { label: "My impact, monthly", hint: "Once a month: ideas you backed that were planned or shipped, and the places you climbed." },
  staff_message: { label: "Messages from the team", hint: "The product team writes to a group of members you are in." },
  moderation: { label: "Moderation of my posts", hint: "A moderator hides, removes or restores something you posted." },
};

export const DEFAULT_CHOICES: Record<PreferenceKind, MailChoice> = {
  reply: "email",
  idea_comment: "email",
  mention: "email",
  idea_update: "email",
  // A busy category can have many new ideas a day: bundled unless the member asks for more.
  category_idea: "digest",
  moderation: "email",
  staff_message: "email",
  impact: "email",
};

export const CHOICE_LABELS: Record<MailChoice, string> = {
  in_app: "In the app only",
  email: "E-mail at once",
  digest: "In my digest",
  off: "Off",
};

/** Which preference a notification falls under, by why the member is told. */
export function kindForReason(reason: NotificationReason): PreferenceKind {
  switch (reason) {
    case "comment_author":
      return "reply";
    case "idea_author":
      return "idea_comment";
    case "mentioned":
      return "mention";
    case "content_author":
      return "moderation";
    case "category_followed":
    case "member_followed":
      return "category_idea";
    case "recipient":
      return "staff_message";
    default:
      return "idea_update";
  }
}

/** What an unsubscribe link can be about: one kind, or the digest. */
export type UnsubscribeKind = PreferenceKind | "digest";

/** The footer's sentence: why this member got this mail. */
export const WHY_PHRASES: Record<PreferenceKind | "account" | "digest", string> = {
  digest: "You get this because you chose to have some notifications bundled in a digest.",
  reply: "You get this because someone replied to your comment and you chose e-mail for replies.",
  idea_comment: "You get this because someone commented on your idea and you chose e-mail for comments on your ideas.",
  mention: "You get this because you were mentioned and you chose e-mail for mentions.",
  idea_update: "You get this because you voted for or follow this idea and you chose e-mail for updates on those ideas.",
  category_idea: "You get this because you follow this idea's author or category and you chose e-mail for new ideas from what you follow.",
  impact: "You get this because ideas you backed moved forward last month and you chose e-mail for your monthly impact.",
  staff_message: "You get this because the product team wrote to a group of members you are in and you chose e-mail for their messages.",
  moderation: "You get this because it concerns your post and you chose e-mail for moderation of your posts.",
  account: "You get this because someone (we hope you) asked for it on your account.",
};
