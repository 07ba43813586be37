import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
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
import { Avatar } from "./components/avatar";
import { useEffect, useRef } from "react";
import type { Role } from "../db/schema";
import { ClientNavigation } from "./components/client-navigation";
import { useNonce } from "./components/nonce";
import { VoteLabels } from "./components/vote";
import { pageTitle, useRootData } from "./components/root-data";
import { withFlash } from "./lib/http.server";
import { pageFrame } from "./models/page-frame.server";
import { formatDate } from "./models/shared/format";
import { ROLE_LABELS, isModerator, isProductTeam, isStaff } from "./models/members/roles";
import { localeOf, translate, useLocale, useT, type T } from "./i18n";
import { LOCALES, LOCALE_NAMES } from "./i18n/locales";
import styles from "./styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = ({ matches }) => [
  { title: pageTitle(matches) },
  { name: "description", content: translate(localeOf(matches), "Share ideas with {site}, vote on what matters, and see what is built.", { site: pageTitle(matches) }) },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  return withFlash(request, async (flash) => {
    const { member, allowDownVotes, brand } = await pageFrame(context.db, context.member, context.reference);
    return { member, flash, allowDownVotes, brand, now: new Date().toISOString(), locale: context.locale };
  });
}

/** The staff pages this member may open (the staff bar on a desktop, the menu on a phone). */
function staffLinks(role: Role, t: T) {
  return [
    isProductTeam(role) ? { to: "/triage", label: t("Triage") } : null,
    isProductTeam(role) ? { to: "/manage/tags", label: t("Tags") } : null,
    isProductTeam(role) ? { to: "/cohorts", label: t("Cohorts") } : null,
    isModerator(role) ? { to: "/moderation", label: t("Moderation") } : null,
    role === "admin" ? { to: "/audit", label: t("Audit log") } : null,
    role === "admin" ? { to: "/manage/categories", label: t("Categories") } : null,
    role === "admin" ? { to: "/manage/settings", label: t("Settings") } : null,
    role === "admin" ? { to: "/manage/mail", label: t("Mail") } : null,
  ].filter((l): l is { to: string; label: string } => l !== null);
}

function SearchForm({ id, q }: { id: string; q: string }) {
  const t = useT();
  return (
    <Form method="get" action="/" role="search" className="header-search">
      <label htmlFor={id} className="visually-hidden">{t("Search ideas")}</label>
      <input id={id} type="search" name="q" placeholder={t("Search ideas")} defaultValue={q} maxLength={200} />
    </Form>
  );
}

/**
 * One row on a desktop. On a phone (CSS below 720 px) the row keeps the brand, "Post an idea",
 * the bell and a Menu (a <details>, so it opens without JavaScript) holding the rest; the
 * desktop copies are display:none there, so each control is in the accessibility tree once.
 */
