// The search itself, on the index generator/searchindex.py builds: a query is cut into the same tokens as the pages
// (every Han character and pair of characters, every run of Latin letters or digits), each token's list of pages comes
// from one small shard, and the pages are ranked as a reader expects (rank() below): pages whose heading holds the
// query, then pages that hold it anywhere, then pages holding at least half of its pairs of characters; documents
// before lists, more of the query in the heading first, then the newest.
const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+/g;  // the same ranges as searchindex.py

// A query's tokens: its pairs of characters (a lone character stands for itself) and its Latin or digit runs, each
// with whether a page may lack it. Every page that holds the query holds all of them, since the index has every
// character and pair of each page; but a reader joins words that a page holds apart (畜牧兽医局 + 收费标准): a pair
// inside a run, with two characters or more on each side and not next to another such gap, may be missing.
export function queryTokens(text) {
  const found = new Map();
  for (const run of text.normalize("NFKC").toLowerCase().match(HAN) || []) {
    const chars = [...run];
    if (/^[a-z0-9]/.test(run) || chars.length === 1) {
      found.set(run, false);
      continue;
    }
    for (let i = 0; i + 1 < chars.length; i++) {
      const pair = chars[i] + chars[i + 1];
      found.set(pair, (found.get(pair) ?? true) && i >= 1 && i <= chars.length - 3);
    }
  }
  return [...found].map(([token, gap]) => ({ token, gap }));
}

// How well a page answers the query, best first when sorted: its tier (0: its heading, that is its title, office
// and type, holds the whole query; 1: the query holds its whole title; 2: the page holds the whole query; 3: at least
// half of it), then an exact title, a title the query holds whole, documents before lists, the most of the query in the heading, the most of the
// query in the page, the shortest label and title that hold it, and last the page's number (newest first).
export function rank(page, held, heading, wanted, length, lists) {
  const inHeading = [...held].filter((i) => heading.has(i)).length;
  // The reader named the page: its whole title is in the query (人防工程收费标准 holds 收费标准), with words about it.
  const named = heading.titleLength > 1 && heading.title === heading.titleLength - 1;
  const tier = holdsWhole(heading, wanted) ? 0 : named ? 1 : holdsWhole(held, wanted) ? 2 : 3;
  const exact = heading.title === wanted.length && heading.titleLength === length ? 0 : 1;
  return [tier, tier === 0 ? exact : 1, named ? 0 : 1, page >= lists ? 1 : 0, -inHeading, -held.size,
          heading.labelLength, heading.titleLength || Infinity, page];
}

// Whether a set of the query's tokens (by position) is all of them but the gaps a reader leaves between words.
function holdsWhole(found, wanted) {
  let gapBefore = false;
  for (let i = 0; i < wanted.length; i++) {
    const missing = !found.has(i);
    if (missing && (!wanted[i].gap || gapBefore)) return false;
    gapBefore = missing;
  }
  return true;
}

function compare(a, b) {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

function shardOf(token, shards) {  // FNV-1a over UTF-16 code units, as searchindex.shard_of
  let value = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) {
    value ^= token.charCodeAt(i);
    value = Math.imul(value, 0x01000193) >>> 0;
  }
  return value % shards;
}

function undelta(numbers) {
  let previous = 0;
  return numbers.map((n) => (previous += n));
}

const opened = new Map();

// The one Index of an index folder on this page, so that what the page's head fetched early (prefetch) is not
// fetched again by the search page's script.
export function open(base) {
  const key = new URL(base).href;
  if (!opened.has(key)) opened.set(key, new Index(key));
  return opened.get(key);
}

// Ask for the files a search for `query` reads first, before the search page's script runs.
export async function prefetch(base, query) {
  const index = open(base);
  const meta = await index.fetch("meta.json");
  await Promise.all(queryTokens(query || "").map(({ token }) => index.fetch(`s/${shardOf(token, meta.shards)}.json`)));
}

export class Index {
  constructor(base) {
    this.base = base;  // the address of the gk-search/ folder
    this.files = new Map();
  }

