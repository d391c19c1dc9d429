/**
 * The requirement list (`specs/requirements.json`): what the harness verifies, each with a stable
 * id, one sentence, its source page and products.
 *
 * @module
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { type Product, products, type Requirement } from "../model.ts";

/** The default requirements file, relative to this module. */
export const defaultRequirementsPath = new URL("../../specs/requirements.json", import.meta.url);

/**
 * Reads and checks the requirements file: a `requirements` list of `{ id, text, source,
 * products }`, ids unique.
 *
 * @example
 * ```ts
 * const requirements = await loadRequirements();
 * requirements.find((r) => r.id === "JWT-EXP-IAT-300")?.text;
 * ```
 */
export async function loadRequirements(
  path: string | URL = defaultRequirementsPath,
): Promise<Requirement[]> {
  const url = typeof path === "string" ? pathToFileURL(resolve(path)) : path;
  const doc: unknown = JSON.parse(await Deno.readTextFile(url));
  const list = (doc as { requirements?: unknown })?.requirements;
  if (!Array.isArray(list)) throw new Error(`${url.pathname}: no requirements list`);
  const seen = new Set<string>();
  return list.map((item: Record<string, unknown>, i) => {
    const where = `${url.pathname}: requirement ${
      typeof item?.id === "string" ? item.id : `#${i + 1}`
    }`;
    for (const key of ["id", "text", "source"] as const) {
      if (typeof item?.[key] !== "string" || item[key] === "") {
        throw new Error(`${where}: ${key} must be a string`);
      }
    }
    const itemProducts = item.products;
    if (
      !Array.isArray(itemProducts) || itemProducts.length === 0 ||
      !itemProducts.every((p) => products.includes(p as Product))
    ) {
      throw new Error(`${where}: products must list ${products.join(", ")}`);
    }
    const id = item.id as string;
    if (seen.has(id)) throw new Error(`${where}: duplicate id`);
    seen.add(id);
    return {
      id,
      text: item.text as string,
      source: item.source as string,
      products: itemProducts as Product[],
    };
  });
}
