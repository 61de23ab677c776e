"""The PostgreSQL full-text index: folded words with title/body weights, and a GIN index.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28

Search corrects query words against the index's vocabulary and then reranks the index's
candidates by looking the corrected terms up in text folded by `storage.folding`. So every
indexed lexeme must be exactly a word that `storage.folding.words()` yields, or an article is
found by the index and then dropped by the reranker. PostgreSQL's own text search cannot promise
that: its parser splits differently ("7e7s" becomes "7e7" and "s", hyphens, URLs, e-mails,
dotted numbers), `unaccent` folds more than Python does ("ø", "æ", "ł") and `lower()` is not
`casefold()` ("ß", "ς"). So the words are made here, without the parser or a dictionary:

- `newsbot_fold(text)` is `" ".join(words(text))`: lower case (ICU root, whatever the database
  locale), then the few `casefold()` differences, NFKD, combining marks dropped, and every run of
  characters Python does not count as alphanumeric turned into one space. The two character
  classes and the casefold table at the end are generated from Python's `unicodedata` (a test
  checks them against the running Python). Checked against `words()` for every code point
  between letters, and 200k random strings: no difference.
- `newsbot_tsvector(text, weight)` makes the tsvector from those words with their positions,
  so ts_rank can weight titles ('A') above bodies ('B') and phrases keep their order.

`articles.search_vector` (title 'A' and body 'B') and `articles.title_vector` are stored
generated columns with GIN indexes, so they change in the same statement as the article (and
are not recomputed when only `retracted` or `summary` change). `search_terms` holds the
vocabulary with document counts, kept by triggers in the same transaction; `newsbot_candidates`
picks the articles a search ranks. No text search configuration, `unaccent` or `pg_trgm` is
needed: queries are built from the same Python-folded words (storage.search_index), and typo
correction runs in Python over `search_terms`.

On SQLite this migration does nothing (FTS5 is set up in 0001).
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# tsvector limits: a longer lexeme is an error, a later position is clamped by hand here.
MAX_LEXEME_BYTES = 2046
MAX_POSITION = 16383
# Any fixed number (storage.schema's migration lock is 7_310_482).
VOCABULARY_LOCK = 7_310_483


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _functions(schema: str, collation: str) -> list[str]:
    changed = "".join(sorted(CASEFOLD_FROM + "".join(CASEFOLD_MULTI)))
    casefolded = "s"
    for char, folded in CASEFOLD_MULTI.items():
        casefolded = f"replace({casefolded}, {_literal(char)}, {_literal(folded)})"
    casefolded = f"translate({casefolded}, {_literal(CASEFOLD_FROM)}, {_literal(CASEFOLD_TO)})"
    return [
        # The slow part, only for text that is not ASCII (Python's fold skips ASCII too), and
        # `translate` only for the rare text that holds a character it changes.
        f"""CREATE FUNCTION newsbot_fold_unicode(t text) RETURNS text
            LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
            RETURN (SELECT regexp_replace(
                replace(
                    normalize(
                        CASE WHEN s ~ {_literal("[" + changed + "]")} THEN {casefolded}
                             ELSE s END,
                        NFKD),
                    U&'\\0345', 'ι'),
                {_literal("[" + COMBINING_MARKS + "]")}, '', 'g')
            FROM (SELECT lower(t COLLATE {collation}) AS s) AS lowered)""",
        f"""CREATE FUNCTION newsbot_fold(t text) RETURNS text
            LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
            RETURN btrim(regexp_replace(
                CASE WHEN octet_length(t) = length(t) THEN lower(t COLLATE "C")
                     ELSE newsbot_fold_unicode(t) END,
                {_literal("[^0-9A-Za-z" + WORD_CHARS + "]+")}, ' ', 'g'), ' ')""",
        # Lexemes are folded words, letters and digits only: nothing in them needs quoting.
        # PL/pgSQL keeps its plan for the session, where a SQL function holding a query is
        # planned again in every statement (and the loader inserts one article a statement).
        # Its body is resolved at run time, so the call is schema-qualified (pg_restore).
        f"""CREATE FUNCTION newsbot_tsvector(t text, weight "char") RETURNS tsvector
            LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
            AS $body$
            BEGIN
                RETURN (
                    SELECT coalesce(
                        string_agg(
                            '''' || word || ''':' || least(n, {MAX_POSITION}) || weight::text,
                            ' '),
                        '')::tsvector
                    FROM unnest(string_to_array({schema}.newsbot_fold(t), ' '))
                        WITH ORDINALITY AS u(word, n)
                    WHERE octet_length(word) <= {MAX_LEXEME_BYTES});
            END
            $body$""",
    ]


# The articles worth ranking for a query: its newest `pool` title matches and its newest
# `pool` matches anywhere (storage.search_index ranks them). Always from the GIN indexes: the
# planner, which takes `@@` for cheap, would otherwise walk the newest articles testing each
# 5 kB vector from TOAST (0.2-0.7 s at 100k articles for a mid-frequency or missing word),
# where the bitmap costs at most the heap of the matches (60 ms when every article matches).
# The settings hold inside the function only.
_CANDIDATES = """
    CREATE FUNCTION newsbot_candidates(q tsquery, pool integer) RETURNS SETOF integer
        LANGUAGE sql STABLE PARALLEL SAFE
        SET enable_seqscan = off
        SET enable_indexscan = off
        BEGIN ATOMIC
            (SELECT id FROM articles WHERE title_vector @@ q AND NOT retracted
             ORDER BY sort_at DESC LIMIT pool)
            UNION
            (SELECT id FROM articles WHERE search_vector @@ q AND NOT retracted
             ORDER BY sort_at DESC LIMIT pool);
        END"""

# The vocabulary: every indexed lexeme with the number of articles holding it (retracted ones
# too, as SQLite's fts5vocab counts them). ts_stat() over the vectors gives the same but reads
# them all: 0.05 s at 2k articles, 7-14 s at 100k, while searches wait for it. So it is kept in
# a table, in the transaction that writes the articles. Upserting each article's ~250 terms
# as it is written made loading seven times slower (7 ms an article); instead each write queues
# the changed vectors, and one deferred trigger adds them all up at commit, once per batch.
_VOCABULARY = [
    """CREATE TABLE search_terms (
           term text COLLATE "C" PRIMARY KEY,
           doc_count integer NOT NULL)""",
    # Rows live only inside the transaction that queued them: the flush deletes them.
    """CREATE TABLE search_terms_pending (
           vector tsvector NOT NULL,
           change smallint NOT NULL)""",
    """CREATE FUNCTION newsbot_queue_terms() RETURNS trigger
       LANGUAGE plpgsql
       AS $body$
       BEGIN
           IF TG_OP <> 'INSERT' THEN
               INSERT INTO {schema}.search_terms_pending VALUES (OLD.search_vector, -1);
           END IF;
           IF TG_OP <> 'DELETE' THEN
               INSERT INTO {schema}.search_terms_pending VALUES (NEW.search_vector, 1);
           END IF;
           RETURN NULL;
       END
       $body$""",
    """CREATE TRIGGER articles_search_terms_insert AFTER INSERT ON articles
       FOR EACH ROW EXECUTE FUNCTION newsbot_queue_terms()""",
    """CREATE TRIGGER articles_search_terms_update AFTER UPDATE OF title, body ON articles
       FOR EACH ROW WHEN (OLD.search_vector IS DISTINCT FROM NEW.search_vector)
       EXECUTE FUNCTION newsbot_queue_terms()""",
    """CREATE TRIGGER articles_search_terms_delete AFTER DELETE ON articles
       FOR EACH ROW EXECUTE FUNCTION newsbot_queue_terms()""",
    """CREATE FUNCTION newsbot_truncate_terms() RETURNS trigger
       LANGUAGE plpgsql
       AS $body$
       BEGIN
           DELETE FROM {schema}.search_terms_pending;
           DELETE FROM {schema}.search_terms;
           RETURN NULL;
       END
       $body$""",
    """CREATE TRIGGER articles_search_terms_truncate AFTER TRUNCATE ON articles
       FOR EACH STATEMENT EXECUTE FUNCTION newsbot_truncate_terms()""",
    # Fires at commit once per queued row; the first firing takes them all and the rest find
    # none. Terms go in order under one advisory lock, so concurrent writers cannot deadlock
    # on the rows of common terms, and the lock is held only from the flush to the commit.
    """CREATE FUNCTION newsbot_flush_terms() RETURNS trigger
       LANGUAGE plpgsql
       AS $body$
       DECLARE
           terms text[];
           counts integer[];
       BEGIN
           WITH queued AS (DELETE FROM {schema}.search_terms_pending RETURNING vector, change)
           SELECT array_agg(term ORDER BY term), array_agg(n ORDER BY term)
           INTO terms, counts
           FROM (SELECT term, sum(change)::integer AS n
                 FROM queued, unnest(tsvector_to_array(queued.vector)) AS term
                 GROUP BY term
                 HAVING sum(change) <> 0) AS delta;
           IF terms IS NULL THEN
               RETURN NULL;
           END IF;
           PERFORM pg_advisory_xact_lock({lock});
           INSERT INTO {schema}.search_terms AS s (term, doc_count)
           SELECT * FROM unnest(terms, counts)
           ON CONFLICT (term) DO UPDATE SET doc_count = s.doc_count + excluded.doc_count;
           IF EXISTS (SELECT FROM unnest(counts) AS n WHERE n < 0) THEN
               DELETE FROM {schema}.search_terms WHERE term = ANY (terms) AND doc_count <= 0;
           END IF;
           RETURN NULL;
       END
       $body$""",
    """CREATE CONSTRAINT TRIGGER search_terms_pending_flush AFTER INSERT
       ON search_terms_pending DEFERRABLE INITIALLY DEFERRED
       FOR EACH ROW EXECUTE FUNCTION newsbot_flush_terms()""",
    # Counts the stored articles again: for the articles already there, and after a restore
    # that ran the triggers over restored counts (pg_restore without --disable-triggers).
    """CREATE FUNCTION newsbot_rebuild_terms() RETURNS void
       LANGUAGE sql
       BEGIN ATOMIC
           DELETE FROM search_terms_pending;
           DELETE FROM search_terms;
           INSERT INTO search_terms (term, doc_count)
           SELECT term, count(*) FROM articles, unnest(tsvector_to_array(search_vector)) AS term
           GROUP BY term;
       END""",
    "SELECT newsbot_rebuild_terms()",
]


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    encoding = bind.exec_driver_sql("SHOW server_encoding").scalar()
    if encoding != "UTF8":
        raise RuntimeError(f"full-text search needs a UTF8 database (normalize), not {encoding}")
    # ICU's root locale lowercases every script the same way on any server; without ICU the
    # database's own collation does (fine for UTF-8 locales, ASCII only under "C").
    has_icu = bind.exec_driver_sql(
        "SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu'"
    ).scalar()
    schema = bind.exec_driver_sql("SELECT quote_ident(current_schema())").scalar()
    for statement in _functions(str(schema), '"und-x-icu"' if has_icu else '"default"'):
        # exec_driver_sql: the bodies hold colons that text() would take for bind parameters.
        bind.exec_driver_sql(statement)
    # The title vector repeats the title's part of search_vector: being a few words, it is kept
    # inline, so title matches are found without reading the long vectors from TOAST.
    bind.exec_driver_sql(
        "ALTER TABLE articles "
        "ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
        "(newsbot_tsvector(title, 'A') || newsbot_tsvector(body, 'B')) STORED, "
        "ADD COLUMN title_vector tsvector GENERATED ALWAYS AS "
        "(newsbot_tsvector(title, 'A')) STORED"
    )
    bind.exec_driver_sql(
        "CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector)"
    )
    bind.exec_driver_sql(
        "CREATE INDEX ix_articles_title_vector ON articles USING gin (title_vector)"
    )
    bind.exec_driver_sql(_CANDIDATES)
    for statement in _VOCABULARY:
        bind.exec_driver_sql(statement.format(schema=schema, lock=VOCABULARY_LOCK))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for event in ("insert", "update", "delete", "truncate"):
        bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS articles_search_terms_{event} ON articles")
    # Functions with SQL bodies depend on the tables and columns they name: they go first.
    bind.exec_driver_sql("DROP FUNCTION IF EXISTS newsbot_rebuild_terms()")
    bind.exec_driver_sql("DROP FUNCTION IF EXISTS newsbot_candidates(tsquery, integer)")
    bind.exec_driver_sql("DROP TABLE IF EXISTS search_terms_pending, search_terms")
    bind.exec_driver_sql("DROP FUNCTION IF EXISTS newsbot_flush_terms()")
    bind.exec_driver_sql("DROP FUNCTION IF EXISTS newsbot_queue_terms()")
    bind.exec_driver_sql("DROP FUNCTION IF EXISTS newsbot_truncate_terms()")
    bind.exec_driver_sql(
        "ALTER TABLE articles DROP COLUMN IF EXISTS title_vector, "
        "DROP COLUMN IF EXISTS search_vector"
    )
    bind.exec_driver_sql('DROP FUNCTION IF EXISTS newsbot_tsvector(text, "char")')
    bind.exec_driver_sql("DROP FUNCTION IF EXISTS newsbot_fold(text)")
    bind.exec_driver_sql("DROP FUNCTION IF EXISTS newsbot_fold_unicode(text)")


# --- The character tables, made by `generate_tables()` from Python's Unicode data. ----------
# Literals, so that the migration does the same on every machine and costs nothing to import;
# tests/storage/test_drop_database_search.py checks them against the running Python.


def _escape(code: int) -> str:
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _regex_class(codes: Iterable[int]) -> str:
    """The inside of a bracket expression: the codes as ranges of regex escapes."""
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(
        _escape(low) if low == high else f"{_escape(low)}-{_escape(high)}" for low, high in ranges
    )


def _strip(text: str) -> str:
    """Python's fold after lower case: NFKD with the combining marks dropped."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _sql_strip(text: str) -> str:
    """What the SQL does after its table: the same, but the ypogegrammeni becomes iota."""
    decomposed = unicodedata.normalize("NFKD", text).replace("\u0345", "ι")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def generate_tables() -> dict[str, object]:
    """The values of the tables below, from the running Python.

    WORD_CHARS: the non-ASCII characters of Python's `[^\\W_]`. COMBINING_MARKS: those with a
    combining class, which Python's fold drops. CASEFOLD_*: lower-case characters whose
    `casefold()` the SQL would otherwise miss, and what they fold to; turning the ypogegrammeni
    into iota after NFKD covers the Greek "ᾳ" family ("αι") without an entry each.
    """
    word = re.compile(r"[^\W_]")
    codes = [c for c in range(0x80, 0x110000) if not 0xD800 <= c < 0xE000]
    single: dict[str, str] = {}
    multi: dict[str, str] = {}
    for code in codes:
        char = chr(code)
        folded = _strip(char.casefold())
        if char.lower() == char and folded != _sql_strip(char):
            (single if len(folded) == 1 else multi)[char] = folded
    return {
        "UNICODE_VERSION": unicodedata.unidata_version,
        "WORD_CHARS": _regex_class(c for c in codes if word.match(chr(c))),
        "COMBINING_MARKS": _regex_class(c for c in codes if unicodedata.combining(chr(c))),
        "CASEFOLD_FROM": "".join(single),
        "CASEFOLD_TO": "".join(single.values()),
        "CASEFOLD_MULTI": multi,
    }


