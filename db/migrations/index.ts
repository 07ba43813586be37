import type { Migration } from "kysely/migration";
import * as foundation from "./2026-11-23-0001-foundation";
import * as companyAnswers from "./2026-11-23-0002-company-answers";
import * as moderation from "./2026-11-23-0003-moderation";
import * as spine from "./2026-12-02-0004-spine";
import * as email from "./2026-12-02-0005-email";
import * as engagement from "./2026-12-02-0006-engagement";
import * as polish from "./2026-12-02-0007-polish";
import * as listening from "./2026-12-02-0008-listening";
import * as categoryFollows from "./2026-12-02-0009-category-follows";
import * as impactMail from "./2026-12-02-0010-impact-mail";
import * as avatars from "./2026-12-02-0011-avatars";
import * as memberLocale from "./2026-12-02-0012-member-locale";
import * as topOfWeek from "./2026-12-02-0013-top-of-week";
import * as dropTitleTrigramIndex from "./2026-12-03-0014-drop-title-trigram-index";

/**
 * Every migration, by name. Listed statically (not read from the folder at run
 * time) so the server bundle carries them and `node build/index.js` can migrate.
 */
export const migrations: Record<string, Migration> = {
  "2026-11-23-0001-foundation": foundation,
  "2026-11-23-0002-company-answers": companyAnswers,
  "2026-11-23-0003-moderation": moderation,
  "2026-12-02-0004-spine": spine,
  "2026-12-02-0005-email": email,
  "2026-12-02-0006-engagement": engagement,
  "2026-12-02-0007-polish": polish,
  "2026-12-02-0008-listening": listening,
  "2026-12-02-0009-category-follows": categoryFollows,
  "2026-12-02-0010-impact-mail": impactMail,
  "2026-12-02-0011-avatars": avatars,
  "2026-12-02-0012-member-locale": memberLocale,
  "2026-12-02-0013-top-of-week": topOfWeek,
  "2026-12-03-0014-drop-title-trigram-index": dropTitleTrigramIndex,
};
