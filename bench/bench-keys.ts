/**
 * Deterministic directory keys for the cache-miss variants: key `n` (1, 2, …) is a practice ODS
 * code `BX{n}` and an NHS number that maps back to `n`, valid under the modulus 11 check. Each
 * request of a miss variant takes the next `n`, so no answer is ever in the cache. The same
 * formulas are written in Lua for wrk ({@linkcode wrkKeyScript}).
 *
 * @module
 */
import { interactionsOfRoot, sdsIdentities } from "../sandbox/sds/sds-records.ts";
import type { AsRecord, MhsRecord } from "../sandbox/sds/sds-records.ts";
import type { FixturePatient } from "../sandbox/pds/fixture-patients.ts";
import { providerServiceRoots } from "../sandbox/provider/provider-roots.ts";
import { nhsNumberCheckDigit } from "../gpconnect/nhs-number.ts";

/** The prefix of every generated ODS code (`BX1`, `BX2`, …; alphanumeric, at most 12 long). */
export const generatedOdsPrefix = "BX";

/** The first nine digits of generated NHS numbers start here (fixture numbers start 9). */
const nhsBase = 600_000_000;

/** The practice ODS code of key `n`. */
export function practiceOfKey(n: number): string {
  return `${generatedOdsPrefix}${n}`;
}

/** Key `n` of a generated ODS code, or `undefined` for any other code. */
export function keyOfPractice(odsCode: string): number | undefined {
  const match = /^BX([0-9]{1,10})$/.exec(odsCode);
  return match ? Number(match[1]) : undefined;
}

function checkDigit(nineDigits: number): number {
  return nhsNumberCheckDigit(String(nineDigits).padStart(9, "0"));
}

/**
 * The NHS number of key `n`: nine digits `600000000 + 2n` (or one more when that has no valid
 * check digit; the next one always has), then the modulus 11 check digit.
 *
 * @example
 * ```ts
 * nhsNumberOfKey(1); // "6000000024"
 * ```
 */
export function nhsNumberOfKey(n: number): string {
  let nine = nhsBase + 2 * n;
  if (checkDigit(nine) === 10) nine += 1;
  return `${nine}${checkDigit(nine)}`;
}

/** Key `n` of a generated NHS number, or `undefined` for any other number. */
export function keyOfNhsNumber(nhsNumber: string): number | undefined {
  if (!/^6[0-9]{9}$/.test(nhsNumber)) return undefined;
  const n = Math.floor((Number(nhsNumber.slice(0, 9)) - nhsBase) / 2);
  return n >= 1 && nhsNumberOfKey(n) === nhsNumber ? n : undefined;
}

/** The PDS sandbox patient of key `n`: present, unrestricted, registered at `BX{n}`. */
export function patientOfKey(n: number): FixturePatient {
  return {
    role: `bench-${n}`,
    description: "generated for the benchmark's cache-miss variants",
    nhsNumber: nhsNumberOfKey(n),
    name: { given: ["Bench"], family: `PATIENT${n}` },
    gender: "unknown",
    birthDate: "1970-01-01",
    pds: {
      record: "present",
      versionId: "1",
      security: "U",
      generalPractitioner: { odsCode: practiceOfKey(n), start: "2000-01-01" },
    },
  };
}

/** The SDS sandbox records of practice `BX{n}`: one foundations endpoint at `providerBaseUrl`. */
export function sdsRecordsOfKey(
  n: number,
  providerBaseUrl: string,
): { mhs: MhsRecord; as: AsRecord } {
  const odsCode = practiceOfKey(n);
  const partyKey = `${odsCode}-0000001`;
  const interactions = interactionsOfRoot("foundations");
  return {
    mhs: {
      odsCode,
      partyKey,
      interactions,
      address: providerServiceRoots(providerBaseUrl, odsCode).foundations,
      cpaId: `S${n}`,
      mhsId: `S${n}`,
      fqdn: new URL(providerBaseUrl).hostname,
      reliability: {},
    },
    as: {
      odsCode,
      asid: sdsIdentities.provider.asid,
      partyKey,
      interactions,
      manufacturerOdsCode: sdsIdentities.providerSupplierOdsCode,
    },
  };
}

/**
 * A wrk script whose every request takes the next key: `-- <first key> <path prefix> <path
 * suffix> <ods|nhs>`. The Lua twins {@linkcode practiceOfKey} and {@linkcode nhsNumberOfKey}.
 */
export const wrkKeyScript = `
local counter, first, prefix, suffix, kind = 0, 1, "/", "", "ods"
function init(args)
  first, prefix, suffix, kind = tonumber(args[1]), args[2], args[3] or "", args[4]
end
local function check(nine)
  local digits, sum = string.format("%09d", nine), 0
  for i = 1, 9 do sum = sum + tonumber(digits:sub(i, i)) * (11 - i) end
  local c = 11 - (sum % 11)
  if c == 11 then c = 0 end
  return c
end
local function nhs(n)
  local nine = ${nhsBase} + 2 * n
  if check(nine) == 10 then nine = nine + 1 end
  return string.format("%09d%d", nine, check(nine))
end
function request()
  local n = first + counter
  counter = counter + 1
  local key = kind == "nhs" and nhs(n) or ("${generatedOdsPrefix}" .. n)
  return wrk.format(nil, prefix .. key .. suffix)
end
`;
