/**
 * Which products a target can be asked about when the run names none: a MESH server alone
 * (`--target mesh`) has no GP Connect roots, and a provider without a MESH server
 * (`--target direct|ssp` without `--mesh-url`) has nothing for the MESH products. Those cases are
 * left out of a default selection with a note; named with `--product`, they run and are skipped
 * saying why. Once the target is open, a MESH side without a GP system answering at the practice
 * mailbox (the local world before its practice receiver runs) leaves product messaging out of a
 * default selection the same way.
 *
 * @module
 */
import type { HarnessConfig } from "../config/harness-config.ts";
import { meshProducts, type TestCase } from "../model.ts";
import { caseItem } from "../scenarios/case-steps.ts";
import { hasPfProvider } from "../patient-facing/pf-settings.ts";
import type { Target } from "../target/target.ts";

/** The cases a run keeps, and what it says about the ones it left out. */
export interface ScopedCases {
  readonly cases: TestCase[];
  readonly note?: string;
}

/**
 * The cases of `cases` the configured target can be asked about by default.
 *
 * @example
 * ```ts ignore
 * const { cases, note } = scopeToTarget(selected, config);
 * ```
 */
export function scopeToTarget(
  cases: readonly TestCase[],
  config: Pick<HarnessConfig, "target" | "mesh" | "selection"> & {
    readonly patientFacing?: HarnessConfig["patientFacing"];
  },
): ScopedCases {
  if ((config.selection.products?.length ?? 0) > 0) return { cases: [...cases] };
  const isPf = (testCase: TestCase) => caseItem(testCase).product === "patient-facing";
  if (
    (config.target === "direct" || config.target === "ssp") &&
    !hasPfProvider(config.patientFacing ?? {}) && cases.some(isPf)
  ) {
    const rest = scopeToTarget(cases.filter((testCase) => !isPf(testCase)), config);
    const note = "no patient-facing provider configured (--pf-authorisation-url): the " +
      "patient-facing product does not run";
    return { cases: rest.cases, note: rest.note === undefined ? note : `${note}; ${rest.note}` };
  }
  const isMesh = (testCase: TestCase) => meshProducts.includes(caseItem(testCase).product);
  if (config.target === "mesh") {
    const kept = cases.filter(isMesh);
    return kept.length === cases.length ? { cases: kept } : {
      cases: kept,
      note: "a MESH target has no GP Connect roots: only the mesh and messaging products run",
    };
  }
  if (config.target !== "local" && config.mesh.url === undefined) {
    const kept = cases.filter((testCase) => !isMesh(testCase));
    return kept.length === cases.length ? { cases: kept } : {
      cases: kept,
      note: "no MESH server configured (--mesh-url): the mesh and messaging products do not run",
    };
  }
  return { cases: [...cases] };
}

/**
 * The cases of `cases` the opened target can serve by default: product messaging is left out when
 * no GP system answers at its practice mailbox (unless products were named).
 *
 * @example
 * ```ts ignore
 * const { cases, note } = scopeToOpenTarget(selected, target, config.selection);
 * ```
 */
export function scopeToOpenTarget(
  cases: readonly TestCase[],
  target: Pick<Target, "mesh">,
  selection: HarnessConfig["selection"],
): ScopedCases {
  const reason = target.mesh?.noReceiverReason;
  if ((selection.products?.length ?? 0) > 0 || reason === undefined) return { cases: [...cases] };
  const kept = cases.filter((testCase) => caseItem(testCase).product !== "messaging");
  return kept.length === cases.length
    ? { cases: kept }
    : { cases: kept, note: `the messaging product does not run: ${reason}` };
}