UNICODE_VERSION = "14.0.0"
WORD_CHARS = (
    r"\u00aa\u00b2-\u00b3\u00b5\u00b9-\u00ba\u00bc-\u00be\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02c1"
    r"\u02c6-\u02d1\u02e0-\u02e4\u02ec\u02ee\u0370-\u0374\u0376-\u0377\u037a-\u037d\u037f\u0386"
    r"\u0388-\u038a\u038c\u038e-\u03a1\u03a3-\u03f5\u03f7-\u0481\u048a-\u052f\u0531-\u0556\u0559"
    r"\u0560-\u0588\u05d0-\u05ea\u05ef-\u05f2\u0620-\u064a\u0660-\u0669\u066e-\u066f\u0671-\u06d3"
    r"\u06d5\u06e5-\u06e6\u06ee-\u06fc\u06ff\u0710\u0712-\u072f\u074d-\u07a5\u07b1\u07c0-\u07ea"
    r"\u07f4-\u07f5\u07fa\u0800-\u0815\u081a\u0824\u0828\u0840-\u0858\u0860-\u086a\u0870-\u0887"
    r"\u0889-\u088e\u08a0-\u08c9\u0904-\u0939\u093d\u0950\u0958-\u0961\u0966-\u096f\u0971-\u0980"
    r"\u0985-\u098c\u098f-\u0990\u0993-\u09a8\u09aa-\u09b0\u09b2\u09b6-\u09b9\u09bd\u09ce"
    r"\u09dc-\u09dd\u09df-\u09e1\u09e6-\u09f1\u09f4-\u09f9\u09fc\u0a05-\u0a0a\u0a0f-\u0a10"
    r"\u0a13-\u0a28\u0a2a-\u0a30\u0a32-\u0a33\u0a35-\u0a36\u0a38-\u0a39\u0a59-\u0a5c\u0a5e"
    r"\u0a66-\u0a6f\u0a72-\u0a74\u0a85-\u0a8d\u0a8f-\u0a91\u0a93-\u0aa8\u0aaa-\u0ab0\u0ab2-\u0ab3"
    r"\u0ab5-\u0ab9\u0abd\u0ad0\u0ae0-\u0ae1\u0ae6-\u0aef\u0af9\u0b05-\u0b0c\u0b0f-\u0b10"
    r"\u0b13-\u0b28\u0b2a-\u0b30\u0b32-\u0b33\u0b35-\u0b39\u0b3d\u0b5c-\u0b5d\u0b5f-\u0b61"
    r"\u0b66-\u0b6f\u0b71-\u0b77\u0b83\u0b85-\u0b8a\u0b8e-\u0b90\u0b92-\u0b95\u0b99-\u0b9a\u0b9c"
    r"\u0b9e-\u0b9f\u0ba3-\u0ba4\u0ba8-\u0baa\u0bae-\u0bb9\u0bd0\u0be6-\u0bf2\u0c05-\u0c0c"
    r"\u0c0e-\u0c10\u0c12-\u0c28\u0c2a-\u0c39\u0c3d\u0c58-\u0c5a\u0c5d\u0c60-\u0c61\u0c66-\u0c6f"
    r"\u0c78-\u0c7e\u0c80\u0c85-\u0c8c\u0c8e-\u0c90\u0c92-\u0ca8\u0caa-\u0cb3\u0cb5-\u0cb9\u0cbd"
    r"\u0cdd-\u0cde\u0ce0-\u0ce1\u0ce6-\u0cef\u0cf1-\u0cf2\u0d04-\u0d0c\u0d0e-\u0d10\u0d12-\u0d3a"
    r"\u0d3d\u0d4e\u0d54-\u0d56\u0d58-\u0d61\u0d66-\u0d78\u0d7a-\u0d7f\u0d85-\u0d96\u0d9a-\u0db1"
    r"\u0db3-\u0dbb\u0dbd\u0dc0-\u0dc6\u0de6-\u0def\u0e01-\u0e30\u0e32-\u0e33\u0e40-\u0e46"
    r"\u0e50-\u0e59\u0e81-\u0e82\u0e84\u0e86-\u0e8a\u0e8c-\u0ea3\u0ea5\u0ea7-\u0eb0\u0eb2-\u0eb3"
    r"\u0ebd\u0ec0-\u0ec4\u0ec6\u0ed0-\u0ed9\u0edc-\u0edf\u0f00\u0f20-\u0f33\u0f40-\u0f47"
    r"\u0f49-\u0f6c\u0f88-\u0f8c\u1000-\u102a\u103f-\u1049\u1050-\u1055\u105a-\u105d\u1061"
    r"\u1065-\u1066\u106e-\u1070\u1075-\u1081\u108e\u1090-\u1099\u10a0-\u10c5\u10c7\u10cd"
    r"\u10d0-\u10fa\u10fc-\u1248\u124a-\u124d\u1250-\u1256\u1258\u125a-\u125d\u1260-\u1288"
    r"\u128a-\u128d\u1290-\u12b0\u12b2-\u12b5\u12b8-\u12be\u12c0\u12c2-\u12c5\u12c8-\u12d6"
    r"\u12d8-\u1310\u1312-\u1315\u1318-\u135a\u1369-\u137c\u1380-\u138f\u13a0-\u13f5\u13f8-\u13fd"
    r"\u1401-\u166c\u166f-\u167f\u1681-\u169a\u16a0-\u16ea\u16ee-\u16f8\u1700-\u1711\u171f-\u1731"
    r"\u1740-\u1751\u1760-\u176c\u176e-\u1770\u1780-\u17b3\u17d7\u17dc\u17e0-\u17e9\u17f0-\u17f9"
    r"\u1810-\u1819\u1820-\u1878\u1880-\u1884\u1887-\u18a8\u18aa\u18b0-\u18f5\u1900-\u191e"
    r"\u1946-\u196d\u1970-\u1974\u1980-\u19ab\u19b0-\u19c9\u19d0-\u19da\u1a00-\u1a16\u1a20-\u1a54"
    r"\u1a80-\u1a89\u1a90-\u1a99\u1aa7\u1b05-\u1b33\u1b45-\u1b4c\u1b50-\u1b59\u1b83-\u1ba0"
    r"\u1bae-\u1be5\u1c00-\u1c23\u1c40-\u1c49\u1c4d-\u1c7d\u1c80-\u1c88\u1c90-\u1cba\u1cbd-\u1cbf"
    r"\u1ce9-\u1cec\u1cee-\u1cf3\u1cf5-\u1cf6\u1cfa\u1d00-\u1dbf\u1e00-\u1f15\u1f18-\u1f1d"
    r"\u1f20-\u1f45\u1f48-\u1f4d\u1f50-\u1f57\u1f59\u1f5b\u1f5d\u1f5f-\u1f7d\u1f80-\u1fb4"
    r"\u1fb6-\u1fbc\u1fbe\u1fc2-\u1fc4\u1fc6-\u1fcc\u1fd0-\u1fd3\u1fd6-\u1fdb\u1fe0-\u1fec"
    r"\u1ff2-\u1ff4\u1ff6-\u1ffc\u2070-\u2071\u2074-\u2079\u207f-\u2089\u2090-\u209c\u2102\u2107"
    r"\u210a-\u2113\u2115\u2119-\u211d\u2124\u2126\u2128\u212a-\u212d\u212f-\u2139\u213c-\u213f"
    r"\u2145-\u2149\u214e\u2150-\u2189\u2460-\u249b\u24ea-\u24ff\u2776-\u2793\u2c00-\u2ce4"
    r"\u2ceb-\u2cee\u2cf2-\u2cf3\u2cfd\u2d00-\u2d25\u2d27\u2d2d\u2d30-\u2d67\u2d6f\u2d80-\u2d96"
    r"\u2da0-\u2da6\u2da8-\u2dae\u2db0-\u2db6\u2db8-\u2dbe\u2dc0-\u2dc6\u2dc8-\u2dce\u2dd0-\u2dd6"
    r"\u2dd8-\u2dde\u2e2f\u3005-\u3007\u3021-\u3029\u3031-\u3035\u3038-\u303c\u3041-\u3096"
    r"\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3105-\u312f\u3131-\u318e\u3192-\u3195\u31a0-\u31bf"
    r"\u31f0-\u31ff\u3220-\u3229\u3248-\u324f\u3251-\u325f\u3280-\u3289\u32b1-\u32bf\u3400-\u4dbf"
    r"\u4e00-\ua48c\ua4d0-\ua4fd\ua500-\ua60c\ua610-\ua62b\ua640-\ua66e\ua67f-\ua69d\ua6a0-\ua6ef"
    r"\ua717-\ua71f\ua722-\ua788\ua78b-\ua7ca\ua7d0-\ua7d1\ua7d3\ua7d5-\ua7d9\ua7f2-\ua801"
    r"\ua803-\ua805\ua807-\ua80a\ua80c-\ua822\ua830-\ua835\ua840-\ua873\ua882-\ua8b3\ua8d0-\ua8d9"
    r"\ua8f2-\ua8f7\ua8fb\ua8fd-\ua8fe\ua900-\ua925\ua930-\ua946\ua960-\ua97c\ua984-\ua9b2"
    r"\ua9cf-\ua9d9\ua9e0-\ua9e4\ua9e6-\ua9fe\uaa00-\uaa28\uaa40-\uaa42\uaa44-\uaa4b\uaa50-\uaa59"
    r"\uaa60-\uaa76\uaa7a\uaa7e-\uaaaf\uaab1\uaab5-\uaab6\uaab9-\uaabd\uaac0\uaac2\uaadb-\uaadd"
    r"\uaae0-\uaaea\uaaf2-\uaaf4\uab01-\uab06\uab09-\uab0e\uab11-\uab16\uab20-\uab26\uab28-\uab2e"
    r"\uab30-\uab5a\uab5c-\uab69\uab70-\uabe2\uabf0-\uabf9\uac00-\ud7a3\ud7b0-\ud7c6\ud7cb-\ud7fb"
    r"\uf900-\ufa6d\ufa70-\ufad9\ufb00-\ufb06\ufb13-\ufb17\ufb1d\ufb1f-\ufb28\ufb2a-\ufb36"
    r"\ufb38-\ufb3c\ufb3e\ufb40-\ufb41\ufb43-\ufb44\ufb46-\ufbb1\ufbd3-\ufd3d\ufd50-\ufd8f"
    r"\ufd92-\ufdc7\ufdf0-\ufdfb\ufe70-\ufe74\ufe76-\ufefc\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
    r"\uff66-\uffbe\uffc2-\uffc7\uffca-\uffcf\uffd2-\uffd7\uffda-\uffdc\U00010000-\U0001000b"
    r"\U0001000d-\U00010026\U00010028-\U0001003a\U0001003c-\U0001003d\U0001003f-\U0001004d"
    r"\U00010050-\U0001005d\U00010080-\U000100fa\U00010107-\U00010133\U00010140-\U00010178"
    r"\U0001018a-\U0001018b\U00010280-\U0001029c\U000102a0-\U000102d0\U000102e1-\U000102fb"
    r"\U00010300-\U00010323\U0001032d-\U0001034a\U00010350-\U00010375\U00010380-\U0001039d"
    r"\U000103a0-\U000103c3\U000103c8-\U000103cf\U000103d1-\U000103d5\U00010400-\U0001049d"
    r"\U000104a0-\U000104a9\U000104b0-\U000104d3\U000104d8-\U000104fb\U00010500-\U00010527"
    r"\U00010530-\U00010563\U00010570-\U0001057a\U0001057c-\U0001058a\U0001058c-\U00010592"
    r"\U00010594-\U00010595\U00010597-\U000105a1\U000105a3-\U000105b1\U000105b3-\U000105b9"
    r"\U000105bb-\U000105bc\U00010600-\U00010736\U00010740-\U00010755\U00010760-\U00010767"
    r"\U00010780-\U00010785\U00010787-\U000107b0\U000107b2-\U000107ba\U00010800-\U00010805"
    r"\U00010808\U0001080a-\U00010835\U00010837-\U00010838\U0001083c\U0001083f-\U00010855"
    r"\U00010858-\U00010876\U00010879-\U0001089e\U000108a7-\U000108af\U000108e0-\U000108f2"
    r"\U000108f4-\U000108f5\U000108fb-\U0001091b\U00010920-\U00010939\U00010980-\U000109b7"
    r"\U000109bc-\U000109cf\U000109d2-\U00010a00\U00010a10-\U00010a13\U00010a15-\U00010a17"
    r"\U00010a19-\U00010a35\U00010a40-\U00010a48\U00010a60-\U00010a7e\U00010a80-\U00010a9f"
    r"\U00010ac0-\U00010ac7\U00010ac9-\U00010ae4\U00010aeb-\U00010aef\U00010b00-\U00010b35"
    r"\U00010b40-\U00010b55\U00010b58-\U00010b72\U00010b78-\U00010b91\U00010ba9-\U00010baf"
    r"\U00010c00-\U00010c48\U00010c80-\U00010cb2\U00010cc0-\U00010cf2\U00010cfa-\U00010d23"
    r"\U00010d30-\U00010d39\U00010e60-\U00010e7e\U00010e80-\U00010ea9\U00010eb0-\U00010eb1"
    r"\U00010f00-\U00010f27\U00010f30-\U00010f45\U00010f51-\U00010f54\U00010f70-\U00010f81"
    r"\U00010fb0-\U00010fcb\U00010fe0-\U00010ff6\U00011003-\U00011037\U00011052-\U0001106f"
    r"\U00011071-\U00011072\U00011075\U00011083-\U000110af\U000110d0-\U000110e8"
    r"\U000110f0-\U000110f9\U00011103-\U00011126\U00011136-\U0001113f\U00011144\U00011147"
    r"\U00011150-\U00011172\U00011176\U00011183-\U000111b2\U000111c1-\U000111c4"
    r"\U000111d0-\U000111da\U000111dc\U000111e1-\U000111f4\U00011200-\U00011211"
    r"\U00011213-\U0001122b\U00011280-\U00011286\U00011288\U0001128a-\U0001128d"
    r"\U0001128f-\U0001129d\U0001129f-\U000112a8\U000112b0-\U000112de\U000112f0-\U000112f9"
    r"\U00011305-\U0001130c\U0001130f-\U00011310\U00011313-\U00011328\U0001132a-\U00011330"
    r"\U00011332-\U00011333\U00011335-\U00011339\U0001133d\U00011350\U0001135d-\U00011361"
    r"\U00011400-\U00011434\U00011447-\U0001144a\U00011450-\U00011459\U0001145f-\U00011461"
    r"\U00011480-\U000114af\U000114c4-\U000114c5\U000114c7\U000114d0-\U000114d9"
    r"\U00011580-\U000115ae\U000115d8-\U000115db\U00011600-\U0001162f\U00011644"
    r"\U00011650-\U00011659\U00011680-\U000116aa\U000116b8\U000116c0-\U000116c9"
    r"\U00011700-\U0001171a\U00011730-\U0001173b\U00011740-\U00011746\U00011800-\U0001182b"
    r"\U000118a0-\U000118f2\U000118ff-\U00011906\U00011909\U0001190c-\U00011913"
    r"\U00011915-\U00011916\U00011918-\U0001192f\U0001193f\U00011941\U00011950-\U00011959"
    r"\U000119a0-\U000119a7\U000119aa-\U000119d0\U000119e1\U000119e3\U00011a00"
    r"\U00011a0b-\U00011a32\U00011a3a\U00011a50\U00011a5c-\U00011a89\U00011a9d"
    r"\U00011ab0-\U00011af8\U00011c00-\U00011c08\U00011c0a-\U00011c2e\U00011c40"
    r"\U00011c50-\U00011c6c\U00011c72-\U00011c8f\U00011d00-\U00011d06\U00011d08-\U00011d09"
    r"\U00011d0b-\U00011d30\U00011d46\U00011d50-\U00011d59\U00011d60-\U00011d65"
    r"\U00011d67-\U00011d68\U00011d6a-\U00011d89\U00011d98\U00011da0-\U00011da9"
    r"\U00011ee0-\U00011ef2\U00011fb0\U00011fc0-\U00011fd4\U00012000-\U00012399"
    r"\U00012400-\U0001246e\U00012480-\U00012543\U00012f90-\U00012ff0\U00013000-\U0001342e"
    r"\U00014400-\U00014646\U00016800-\U00016a38\U00016a40-\U00016a5e\U00016a60-\U00016a69"
    r"\U00016a70-\U00016abe\U00016ac0-\U00016ac9\U00016ad0-\U00016aed\U00016b00-\U00016b2f"
    r"\U00016b40-\U00016b43\U00016b50-\U00016b59\U00016b5b-\U00016b61\U00016b63-\U00016b77"
    r"\U00016b7d-\U00016b8f\U00016e40-\U00016e96\U00016f00-\U00016f4a\U00016f50"
    r"\U00016f93-\U00016f9f\U00016fe0-\U00016fe1\U00016fe3\U00017000-\U000187f7"
    r"\U00018800-\U00018cd5\U00018d00-\U00018d08\U0001aff0-\U0001aff3\U0001aff5-\U0001affb"
    r"\U0001affd-\U0001affe\U0001b000-\U0001b122\U0001b150-\U0001b152\U0001b164-\U0001b167"
    r"\U0001b170-\U0001b2fb\U0001bc00-\U0001bc6a\U0001bc70-\U0001bc7c\U0001bc80-\U0001bc88"
    r"\U0001bc90-\U0001bc99\U0001d2e0-\U0001d2f3\U0001d360-\U0001d378\U0001d400-\U0001d454"
    r"\U0001d456-\U0001d49c\U0001d49e-\U0001d49f\U0001d4a2\U0001d4a5-\U0001d4a6"
    r"\U0001d4a9-\U0001d4ac\U0001d4ae-\U0001d4b9\U0001d4bb\U0001d4bd-\U0001d4c3"
    r"\U0001d4c5-\U0001d505\U0001d507-\U0001d50a\U0001d50d-\U0001d514\U0001d516-\U0001d51c"
    r"\U0001d51e-\U0001d539\U0001d53b-\U0001d53e\U0001d540-\U0001d544\U0001d546"
    r"\U0001d54a-\U0001d550\U0001d552-\U0001d6a5\U0001d6a8-\U0001d6c0\U0001d6c2-\U0001d6da"
    r"\U0001d6dc-\U0001d6fa\U0001d6fc-\U0001d714\U0001d716-\U0001d734\U0001d736-\U0001d74e"
    r"\U0001d750-\U0001d76e\U0001d770-\U0001d788\U0001d78a-\U0001d7a8\U0001d7aa-\U0001d7c2"
    r"\U0001d7c4-\U0001d7cb\U0001d7ce-\U0001d7ff\U0001df00-\U0001df1e\U0001e100-\U0001e12c"
    r"\U0001e137-\U0001e13d\U0001e140-\U0001e149\U0001e14e\U0001e290-\U0001e2ad"
    r"\U0001e2c0-\U0001e2eb\U0001e2f0-\U0001e2f9\U0001e7e0-\U0001e7e6\U0001e7e8-\U0001e7eb"
    r"\U0001e7ed-\U0001e7ee\U0001e7f0-\U0001e7fe\U0001e800-\U0001e8c4\U0001e8c7-\U0001e8cf"
    r"\U0001e900-\U0001e943\U0001e94b\U0001e950-\U0001e959\U0001ec71-\U0001ecab"
    r"\U0001ecad-\U0001ecaf\U0001ecb1-\U0001ecb4\U0001ed01-\U0001ed2d\U0001ed2f-\U0001ed3d"
    r"\U0001ee00-\U0001ee03\U0001ee05-\U0001ee1f\U0001ee21-\U0001ee22\U0001ee24\U0001ee27"
    r"\U0001ee29-\U0001ee32\U0001ee34-\U0001ee37\U0001ee39\U0001ee3b\U0001ee42\U0001ee47\U0001ee49"
    r"\U0001ee4b\U0001ee4d-\U0001ee4f\U0001ee51-\U0001ee52\U0001ee54\U0001ee57\U0001ee59\U0001ee5b"
    r"\U0001ee5d\U0001ee5f\U0001ee61-\U0001ee62\U0001ee64\U0001ee67-\U0001ee6a"
    r"\U0001ee6c-\U0001ee72\U0001ee74-\U0001ee77\U0001ee79-\U0001ee7c\U0001ee7e"
    r"\U0001ee80-\U0001ee89\U0001ee8b-\U0001ee9b\U0001eea1-\U0001eea3\U0001eea5-\U0001eea9"
    r"\U0001eeab-\U0001eebb\U0001f100-\U0001f10c\U0001fbf0-\U0001fbf9\U00020000-\U0002a6df"
    r"\U0002a700-\U0002b738\U0002b740-\U0002b81d\U0002b820-\U0002cea1\U0002ceb0-\U0002ebe0"
    r"\U0002f800-\U0002fa1d\U00030000-\U0003134a"
)

