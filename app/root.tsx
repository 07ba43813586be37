import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  Form,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useLocation,
  useRouteError,
} from "@remix-run/react";
import { ClientNavigation } from "./components/client-navigation";
import { useNonce } from "./components/nonce";
import { VoteLabels } from "./components/vote";
import { useRootData } from "./components/root-data";
import { readFlash } from "./lib/http.server";
import { countUnread } from "./models/notifications/notifications.server";
import { getStanding } from "./models/engagement/rank.server";
import { getSettings } from "./models/settings/settings.server";
import { formatDate } from "./models/shared/format";
import { ROLE_LABELS, isModerator, isProductTeam, isStaff } from "./models/policy";
import styles from "./styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [
  { title: "Harbor Ideas" },
  { name: "description", content: "Share ideas with Harbor Coffee Co., vote on what matters, and see what we build." },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const flash = await readFlash(request);
  const member = context.member;
  const [unread, settings, standing] = await Promise.all([
    member ? countUnread(context.db, member.id) : Promise.resolve(0),
    getSettings(context.db),
    member ? getStanding(context.db, member.id) : Promise.resolve(null),
  ]);
  return data(
    {
      member: member
        ? {
            handle: member.handle,
            displayName: member.displayName,
            role: member.role,
            staff: isStaff(member.role),
            unread,
            rank: standing ? { rank: standing.rank, of: standing.of, points: standing.points } : null,
            suspension: member.suspendedUntil
              ? {
                  until: member.suspendedUntil.getUTCFullYear() >= 9999 ? null : member.suspendedUntil.toISOString(),
                  reason: member.suspensionReason,
                }
              : null,
          }
        : null,
      flash: flash.message,
      allowDownVotes: settings.allow_down_votes,
      now: new Date().toISOString(),
    },
    { headers: flash.clear ? { "Set-Cookie": flash.clear } : undefined },
  );
}


function Header() {
  const root = useRootData();
  const member = root?.member;
  const location = useLocation();
  const q = new URLSearchParams(location.search).get("q") ?? "";
  return (
    <header className="site-header">
      <div className="container header-inner">
        <Link to="/" className="brand" aria-label="Harbor Ideas, home">
          <span className="brand-mark" aria-hidden="true">◐</span>
          <span className="brand-name">Harbor Ideas</span>
        </Link>
        <nav aria-label="Main" className="main-nav">
          <NavLink to="/" end>Ideas</NavLink>
          <NavLink to="/roadmap">Roadmap</NavLink>
          <NavLink to="/in-action">Ideas in Action</NavLink>
          <NavLink to="/leaderboard">Leaderboard</NavLink>
        </nav>
        <Form method="get" action="/" role="search" className="header-search">
          <label htmlFor="site-search" className="visually-hidden">Search ideas</label>
          <input id="site-search" type="search" name="q" placeholder="Search ideas" defaultValue={q} maxLength={200} />
        </Form>
        <div className="header-actions">
          <Link to="/ideas/new" className="button button-primary">Post an idea</Link>
          {member ? (
            <>
              <Link to="/notifications" className="bell" aria-label={member.unread ? `Notifications, ${member.unread > 99 ? "99+" : member.unread} unread` : "Notifications"}>
                <svg viewBox="0 0 20 20" aria-hidden="true"><path d="M10 2a5 5 0 0 0-5 5v3l-1.5 3h13L15 10V7a5 5 0 0 0-5-5zm0 16a2.5 2.5 0 0 0 2.4-2h-4.8A2.5 2.5 0 0 0 10 18z" /></svg>
                {member.unread ? <span className="bell-count">{member.unread > 99 ? "99+" : member.unread}</span> : null}
              </Link>
              <Link to="/following" className="button button-quiet">Following</Link>
              <Link to={`/members/${member.handle}`} className="member-chip" title={ROLE_LABELS[member.role]}>
                <span className="avatar avatar-sm" aria-hidden="true">{member.displayName.slice(0, 1).toUpperCase()}</span>
                <span className="member-chip-name">{member.displayName}</span>
                {member.rank ? (
                  <span className="member-chip-rank" aria-label={`rank ${member.rank.rank.toLocaleString("en")} of ${member.rank.of.toLocaleString("en")} members, ${member.rank.points.toLocaleString("en")} points`}>
                    #{member.rank.rank.toLocaleString("en")}
                  </span>
                ) : null}
              </Link>
              <Form method="post" action="/logout">
                <button type="submit" className="button button-quiet">Sign out</button>
              </Form>
            </>
          ) : (
            <>
              <Link to="/login" className="button button-quiet">Sign in</Link>
              <Link to="/join" className="button button-secondary">Join</Link>
            </>
          )}
        </div>
      </div>
      {member?.staff ? (
        <nav aria-label="Staff" className="staff-bar">
          <div className="container staff-bar-inner">
            <span className="staff-bar-label">{ROLE_LABELS[member.role]}</span>
            {isProductTeam(member.role) ? <NavLink to="/triage">Triage</NavLink> : null}
            {isProductTeam(member.role) ? <NavLink to="/manage/tags">Tags</NavLink> : null}
            {isModerator(member.role) ? <NavLink to="/moderation">Moderation</NavLink> : null}
            {member.role === "admin" ? <NavLink to="/audit">Audit log</NavLink> : null}
            {member.role === "admin" ? <NavLink to="/manage/categories">Categories</NavLink> : null}
            {member.role === "admin" ? <NavLink to="/manage/settings">Settings</NavLink> : null}
          </div>
        </nav>
      ) : null}
    </header>
  );
}

export function Layout({ children }: { children: React.ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <Meta />
        <Links />
      </head>
      <body>
        <a href="#main" className="skip-link">Skip to content</a>
        <VoteLabels />
        <Header />
        <main id="main" className="container main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <div className="container">
            Harbor Ideas runs on Groundswell. Ideas, votes and answers are public; be kind.
          </div>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function Flash() {
  const root = useRootData();
  const suspension = root?.member?.suspension;
  return (
    <>
      {suspension ? (
        <div className="suspension-banner" role="alert">
          Your account is suspended {suspension.until ? `until ${formatDate(suspension.until)}` : "until further notice"}
          {suspension.reason ? `: ${/[.!?]$/.test(suspension.reason) ? suspension.reason : `${suspension.reason}.`}` : "."} You can read, but not post, vote, comment or flag.
        </div>
      ) : null}
      {root?.flash ? (
        <div className="flash" role="status">
          {root.flash}
        </div>
      ) : null}
    </>
  );
}

export default function App() {
  return (
    <>
      <ClientNavigation />
      <Flash />
      <Outlet />
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  let title = "Something went wrong";
  let message = "We could not show this page. Please try again in a moment.";
  let status = 500;
  if (isRouteErrorResponse(error)) {
    status = error.status;
    const detail = typeof error.data === "object" && error.data && "message" in error.data ? String(error.data.message) : null;
    if (status === 404) {
      title = "Not found";
      message = detail ?? "That page does not exist or was removed.";
    } else if (status === 403) {
      title = "Not allowed";
      message = detail ?? "You are not allowed to do that.";
    } else if (status < 500) {
      title = "That did not work";
      message = detail ?? "The request was not valid.";
    }
  }
  return (
    <div className="error-page">
      <p className="error-code">{status}</p>
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <Link to="/" className="button button-secondary">Back to ideas</Link>
      </p>
    </div>
  );
}
