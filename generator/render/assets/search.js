// The search page: the form, the address bar and the list of results, on the index searchcore.js reads. A query
// fetches one small shard per pair of characters and one small file per result shown, so a phone's first result costs
// a few small files even with tens of thousands of notices; a filter's list is fetched only when that filter is chosen.
import { excerpt, open } from "./searchcore.js";

const form = document.getElementById("gk-search");
const status = document.getElementById("gk-search-status");
const list = document.getElementById("gk-search-results");
const more = document.getElementById("gk-search-more");
const index = open(new URL(form.dataset.bundle, document.baseURI));
const root = new URL(form.dataset.root, document.baseURI);
const PAGE = 5;  // results fetched at a time: five fill a phone screen, and each costs a download
let shown = [];
let query = "";
let asked = 0;

function chosenFilters(data) {
  const filters = {};
  for (const [name, value] of data) {
    if (name !== "q" && value) filters[name] = value;
  }
  return filters;
}

function resultItem(page) {
  const item = document.createElement("li");
  const link = document.createElement("a");
  link.className = "gk-search-result-link";
  link.href = new URL(page.url, root).href;
  link.textContent = page.title;
  const heading = document.createElement("p");
  heading.className = "gk-search-result-title";
  heading.append(link);
  const facts = [page.kind, page.date].filter(Boolean).join(" · ");
  if (facts) {
    const span = document.createElement("span");
    span.className = "gk-search-result-facts";
    span.textContent = `（${facts}）`;
    heading.append(span);
  }
  const text = document.createElement("p");
  text.className = "gk-search-result-excerpt";
  for (const [piece, marked] of excerpt(page.text, query)) {
    if (marked) {
      const mark = document.createElement("mark");
      mark.textContent = piece;
      text.append(mark);
    } else {
      text.append(piece);
    }
  }
  item.append(heading, text);
  return item;
}

async function showMore(ticket = asked) {
  const batch = shown.slice(list.children.length, list.children.length + PAGE);
  const pages = batch.map((number) => index.page(number));  // all asked for at once, each shown when it is here
  for (const page of pages) {
    const data = await page;
    if (ticket !== asked) return;  // a newer query cleared the list meanwhile
    list.append(resultItem(data));
  }
  more.hidden = list.children.length >= shown.length;
}

async function run() {
  const data = new FormData(form);
  const ticket = ++asked;  // a slower earlier query must not overwrite a later one
  query = (data.get("q") || "").trim();
  list.replaceChildren();
  more.hidden = true;
  if (!query) {
    status.textContent = "";
    return;
  }
  status.textContent = "正在检索……";
  let found;
  try {
    found = await index.search(query, chosenFilters(data));
  } catch (error) {
    if (ticket === asked) status.textContent = "检索暂时无法使用，请稍后再试";
    return;
  }
  if (ticket !== asked) return;
  shown = found.pages;
  const part = shown.length - found.whole;
  await showMore(ticket);
  if (ticket !== asked) return;
  // Said once the results are on the page: a screen reader announces the count where the reader can go on to them.
  status.textContent = !shown.length ? "没有找到结果，请换一个检索词或取消筛选"
    : found.whole ? `找到 ${found.whole} 条结果${part ? `，另有 ${part} 条包含部分检索词` : ""}`
    : `没有完全符合的结果；${part} 条包含部分检索词`;
}

function remember() {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form)) {
    if (value) params.set(name, value);
  }
  history.replaceState(null, "", `?${params}`);
}

const params = new URLSearchParams(location.search);
for (const element of form.elements) {
  if (element.name && params.has(element.name)) element.value = params.get(element.name);
}
form.addEventListener("submit", (event) => {
  event.preventDefault();
  remember();
  run();
});
form.addEventListener("change", (event) => {
  if (event.target.tagName === "SELECT") {
    remember();
    run();
  }
});
more.addEventListener("click", () => showMore());
run();
