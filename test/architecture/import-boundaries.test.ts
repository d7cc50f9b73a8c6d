import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { modes } from "../../src/modes/registry.js";

// The boundaries of docs/architecture.md, read from the source with the TypeScript compiler:
// every relative import of every file under src/, and the syntax of the stages after compile.
// A change that brings back an import across a boundary, a circle between folders, or mode
// knowledge after compile fails here, naming the file.

const SRC = "src";

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });

const FILES = sourceFiles(SRC);

/** The src files `file` imports or re-exports, as paths like "src/modes/naming.ts". */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, false);
  return importedFiles
    .map((imported) => imported.fileName)
    .filter((name) => name.startsWith("."))
    .map((name) => normalize(join(dirname(file), name)).replace(/\.js$/, ".ts"));
}

const IMPORTS = new Map(FILES.map((file) => [file, importsOf(file)]));

/** "src/modes/naming.ts" -> "modes"; files directly in src/ are their own folder. */
const folderOf = (file: string): string => relative(SRC, file).split("/")[0] as string;

/** Every file `file` imports, directly or through others. */
function reachableFrom(file: string): Set<string> {
  const seen = new Set<string>();
  const stack = [...(IMPORTS.get(file) ?? [])];
  while (stack.length > 0) {
    const next = stack.pop() as string;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(IMPORTS.get(next) ?? []));
  }
  return seen;
}

/** The folders that import each other in a circle, as "a -> b -> a". */
function folderCircles(): string[] {
  const edges = new Map<string, Set<string>>();
  for (const [file, imports] of IMPORTS) {
    for (const target of imports) {
      const from = folderOf(file);
      const to = folderOf(target);
      if (from !== to) edges.set(from, (edges.get(from) ?? new Set()).add(to));
    }
  }
  const circles = new Set<string>();
  const walk = (folder: string, path: readonly string[]): void => {
    for (const next of edges.get(folder) ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) {
        const circle = path.slice(at);
        const first = circle.indexOf([...circle].sort()[0] as string);
        const turned = [...circle.slice(first), ...circle.slice(0, first)];
        circles.add([...turned, turned[0]].join(" -> "));
      } else {
        walk(next, [...path, next]);
      }
    }
  };
  for (const folder of edges.keys()) walk(folder, [folder]);
  return [...circles].sort();
}

/** Folders whose code is pure: they run no process and contact no host. */
const PURE = ["planner", "modes", "model", "topology"];
/** Folders that touch the outside world or present it. */
const EDGE = ["applier", "transport", "lab", "cli"];
/** The stages after compile: none of them may know which mode made the state. */
const AFTER_COMPILE = ["applier", "planner", "observe", "verify", "cli"];
const MODE_NAMES = new Set(Object.keys(modes));
/**
 * `validate` prints the file it read ("mode vxlan, attach bridge"): it shows the topology,
 * runs no stage and decides nothing by the mode.
 */
const SHOWS_THE_TOPOLOGY = ["src/cli/commands/validate.ts"];
/** Where the BIRD configuration is written; nothing after compile reads it. */
const BIRD_CONFIG_MODULES = ["src/modes/bird-config.ts", "src/modes/bgp.ts"];

/**
 * Where `file` reads a mode after compile: `cluster.mode`, a comparison or a switch case of
 * a `.mode` against a mode name, or text of the BIRD configuration (`protocol bgp`).
 */
