/**
 * The parts of FHIR STU3 conformance resources (StructureDefinition, ElementDefinition, ValueSet,
 * CodeSystem) the validator reads, in their FHIR JSON shape.
 *
 * @module
 */

/** `ElementDefinition.type`. */
export interface ElementType {
  readonly code?: string;
  /** STU3: one profile the type conforms to (e.g. an extension definition URL). */
  readonly profile?: string;
  readonly targetProfile?: string;
}

/** `ElementDefinition.slicing`. */
export interface ElementSlicing {
  readonly discriminator?: readonly { readonly type?: string; readonly path?: string }[];
  readonly ordered?: boolean;
  readonly rules?: "closed" | "open" | "openAtEnd";
}

/** `ElementDefinition.binding`. */
export interface ElementBinding {
  readonly strength?: "required" | "extensible" | "preferred" | "example";
  readonly valueSetReference?: { readonly reference?: string };
  readonly valueSetUri?: string;
}

/** One snapshot element. `fixed[x]` and `pattern[x]` are read by key prefix. */
export interface ElementDefinition {
  readonly id?: string;
  readonly path: string;
  readonly sliceName?: string;
  readonly min?: number;
  readonly max?: string;
  readonly base?: { readonly path?: string; readonly min?: number; readonly max?: string };
  readonly type?: readonly ElementType[];
  readonly contentReference?: string;
  readonly slicing?: ElementSlicing;
  readonly binding?: ElementBinding;
  readonly [key: string]: unknown;
}

/** A StructureDefinition with its snapshot. */
export interface StructureDefinition {
  readonly resourceType: "StructureDefinition";
  readonly url: string;
  readonly name?: string;
  readonly type: string;
  readonly kind?: string;
  readonly baseDefinition?: string;
  readonly snapshot: { readonly element: readonly ElementDefinition[] };
}

/** `ValueSet.compose.include` / `exclude`. */
export interface ValueSetInclude {
  readonly system?: string;
  readonly concept?: readonly { readonly code?: string }[];
  readonly filter?: readonly {
    readonly property?: string;
    readonly op?: string;
    readonly value?: string;
  }[];
  readonly valueSet?: readonly string[];
}

/** A ValueSet (composition or expansion). */
export interface ValueSet {
  readonly resourceType: "ValueSet";
  readonly url: string;
  readonly compose?: {
    readonly include?: readonly ValueSetInclude[];
    readonly exclude?: readonly ValueSetInclude[];
  };
  readonly expansion?: {
    readonly contains?: readonly { readonly system?: string; readonly code?: string }[];
  };
}

/** A CodeSystem concept, possibly with nested concepts. */
export interface CodeSystemConcept {
  readonly code?: string;
  readonly concept?: readonly CodeSystemConcept[];
}

/** A CodeSystem. */
export interface CodeSystem {
  readonly resourceType: "CodeSystem";
  readonly url: string;
  readonly content?: string;
  readonly caseSensitive?: boolean;
  readonly concept?: readonly CodeSystemConcept[];
}

/** What a profile directory holds, by canonical URL. */
export interface ConformancePackage {
  /** The directory loaded (absolute). */
  readonly dir: string;
  readonly structureDefinitions: ReadonlyMap<string, StructureDefinition>;
  readonly valueSets: ReadonlyMap<string, ValueSet>;
  readonly codeSystems: ReadonlyMap<string, CodeSystem>;
}
