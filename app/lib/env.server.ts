import { z } from "zod";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** A PostgreSQL URL. Without it the app runs on embedded PGlite in DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  /**
   * The owner role's URL, used only to migrate (and grant the app role its rights);
   * DATABASE_URL then names the unprivileged app role. See docs/decisions/012.
   */
  MIGRATION_DATABASE_URL: z.string().url().optional(),
  /** The role the migrator grants to; defaults to DATABASE_URL's user. */
  DATABASE_APP_ROLE: z
    .string()
    .regex(/^[a-z_][a-z0-9_$-]{0,62}$/i, "a PostgreSQL role name")
    .optional(),
  DATA_DIR: z.string().default("data/pglite"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Connections per app process when on PostgreSQL. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  /** How long a request waits for a connection (new or from the pool) before it fails. */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3_000),
  /** statement_timeout of the app's connections; 0 turns it off. */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(10_000),
  /** idle_in_transaction_session_timeout of the app's connections; 0 turns it off. */
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(10_000),
  /** auto: seed the demo community into an empty database unless in production. */
  SEED_DEMO: z.enum(["auto", "always", "never"]).default("auto"),
  /** CPU time one Markdown render may use in its worker thread (ms) before it shows as plain text. */
  MARKDOWN_BUDGET_MS: z.coerce.number().int().min(20).max(10_000).default(300),
  /** Worker threads that render members' Markdown. */
  MARKDOWN_WORKERS: z.coerce.number().int().min(1).max(16).default(2),
  /** Where mail goes out: smtp://user:pass@host:587 (smtps:// for TLS). Without it, outside production: the development mailbox. */
  SMTP_URL: z.string().url().refine((v) => /^smtps?:\/\//.test(v), "an smtp:// or smtps:// URL").optional(),
  /** The sender of every mail. */
  MAIL_FROM: z.string().min(3).max(200).default("Harbor Ideas <ideas@localhost>"),
  /** The site's public address, for links in mail (default http://localhost:PORT). */
  SITE_URL: z.string().url().optional(),
  /** New accounts one client address may make per hour (an office or a kiosk behind one address may need more). */
  SIGN_UPS_PER_HOUR_PER_CLIENT: z.coerce.number().int().min(1).max(100_000).default(10),
  /** Sign-in attempts one client address may make per 15 minutes (per account and client stays 10). */
  SIGN_INS_PER_15_MIN_PER_CLIENT: z.coerce.number().int().min(1).max(100_000).default(30),
  /** Number of proxy hops to trust for the client address (X-Forwarded-For). */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
});

const checked = schema.refine((e) => !e.MIGRATION_DATABASE_URL || e.DATABASE_URL, {
  message: "MIGRATION_DATABASE_URL needs DATABASE_URL (the app role's URL) too",
  path: ["MIGRATION_DATABASE_URL"],
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

/** The validated environment; a bad value stops the process with a clear message. */
export function env(): Env {
  if (cached) return cached;
  const parsed = checked.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n  ${problems.join("\n  ")}`);
  }
  cached = parsed.data;
  return cached;
}

export const isProduction = () => env().NODE_ENV === "production";