COMBINING_MARKS = (
    r"\u0300-\u034e\u0350-\u036f\u0483-\u0487\u0591-\u05bd\u05bf\u05c1-\u05c2\u05c4-\u05c5\u05c7"
    r"\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7-\u06e8\u06ea-\u06ed\u0711"
    r"\u0730-\u074a\u07eb-\u07f3\u07fd\u0816-\u0819\u081b-\u0823\u0825-\u0827\u0829-\u082d"
    r"\u0859-\u085b\u0898-\u089f\u08ca-\u08e1\u08e3-\u08ff\u093c\u094d\u0951-\u0954\u09bc\u09cd"
    r"\u09fe\u0a3c\u0a4d\u0abc\u0acd\u0b3c\u0b4d\u0bcd\u0c3c\u0c4d\u0c55-\u0c56\u0cbc\u0ccd"
    r"\u0d3b-\u0d3c\u0d4d\u0dca\u0e38-\u0e3a\u0e48-\u0e4b\u0eb8-\u0eba\u0ec8-\u0ecb\u0f18-\u0f19"
    r"\u0f35\u0f37\u0f39\u0f71-\u0f72\u0f74\u0f7a-\u0f7d\u0f80\u0f82-\u0f84\u0f86-\u0f87\u0fc6"
    r"\u1037\u1039-\u103a\u108d\u135d-\u135f\u1714-\u1715\u1734\u17d2\u17dd\u18a9\u1939-\u193b"
    r"\u1a17-\u1a18\u1a60\u1a75-\u1a7c\u1a7f\u1ab0-\u1abd\u1abf-\u1ace\u1b34\u1b44\u1b6b-\u1b73"
    r"\u1baa-\u1bab\u1be6\u1bf2-\u1bf3\u1c37\u1cd0-\u1cd2\u1cd4-\u1ce0\u1ce2-\u1ce8\u1ced\u1cf4"
    r"\u1cf8-\u1cf9\u1dc0-\u1dff\u20d0-\u20dc\u20e1\u20e5-\u20f0\u2cef-\u2cf1\u2d7f\u2de0-\u2dff"
    r"\u302a-\u302f\u3099-\u309a\ua66f\ua674-\ua67d\ua69e-\ua69f\ua6f0-\ua6f1\ua806\ua82c\ua8c4"
    r"\ua8e0-\ua8f1\ua92b-\ua92d\ua953\ua9b3\ua9c0\uaab0\uaab2-\uaab4\uaab7-\uaab8\uaabe-\uaabf"
    r"\uaac1\uaaf6\uabed\ufb1e\ufe20-\ufe2f\U000101fd\U000102e0\U00010376-\U0001037a\U00010a0d"
    r"\U00010a0f\U00010a38-\U00010a3a\U00010a3f\U00010ae5-\U00010ae6\U00010d24-\U00010d27"
    r"\U00010eab-\U00010eac\U00010f46-\U00010f50\U00010f82-\U00010f85\U00011046\U00011070"
    r"\U0001107f\U000110b9-\U000110ba\U00011100-\U00011102\U00011133-\U00011134\U00011173"
    r"\U000111c0\U000111ca\U00011235-\U00011236\U000112e9-\U000112ea\U0001133b-\U0001133c"
    r"\U0001134d\U00011366-\U0001136c\U00011370-\U00011374\U00011442\U00011446\U0001145e"
    r"\U000114c2-\U000114c3\U000115bf-\U000115c0\U0001163f\U000116b6-\U000116b7\U0001172b"
    r"\U00011839-\U0001183a\U0001193d-\U0001193e\U00011943\U000119e0\U00011a34\U00011a47\U00011a99"
    r"\U00011c3f\U00011d42\U00011d44-\U00011d45\U00011d97\U00016af0-\U00016af4"
    r"\U00016b30-\U00016b36\U00016ff0-\U00016ff1\U0001bc9e\U0001d165-\U0001d169"
    r"\U0001d16d-\U0001d172\U0001d17b-\U0001d182\U0001d185-\U0001d18b\U0001d1aa-\U0001d1ad"
    r"\U0001d242-\U0001d244\U0001e000-\U0001e006\U0001e008-\U0001e018\U0001e01b-\U0001e021"
    r"\U0001e023-\U0001e024\U0001e026-\U0001e02a\U0001e130-\U0001e136\U0001e2ae"
    r"\U0001e2ec-\U0001e2ef\U0001e8d0-\U0001e8d6\U0001e944-\U0001e94a"
)

