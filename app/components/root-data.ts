import { useRouteLoaderData } from "@remix-run/react";
import type { loader } from "../root";

export type RootData = {
  member: { handle: string; displayName: string; role: import("../../db/schema").Role; staff: boolean; unread: number; rank: { rank: number; of: number; points: number } | null; suspension: { until: string | null; reason: string | null } | null } | null;
  flash: string | null;
  allowDownVotes: boolean;
  now: string;
};

/** The root loader's data: who is signed in, the flash message, the server's clock. */
export const useRootData = () => useRouteLoaderData<typeof loader>("root") as RootData | undefined;
