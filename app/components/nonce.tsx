import { createContext, useContext } from "react";

const NonceContext = createContext("");

/** Carries this response's CSP nonce from entry.server to the scripts in root. */
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
