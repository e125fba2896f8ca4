// The search page, on Pagefind's own JavaScript API rather than its prebuilt interface: a query fetches
// only the index chunks it needs, and a filter's list of pages is fetched only when that filter is chosen,
// so a phone's first result costs a few small files even with tens of thousands of notices.
const form = document.getElementById("gk-search");
const status = document.getElementById("gk-search-status");
const list = document.getElementById("gk-search-results");
const more = document.getElementById("gk-search-more");
const PAGE = 5;  // results fetched at a time: five fill a phone screen, and each costs a download
let pagefind = null;
let shown = [];
let asked = 0;

async function engine() {
  if (!pagefind) {
    pagefind = await import(new URL(form.dataset.bundle, document.baseURI).href);
    await pagefind.options({ baseUrl: new URL(form.dataset.root, document.baseURI).pathname });
  }
  return pagefind;
}

// Pagefind 1.5 can miss a Chinese word in a large index that it finds once spaced into shorter words
// (防空警报: nothing on a 10,000-notice site, while 防空 警报 finds them), so an empty result is tried once
// more with the query cut at the browser's word breaks and long Chinese words cut into pairs of characters.
function spaced(query) {
  const words = "Segmenter" in Intl
    ? [...new Intl.Segmenter("zh", { granularity: "word" }).segment(query)].filter((s) => s.isWordLike).map((s) => s.segment)
    : query.split(/\s+/);
  return words.flatMap((word) => (/^\p{Script=Han}{4,}$/u.test(word) ? word.match(/.{1,2}/gu) : [word])).join(" ");
}

function chosenFilters(data) {
  const filters = {};
  for (const [name, value] of data) {
    if (name !== "q" && value) filters[name] = value;
  }
  return filters;
}

function resultItem(result) {
  const item = document.createElement("li");
  const link = document.createElement("a");
  link.className = "gk-search-result-link";
  link.href = result.url;
  link.textContent = result.meta.title || result.url;
  const heading = document.createElement("p");
  heading.className = "gk-search-result-title";
  heading.append(link);
  const facts = [result.meta.kind, result.meta.date].filter(Boolean).join(" · ");
  if (facts) {
    const span = document.createElement("span");
    span.className = "gk-search-result-facts";
    span.textContent = `（${facts}）`;
    heading.append(span);
  }
  const excerpt = document.createElement("p");
  excerpt.className = "gk-search-result-excerpt";
  excerpt.innerHTML = result.excerpt;  // Pagefind escapes the page text and marks the matches with <mark>
  item.append(heading, excerpt);
  return item;
}

async function showMore() {
  const batch = shown.slice(list.children.length, list.children.length + PAGE);
  const data = await Promise.all(batch.map((result) => result.data()));
  list.append(...data.map(resultItem));
  more.hidden = list.children.length >= shown.length;
}

async function run() {
  const data = new FormData(form);
  const query = (data.get("q") || "").trim();
  const ticket = ++asked;  // a slower earlier query must not overwrite a later one
  list.replaceChildren();
  more.hidden = true;
  if (!query) {
    status.textContent = "";
    return;
  }
  status.textContent = "正在检索……";
  const pf = await engine();
  const filters = chosenFilters(data);
  const words = spaced(query);
  let search = await pf.search(query, { filters });
  const retried = !search.results.length && words !== query;
  if (retried) search = await pf.search(words, { filters });
  if (ticket !== asked) return;
  shown = search.results;
  const how = retried ? `（按“${words}”分词检索）` : "";
  status.textContent = shown.length ? `找到 ${shown.length} 条结果${how}` : "没有找到结果，请换一个检索词或取消筛选";
  await showMore();
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
more.addEventListener("click", showMore);
run();
