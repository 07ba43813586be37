import { registerLocale } from ".";
import { messages as fr } from "./compiled.fr";

/** On the server every language is registered at start (the browser loads only its page's). */
registerLocale("fr", fr);
