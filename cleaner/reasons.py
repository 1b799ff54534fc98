"""Named reasons for every line the pipeline removes, and for every quarantined record.

Each reason is counted in ``manifest.json`` and written with its evidence to ``rejects.jsonl``
(lines) or ``quarantine.jsonl`` (records that could not become documents).
"""

# Lines (rejects.jsonl)
EMPTY_LINE = "empty_line"  # nothing left after whitespace normalisation
LINE_TOO_LONG = "line_too_long"  # longer than [encoding] max_line_chars
DUPLICATE_COPY = "duplicate_copy"  # repeats earlier content of the same document
SOURCE_METADATA = "source_metadata"  # a "Source : X" or byline line, moved to metadata
BOILERPLATE_PATTERN = "boilerplate_pattern"  # matched a rule of the pattern library
BOILERPLATE_TEMPLATE = "boilerplate_template"  # recurs across pages of the same site
BOILERPLATE_MODEL = "boilerplate_model"  # the line model and page walk put it outside the article
SCRAPER_LEFTOVER = "scraper_leftover"  # list markers, [ad_1], null, qrCode, empty headings
DUPLICATE_DOCUMENT = "duplicate_document"  # the document repeats an earlier one of the run
UNTRANSLATABLE = "untranslatable"  # holds a fragment no package translates (--drop-untranslatable)
DOCUMENT_LANGUAGE = "document_language"  # the page is in another language (other_documents)

LINE_REASONS = (
    EMPTY_LINE,
    LINE_TOO_LONG,
    DUPLICATE_COPY,
    SOURCE_METADATA,
    BOILERPLATE_PATTERN,
    BOILERPLATE_TEMPLATE,
    BOILERPLATE_MODEL,
    SCRAPER_LEFTOVER,
    DUPLICATE_DOCUMENT,
    UNTRANSLATABLE,
    DOCUMENT_LANGUAGE,
)

# Sentence pairs of the parallel corpus (rejects.jsonl, records with a "sentence" key)
PAIR_EMPTY = "pair_empty"  # one side is empty, or holds no letter or digit
PAIR_UNTRANSLATED = "pair_untranslated"  # the translation is the source again
PAIR_LENGTH_RATIO = "pair_length_ratio"  # one side far longer than the other
PAIR_WRONG_LANGUAGE = "pair_wrong_language"  # the translation is not in the target language
PAIR_HAN_LEFT = "pair_han_left"  # Han characters left on the source (French) side
PAIR_NUMERALS = "pair_numerals"  # the numbers of the two sides differ
PAIR_REPETITION = "pair_repetition"  # the translation repeats a word or phrase (degenerate output)
PAIR_TERMINAL_PUNCTUATION = "pair_terminal_punctuation"  # the two sides end differently (. ? !)
PAIR_MARKUP = "pair_markup"  # markup, an entity or a URL on one side only
PAIR_FRENCH_NOT_ORIGINAL = "pair_french_not_original"  # French origin not in french_origin

PAIR_REASONS = (
    PAIR_EMPTY,
    PAIR_UNTRANSLATED,
    PAIR_LENGTH_RATIO,
    PAIR_WRONG_LANGUAGE,
    PAIR_HAN_LEFT,
    PAIR_NUMERALS,
    PAIR_REPETITION,
    PAIR_TERMINAL_PUNCTUATION,
    PAIR_MARKUP,
    PAIR_FRENCH_NOT_ORIGINAL,
)

# Records (quarantine.jsonl)
BINARY_CONTENT = "binary_content"  # NUL bytes or control characters: not text
UNDECODABLE = "undecodable"  # no candidate encoding decodes it
MALFORMED_JSON = "malformed_json"  # a JSONL line that is not a JSON object
MISSING_TEXT = "missing_text"  # a JSONL record without a string "text" field
CORRUPT_ARCHIVE = "corrupt_archive"  # a truncated or invalid .gz, WARC or Parquet file
UNREADABLE = "unreadable"  # the file could not be read (permissions, I/O error)
EMPTY_DOCUMENT = "empty_document"  # a file or record with no text at all
NO_EXTRACTED_TEXT = "no_extracted_text"  # an HTML page in which trafilatura found no main text

RECORD_REASONS = (
    BINARY_CONTENT,
    UNDECODABLE,
    MALFORMED_JSON,
    MISSING_TEXT,
    CORRUPT_ARCHIVE,
    UNREADABLE,
    EMPTY_DOCUMENT,
    NO_EXTRACTED_TEXT,
)