CASEFOLD_FROM = (
    "\u037a\u03c2\u13f8\u13f9\u13fa\u13fb\u13fc\u13fd\u1c80\u1c81\u1c82\u1c83\u1c84\u1c85\u1c86"
    "\u1c87\u1c88\uab70\uab71\uab72\uab73\uab74\uab75\uab76\uab77\uab78\uab79\uab7a\uab7b\uab7c"
    "\uab7d\uab7e\uab7f\uab80\uab81\uab82\uab83\uab84\uab85\uab86\uab87\uab88\uab89\uab8a\uab8b"
    "\uab8c\uab8d\uab8e\uab8f\uab90\uab91\uab92\uab93\uab94\uab95\uab96\uab97\uab98\uab99\uab9a"
    "\uab9b\uab9c\uab9d\uab9e\uab9f\uaba0\uaba1\uaba2\uaba3\uaba4\uaba5\uaba6\uaba7\uaba8\uaba9"
    "\uabaa\uabab\uabac\uabad\uabae\uabaf\uabb0\uabb1\uabb2\uabb3\uabb4\uabb5\uabb6\uabb7\uabb8"
    "\uabb9\uabba\uabbb\uabbc\uabbd\uabbe\uabbf"
)

CASEFOLD_TO = (
    " \u03c3\u13f0\u13f1\u13f2\u13f3\u13f4\u13f5\u0432\u0434\u043e\u0441\u0442\u0442\u044a"
    "\u0463\ua64b\u13a0\u13a1\u13a2\u13a3\u13a4\u13a5\u13a6\u13a7\u13a8\u13a9\u13aa\u13ab\u13ac"
    "\u13ad\u13ae\u13af\u13b0\u13b1\u13b2\u13b3\u13b4\u13b5\u13b6\u13b7\u13b8\u13b9\u13ba\u13bb"
    "\u13bc\u13bd\u13be\u13bf\u13c0\u13c1\u13c2\u13c3\u13c4\u13c5\u13c6\u13c7\u13c8\u13c9\u13ca"
    "\u13cb\u13cc\u13cd\u13ce\u13cf\u13d0\u13d1\u13d2\u13d3\u13d4\u13d5\u13d6\u13d7\u13d8\u13d9"
    "\u13da\u13db\u13dc\u13dd\u13de\u13df\u13e0\u13e1\u13e2\u13e3\u13e4\u13e5\u13e6\u13e7\u13e8"
    "\u13e9\u13ea\u13eb\u13ec\u13ed\u13ee\u13ef"
)

CASEFOLD_MULTI = {"\u00df": "ss"}
