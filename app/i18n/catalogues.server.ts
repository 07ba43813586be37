import { registerLocale } from ".";
import { messages as fr } from "./compiled.fr";

/**
 * On the server every language is registered at start (the browser loads only its page's).
 * A call, not an import for its side effect: the package is "sideEffects": false, so the
 * bundler would drop a bare import.
 */
export function registerServerLocales() {
  registerLocale("fr", fr);
}
