import assert from "node:assert/strict";
import { UsageError } from "../client/command-line.ts";
import { type BenchOptions, fullDefaults, parseBenchOptions } from "./options.ts";

function options(args: string[]): BenchOptions {
  const parsed = parseBenchOptions(args);
  assert.notEqual(parsed, "help");
  return parsed as BenchOptions;
}

Deno.test("parseBenchOptions: full and quick defaults, lists, variants in round order", () => {
  assert.deepEqual(options([]), fullDefaults);
  const quick = options(["--quick"]);
  assert.equal(quick.rounds, 1);
  assert.equal(quick.micro, false);
  assert.deepEqual(options(["--variants", "P0,D"]).variants, ["D", "P0"]);
  assert.deepEqual(options(["--rates", "500, 0 ,2000"]).rates, [500, 2000]);
  assert.deepEqual(options(["--profiles", "0,15"]).profiles, [0, 15]);
  assert.equal(options(["--no-micro"]).micro, false);
  assert.equal(options(["--out", "x.json"]).out, "x.json");
  assert.equal(options(["--jit-warmup", "0"]).jitWarmupSeconds, 0);
  assert.equal(options(["--lead-in", "0.25"]).leadInSeconds, 0.25);
  assert.equal(parseBenchOptions(["--help"]), "help");
  assert.equal(parseBenchOptions(["--rounds", "x", "-h"]), "help");
});

Deno.test("parseBenchOptions: each bad flag or value is a one-line UsageError naming the flag", () => {
  const cases: Array<[string[], RegExp]> = [
    [["--nope"], /^unknown option --nope$/],
    [["--variants", "X"], /^--variants: unknown variant "X"/],
    [["--rounds", "0"], /^--rounds: expected a positive number, got "0"$/],
    [["--rounds", ""], /^--rounds: expected a positive number/],
    [["--seconds", "1e3"], /^--seconds: expected a positive number/],
    [["--warmup", "0"], /^--warmup: expected a positive number, got "0"$/],
    [["--lead-in", "soon"], /^--lead-in: expected a number >= 0, got "soon"$/],
    [["--rates", "fast"], /^--rates: expected numbers >= 0, got "fast"$/],
    [["--rates", "0"], /^--rates: expected at least one rate above 0$/],
    [["--out"], /^option --out needs a value$/],
    [["extra"], /^unexpected argument "extra"$/],
  ];
  for (const [args, message] of cases) {
    assert.throws(() => parseBenchOptions(args), (error) => {
      assert.ok(error instanceof UsageError, args.join(" "));
      assert.match(error.message, message);
      return true;
    });
  }
});

async function bench(args: string[]) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--node-modules-dir=none", "--allow-all", "bench/run.ts", ...args],
    cwd: new URL("..", import.meta.url),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: text(output.stdout), stderr: text(output.stderr) };
}

Deno.test("deno task bench --help exits 0 with the usage; a bad flag is one line, exit 2", async () => {
  const help = await bench(["--help"]);
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /^Usage: deno task bench \[flags\]$/m);
  assert.match(help.stdout, /^ {2}--variants A,B/m);
  assert.equal(help.stderr, "");

  const bad = await bench(["--rounds", "many"]);
  assert.equal(bad.code, 2);
  assert.equal(bad.stdout, "");
  assert.equal(bad.stderr, 'gpc-edge bench: --rounds: expected a positive number, got "many"\n');
});
