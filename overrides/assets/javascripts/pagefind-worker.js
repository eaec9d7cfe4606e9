/* Material for MkDocs' search worker, answered by Pagefind (tools/pagefind.py).

   Material's search dialog talks to a web worker with four messages (SETUP, READY,
   QUERY, RESULT; Material's integrations/search/worker). This worker speaks that
   protocol, so Material's dialog, keyboard handling and result list stay as they are,
   and looks the query up in this language's Pagefind bundle, which segments Japanese
   words the same way when indexing (ICU4X) and when searching (Intl.Segmenter).
   Pagefind's script, WebAssembly and index chunks are fetched on the first query, not
   with the page. Each language's build writes its own bundle to <language root>/pagefind/
   (tools/hooks/search_index.py). */

const SETUP = 0, READY = 1, QUERY = 2, RESULT = 3

/* This file is <language root>/assets/javascripts/pagefind-worker.js */
const root = new URL("../../", self.location.href)
const bundle = new URL("pagefind/", root)
let pagefind = null
let language = "unknown"
let answered = Promise.resolve()

/* Pagefind reads the page's language from <html lang>, which a worker has no access to:
   the language of Material's search config (plugins.search.lang, "ja" or "en") stands in
   for it. With it, Pagefind cuts a Japanese query into words (Intl.Segmenter). */
function load() {
  pagefind ??= (async () => {
    self.document ??= {
      currentScript: null,
      querySelector: selector => selector === "html"
        ? { getAttribute: name => name === "lang" ? language : null }
        : null
    }
    const module = await import(new URL("pagefind.js", bundle).href)
    await module.options({ excerptLength: 24, baseUrl: root.pathname })
    await module.init()
    return module
  })()
  return pagefind
}

/* The query as typed, in hiragana, in katakana: readers write ズレる for the pages'
   ずれる, or the other way round. */
function spellings(query) {
  const shift = (text, from, to, by) => text.replace(
    new RegExp(`[${from}-${to}]`, "g"),
    char => String.fromCharCode(char.charCodeAt(0) + by))
  return [...new Set([
    query,
    shift(query, "\u30a1", "\u30f6", -0x60),
    shift(query, "\u3041", "\u3096", 0x60)
  ])]
}

/* Pagefind's results as Material's: one list per page, the page first, then its
   sections; sections after the first go under Material's "more" fold. Only a query
   that finds nothing as typed is tried in the other kana. */
async function search(query) {
  if (!query.trim())
    return { items: [] }
  const module = await load()
  let found = []
  for (const spelling of spellings(query)) {
    found = (await module.search(spelling)).results
    if (found.length)
      break
  }
  const pages = await Promise.all(found.map(result => result.data()))
  return {
    items: pages.map((page, rank) => {
      const score = found[rank].score
      const sections = page.sub_results
        .filter(section => section.url !== page.url)
        .sort((a, b) => b.locations.length - a.locations.length)
      return [
        { location: page.url, title: page.meta.title, text: page.excerpt, score, terms: {} },
        ...sections.map((section, index) => ({
          location: section.url,
          title: section.title,
          text: section.excerpt,
          score: index === 0 ? score : score / 2,
          terms: {}
        }))
      ]
    })
  }
}

/* Answer the queries in the order they came, as Material expects. */
async function answer(query) {
  try {
    return await search(query)
  } catch (error) {
    console.warn(`Search failed: ${error}`)
    return { items: [] }
  }
}

addEventListener("message", ({ data: message }) => {
  if (message.type === SETUP) {
    language = message.data.config.lang[0]
    postMessage({ type: READY })
  }
  else if (message.type === QUERY)
    answered = answered
      .then(() => answer(message.data))
      .then(result => postMessage({ type: RESULT, data: result }))
})
