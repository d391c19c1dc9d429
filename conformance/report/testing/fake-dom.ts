/**
 * Test helper: just enough of a DOM, built from a report's HTML with regular expressions, to
 * run the report's inline script in Deno and observe what it renders and filters.
 *
 * @module
 */

type Listener = (event: { target: unknown }) => void;

/** Unescapes the entities `escapeHtml` writes. */
export function unescapeHtml(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** A text node. */
export class FakeText {
  constructor(public textContent: string) {}
}

/** An element with the members the report script uses. */
export class FakeElement {
  children: Array<FakeElement | FakeText> = [];
  className = "";
  hidden = false;
  open = false;
  value = "";
  #text: string | undefined;
  readonly attributes = new Map<string, string>();
  readonly listeners = new Map<string, Listener[]>();
  constructor(readonly tagName: string) {}

  get textContent(): string {
    return this.#text ?? this.children.map((c) => c.textContent).join("");
  }
  set textContent(v: string) {
    this.#text = v;
    this.children = [];
  }
  get classList(): { contains(c: string): boolean } {
    return { contains: (c) => this.className.split(/\s+/).includes(c) };
  }
  appendChild<T extends FakeElement | FakeText>(child: T): T {
    this.#text = undefined;
    this.children.push(child);
    return child;
  }
  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }
  setAttribute(name: string, value: string): void {
    this.attributes.set(name, String(value));
  }
  addEventListener(type: string, fn: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  /** Calls this element's listeners for `type` with `target`. */
  dispatch(type: string, target: unknown = this): void {
    for (const fn of this.listeners.get(type) ?? []) fn({ target });
  }
  /** Descendant elements, depth first. */
  *descendants(): Generator<FakeElement> {
    for (const c of this.children) {
      if (c instanceof FakeElement) {
        yield c;
        yield* c.descendants();
      }
    }
  }
  querySelector(selector: string): FakeElement | null {
    for (const d of this.descendants()) if (matches(d, selector)) return d;
    return null;
  }
  querySelectorAll(selector: string): FakeElement[] {
    return [...this.descendants()].filter((d) => matches(d, selector));
  }
  scrollIntoView(): void {}
}

/** Supports `tag`, `.class`, `tag.class` and `[attr]`. */
function matches(el: FakeElement, selector: string): boolean {
  const attr = /^\[([\w-]+)\]$/.exec(selector);
  if (attr) return el.attributes.has(attr[1] ?? "");
  const [tag, cls] = selector.split(".");
  return (!tag || el.tagName === tag) && (!cls || el.classList.contains(cls));
}

function attributesOf(text: string, el: FakeElement): FakeElement {
  for (const m of text.matchAll(/([\w-]+)(?:="([^"]*)")?/g)) {
    const name = m[1] ?? "";
    const value = unescapeHtml(m[2] ?? "");
    if (name === "class") el.className = value;
    else el.setAttribute(name, value);
  }
  return el;
}

/** The fake document of `html` and the script to run, with the elements the tests look at. */
export function fakeDocument(html: string) {
  const byId = new Map<string, FakeElement>();
  const make = (id: string, tag = "div") => {
    const el = new FakeElement(tag);
    byId.set(id, el);
    return el;
  };
  const data = make("report-data", "script");
  data.textContent =
    /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(html)?.[1] ?? "";
  const list = make("list");
  for (const m of html.matchAll(/<details class="test" ([^>]*)>/g)) {
    const row = attributesOf(m[1] ?? "", list.appendChild(new FakeElement("details")));
    row.className = "test";
    row.appendChild(new FakeElement("div")).className = "body";
  }
  for (const id of ["q", "shown", "expand", "collapse", "tests"]) make(id);
  make("status", "select").value = "all";
  make("product", "select").value = "all";
  const buttons = [...html.matchAll(/<button ([^>]*data-filter[^>]*)>/g)]
    .map((m) => attributesOf(m[1] ?? "", new FakeElement("button")));
  const document = {
    getElementById: (id: string) => byId.get(id) ?? null,
    querySelectorAll: (selector: string) => (selector === "[data-filter]" ? buttons : []),
    createElement: (tag: string) => new FakeElement(tag),
    createTextNode: (text: string) => new FakeText(text),
  };
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? "");
  const el = (id: string) => byId.get(id) as FakeElement;
  return { document, script: scripts[scripts.length - 1] ?? "", list, buttons, el };
}
