"""What the site's search must find: each term a reader may type, and its pages.

``SEARCH_TERMS`` maps (language, term typed on that language's home page) to the page
files under ``docs/<language>/`` that must all be among the results. It holds

- every content word of every page title, in the form the title uses it; a word in
  several titles names all of those pages (not the maintainers page's: it is left out
  of the search on purpose, with ``search: exclude`` in its front matter);
- the words readers use for the same things, where a page covers them: ジェネレータ
  without the long vowel mark, ズレる in katakana, API names, Keras's own messages.

tests/test_browser.py types every term into the search box of each language's home
page (one visit per language) and names the terms whose pages were not found.
tests/test_search_terms.py checks that each term still occurs on its pages
(:func:`terms_not_on_their_pages`), so that a reworded title fails there, naming the
term, rather than as a search miss.
"""

from pathlib import Path

GENERATOR_PAGES = (
    "index.md",
    "test-bench.md",
    "reusing-generators.md",
    "parallel-loading.md",
    "migration.md",
)

#: Terms that a page holds in another form than the one typed: (language, term) ->
#: what the pages hold (a reader's spelling, a plural, one word of two).
SPELLED_ON_PAGE = {
    ("en", "generators"): "generator",
    ("en", "partial batch"): "partial",
}

#: Terms that search must cut into words, each with a word that every page it finds
#: must hold: 使い回す is 使い + 回す, so a page without 回す is not an answer. Without
#: Japanese word segmentation (Pagefind not told the language) it found every page.
SEARCH_NARROW = {
    ("ja", "使い回す"): "回す",
    ("ja", "正解ラベル"): "正解",
}

