import { useRouteLoaderData } from "@remix-run/react";
import type { loader } from "../root";
import { localeOf, translate } from "../i18n";

export type RootData = {
  member: { handle: string; displayName: string; avatarVersion: string | null; locale: string | null; role: import("../../db/schema").Role; unread: number; rank: { rank: number; of: number; points: number } | null; suspension: { until: string | null; reason: string | null } | null } | null;
  flash: string | null;
  allowDownVotes: boolean;
  brand: import("../models/settings/branding").Branding;
  now: string;
  locale: import("../i18n/locales").Locale;
};

/** The root loader's data: who is signed in, the flash message, the server's clock. */
export const useRootData = () => useRouteLoaderData<typeof loader>("root") as RootData | undefined;

/** "<page> · <site name>" for a route's meta, from the root loader's branding; `page` is a message id (translated). */
export function pageTitle(matches: readonly { id: string; data?: unknown }[], page?: string): string {
  const root = matches.find((m) => m.id === "root")?.data as RootData | undefined;
  const site = root?.brand?.siteName ?? "Harbor Ideas";
  return page ? `${translate(localeOf(matches), page)} · ${site}` : site;
}