function Header() {
  const root = useRootData();
  const member = root?.member;
  const brand = root?.brand;
  const siteName = brand?.siteName ?? "Harbor Ideas";
  const location = useLocation();
  const q = new URLSearchParams(location.search).get("q") ?? "";
  const t = useT();
  const staff = member && isStaff(member.role) ? staffLinks(member.role, t) : [];
  const locale = useLocale();
  const menuRef = useRef<HTMLDetailsElement>(null);
  // A page change closes the phone menu (it stays open across client navigation otherwise).
  useEffect(() => {
    if (menuRef.current) menuRef.current.open = false;
  }, [location.pathname, location.search]);
  return (
    <header className="site-header">
      <div className="container header-inner">
        <Link to="/" className="brand" aria-label={t("{site}, home", { site: siteName })}>
          {brand?.logoUrl ? (
            <img src={brand.logoUrl} alt="" className="brand-logo" width={28} height={28} />
          ) : (
            <span className="brand-mark" aria-hidden="true">◐</span>
          )}
          <span className="brand-name">{siteName}</span>
        </Link>
        <nav aria-label={t("Main")} className="main-nav wide-only">
          <NavLink to="/" end>{t("Ideas")}</NavLink>
          <NavLink to="/roadmap">{t("Roadmap")}</NavLink>
          <NavLink to="/in-action">{t("Ideas in Action")}</NavLink>
          <NavLink to="/leaderboard">{t("Leaderboard")}</NavLink>
        </nav>
        <div className="wide-only header-search-wrap"><SearchForm id="site-search" q={q} /></div>
        <div className="header-actions">
          <Link to="/ideas/new" className="button button-primary post-button">{t("Post")}<span className="post-button-rest">{t(" an idea")}</span></Link>
          {member ? (
            <>
              <Link to="/notifications" className="bell" aria-label={member.unread ? t("Notifications, {count} unread", { count: member.unread > 99 ? "99+" : member.unread }) : t("Notifications")}>
                <svg viewBox="0 0 20 20" aria-hidden="true"><path d="M10 2a5 5 0 0 0-5 5v3l-1.5 3h13L15 10V7a5 5 0 0 0-5-5zm0 16a2.5 2.5 0 0 0 2.4-2h-4.8A2.5 2.5 0 0 0 10 18z" /></svg>
                {member.unread ? <span className="bell-count">{member.unread > 99 ? "99+" : member.unread}</span> : null}
              </Link>
              <Link to="/following" className="button button-quiet wide-only">{t("Following")}</Link>
              <Link to={`/members/${member.handle}`} className="member-chip wide-only" title={t(ROLE_LABELS[member.role])}>
                <Avatar name={member.displayName} handle={member.handle} version={member.avatarVersion} />
                <span className="member-chip-name">{member.displayName}</span>
                {member.rank ? (
                  <span className="member-chip-rank" aria-label={t("rank {rank, number} of {of, number} members, {points, plural, one {# point} other {# points}}", member.rank)}>
                    #{member.rank.rank.toLocaleString(locale)}
                  </span>
                ) : null}
              </Link>
              <Link to="/account" className="button button-quiet wide-only">{t("Account")}</Link>
              <Form method="post" action="/logout" className="wide-only">
                <button type="submit" className="button button-quiet">{t("Sign out")}</button>
              </Form>
            </>
          ) : (
            <>
              <Link to="/login" className="button button-quiet wide-only">{t("Sign in")}</Link>
              <Link to="/join" className="button button-secondary wide-only">{t("Join")}</Link>
            </>
          )}
          <details className="phone-menu phone-only" ref={menuRef}>
            <summary className="button button-quiet phone-menu-toggle">
              <svg viewBox="0 0 20 20" aria-hidden="true"><path d="M3 5h14v2H3zm0 4h14v2H3zm0 4h14v2H3z" /></svg>
              {t("Menu")}
            </summary>
            <div className="phone-menu-panel">
              <SearchForm id="site-search-menu" q={q} />
              <nav aria-label={t("Main")}>
                <NavLink to="/" end>{t("Ideas")}</NavLink>
                <NavLink to="/roadmap">{t("Roadmap")}</NavLink>
                <NavLink to="/in-action">{t("Ideas in Action")}</NavLink>
              </nav>
              {staff.length ? (
                <nav aria-label={t("Staff")} className="phone-menu-staff">
                  <p className="staff-bar-label">{t(ROLE_LABELS[member!.role])}</p>
                  {staff.map((l) => <NavLink key={l.to} to={l.to}>{l.label}</NavLink>)}
                </nav>
              ) : null}
              <div className="phone-menu-account">
                {member ? (
                  <>
                    <Link to={`/members/${member.handle}`} className="member-chip">
                      <Avatar name={member.displayName} handle={member.handle} version={member.avatarVersion} />
                      <span>{member.displayName}</span>
                    </Link>
                    <Form method="post" action="/logout">
                      <button type="submit" className="button button-secondary">{t("Sign out")}</button>
                    </Form>
                  </>
                ) : (
                  <>
                    <Link to="/login" className="button button-secondary">{t("Sign in")}</Link>
                    <Link to="/join" className="button button-primary">{t("Join")}</Link>
                  </>
                )}
              </div>
            </div>
          </details>
        </div>
      </div>
      {staff.length ? (
        <nav aria-label={t("Staff")} className="staff-bar wide-only">
          <div className="container staff-bar-inner">
            <span className="staff-bar-label">{t(ROLE_LABELS[member!.role])}</span>
            {staff.map((l) => <NavLink key={l.to} to={l.to}>{l.label}</NavLink>)}
          </div>
        </nav>
      ) : null}
    </header>
  );
}