SEARCH_TERMS: dict[tuple[str, str], tuple[str, ...]] = {
    # --- Japanese: the content words of the titles ---
    ("ja", "Keras"): ("index.md", "migration.md"),
    ("ja", "ジェネレーター"): GENERATOR_PAGES,
    ("ja", "サンプル"): ("index.md", "order-and-steps.md", "partial-batches.md"),
    ("ja", "順番"): (
        "index.md",
        "order-and-steps.md",
        "parallel-loading.md",
        "checklist.md",
    ),
    ("ja", "検証"): ("test-bench.md",),
    ("ja", "土台"): ("test-bench.md",),
    ("ja", "恒等モデル"): ("test-bench.md",),
    ("ja", "数える"): ("test-bench.md",),
    ("ja", "steps"): ("order-and-steps.md",),
    ("ja", "先読み"): ("read-ahead.md",),
    ("ja", "max_queue_size"): ("read-ahead.md",),
    ("ja", "行方"): ("read-ahead.md",),
    ("ja", "返されない"): ("read-ahead.md",),
    ("ja", "バッチ"): ("read-ahead.md", "reusing-generators.md"),
    ("ja", "使い回す"): ("reusing-generators.md",),
    ("ja", "失われる"): ("reusing-generators.md",),
    ("ja", "キャッシュ"): ("cache-reset.md",),
    ("ja", "無限ループ"): ("cache-reset.md",),
    ("ja", "リセット"): ("cache-reset.md",),
    ("ja", "ミス"): ("cache-reset.md",),
    ("ja", "並列"): ("parallel-loading.md",),
    ("ja", "読み込み"): ("parallel-loading.md",),
    ("ja", "崩れ"): ("parallel-loading.md",),
    ("ja", "サンプル数"): ("partial-batches.md",),
    ("ja", "バッチサイズ"): ("partial-batches.md",),
    ("ja", "割り切れない"): ("partial-batches.md",),
    ("ja", "コード"): ("migration.md",),
    ("ja", "移行"): ("migration.md",),
    ("ja", "Keras 2"): ("migration.md",),
    ("ja", "TensorFlow"): ("backends.md",),
    ("ja", "JAX"): ("backends.md",),
    ("ja", "PyTorch"): ("backends.md",),
    ("ja", "落とし穴"): ("backends.md",),
    ("ja", "比べる"): ("backends.md",),
    ("ja", "チェックリスト"): ("checklist.md",),
    ("ja", "推論"): ("checklist.md",),
    ("ja", "症状"): ("symptoms.md",),
    # --- Japanese: readers' words ---
    ("ja", "ジェネレータ"): GENERATOR_PAGES,
    ("ja", "ズレる"): ("image-folders.md", "shuffled-datasets.md", "symptoms.md"),
    ("ja", "画像フォルダー"): ("image-folders.md",),
    ("ja", "混同行列"): ("image-folders.md",),
    ("ja", "flow_from_directory"): ("image-folders.md",),
    ("ja", "reshuffle_each_iteration"): ("shuffled-datasets.md",),
    ("ja", "学習"): ("training.md",),
    ("ja", "途中で止まる"): ("training.md",),
    ("ja", "データ枯渇"): ("training.md", "symptoms.md"),
    ("ja", "steps_per_epoch"): ("training.md",),
    ("ja", "既知の問題"): ("known-issues.md",),
    ("ja", "複数ワーカー"): ("keras2-workers.md",),
    ("ja", "重複"): ("keras2-workers.md",),
    ("ja", "generator already executing"): ("keras2-workers.md",),
    ("ja", "ずれる"): ("parallel-loading.md",),
    ("ja", "正解ラベル"): ("parallel-loading.md",),
    ("ja", "予測"): ("parallel-loading.md", "partial-batches.md"),
    ("ja", "プリフェッチ"): ("read-ahead.md",),
    ("ja", "覗き見"): ("read-ahead.md",),
    ("ja", "端数"): ("partial-batches.md",),
    ("ja", "パディング"): ("partial-batches.md",),
    ("ja", "最後のバッチ"): ("order-and-steps.md", "partial-batches.md"),
    ("ja", "無限ジェネレーター"): ("order-and-steps.md",),
    ("ja", "シャッフル"): ("parallel-loading.md",),
    ("ja", "ワーカー"): ("parallel-loading.md",),
    ("ja", "workers"): ("parallel-loading.md",),
    ("ja", "use_multiprocessing"): ("parallel-loading.md",),
    ("ja", "PyDataset"): ("migration.md", "parallel-loading.md", "partial-batches.md"),
    ("ja", "tf.data"): ("parallel-loading.md", "reusing-generators.md"),
    ("ja", "Sequence"): ("migration.md",),
    ("ja", "predict_generator"): ("migration.md",),
    ("ja", "ran out of data"): ("order-and-steps.md",),
    ("ja", "unexpected keyword argument"): ("symptoms.md",),
    ("ja", "順序"): ("symptoms.md",),
    ("ja", "真値"): ("symptoms.md",),
    ("ja", "テストデータ"): ("symptoms.md",),
    ("ja", "リーク"): ("symptoms.md",),
    # --- English: the content words of the titles ---
    ("en", "Keras"): ("index.md", "migration.md"),
    ("en", "generators"): GENERATOR_PAGES,
    ("en", "sample"): ("index.md", "order-and-steps.md", "partial-batches.md"),
    ("en", "order"): (
        "index.md",
        "order-and-steps.md",
        "parallel-loading.md",
        "checklist.md",
    ),
    ("en", "test bench"): ("test-bench.md",),
    ("en", "identity model"): ("test-bench.md",),
    ("en", "counting generator"): ("test-bench.md",),
    ("en", "steps"): ("order-and-steps.md",),
    ("en", "read-ahead"): ("read-ahead.md",),
    ("en", "max_queue_size"): ("read-ahead.md",),
    ("en", "never returns"): ("read-ahead.md",),
    ("en", "batches"): ("read-ahead.md", "reusing-generators.md"),
    ("en", "reusing"): ("reusing-generators.md",),
    ("en", "loses batches"): ("reusing-generators.md",),
    ("en", "resetting"): ("cache-reset.md",),
    ("en", "batch cache"): ("cache-reset.md",),
    ("en", "infinite loop"): ("cache-reset.md",),
    ("en", "parallel loading"): ("parallel-loading.md",),
    ("en", "broken order"): ("parallel-loading.md",),
    ("en", "sample counts"): ("partial-batches.md",),
    ("en", "multiple"): ("partial-batches.md",),
    ("en", "batch size"): ("partial-batches.md",),
    ("en", "migration"): ("migration.md",),
    ("en", "generator code"): ("migration.md",),
    ("en", "Keras 2"): ("migration.md",),
    ("en", "TensorFlow"): ("backends.md",),
    ("en", "JAX"): ("backends.md",),
    ("en", "PyTorch"): ("backends.md",),
    ("en", "pitfalls"): ("backends.md",),
    ("en", "checklist"): ("checklist.md",),
    ("en", "predicting"): ("checklist.md",),
    ("en", "right order"): ("checklist.md",),
    ("en", "symptoms"): ("symptoms.md",),
    ("en", "what do you see"): ("symptoms.md",),
    # --- English: readers' words ---
    ("en", "generator"): GENERATOR_PAGES,
    ("en", "prefetch"): ("read-ahead.md",),
    ("en", "image folders"): ("image-folders.md",),
    ("en", "confusion matrix"): ("image-folders.md",),
    ("en", "flow_from_directory"): ("image-folders.md",),
    ("en", "reshuffle_each_iteration"): ("shuffled-datasets.md",),
    ("en", "misaligned"): ("shuffled-datasets.md",),
    ("en", "training"): ("training.md",),
    ("en", "training stops"): ("training.md",),
    ("en", "steps_per_epoch"): ("training.md",),
    ("en", "known Keras 3 problems"): ("known-issues.md",),
    ("en", "several workers"): ("keras2-workers.md",),
    ("en", "duplicated samples"): ("keras2-workers.md",),
    ("en", "generator already executing"): ("keras2-workers.md",),
    ("en", "read ahead"): ("read-ahead.md",),
    ("en", "peek"): ("read-ahead.md",),
    ("en", "reuse"): ("reusing-generators.md",),
    ("en", "partial batch"): ("partial-batches.md",),
    ("en", "last batch"): ("order-and-steps.md", "partial-batches.md"),
    ("en", "padding"): ("partial-batches.md",),
    ("en", "infinite generator"): ("order-and-steps.md",),
    ("en", "ran out of data"): ("order-and-steps.md", "training.md"),
    ("en", "shuffle"): ("parallel-loading.md",),
    ("en", "labels"): ("parallel-loading.md",),
    ("en", "workers"): ("parallel-loading.md",),
    ("en", "use_multiprocessing"): ("parallel-loading.md",),
    ("en", "PyDataset"): ("migration.md", "parallel-loading.md", "partial-batches.md"),
    ("en", "tf.data"): ("parallel-loading.md", "reusing-generators.md"),
    ("en", "Sequence"): ("migration.md",),
    ("en", "predict_generator"): ("migration.md",),
    ("en", "unexpected keyword argument"): ("symptoms.md",),
    ("en", "predictions don't line up"): ("symptoms.md",),
    ("en", "test set"): ("symptoms.md",),
    ("en", "different results each time"): ("symptoms.md",),
    ("en", "data leakage"): ("symptoms.md",),
}


def terms_not_on_their_pages(root: Path) -> list[str]:
    """Return one line per term that a page listed for it no longer holds.

    ``root`` is a checkout (its ``docs/<language>/`` pages are read); the comparison
    ignores case, and a term of :data:`SPELLED_ON_PAGE` is looked for as spelled there.
    """
    missing = []
    for (lang, term), pages in SEARCH_TERMS.items():
        word = SPELLED_ON_PAGE.get((lang, term), term).casefold()
        for page in pages:
            text = (Path(root) / "docs" / lang / page).read_text(encoding="utf-8")
            if word not in text.casefold():
                missing.append(f"{term!r} ({lang}): {word!r} is no longer on {page}")
    return missing
