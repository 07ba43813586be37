import { useNavigate } from "@remix-run/react";
import { useEffect } from "react";

/**
 * Long lists (idea cards, comment threads) render plain <a> links rather than <Link>s:
 * each <Link> costs router work on every render, and a list has eighty of them. Inside
 * an element marked `data-client-nav`, one listener on the document turns a plain click
 * on such a link into a client-side navigation, as a <Link> would; anything else (a new
 * tab, a modified click, another site, a link to the same page's anchor) is left to the
 * browser. Without JavaScript they are ordinary links.
 */
export function ClientNavigation() {
  const navigate = useNavigate();
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
      if (!(link instanceof HTMLAnchorElement) || !link.closest("[data-client-nav]")) return;
      if ((link.target && link.target !== "_self") || link.hasAttribute("download") || link.hasAttribute("data-reload")) return;
      const url = new URL(link.href);
      if (url.origin !== window.location.origin) return;
      if (url.pathname === window.location.pathname && url.search === window.location.search && url.hash) return;
      event.preventDefault();
      navigate(`${url.pathname}${url.search}${url.hash}`, { preventScrollReset: link.hasAttribute("data-keep-scroll") });
    };
    document.addEventListener("click", onClick);
    // A sign for tests and styles that the page is interactive (hydrated).
    document.documentElement.dataset.hydrated = "";
    return () => document.removeEventListener("click", onClick);
  }, [navigate]);
  return null;
}
