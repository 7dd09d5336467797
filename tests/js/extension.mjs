// Loads the extension's ES modules in node. The extension has no package.json (browsers don't need one), so
// node would read its .js files as CommonJS: copy the pure folders next to a {"type": "module"} marker.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const SOURCE = fileURLToPath(new URL("../../extension/", import.meta.url));
let copy = null;

export async function loadExtensionModule(relative) {
  if (!copy) {
    copy = mkdtempSync(join(tmpdir(), "aliwatch-ext-"));
    for (const dir of ["bg", "data", "lib", "options", "popup"]) cpSync(join(SOURCE, dir), join(copy, dir), { recursive: true });
    writeFileSync(join(copy, "package.json"), '{"type": "module"}\n');
    process.on("exit", () => rmSync(copy, { recursive: true, force: true }));
  }
  return import(pathToFileURL(join(copy, relative)).href);
}
