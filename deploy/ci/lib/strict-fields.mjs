// Unknown-field check for Kubernetes objects.
//
// kubernetes-models validates types, required fields and formats, but lets
// unknown fields through, while the API server (strict field validation, the
// kubectl default) refuses them. Its .d.ts files describe every field of every
// type, so this module reads them once into a tree and walks each manifest
// along it: a misspelt field (`readOnlyRootFileSystem`, `servic`) is an error.

import fs from "node:fs";
import path from "node:path";

const TOKEN = /\s*(?:("(?:[^"\\]|\\.)*")|([A-Za-z_$][\w$]*)|(-?\d+(?:\.\d+)?)|(\S))/y;

function tokenize(text) {
  const tokens = [];
  TOKEN.lastIndex = 0;
  let m;
  while (TOKEN.lastIndex < text.length && (m = TOKEN.exec(text))) {
    if (m[1] !== undefined) tokens.push({ t: "str", v: JSON.parse(m[1]) });
    else if (m[2] !== undefined) tokens.push({ t: "id", v: m[2] });
    else if (m[3] !== undefined) tokens.push({ t: "num", v: m[3] });
    else if (m[4] !== undefined) tokens.push({ t: "p", v: m[4] });
  }
  return tokens;
}

// A recursive-descent parser for the TypeScript type expressions the
// generated declarations use: unions, Array<T>, T[], object literals with
// (optional) properties and index signatures, names and literals.
class TypeParser {
  constructor(tokens) {
    this.tokens = tokens;
    this.i = 0;
  }
  peek(v) {
    const tok = this.tokens[this.i];
    return tok && (v === undefined || tok.v === v) ? tok : null;
  }
  take(v) {
    const tok = this.tokens[this.i];
    if (!tok || (v !== undefined && tok.v !== v)) {
      throw new Error(`expected ${v} at token ${this.i}, found ${tok ? tok.v : "end"}`);
    }
    this.i++;
    return tok;
  }
  type() {
    const options = [this.postfix()];
    while (this.peek("|")) {
      this.take("|");
      options.push(this.postfix());
    }
    return options.length === 1 ? options[0] : { kind: "union", of: options };
  }
  postfix() {
    let node = this.primary();
    while (this.peek("[")) {
      this.take("[");
      if (this.peek("]")) {
        this.take("]");
        node = { kind: "array", of: node };
      } else {
        this.type(); // T["key"]: an indexed access, only a literal in practice
        this.take("]");
        node = { kind: "leaf" };
      }
    }
    return node;
  }
  primary() {
    const tok = this.take();
    if (tok.v === "{") return this.members("}");
    if (tok.v === "(") {
      const inner = this.type();
      this.take(")");
      return inner;
    }
    if (tok.t === "id" && tok.v === "Array" && this.peek("<")) {
      this.take("<");
      const of = this.type();
      this.take(">");
      return { kind: "array", of };
    }
    if (tok.t === "id" && this.peek("<")) {
      // Another generic (Record<...>, ...): not used by the models; accept anything.
      let depth = 0;
      do {
        const t = this.take();
        if (t.v === "<") depth++;
        if (t.v === ">") depth--;
      } while (depth > 0);
      return { kind: "leaf" };
    }
    if (tok.t === "id" && !["string", "number", "boolean", "any", "unknown", "null", "undefined", "object", "true", "false", "never"].includes(tok.v)) {
      return { kind: "ref", name: tok.v };
    }
    return { kind: "leaf" };
  }
  members(close) {
    const node = { kind: "object", props: {}, index: null };
    while (!this.peek(close)) {
      if (this.peek("[")) {
        this.take("[");
        this.take(); // key name
        this.take(":");
        this.type();
        this.take("]");
        this.take(":");
        node.index = this.type();
      } else {
        const name = this.take().v;
        if (this.peek("?")) this.take("?");
        this.take(":");
        node.props[name] = this.type();
      }
      if (this.peek(";") || this.peek(",")) this.take();
    }
    this.take(close);
    return node;
  }
}

function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

/**
 * Reads every .d.ts under the given package roots into one index of named types
 * (the generated files name each type globally, e.g. IIoK8sApiAppsV1Deployment;
 * index.files keeps each file's own names too).
 */
export function buildIndex(roots) {
  const index = new Map();
  index.files = new Map();
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".d.ts")) readDeclarations(full, index);
    }
  };
  for (const root of roots) walk(root);
  return index;
}

function readDeclarations(file, index) {
  const text = stripComments(fs.readFileSync(file, "utf8"));
  const local = new Map();
  const iface = /export (?:declare )?interface (\w+)(?:\s+extends\s+[\w.<>, ]+)?\s*\{/g;
  let m;
  while ((m = iface.exec(text))) {
    const start = m.index + m[0].length - 1;
    let depth = 0;
    let end = start;
    for (; end < text.length; end++) {
      if (text[end] === "{") depth++;
      else if (text[end] === "}" && --depth === 0) break;
    }
    const body = text.slice(start + 1, end + 1);
    try {
      local.set(m[1], new TypeParser(tokenize(body)).members("}"));
    } catch (e) {
      throw new Error(`${file}: interface ${m[1]}: ${e.message}`);
    }
  }
  const alias = /export type (\w+) = ([^;]+);/g;
  while ((m = alias.exec(text))) {
    if (!local.has(m[1])) local.set(m[1], new TypeParser(tokenize(m[2])).type());
  }
  index.files.set(path.resolve(file), local);
  const reexport = /export type \{([^}]*)\}/g;
  while ((m = reexport.exec(text))) {
    for (const part of m[1].split(",")) {
      const [from, to] = part.trim().split(/\s+as\s+/);
      if (to && local.has(from)) index.set(to.trim(), local.get(from));
    }
  }
}

/** The type `name` declared in `file`. */
export function declaredType(index, file, name) {
  const local = index.files.get(path.resolve(file));
  return local ? local.get(name) : undefined;
}

/** The unknown fields of `value` against the type `root` (a node or a global name), as paths. */
export function unknownFields(index, root, value) {
  const problems = [];
  const visit = (node, v, at, depth) => {
    if (v === null || v === undefined || depth > 64) return;
    while (node && node.kind === "ref") node = index.get(node.name);
    if (!node || node.kind === "leaf") return;
    if (node.kind === "union") {
      const candidates = node.of
        .map((n) => {
          while (n && n.kind === "ref") n = index.get(n.name);
          return n;
        })
        .filter((n) => n && (Array.isArray(v) ? n.kind === "array" : typeof v === "object" ? n.kind === "object" : false));
      if (candidates.length > 0) visit(candidates[0], v, at, depth + 1);
      return;
    }
    if (node.kind === "array") {
      if (Array.isArray(v)) v.forEach((item, i) => visit(node.of, item, `${at}[${i}]`, depth + 1));
      return;
    }
    if (node.kind === "object" && typeof v === "object" && !Array.isArray(v)) {
      for (const [key, child] of Object.entries(v)) {
        if (Object.hasOwn(node.props, key)) visit(node.props[key], child, `${at}.${key}`, depth + 1);
        else if (node.index) visit(node.index, child, `${at}.${key}`, depth + 1);
        else problems.push(`${at}.${key}`);
      }
    }
  };
  visit(typeof root === "string" ? { kind: "ref", name: root } : root, value, "", 0);
  return problems.map((p) => p.replace(/^\./, ""));
}