function modeKnowledgeIn(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const at = (node: ts.Node, what: string): void => {
    const { line, character } = source.getLineAndCharacterOfPosition(node.getStart());
    found.push(`${file}:${line + 1}:${character + 1}: ${what}`);
  };
  const isModeAccess = (node: ts.Node): boolean =>
    ts.isPropertyAccessExpression(node) && node.name.text === "mode";
  const isModeName = (node: ts.Node): boolean =>
    ts.isStringLiteralLike(node) && MODE_NAMES.has(node.text);
  const visit = (node: ts.Node): void => {
    if (
      ts.isPropertyAccessExpression(node) &&
      node.name.text === "mode" &&
      /\bcluster$/.test(node.expression.getText(source))
    ) {
      at(node, `reads ${node.getText(source)}`);
    }
    if (
      ts.isBinaryExpression(node) &&
      [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken].includes(
        node.operatorToken.kind,
      ) &&
      ((isModeAccess(node.left) && isModeName(node.right)) ||
        (isModeName(node.left) && isModeAccess(node.right)))
    ) {
      at(node, `compares ${node.getText(source)}`);
    }
    if (
      ts.isSwitchStatement(node) &&
      isModeAccess(node.expression) &&
      node.caseBlock.clauses.some(
        (clause) => ts.isCaseClause(clause) && isModeName(clause.expression),
      )
    ) {
      at(node, `switches on ${node.expression.getText(source)}`);
    }
    if (
      (ts.isStringLiteralLike(node) || ts.isRegularExpressionLiteral(node)) &&
      /protocol bgp/.test(node.text)
    ) {
      at(node, `matches BIRD configuration text ${node.getText(source)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  for (const target of IMPORTS.get(file) ?? []) {
    if (BIRD_CONFIG_MODULES.includes(target)) at(source, `imports ${target}`);
  }
  return found;
}

/**
 * Where `file` compares a value with a mode name (`mode === "vxlan"`, `case "bgp":`): a fact
 * of that mode kept outside its file.
 */
function modeComparisonsIn(file: string): string[] {
  const source = ts.createSourceFile(
    file,
    readFileSync(file, "utf8"),
    ts.ScriptTarget.Latest,
    true,
  );
  const found: string[] = [];
  const isModeName = (node: ts.Node): boolean =>
    ts.isStringLiteralLike(node) && MODE_NAMES.has(node.text);
  const visit = (node: ts.Node): void => {
    const compares =
      ts.isBinaryExpression(node) &&
      [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken].includes(
        node.operatorToken.kind,
      ) &&
      (isModeName(node.left) || isModeName(node.right));
    if (compares || (ts.isCaseClause(node) && isModeName(node.expression))) {
      const { line, character } = source.getLineAndCharacterOfPosition(node.getStart());
      found.push(`${file}:${line + 1}:${character + 1}: ${node.getText(source).split("\n")[0]}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe("import boundaries", () => {
  it("reads every file of src", () => {
    expect(FILES.length).toBeGreaterThan(100);
    expect(FILES).toContain("src/applier/apply-pipeline.ts");
  });

  it("keeps planner, modes, model and topology clear of applier, transport, lab and cli", () => {
    const crossings = FILES.filter((file) => PURE.includes(folderOf(file))).flatMap((file) =>
      [...reachableFrom(file)]
        .filter((target) => EDGE.includes(folderOf(target)))
        .map((target) => `${file} reaches ${target}`),
    );
    expect(crossings).toEqual([]);
  });

  it("keeps them clear of the observation's execution (what runs on a host)", () => {
    const crossings = FILES.filter((file) => PURE.includes(folderOf(file))).flatMap((file) =>
      [...reachableFrom(file)]
        .filter((target) => folderOf(target) === "observe" && reachableFrom(target).size > 0)
        .filter((target) => [...reachableFrom(target)].some((t) => folderOf(t) === "transport"))
        .map((target) => `${file} reaches ${target}`),
    );
    expect(crossings).toEqual([]);
  });

  it("has no folder that imports another in a circle", () => {
    expect(folderCircles()).toEqual([]);
  });

  it("keeps each mode's facts in its file: the loader compares nothing with a mode name", () => {
    // The validator generated from the schema checks the file format's mode names: the schema's
    // enum is where a mode users can write is named (docs/architecture.md, adding a mode).
    const found = FILES.filter((file) => folderOf(file) === "topology")
      .filter((file) => !file.endsWith(".generated.ts"))
      .flatMap(modeComparisonsIn);
    expect(found).toEqual([]);
  });

  it("leaves the mode to compile: no stage after it reads or compares the mode", () => {
    const found = FILES.filter((file) => AFTER_COMPILE.includes(folderOf(file)))
      .filter((file) => !SHOWS_THE_TOPOLOGY.includes(file))
      .flatMap(modeKnowledgeIn);
    expect(found).toEqual([]);
  });
});