  fetch(name) {
    if (!this.files.has(name)) {
      this.files.set(name, fetch(new URL(name, this.base)).then((response) => {
        if (!response.ok) throw new Error(`${name}: ${response.status}`);
        return response.json();
      }));
    }
    return this.files.get(name);
  }

  // Page numbers, best first, and how many of them hold the whole query.
  async search(query, filters = {}) {
    const meta = await this.fetch("meta.json");
    const wanted = queryTokens(query);
    if (!wanted.length) return { pages: [], whole: 0 };
    const entries = await Promise.all(wanted.map(async ({ token }) => {
      const shard = await this.fetch(`s/${shardOf(token, meta.shards)}.json`);
      return shard[token] || [[], []];
    }));
    let allowed = null;
    for (const [name, value] of Object.entries(filters)) {
      const file = meta.filters[name] && meta.filters[name][value];
      const members = new Set(file ? undelta(await this.fetch(file)) : []);
      allowed = allowed ? new Set([...allowed].filter((n) => members.has(n))) : members;
    }
    const held = new Map();  // page -> the query's tokens (by position) its text holds
    const heading = new Map();  // page -> those its heading holds, and its title's length (0: not in the title)
    entries.forEach(([body, titles], i) => {
      for (const page of undelta(body)) {
        if (!held.has(page)) held.set(page, new Set());
        held.get(page).add(i);
      }
      let page = 0;
      for (let j = 0; j < titles.length; j += 2) {
        page += titles[j];
        if (!heading.has(page)) heading.set(page, Object.assign(new Set(), { title: 0, titleLength: 0, labelLength: 0 }));
        const seen = heading.get(page);
        seen.add(i);
        if (titles[j + 1] > 0) {
          seen.title += 1;
          seen.titleLength = titles[j + 1];
        } else {
          seen.labelLength = Math.max(seen.labelLength, -titles[j + 1]);
        }
      }
    });
    const length = [...query.normalize("NFKC").replace(/\s+/g, "")].length;
    const least = Math.ceil(wanted.length / 2);
    const lists = meta.lists ?? meta.pages;
    const none = Object.assign(new Set(), { title: 0, titleLength: 0, labelLength: 0 });
    const ranked = [];
    for (const [page, tokens] of held) {
      if (tokens.size < least || (allowed && !allowed.has(page))) continue;
      ranked.push(rank(page, tokens, heading.get(page) || none, wanted, length, lists));
    }
    ranked.sort(compare);
    return { pages: ranked.map((r) => r[r.length - 1]), whole: ranked.filter((r) => r[0] < 3).length };
  }

  page(number) {
    return this.fetch(`p/${number}.json`);
  }
}

// The part of a page's text around the first place it holds the query (or its longest word), with the matches marked:
// a list of [text, marked] pieces for the page to build with text nodes, never as HTML.
export function excerpt(text, query, before = 30, length = 110) {
  const lower = text.toLowerCase();
  const words = query.toLowerCase().split(/\s+/).filter(Boolean).sort((a, b) => b.length - a.length);
  const whole = query.toLowerCase().replace(/\s+/g, "");
  let at = lower.indexOf(whole);
  for (const word of words) {
    if (at !== -1) break;
    at = lower.indexOf(word);
  }
  const start = Math.max(0, at - before);
  const slice = text.slice(start, start + length);
  const marks = [whole, ...words];
  const pieces = [];
  const lowerSlice = slice.toLowerCase();
  let i = 0;
  while (i < slice.length) {
    let next = -1;
    let word = "";
    for (const w of marks) {
      const found = lowerSlice.indexOf(w, i);
      if (found !== -1 && (next === -1 || found < next || (found === next && w.length > word.length))) {
        next = found;
        word = w;
      }
    }
    if (next === -1) {
      pieces.push([slice.slice(i), false]);
      break;
    }
    if (next > i) pieces.push([slice.slice(i, next), false]);
    pieces.push([slice.slice(next, next + word.length), true]);
    i = next + word.length;
  }
  if (start > 0) pieces.unshift(["……", false]);
  if (start + length < text.length) pieces.push(["……", false]);
  return pieces;
}