export function Layout({ children }: { children: React.ReactNode }) {
  const nonce = useNonce();
  const brand = useRootData()?.brand;
  const locale = useLocale();
  const t = useT();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <Meta />
        {/* The admin's accent colour (validated #rrggbb, darkened until white text on it reads). */}
        {brand ? <style>{`:root{--brand:${brand.accent};--brand-strong:${brand.accentStrong};--brand-on-dark:${brand.accentOnDark}}`}</style> : null}
        <Links />
      </head>
      <body>
        <a href="#main" className="skip-link">{t("Skip to content")}</a>
        <VoteLabels />
        <Header />
        <main id="main" className="container main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <div className="container footer-inner">
            <p>{t("{site} runs on Groundswell. Ideas, votes and answers are public; be kind.", { site: brand?.siteName ?? "Harbor Ideas" })}</p>
            {brand?.footerLinks.length ? (
              <nav aria-label={t("Footer")}>
                <ul className="footer-links">
                  {brand.footerLinks.map((l) => (
                    <li key={`${l.label}${l.href}`}><a href={l.href}>{l.label}</a></li>
                  ))}
                </ul>
              </nav>
            ) : null}
            <LanguageForm />
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
  const t = useT();
  const locale = useLocale();
  const suspension = root?.member?.suspension;
  const reason = suspension?.reason ? (/[.!?]$/.test(suspension.reason) ? suspension.reason : `${suspension.reason}.`) : null;
  return (
    <>
      {suspension ? (
        <div className="suspension-banner" role="alert">
          {suspension.until
            ? reason
              ? t("Your account is suspended until {date}: {reason}", { date: formatDate(suspension.until, locale), reason })
              : t("Your account is suspended until {date}.", { date: formatDate(suspension.until, locale) })
            : reason
              ? t("Your account is suspended until further notice: {reason}", { reason })
              : t("Your account is suspended until further notice.")}{" "}
          {t("You can read, but not post, vote, comment or flag.")}
        </div>
      ) : null}
      {root?.flash ? (
        <div className="flash" role="status">
          {t(root.flash)}
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

/** The footer's language select: a form POST that comes back (no JavaScript needed). */
function LanguageForm() {
  const t = useT();
  const locale = useLocale();
  const location = useLocation();
  return (
    <Form method="post" action="/language" reloadDocument className="language-form">
      <input type="hidden" name="returnTo" value={`${location.pathname}${location.search}`} data-always="" />
      <label htmlFor="site-language">{t("Language")}</label>
      <select id="site-language" name="locale" defaultValue={locale}>
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>{LOCALE_NAMES[l]}</option>
        ))}
      </select>
      <button type="submit" className="button button-quiet">{t("Change language")}</button>
    </Form>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const t = useT();
  let title = t("Something went wrong");
  let message = t("We could not show this page. Please try again in a moment.");
  let status = 500;
  if (isRouteErrorResponse(error)) {
    status = error.status;
    const detail = typeof error.data === "object" && error.data && "message" in error.data ? String(error.data.message) : null;
    if (status === 404) {
      title = t("Not found");
      message = detail ? t(detail) : t("That page does not exist or was removed.");
    } else if (status === 403) {
      title = t("Not allowed");
      message = detail ? t(detail) : t("You are not allowed to do that.");
    } else if (status < 500) {
      title = t("That did not work");
      message = detail ? t(detail) : t("The request was not valid.");
    }
  }
  return (
    <div className="error-page">
      <p className="error-code">{status}</p>
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <Link to="/" className="button button-secondary">{t("Back to ideas")}</Link>
      </p>
    </div>
  );
}
