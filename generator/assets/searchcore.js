// The search itself, on the index generator/searchindex.py builds: a query is cut into the same tokens as the pages
// (every Han character and pair of characters, every run of Latin letters or digits), each token's list of pages comes
// from one small shard, and the pages are ranked: titles holding the whole query first (an exact title at the top),
// then pages holding the whole query, newest first, then pages holding at least half of its pairs of characters.
const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+/g;  // the same ranges as searchindex.py

// A query's tokens: its pairs of characters (a lone character stands for itself) and its Latin or digit runs.
// Every page that holds the query holds all of them, since the index has every character and pair of each page.
export function tokens(text) {
  const found = new Set();
  for (const run of text.normalize("NFKC").toLowerCase().match(HAN) || []) {
    const chars = [...run];
    if (/^[a-z0-9]/.test(run) || chars.length === 1) {
      found.add(run);
      continue;
    }
    for (let i = 0; i + 1 < chars.length; i++) found.add(chars[i] + chars[i + 1]);
  }
  return [...found];
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
    const wanted = tokens(query);
    if (!wanted.length) return { pages: [], whole: 0 };
    const entries = await Promise.all(wanted.map(async (token) => {
      const shard = await this.fetch(`s/${shardOf(token, meta.shards)}.json`);
      return shard[token] || [[], []];
    }));
    let allowed = null;
    for (const [name, value] of Object.entries(filters)) {
      const file = meta.filters[name] && meta.filters[name][value];
      const members = new Set(file ? undelta(await this.fetch(file)) : []);
      allowed = allowed ? new Set([...allowed].filter((n) => members.has(n))) : members;
    }
    const held = new Map();  // page -> how many of the query's tokens its text holds
    const inTitle = new Map();  // page -> [tokens its title holds, title length]
    for (const [body, titles] of entries) {
      for (const page of undelta(body)) held.set(page, (held.get(page) || 0) + 1);
      let page = 0;
      for (let i = 0; i < titles.length; i += 2) {
        page += titles[i];
        const seen = inTitle.get(page) || [0, titles[i + 1]];
        seen[0] += 1;
        inTitle.set(page, seen);
      }
    }
    const all = wanted.length;
    const length = [...query.normalize("NFKC").replace(/\s+/g, "")].length;
    const least = Math.ceil(all / 2);
    const rank = [];
    for (const [page, count] of held) {
      if (count < least || (allowed && !allowed.has(page))) continue;
      const title = inTitle.get(page);
      const tier = count < all ? 2 : title && title[0] === all ? 0 : 1;
      // an exact title first, then by page order (newest first); part of the query: the most of it first
      rank.push([tier, tier === 0 ? Number(title[1] !== length) : tier === 2 ? all - count : 0, page]);
    }
    rank.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    return { pages: rank.map((r) => r[2]), whole: rank.filter((r) => r[0] < 2).length };
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
