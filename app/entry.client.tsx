import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { registerLocale } from "./i18n";

/** A page not in English loads its catalogue first (a chunk of its own: English pages never fetch it). */
async function loadCatalogue() {
  const lang = document.documentElement.lang;
  if (lang === "fr") registerLocale("fr", (await import("./i18n/compiled.fr")).messages);
}

void loadCatalogue().then(() => {
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <RemixBrowser />
      </StrictMode>,
    );
  });
});
