// npm run i18n: compiles the ICU catalogues into app/i18n/compiled.*.ts (checked in).
// npm run i18n -- --missing: lists the t("…") ids in app/ that the catalogues lack.
import { writeFileSync } from "node:fs";
import { en } from "../../app/i18n/en";
import { fr } from "../../app/i18n/fr";
import { compiledModules, usedIds } from "./i18n-compile";

if (process.argv.includes("--missing")) {
  const known = new Set(en);
  for (const [id, path] of usedIds()) if (!known.has(id)) console.log(`${JSON.stringify(id)}, // ${path}`);
  for (const id of en) if (fr[id] === undefined) console.log(`no French: ${JSON.stringify(id)}`);
} else {
  for (const [path, text] of Object.entries(compiledModules())) {
    writeFileSync(path, text);
    console.log(`wrote ${path}`);
  }
}
