import assert from "node:assert/strict";
import { parseCommandLine, problemLine, UsageError } from "./command-line.ts";

const spec = {
  options: { quick: { type: "boolean" as const }, out: { type: "string" as const } },
  maxPositionals: 1,
};

Deno.test("parseCommandLine: flags, positionals and --help", () => {
  const line = parseCommandLine(["--quick", "--out", "x.json", "arg"], spec);
  assert.deepEqual(line.values, { quick: true, out: "x.json" });
  assert.deepEqual(line.positionals, ["arg"]);
  assert.equal(line.help, false);
  assert.equal(parseCommandLine(["-h"], spec).help, true);
  assert.equal(parseCommandLine(["--help", "a", "b"], spec).help, true);
});

Deno.test("parseCommandLine: each usage problem is a UsageError of a few words", () => {
  const cases: Array<[string[], string]> = [
    [["--nope"], "unknown option --nope"],
    [["-x"], "unknown option -x"],
    [["--out"], "option --out needs a value"],
    [["--quick=yes"], "Option --quick does not take an argument"],
    [["a", "b"], 'unexpected argument "b"'],
  ];
  for (const [args, message] of cases) {
    assert.throws(() => parseCommandLine(args, spec), (error) => {
      assert.ok(error instanceof UsageError);
      assert.equal(error.message, message);
      return true;
    });
  }
});

Deno.test("problemLine: the program's name and the first line of the message", () => {
  assert.equal(problemLine("gpc-edge", new Error("one\ntwo")), "gpc-edge: one");
  assert.equal(problemLine("gpc-edge", "text"), "gpc-edge: text");
});
