/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-search"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "pdm-error.h"
#include "pdm-search.h"

/*
 * The lists of the UI read through here. A list is in (key, id) order, the
 * key being the name, or the number of a number search (then in (number,
 * rowid) order, as its index holds nothing else); rows without a key come
 * first, as SQLite sorts NULL. Rows are found in one of two ways:
 *
 *  - a plain list, the members of a household, the households of a PSM, a
 *    whole NIK or KK and the visits walk an index in order: a page is a
 *    keyset seek `(key, id) > (?, ?)` and a LIMIT, never a long OFFSET.
 *    Rows without a key are read in a phase of their own, because a row
 *    value holding NULL compares as unknown. Jumping to row N walks the
 *    list once and keeps the cursor of every LANDMARK_SPACING-th row;
 *  - text, the start of a number and the filters by kelurahan, desil or
 *    program select rows of an order: every row of the table numbered by
 *    its place in a list order (its rank), made by one walk of an index.
 *    A query keeps one bit a rank; a page reads the next set bits, a jump
 *    finds the N-th one through counts kept every BLOCK_WORDS words, and
 *    the count is their number. No filter has an index in list order, and
 *    FTS5 gives its matches by rowid, so the first page of any of them
 *    would need every match sorted: a bitmap needs each match once.
 *
 * Text is not read from the FTS index: a word index of the name order
 * (WordIndex), made with FTS5's own tokenizer from the same columns, gives
 * each word's rows as runs of ranks, already in list order, and names
 * repeat, so there are far fewer runs than rows. The FTS index still
 * tells the tombstones, by its `deleted` column.
 *
 * Counts, bits and landmarks are kept until the database changes; orders,
 * word indexes and tombstones until the FTS index of their table does
 * (see check_fresh()).
 */

/* As in migration 3: texts must be tokenized the way the index was. */
#define TOKENIZER_NAME "unicode61"
static const char *tokenizer_args[] = { "remove_diacritics", "2" };

#define LANDMARK_SPACING 256
#define PROGRESS_STEPS 1000
#define MAX_STATES 32
#define NO_RANK G_MAXUINT32
/* Set bits are counted by blocks of 512 ranks: a jump reads at most eight
 * words past a binary search. */
#define BLOCK_WORDS 8
/* A map from rowid to rank is an array while rowids are dense enough (at
 * most four slots a row), else sorted pairs. */
#define DENSE_SLOTS_PER_ROW 4

#define ROWID_SET_TYPE "pdm-search-rowid-set"

typedef struct
{
  const char *name;
  const char *fts;
  const char *name_column;
  const char *address_column;
  const char *number_column;
  /* A 16-digit number also finds rows through the other kind of number. */
  const char *other_number;
  /* Where the household filters are read; NULL: only kelurahan, on t. */
  const char *household;
} SearchTable;

static const SearchTable search_tables[PDM_N_TABLES] = {
  [PDM_TABLE_VOLUNTEER] = {
    "volunteer", "volunteer_fts", "full_name", "address", "nik", NULL, NULL,
  },
  [PDM_TABLE_HOUSEHOLD] = {
    "household", "household_fts", "head_name", "address", "kk_number",
    "t.id IN (SELECT household_id FROM person WHERE nik = :number)", "t",
  },
  [PDM_TABLE_PERSON] = {
    "person", "person_fts", "full_name", NULL, "nik",
    "t.household_id IN (SELECT id FROM household WHERE kk_number = :number)", "h",
  },
  /* No FTS index: no text search, and tombstones are told by `deleted`. */
  [PDM_TABLE_VISIT] = {
    "visit", NULL, NULL, NULL, NULL, NULL, NULL,
  },
};

/* The order of the follow-ups list, as one ascending key: "0" and the
 * follow-up date while it is due, else "1" and the visit date turned
 * around, so that newer dates come first. */
#define FOLLOW_UP_KEY \
  "CASE WHEN t.follow_up_date <= :today THEN '0' || t.follow_up_date" \
  " ELSE '1' || printf ('%08d', 99999999 - CAST (replace (t.visit_date, '-', '') AS INTEGER))" \
  " END"

typedef enum
{
  MODE_LIST,      /* walked in SQL */
  MODE_NUMBER,    /* a whole NIK or KK, walked in SQL */
  MODE_SELECTED,  /* bits over an order */
} Mode;

/* The list orders of a table that rows are ranked in. */
typedef enum
{
  ORDER_NAME,     /* name, id */
  ORDER_NEWEST,   /* id descending */
  ORDER_NUMBER,   /* number, rowid: a NIK or KK index holds nothing else */
  N_ORDERS,
} OrderKind;

typedef enum
{
  PHASE_ALL,
  PHASE_NULL_KEY,
  PHASE_KEY,
} Phase;

typedef enum
{
  SELECT_ROWS,
  SELECT_KEYS,
  SELECT_COUNT,
} Select;

/* The tokens of one text, end to end, with where each ends. */
typedef struct
{
  GString *text;
  GArray  *ends;
} TokenList;

/* The words of the searched texts of an order's rows (the columns of
 * migration 3's FTS index), by unit: a run of ranks with the same texts.
 * Each word lists its units ascending, that is in list order. */
typedef struct
{
  guint32      *unit_starts;     /* the first rank of each unit, then n_rows */
  guint         n_units;
  const char  **words;           /* ascending, in `strings` */
  guint         n_words;
  guint32      *posting_starts;  /* where each word's units start, then the end */
  guint32      *postings;        /* units */
  GStringChunk *strings;
} WordIndex;

typedef struct
{
  gint64  rowid;
  guint32 rank;
} RowRank;

/* Every row of a table, numbered by its place in one order: its rank. */
typedef struct
{
  guint      n_rows;
  gint64    *rowids;      /* by rank */
  guint32   *ranks;       /* by rowid, NO_RANK where no row has it */
  gsize      n_ranks;
  RowRank   *sparse;      /* by rowid, instead of `ranks` for sparse rowids */
  guint64   *live;        /* bits by rank: the rows not deleted */
  WordIndex *words;       /* ORDER_NAME, made by the first text search */
} Order;

/* What the lists learnt about one query, until the next write. */
typedef struct
{
  gboolean   counted;
  guint      count;
  GPtrArray *landmarks;   /* a walk's cursors */
  guint64   *bits;        /* MODE_SELECTED: by rank of the plan's order */
  guint32   *before;      /* set bits before each block of BLOCK_WORDS words */
} QueryState;

struct _PdmSearch
{
  GObject         parent_instance;

  PdmDatabase    *database;
  sqlite3        *db;
  GHashTable     *statements;
  GHashTable     *states;
  GHashTable     *filters;   /* the bits of recent filters, by order */
  GArray         *tombstones[PDM_N_TABLES];
  Order          *orders[PDM_N_TABLES][N_ORDERS];
  /* The structure record of each table's FTS index when its tombstones
   * and orders were read. */
  GBytes         *fts_states[PDM_N_TABLES];
  /* Whether the last call read inside a caller's transaction, which may
   * have been rolled back since. */
  gboolean        in_transaction;
  sqlite3_int64   seen_changes;
  gint64          seen_data_version;
  GCancellable   *cancellable;
  gboolean        in_savepoint;

  fts5_tokenizer  tokenizer_class;
  Fts5Tokenizer  *tokenizer;
  TokenList       scratch;
};

G_DEFINE_FINAL_TYPE (PdmSearch, pdm_search, G_TYPE_OBJECT)

/* A query made ready to run. */
typedef struct
{
  PdmSearch          *search;
  const PdmQuery     *query;
  const SearchTable  *table;
  const PdmTableInfo *info;
  Mode                mode;
  OrderKind           order;
  char               *number;
  GPtrArray          *phrases;    /* of GStrv: folded tokens, the last a prefix */
  gboolean            household_join;
  gboolean            filtered;
  /* The SQL of the list order's key (NULL: by id, newest first), whether
   * it is descending, and the key of the last row read. */
  char               *key;
  gboolean            descending;
  char               *today;
  char               *last_key;
  QueryState         *state;
} Plan;

void
pdm_page_cursor_clear (PdmPageCursor *cursor)
{
  g_return_if_fail (cursor != NULL);

  g_clear_pointer (&cursor->key, g_free);
  g_clear_pointer (&cursor->id, g_free);
}

static PdmPageCursor *
cursor_new (const char *key,
            const char *id)
{
  PdmPageCursor *cursor = g_new0 (PdmPageCursor, 1);

  cursor->key = g_strdup (key);
  cursor->id = g_strdup (id);

  return cursor;
}

static void
cursor_free (PdmPageCursor *cursor)
{
  if (cursor == NULL)
    return;

  pdm_page_cursor_clear (cursor);
  g_free (cursor);
}

static void
query_state_free (QueryState *state)
{
  g_clear_pointer (&state->landmarks, g_ptr_array_unref);
  g_free (state->bits);
  g_free (state->before);
  g_free (state);
}

static void
word_index_free (WordIndex *words)
{
  g_free (words->unit_starts);
  g_free (words->words);
  g_free (words->posting_starts);
  g_free (words->postings);
  g_string_chunk_free (words->strings);
  g_free (words);
}

static void
order_free (Order *order)
{
  g_free (order->rowids);
  g_free (order->ranks);
  g_free (order->sparse);
  g_free (order->live);
  g_clear_pointer (&order->words, word_index_free);
  g_free (order);
}

static void
set_sqlite_error (PdmSearch  *self,
                  int         rc,
                  GError    **error)
{
  if (rc == SQLITE_INTERRUPT && g_cancellable_set_error_if_cancelled (self->cancellable, error))
    return;

  g_set_error (error, PDM_ERROR, PDM_ERROR_DATABASE,
               /* Translators: %s is SQLite's reason */
               _("The database failed: %s"), sqlite3_errmsg (self->db));
}

/* Statements are prepared once and kept. Their SQL is assembled from the
 * fixed pieces of this file; what the user typed is only ever bound. */
static sqlite3_stmt *
prepare (PdmSearch   *self,
         const char  *sql,
         GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self, rc, error);
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);

  return stmt;
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static int
on_progress_cb (void *data)
{
  return g_cancellable_is_cancelled (data);
}

/* Runs a statement that returns one integer. */
static gboolean
step_int (PdmSearch     *self,
          sqlite3_stmt  *stmt,
          gint64        *out_value,
          GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    *out_value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (self, rc, error);
      return FALSE;
    }

  return TRUE;
}

/* Token lists and the FTS5 tokenizer */

static void
token_list_init (TokenList *list)
{
  list->text = g_string_new (NULL);
  list->ends = g_array_new (FALSE, FALSE, sizeof (guint));
}

static void
token_list_clear (TokenList *list)
{
  if (list->text != NULL)
    g_string_free (list->text, TRUE);
  g_clear_pointer (&list->ends, g_array_unref);
  list->text = NULL;
}

static const char *
token_list_get (const TokenList *list,
                guint            index,
                gsize           *out_length)
{
  guint start = index == 0 ? 0 : g_array_index (list->ends, guint, index - 1);

  *out_length = g_array_index (list->ends, guint, index) - start;

  return list->text->str + start;
}

static int
on_token_cb (void       *data,
             int         flags,
             const char *token,
             int         n_token,
             int         start,
             int         end)
{
  TokenList *list = data;
  guint token_end;

  /* unicode61 makes no synonyms; a colocated token would not be a word. */
  if ((flags & FTS5_TOKEN_COLOCATED) != 0)
    return SQLITE_OK;

  g_string_append_len (list->text, token, n_token);
  token_end = (guint) list->text->len;
  g_array_append_val (list->ends, token_end);

  return SQLITE_OK;
}

static gboolean
tokenize (PdmSearch  *self,
          int         flags,
          const char *text,
          TokenList  *list)
{
  g_string_truncate (list->text, 0);
  g_array_set_size (list->ends, 0);

  return self->tokenizer_class.xTokenize (self->tokenizer, list, flags, text, (int) strlen (text),
                                          on_token_cb) == SQLITE_OK;
}

static gboolean
load_tokenizer (PdmSearch  *self,
                GError    **error)
{
  fts5_api *api = NULL;
  sqlite3_stmt *stmt = NULL;
  void *user_data = NULL;
  int rc;

  /* The documented way to reach FTS5's C interface from a connection. */
  rc = sqlite3_prepare_v2 (self->db, "SELECT fts5(?1)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_pointer (stmt, 1, &api, "fts5_api_ptr", NULL);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);

  if (api == NULL ||
      api->xFindTokenizer (api, TOKENIZER_NAME, &user_data, &self->tokenizer_class) != SQLITE_OK ||
      self->tokenizer_class.xCreate (user_data, tokenizer_args, G_N_ELEMENTS (tokenizer_args),
                                     &self->tokenizer) != SQLITE_OK)
    {
      set_sqlite_error (self, rc, error);
      self->tokenizer = NULL;
      return FALSE;
    }

  return TRUE;
}

/* Whether @list holds the tokens of @phrase one after another, the last
 * one as a prefix: FTS5's meaning of `"a b"*`. */
static gboolean
phrase_in_tokens (char      **phrase,
                  TokenList  *list)
{
  guint n_phrase = g_strv_length (phrase);
  guint n_tokens = list->ends->len;

  for (guint i = 0; i + n_phrase <= n_tokens; i++)
    {
      guint j;

      for (j = 0; j < n_phrase; j++)
        {
          gsize length, wanted = strlen (phrase[j]);
          const char *token = token_list_get (list, i + j, &length);

          if (length < wanted || (j + 1 < n_phrase && length != wanted) ||
              memcmp (token, phrase[j], wanted) != 0)
            break;
        }
      if (j == n_phrase)
        return TRUE;
    }

  return FALSE;
}

/* Whether every phrase of the plan is in one of @texts. */
static gboolean
texts_match (PdmSearch          *self,
             GPtrArray          *phrases,
             const char * const *texts,
             guint               n_texts)
{
  guint64 found = 0;

  for (guint t = 0; t < n_texts; t++)
    {
      if (texts[t] == NULL || !tokenize (self, FTS5_TOKENIZE_DOCUMENT, texts[t], &self->scratch))
        continue;
      for (guint p = 0; p < phrases->len; p++)
        if ((found & (G_GUINT64_CONSTANT (1) << p)) == 0 &&
            phrase_in_tokens (g_ptr_array_index (phrases, p), &self->scratch))
          found |= G_GUINT64_CONSTANT (1) << p;
    }

  return found == (phrases->len == 64 ? G_MAXUINT64
                                      : (G_GUINT64_CONSTANT (1) << phrases->len) - 1);
}

/* Bits */

static guint
n_words_for (guint n_bits)
{
  /* One word more than needed: never a NULL array, even for no rows. */
  return n_bits / 64 + 1;
}

static void
set_bit (guint64 *bits,
         guint    bit)
{
  bits[bit / 64] |= G_GUINT64_CONSTANT (1) << (bit % 64);
}

/* Sets the bits from @start up to, not including, @end. */
static void
set_bits (guint64 *bits,
          guint    start,
          guint    end)
{
  while (start < end && start % 64 != 0)
    set_bit (bits, start++);
  for (; start + 64 <= end; start += 64)
    bits[start / 64] = G_MAXUINT64;
  while (start < end)
    set_bit (bits, start++);
}

static void
and_bits (guint64       *bits,
          const guint64 *other,
          guint          n_words)
{
  for (guint w = 0; w < n_words; w++)
    bits[w] &= other[w];
}

/* The first set bit at @from or after, or @n_bits. */
static guint
next_bit (const guint64 *bits,
          guint          n_bits,
          guint          from)
{
  guint w = from / 64;
  guint64 word;

  if (from >= n_bits)
    return n_bits;

  word = bits[w] & (G_MAXUINT64 << (from % 64));
  while (word == 0)
    {
      if (++w >= n_words_for (n_bits))
        return n_bits;
      word = bits[w];
    }

  return MIN (w * 64 + (guint) __builtin_ctzll (word), n_bits);
}

/* The set bits of a query's selection before each block, and in all. */
static void
count_bits (QueryState *state,
            guint       n_bits)
{
  guint n_words = n_words_for (n_bits);
  guint n_blocks = (n_words + BLOCK_WORDS - 1) / BLOCK_WORDS;
  guint count = 0;

  g_free (state->before);
  state->before = g_new (guint32, n_blocks);
  for (guint w = 0; w < n_words; w++)
    {
      if (w % BLOCK_WORDS == 0)
        state->before[w / BLOCK_WORDS] = count;
      count += (guint) __builtin_popcountll (state->bits[w]);
    }
  state->count = count;
  state->counted = TRUE;
}

/* The rank of the set bit that has @position set bits before it, or
 * @n_bits past the last. */
static guint
nth_bit (const QueryState *state,
         guint             n_bits,
         guint             position)
{
  guint n_blocks = (n_words_for (n_bits) + BLOCK_WORDS - 1) / BLOCK_WORDS;
  guint low = 0, high = n_blocks, w;
  guint64 word;

  if (position >= state->count)
    return n_bits;

  /* The last block with at most @position set bits before it. */
  while (high - low > 1)
    {
      guint middle = low + (high - low) / 2;

      if (state->before[middle] <= position)
        low = middle;
      else
        high = middle;
    }
  position -= state->before[low];

  for (w = low * BLOCK_WORDS; ; w++)
    {
      guint n = (guint) __builtin_popcountll (state->bits[w]);

      if (position < n)
        break;
      position -= n;
    }
  for (word = state->bits[w]; position > 0; position--)
    word &= word - 1;

  return w * 64 + (guint) __builtin_ctzll (word);
}

/* The number of set bits before @rank. */
static guint
bits_before (const QueryState *state,
             guint             rank)
{
  guint w = rank / 64;
  guint count = state->before[w / BLOCK_WORDS];

  for (guint i = w - w % BLOCK_WORDS; i < w; i++)
    count += (guint) __builtin_popcountll (state->bits[i]);
  if (rank % 64 != 0)
    count += (guint) __builtin_popcountll (state->bits[w] & (G_MAXUINT64 >> (64 - rank % 64)));

  return count;
}

static int
compare_rowids (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* pdm_search_in(set, rowid): whether @rowid is in a sorted set. */
static void
in_func (sqlite3_context  *context,
         int               argc,
         sqlite3_value   **argv)
{
  GArray *set = sqlite3_value_pointer (argv[0], ROWID_SET_TYPE);
  gint64 rowid = sqlite3_value_int64 (argv[1]);

  if (set == NULL)
    {
      sqlite3_result_error (context, "pdm_search_in() needs a bound set", -1);
      return;
    }

  sqlite3_result_int (context, bsearch (&rowid, set->data, set->len, sizeof (gint64),
                                        compare_rowids) != NULL);
}

/* Cached knowledge */

static void
forget_table (PdmSearch *self,
              PdmTable   table)
{
  g_clear_pointer (&self->tombstones[table], g_array_unref);
  for (guint o = 0; o < N_ORDERS; o++)
    g_clear_pointer (&self->orders[table][o], order_free);
  g_clear_pointer (&self->fts_states[table], g_bytes_unref);
}

static void
forget_all (PdmSearch *self)
{
  g_hash_table_remove_all (self->states);
  g_hash_table_remove_all (self->filters);
  for (guint i = 0; i < PDM_N_TABLES; i++)
    forget_table (self, i);
}

/* The structure record of @table's FTS index, which FTS5 keeps at id 10
 * of its %_data table and writes again with every change it commits to
 * the index, and only then. */
static GBytes *
read_fts_state (PdmSearch  *self,
                PdmTable    table,
                GError    **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT block FROM %s_data WHERE id = 10",
                                          search_tables[table].fts);
  sqlite3_stmt *stmt = prepare (self, sql, error);
  GBytes *state = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    state = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  else
    set_sqlite_error (self, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc, error);
  sqlite3_reset (stmt);

  return state;
}

/* Notes the FTS index state that what is learnt of @table goes with. */
static gboolean
note_fts_state (PdmSearch  *self,
                PdmTable    table,
                GError    **error)
{
  if (self->fts_states[table] == NULL)
    self->fts_states[table] = read_fts_state (self, table, error);

  return self->fts_states[table] != NULL;
}

/* Forgets what was learnt when anything was written since, by this
 * connection (total changes) or another one (data_version): the queries'
 * rows at once, as filters read any column; orders and tombstones only
 * when the FTS index of their table changed, as it does with every name,
 * address, deletion, insertion or removal, so that a visit written does
 * not make the next search read a million persons again. Numbers are not
 * in the index: their orders go. Inside a caller's transaction, changes
 * not committed may not be in the index's record yet, and a rollback
 * changes no count: all goes, then and at the next call. */
static gboolean
check_fresh (PdmSearch  *self,
             gboolean    committed,
             GError    **error)
{
  sqlite3_int64 changes = sqlite3_total_changes64 (self->db);
  gboolean in_transaction = self->in_transaction;
  sqlite3_stmt *stmt;
  gint64 data_version = 0;

  stmt = prepare (self, "PRAGMA data_version", error);
  if (stmt == NULL || !step_int (self, stmt, &data_version, error))
    return FALSE;

  self->in_transaction = !committed;
  if (!committed || in_transaction)
    forget_all (self);
  else if (changes != self->seen_changes || data_version != self->seen_data_version)
    {
      g_hash_table_remove_all (self->states);
      g_hash_table_remove_all (self->filters);
      for (guint i = 0; i < PDM_N_TABLES; i++)
        {
          g_autoptr(GBytes) state = NULL;

          g_clear_pointer (&self->orders[i][ORDER_NUMBER], order_free);
          if (self->fts_states[i] == NULL)
            continue;
          if ((state = read_fts_state (self, i, error)) == NULL)
            return FALSE;
          if (!g_bytes_equal (state, self->fts_states[i]))
            forget_table (self, i);
        }
    }
  self->seen_changes = changes;
  self->seen_data_version = data_version;

  return TRUE;
}

/* Every call reads one snapshot, inside a savepoint, which nests in a
 * caller's transaction. Long work stops when @cancellable is cancelled:
 * SQLite asks the progress handler every PROGRESS_STEPS instructions, and
 * a statement it interrupts fails with SQLITE_INTERRUPT. */
static gboolean
begin_work (PdmSearch     *self,
            GCancellable  *cancellable,
            GError       **error)
{
  gboolean committed = sqlite3_get_autocommit (self->db);
  sqlite3_stmt *stmt;

  self->cancellable = cancellable;
  if (cancellable != NULL)
    sqlite3_progress_handler (self->db, PROGRESS_STEPS, on_progress_cb, cancellable);

  stmt = prepare (self, "SAVEPOINT pdm_search", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_sqlite_error (self, sqlite3_reset (stmt), error);
      return FALSE;
    }
  sqlite3_reset (stmt);
  self->in_savepoint = TRUE;

  return check_fresh (self, committed, error);
}

static void
end_work (PdmSearch *self)
{
  if (self->cancellable != NULL)
    sqlite3_progress_handler (self->db, 0, NULL, NULL);
  self->cancellable = NULL;
  if (self->in_savepoint)
    {
      sqlite3_stmt *stmt = prepare (self, "RELEASE pdm_search", NULL);

      if (stmt != NULL)
        {
          sqlite3_step (stmt);
          sqlite3_reset (stmt);
        }
    }
  self->in_savepoint = FALSE;
}

/* Appends the rowids a statement returns to @rowids. */
static gboolean
collect_rowids (PdmSearch     *self,
                sqlite3_stmt  *stmt,
                GArray        *rowids,
                GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (rowids, rowid);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, error);
      return FALSE;
    }

  return TRUE;
}

/* The rowids of the deleted rows of a table, ascending, straight from the
 * `deleted` token of its FTS index. */
static GArray *
get_tombstones (PdmSearch          *self,
                const SearchTable  *table,
                PdmTable            table_id,
                GError            **error)
{
  g_autoptr(GArray) set = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;

  if (self->tombstones[table_id] != NULL)
    return self->tombstones[table_id];
  if (!note_fts_state (self, table_id, error))
    return NULL;

  sql = g_strdup_printf ("SELECT rowid FROM %s WHERE %s MATCH 'deleted : \"1\"'",
                         table->fts, table->fts);
  stmt = prepare (self, sql, error);
  if (stmt == NULL || !collect_rowids (self, stmt, set, error))
    return NULL;

  self->tombstones[table_id] = g_steal_pointer (&set);

  return self->tombstones[table_id];
}

/* The state of @key, made when missing. Past MAX_STATES queries, all that
 * was learnt is dropped: a person types a handful of queries between two
 * writes, not hundreds. */
static QueryState *
get_state (PdmSearch  *self,
           const char *key)
{
  QueryState *state = g_hash_table_lookup (self->states, key);

  if (state == NULL)
    {
      if (g_hash_table_size (self->states) >= MAX_STATES)
        g_hash_table_remove_all (self->states);
      state = g_new0 (QueryState, 1);
      g_hash_table_insert (self->states, g_strdup (key), state);
    }

  return state;
}

/* Orders */

static int
compare_row_ranks (gconstpointer a,
                   gconstpointer b)
{
  const RowRank *x = a;
  const RowRank *y = b;

  return (x->rowid > y->rowid) - (x->rowid < y->rowid);
}

static guint32
rank_of (const Order *order,
         gint64       rowid)
{
  RowRank key = { rowid, 0 };
  const RowRank *found;

  if (order->ranks != NULL)
    return rowid >= 0 && (guint64) rowid < order->n_ranks ? order->ranks[rowid] : NO_RANK;

  found = bsearch (&key, order->sparse, order->n_rows, sizeof (RowRank), compare_row_ranks);

  return found != NULL ? found->rank : NO_RANK;
}

/* Sets the bit of the rank in @order of each rowid of @rowids. */
static void
set_rowid_bits (const Order *order,
                const gint64 *rowids,
                gsize         n_rowids,
                guint64      *bits)
{
  for (gsize i = 0; i < n_rowids; i++)
    {
      guint32 rank = rank_of (order, rowids[i]);

      if (rank != NO_RANK)
        set_bit (bits, rank);
    }
}

static void
append_order_by (GString           *sql,
                 const SearchTable *table,
                 OrderKind          kind)
{
  if (kind == ORDER_NAME)
    g_string_append_printf (sql, " ORDER BY t.%s, t.id", table->name_column);
  else if (kind == ORDER_NEWEST)
    g_string_append (sql, " ORDER BY t.id DESC");
  else
    g_string_append_printf (sql, " ORDER BY t.%s, t.rowid", table->number_column);
}

/* The order @kind of the plan's table, made when missing: one walk of the
 * index of that order (a million persons: about 0.15 s). */
static Order *
get_order (Plan       *plan,
           OrderKind   kind,
           GError    **error)
{
  PdmSearch *self = plan->search;
  Order **slot = &self->orders[plan->query->table][kind];
  g_autoptr(GString) sql = NULL;
  g_autoptr(GArray) rowids = NULL;
  GArray *tombstones;
  sqlite3_stmt *stmt;
  Order *order;
  gint64 min_rowid = 0, max_rowid = 0;

  if (*slot != NULL)
    return *slot;

  sql = g_string_new (NULL);
  g_string_printf (sql, "SELECT t.rowid FROM %s t", plan->table->name);
  append_order_by (sql, plan->table, kind);
  rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  stmt = prepare (self, sql->str, error);
  if (stmt == NULL || !collect_rowids (self, stmt, rowids, error))
    return NULL;
  tombstones = get_tombstones (self, plan->table, plan->query->table, error);
  if (tombstones == NULL)
    return NULL;

  order = g_new0 (Order, 1);
  order->n_rows = rowids->len;
  order->rowids = (gint64 *) g_array_free (g_steal_pointer (&rowids), FALSE);
  for (guint r = 0; r < order->n_rows; r++)
    {
      min_rowid = MIN (min_rowid, order->rowids[r]);
      max_rowid = MAX (max_rowid, order->rowids[r]);
    }

  if (min_rowid >= 0 &&
      (guint64) max_rowid < (guint64) order->n_rows * DENSE_SLOTS_PER_ROW + 65536)
    {
      order->n_ranks = (gsize) max_rowid + 1;
      order->ranks = g_new (guint32, order->n_ranks);
      memset (order->ranks, 0xff, order->n_ranks * sizeof (guint32));
      for (guint r = 0; r < order->n_rows; r++)
        order->ranks[order->rowids[r]] = r;
    }
  else
    {
      order->sparse = g_new (RowRank, MAX (order->n_rows, 1));
      for (guint r = 0; r < order->n_rows; r++)
        order->sparse[r] = (RowRank) { order->rowids[r], r };
      qsort (order->sparse, order->n_rows, sizeof (RowRank), compare_row_ranks);
    }

  order->live = g_new0 (guint64, n_words_for (order->n_rows));
  set_bits (order->live, 0, order->n_rows);
  for (guint i = 0; i < tombstones->len; i++)
    {
      guint32 rank = rank_of (order, g_array_index (tombstones, gint64, i));

      if (rank != NO_RANK)
        order->live[rank / 64] &= ~(G_GUINT64_CONSTANT (1) << (rank % 64));
    }

  *slot = order;

  return order;
}

/* The word index */

static int
compare_words (gconstpointer a,
               gconstpointer b,
               gpointer      data)
{
  const char * const *words = data;

  return strcmp (words[*(const guint32 *) a], words[*(const guint32 *) b]);
}

typedef struct
{
  guint32 word;
  guint32 unit;
} Posting;

/* What get_words() collects while it reads the units in order. */
typedef struct
{
  PdmSearch    *search;
  GStringChunk *strings;      /* the words' */
  GHashTable   *word_ids;     /* word → its index in word_list + 1 */
  GPtrArray    *word_list;
  GArray       *last_unit;    /* by word: the last unit holding it */
  GArray       *unit_starts;
  GArray       *postings;
  GString      *token;
} WordBuilder;

static void
word_builder_init (WordBuilder  *builder,
                   PdmSearch    *search,
                   GStringChunk *strings)
{
  builder->search = search;
  builder->strings = strings;
  builder->word_ids = g_hash_table_new (g_str_hash, g_str_equal);
  builder->word_list = g_ptr_array_new ();
  builder->last_unit = g_array_new (FALSE, FALSE, sizeof (guint32));
  builder->unit_starts = g_array_new (FALSE, FALSE, sizeof (guint32));
  builder->postings = g_array_new (FALSE, FALSE, sizeof (Posting));
  builder->token = g_string_new (NULL);
}

static void
word_builder_clear (WordBuilder *builder)
{
  g_clear_pointer (&builder->word_ids, g_hash_table_unref);
  g_clear_pointer (&builder->word_list, g_ptr_array_unref);
  g_clear_pointer (&builder->last_unit, g_array_unref);
  g_clear_pointer (&builder->unit_starts, g_array_unref);
  g_clear_pointer (&builder->postings, g_array_unref);
  if (builder->token != NULL)
    g_string_free (builder->token, TRUE);
  builder->token = NULL;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (WordBuilder, word_builder_clear)

/* Starts a unit at @rank and cuts its texts into words, with FTS5's own
 * tokenizer: one posting for each word of the unit. */
static void
add_unit (WordBuilder        *builder,
          guint               rank,
          const char * const *texts,
          guint               n_texts)
{
  PdmSearch *self = builder->search;
  guint32 unit = builder->unit_starts->len;

  g_array_append_val (builder->unit_starts, rank);

  for (guint c = 0; c < n_texts; c++)
    {
      if (texts[c] == NULL || !tokenize (self, FTS5_TOKENIZE_DOCUMENT, texts[c], &self->scratch))
        continue;
      for (guint i = 0; i < self->scratch.ends->len; i++)
        {
          gsize length;
          const char *text = token_list_get (&self->scratch, i, &length);
          gpointer found;
          guint32 id;

          g_string_truncate (builder->token, 0);
          g_string_append_len (builder->token, text, length);
          found = g_hash_table_lookup (builder->word_ids, builder->token->str);
          if (found == NULL)
            {
              char *word = g_string_chunk_insert_len (builder->strings, text, length);
              guint32 none = G_MAXUINT32;

              id = builder->word_list->len;
              g_ptr_array_add (builder->word_list, word);
              g_array_append_val (builder->last_unit, none);
              g_hash_table_insert (builder->word_ids, word, GUINT_TO_POINTER (id + 1));
            }
          else
            id = GPOINTER_TO_UINT (found) - 1;

          /* A word twice in one unit is one posting. */
          if (g_array_index (builder->last_unit, guint32, id) != unit)
            {
              Posting posting = { id, unit };

              g_array_index (builder->last_unit, guint32, id) = unit;
              g_array_append_val (builder->postings, posting);
            }
        }
    }
}

/* The units of a table searched by its name only, read in name order
 * from the name index alone, as the order was. */
static gboolean
read_names (Plan         *plan,
            Order        *order,
            WordBuilder  *builder,
            GError      **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autofree char *previous = NULL;
  sqlite3_stmt *stmt;
  guint rank = 0;
  int rc;

  g_string_printf (sql, "SELECT t.%s FROM %s t", plan->table->name_column, plan->table->name);
  append_order_by (sql, plan->table, ORDER_NAME);
  stmt = prepare (plan->search, sql->str, error);
  if (stmt == NULL)
    return FALSE;

  for (; (rc = sqlite3_step (stmt)) == SQLITE_ROW && rank < order->n_rows; rank++)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);

      if (rank == 0 || g_strcmp0 (name, previous) != 0)
        {
          add_unit (builder, rank, &name, 1);
          g_free (previous);
          previous = g_strdup (name);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      set_sqlite_error (plan->search, rc, error);
      return FALSE;
    }

  return TRUE;
}

/* The units of a table searched by name and address: rows are read in
 * rowid order (a scan; the name index holds no address, and looking rows
 * up in name order costs more) and placed by rank. Equal texts share one
 * copy, so a unit ends where a pointer changes. */
static gboolean
read_names_and_addresses (Plan         *plan,
                          Order        *order,
                          WordBuilder  *builder,
                          GError      **error)
{
  const SearchTable *table = plan->table;
  g_autoptr(GStringChunk) chunk = g_string_chunk_new (64 * 1024);
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autofree const char **texts = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_string_printf (sql, "SELECT t.rowid, t.%s, t.%s FROM %s t", table->name_column,
                   table->address_column, table->name);
  stmt = prepare (plan->search, sql->str, error);
  if (stmt == NULL)
    return FALSE;

  texts = g_new0 (const char *, (gsize) order->n_rows * 2 + 2);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint32 rank = rank_of (order, sqlite3_column_int64 (stmt, 0));

      for (guint c = 0; rank != NO_RANK && c < 2; c++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, c + 1);

          if (text != NULL)
            texts[(gsize) rank * 2 + c] = g_string_chunk_insert_const (chunk, text);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (plan->search, rc, error);
      return FALSE;
    }

  for (guint r = 0; r < order->n_rows; r++)
    {
      const char * const *row = texts + (gsize) r * 2;

      if (r == 0 || row[0] != row[-2] || row[1] != row[-1])
        add_unit (builder, r, row, 2);
    }

  return TRUE;
}

/* Sorts the words, so that the words with a prefix are neighbours, and
 * lays their postings out in that order, each word's still ascending. */
static void
lay_out_words (WordIndex *words,
               GPtrArray *word_list,
               GArray    *postings)
{
  g_autofree guint32 *sorted = g_new (guint32, MAX (word_list->len, 1));
  g_autofree guint32 *new_index = g_new (guint32, MAX (word_list->len, 1));
  g_autofree guint32 *next = NULL;

  words->n_words = word_list->len;
  for (guint32 i = 0; i < words->n_words; i++)
    sorted[i] = i;
  g_qsort_with_data (sorted, words->n_words, sizeof (guint32), compare_words, word_list->pdata);
  words->words = g_new (const char *, MAX (words->n_words, 1));
  for (guint32 i = 0; i < words->n_words; i++)
    {
      new_index[sorted[i]] = i;
      words->words[i] = g_ptr_array_index (word_list, sorted[i]);
    }

  words->posting_starts = g_new0 (guint32, words->n_words + 1);
  for (guint i = 0; i < postings->len; i++)
    words->posting_starts[new_index[g_array_index (postings, Posting, i).word] + 1]++;
  for (guint i = 0; i < words->n_words; i++)
    words->posting_starts[i + 1] += words->posting_starts[i];

  words->postings = g_new (guint32, MAX (postings->len, 1));
  next = g_memdup2 (words->posting_starts, (words->n_words + 1) * sizeof (guint32));
  for (guint i = 0; i < postings->len; i++)
    {
      const Posting *posting = &g_array_index (postings, Posting, i);

      words->postings[next[new_index[posting->word]]++] = posting->unit;
    }
}

/* The word index of the name order @order, made when missing (a million
 * persons: about 0.1 s past the order). */
static WordIndex *
get_words (Plan     *plan,
           Order    *order,
           GError  **error)
{
  g_auto(WordBuilder) builder = { 0 };
  WordIndex *words;
  gboolean ok;

  if (order->words != NULL)
    return order->words;

  words = g_new0 (WordIndex, 1);
  words->strings = g_string_chunk_new (16 * 1024);
  word_builder_init (&builder, plan->search, words->strings);
  if (plan->table->address_column != NULL)
    ok = read_names_and_addresses (plan, order, &builder, error);
  else
    ok = read_names (plan, order, &builder, error);
  if (!ok)
    {
      word_index_free (words);
      return NULL;
    }

  words->n_units = builder.unit_starts->len;
  g_array_append_val (builder.unit_starts, order->n_rows);
  words->unit_starts = (guint32 *) g_array_free (g_steal_pointer (&builder.unit_starts), FALSE);
  lay_out_words (words, builder.word_list, builder.postings);

  g_debug ("%s: %u rows, %u units, %u words, %u postings", plan->table->name, order->n_rows,
           words->n_units, words->n_words, builder.postings->len);
  order->words = words;

  return words;
}

/* The first word at or after @token. */
static guint
lower_word (const WordIndex *words,
            const char      *token)
{
  guint low = 0, high = words->n_words;

  while (low < high)
    {
      guint middle = low + (high - low) / 2;

      if (strcmp (words->words[middle], token) < 0)
        low = middle + 1;
      else
        high = middle;
    }

  return low;
}

/* Sets the bit of every unit holding @token, or a word it starts. */
static void
set_word_bits (const WordIndex *words,
               const char      *token,
               gboolean         prefix,
               guint64         *bits)
{
  guint first = lower_word (words, token), end = first;

  if (prefix)
    while (end < words->n_words && g_str_has_prefix (words->words[end], token))
      end++;
  else if (end < words->n_words && strcmp (words->words[end], token) == 0)
    end++;

  /* The postings of neighbouring words are neighbours. */
  for (guint i = words->posting_starts[first]; i < words->posting_starts[end]; i++)
    set_bit (bits, words->postings[i]);
}

/* Plans */

static gboolean
query_is_valid (const PdmQuery *query)
{
  if (query->table != PDM_TABLE_PERSON && query->table != PDM_TABLE_HOUSEHOLD &&
      query->table != PDM_TABLE_VOLUNTEER && query->table != PDM_TABLE_VISIT)
    return FALSE;

  if (query->household_id != NULL && query->table != PDM_TABLE_PERSON &&
      query->table != PDM_TABLE_VISIT)
    return FALSE;
  if ((query->visit_kind != NULL || query->sort == PDM_SORT_FOLLOW_UP) &&
      query->table != PDM_TABLE_VISIT)
    return FALSE;
  /* A visit is filtered by its own household only. */
  if (query->table == PDM_TABLE_VISIT)
    return query->kelurahan_code == NULL && query->desil == 0 && query->program == NULL &&
           query->volunteer_id == NULL;

  /* A volunteer has no household to filter by. */
  return query->table != PDM_TABLE_VOLUNTEER ||
         (query->desil == 0 && query->program == NULL && query->volunteer_id == NULL);
}

/* Digits only (spaces are allowed, as a NIK is often read out in groups). */
static char *
parse_number (const char *text)
{
  GString *digits = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (*p != ' ')
        {
          g_string_free (digits, TRUE);
          return NULL;
        }
    }

  if (digits->len < 4)
    {
      g_string_free (digits, TRUE);
      return NULL;
    }

  return g_string_free (digits, FALSE);
}

/* Each word the user typed becomes a phrase of the tokens the index would
 * make of it ("O'Neil" gives o, neil), the last one a prefix. Words with
 * nothing to search for are dropped. */
static GPtrArray *
parse_phrases (PdmSearch  *self,
               const char *text)
{
  g_autoptr(GPtrArray) phrases = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  const char *p = text;

  while (*p != '\0')
    {
      const char *word;
      g_autofree char *copy = NULL;

      while (*p != '\0' && g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      word = p;
      while (*p != '\0' && !g_unichar_isspace (g_utf8_get_char (p)))
        p = g_utf8_next_char (p);
      if (p == word)
        break;

      copy = g_strndup (word, p - word);
      if (tokenize (self, FTS5_TOKENIZE_QUERY | FTS5_TOKENIZE_PREFIX, copy, &self->scratch) &&
          self->scratch.ends->len > 0)
        {
          GStrvBuilder *builder = g_strv_builder_new ();

          for (guint i = 0; i < self->scratch.ends->len; i++)
            {
              gsize length;
              const char *token = token_list_get (&self->scratch, i, &length);
              g_autofree char *owned = g_strndup (token, length);

              g_strv_builder_add (builder, owned);
            }
          g_ptr_array_add (phrases, g_strv_builder_end (builder));
          g_strv_builder_unref (builder);
        }
    }

  /* A match keeps one bit a phrase. */
  if (phrases->len > 64)
    g_ptr_array_set_size (phrases, 64);

  return g_steal_pointer (&phrases);
}

static void
append_key_part (GString    *key,
                 const char *part)
{
  if (part == NULL)
    g_string_append (key, "-|");
  else
    g_string_append_printf (key, "%zu:%s|", strlen (part), part);
}

static void
append_filter_key (GString        *key,
                   const PdmQuery *query)
{
  g_string_append_printf (key, "%d|%d|", query->table, query->desil);
  append_key_part (key, query->kelurahan_code);
  append_key_part (key, query->program);
  append_key_part (key, query->volunteer_id);
  append_key_part (key, query->household_id);
  append_key_part (key, query->visit_kind);
}

/* What identifies the rows of a query and their order. */
static char *
plan_cache_key (const Plan *plan)
{
  const PdmQuery *query = plan->query;
  GString *key = g_string_new (NULL);
  g_autoptr(GString) phrases = NULL;

  if (plan->phrases != NULL)
    {
      phrases = g_string_new (NULL);
      for (guint p = 0; p < plan->phrases->len; p++)
        {
          g_autofree char *phrase = g_strjoinv (" ", g_ptr_array_index (plan->phrases, p));

          g_string_append_printf (phrases, "%zu:%s,", strlen (phrase), phrase);
        }
    }

  g_string_append_printf (key, "%d|%d|", query->include_deleted, query->sort);
  append_filter_key (key, query);
  append_key_part (key, plan->number);
  append_key_part (key, phrases != NULL ? phrases->str : NULL);
  append_key_part (key, plan->today);

  return g_string_free (key, FALSE);
}

static void
plan_clear (Plan *plan)
{
  g_clear_pointer (&plan->number, g_free);
  g_clear_pointer (&plan->phrases, g_ptr_array_unref);
  g_clear_pointer (&plan->key, g_free);
  g_clear_pointer (&plan->today, g_free);
  g_clear_pointer (&plan->last_key, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Plan, plan_clear)

/* The column of the list order's key: NULL for newest first. */
static const char *
key_column (const Plan *plan)
{
  if (plan->query->sort == PDM_SORT_NEWEST)
    return NULL;

  return plan->number != NULL ? plan->table->number_column : plan->table->name_column;
}

/* SQL */

static void
append_columns (GString            *sql,
                const PdmTableInfo *info)
{
  g_string_append (sql, "t.id");
  for (guint i = 0; i < info->n_fields; i++)
    g_string_append_printf (sql, ", t.%s", info->fields[i].name);
}

static void
append_key (GString    *sql,
            const Plan *plan)
{
  g_string_append (sql, plan->key != NULL ? plan->key : "NULL");
}

/* FROM, and WHERE with the filters. With @in_order, a page of a list
 * walks the index of its order and tests the filters row by row, rather
 * than sorting every row of a kelurahan (SQLite's choice without ANALYZE):
 * CROSS JOIN keeps the tables in order and a unary + keeps an index out.
 * A PSM's households are few, so their index still leads. */
static void
append_from_where (GString    *sql,
                   const Plan *plan,
                   gboolean    in_order)
{
  const PdmQuery *query = plan->query;
  const char *h = plan->table->household != NULL ? plan->table->household : "t";
  const char *no_index = "";

  in_order = in_order && query->volunteer_id == NULL;
  if (in_order)
    no_index = "+";

  g_string_append_printf (sql, " FROM %s t", plan->table->name);
  if (plan->household_join)
    g_string_append_printf (sql, " %s household h ON h.id = t.household_id",
                            in_order ? "CROSS JOIN" : "JOIN");
  g_string_append (sql, " WHERE 1");

  if (query->kelurahan_code != NULL)
    g_string_append_printf (sql, " AND %s%s.kelurahan_code = :kelurahan", no_index, h);
  if (query->desil != 0)
    g_string_append_printf (sql, " AND %s%s.desil = :desil", no_index, h);
  if (query->program != NULL)
    g_string_append_printf (sql, " AND instr (',' || replace (%s.programs, ' ', '') || ',',"
                            " ',' || :program || ',') > 0", h);
  if (query->volunteer_id != NULL)
    g_string_append_printf (sql, " AND %s.volunteer_id = :volunteer", h);
  /* A household's few members and visits: its index leads. */
  if (query->household_id != NULL)
    g_string_append (sql, " AND t.household_id = :household");
  if (query->visit_kind != NULL)
    g_string_append (sql, " AND t.kind = :kind");
}

/* The SQL of one phase of a walk in index order (a list, a whole number).
 * With @after, rows follow the cursor bound as :after_key and :after_id. */
static char *
build_sql (const Plan *plan,
           Select      select,
           Phase       phase,
           gboolean    after)
{
  const SearchTable *table = plan->table;
  const char *key = plan->key;
  const char *before_or_after = plan->descending ? "<" : ">";
  const char *direction = plan->descending ? " DESC" : "";
  GString *sql = g_string_new ("SELECT ");

  if (select == SELECT_ROWS)
    {
      /* The key last: the cursor of a page is read from it. */
      append_columns (sql, plan->info);
      g_string_append (sql, ", ");
      append_key (sql, plan);
    }
  else if (select == SELECT_KEYS)
    {
      append_key (sql, plan);
      g_string_append (sql, ", t.id");
    }
  else
    g_string_append (sql, "count(*)");

  append_from_where (sql, plan, select == SELECT_ROWS);

  if (plan->mode == MODE_NUMBER)
    g_string_append_printf (sql, " AND (t.%s = :number%s%s)", table->number_column,
                            table->other_number != NULL ? " OR " : "",
                            table->other_number != NULL ? table->other_number : "");

  /* Tombstones are told by rowid, so a walk stays in its index. */
  if (!plan->query->include_deleted && table->fts != NULL)
    g_string_append (sql, " AND NOT pdm_search_in (:tombstones, t.rowid)");
  else if (!plan->query->include_deleted)
    g_string_append (sql, " AND t.deleted = 0");

  if (key == NULL && phase != PHASE_ALL)
    {
      if (after)
        g_string_append (sql, " AND t.id < :after_id");
      g_string_append (sql, " ORDER BY t.id DESC");
    }
  else if (phase == PHASE_NULL_KEY)
    {
      g_string_append_printf (sql, " AND %s IS NULL", key);
      if (after)
        g_string_append (sql, " AND t.id > :after_id");
      if (select != SELECT_COUNT)
        g_string_append (sql, " ORDER BY t.id");
    }
  else if (phase == PHASE_KEY && plan->mode == MODE_NUMBER)
    {
      /* Rows with one number in rowid order, as in the number order. */
      if (after)
        g_string_append_printf (sql, " AND (%s, t.rowid) > (:after_key,"
                                " (SELECT rowid FROM %s WHERE id = :after_id))", key, table->name);
      else
        g_string_append_printf (sql, " AND %s IS NOT NULL", key);
      g_string_append_printf (sql, " ORDER BY %s, t.rowid", key);
    }
  else if (phase == PHASE_KEY)
    {
      if (after)
        g_string_append_printf (sql, " AND (%s, t.id) %s (:after_key, :after_id)", key,
                                before_or_after);
      else
        g_string_append_printf (sql, " AND %s IS NOT NULL", key);
      g_string_append_printf (sql, " ORDER BY %s%s, t.id%s", key, direction, direction);
    }

  if (select == SELECT_ROWS)
    g_string_append (sql, " LIMIT :limit OFFSET :offset");

  return g_string_free (sql, FALSE);
}

/* Prepares @sql with whichever of the plan's values it names bound. */
static sqlite3_stmt *
prepare_plan (Plan        *plan,
              const char  *sql,
              GError     **error)
{
  const PdmQuery *query = plan->query;
  sqlite3_stmt *stmt = prepare (plan->search, sql, error);
  int index;

  if (stmt == NULL)
    return NULL;

  if ((index = sqlite3_bind_parameter_index (stmt, ":number")) > 0)
    sqlite3_bind_text (stmt, index, plan->number, -1, SQLITE_STATIC);
  if ((index = sqlite3_bind_parameter_index (stmt, ":kelurahan")) > 0)
    sqlite3_bind_text (stmt, index, query->kelurahan_code, -1, SQLITE_STATIC);
  if ((index = sqlite3_bind_parameter_index (stmt, ":desil")) > 0)
    sqlite3_bind_int (stmt, index, query->desil);
  if ((index = sqlite3_bind_parameter_index (stmt, ":program")) > 0)
    sqlite3_bind_text (stmt, index, query->program, -1, SQLITE_STATIC);
  if ((index = sqlite3_bind_parameter_index (stmt, ":volunteer")) > 0)
    sqlite3_bind_text (stmt, index, query->volunteer_id, -1, SQLITE_STATIC);
  if ((index = sqlite3_bind_parameter_index (stmt, ":household")) > 0)
    sqlite3_bind_text (stmt, index, query->household_id, -1, SQLITE_STATIC);
  if ((index = sqlite3_bind_parameter_index (stmt, ":kind")) > 0)
    sqlite3_bind_text (stmt, index, query->visit_kind, -1, SQLITE_STATIC);
  if ((index = sqlite3_bind_parameter_index (stmt, ":today")) > 0)
    sqlite3_bind_text (stmt, index, plan->today, -1, SQLITE_STATIC);
  if ((index = sqlite3_bind_parameter_index (stmt, ":tombstones")) > 0)
    {
      GArray *set = get_tombstones (plan->search, plan->table, query->table, error);

      if (set == NULL)
        return NULL;
      sqlite3_bind_pointer (stmt, index, set, ROWID_SET_TYPE, NULL);
    }

  return stmt;
}

/* Prepares the statement of a phase, its plan values and cursor bound. */
static sqlite3_stmt *
prepare_phase (Plan                 *plan,
               Select                select,
               Phase                 phase,
               const PdmPageCursor  *after,
               GError              **error)
{
  g_autofree char *sql = build_sql (plan, select, phase, after != NULL);
  sqlite3_stmt *stmt = prepare_plan (plan, sql, error);

  if (stmt != NULL && after != NULL)
    {
      sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":after_id"), after->id, -1,
                         SQLITE_STATIC);
      if (after->key != NULL)
        sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":after_key"), after->key,
                           -1, SQLITE_STATIC);
    }

  return stmt;
}

/* Selections */

/* Prepares `SELECT <@columns> FROM <table> t WHERE t.rowid = ?1`. */
static sqlite3_stmt *
prepare_by_rowid (Plan        *plan,
                  const char  *columns,
                  GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s t WHERE t.rowid = ?1", columns,
                                          plan->table->name);

  return prepare (plan->search, sql, error);
}

/* Steps @stmt, prepared by prepare_by_rowid(), for @rowid: FALSE with
 * @error set when SQLite failed, FALSE without when the row is not there.
 * The caller resets @stmt. */
static gboolean
step_rowid (Plan          *plan,
            sqlite3_stmt  *stmt,
            gint64         rowid,
            GError       **error)
{
  int rc;

  sqlite3_bind_int64 (stmt, 1, rowid);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    set_sqlite_error (plan->search, rc, error);

  return rc == SQLITE_ROW;
}

/* The ranks [@out_start, @out_end) of the number order whose number
 * starts with the plan's number: two binary searches, each step a lookup.
 * Numbers that start alike are neighbours in their index. */
static gboolean
number_range (Plan     *plan,
              Order    *numbers,
              guint    *out_start,
              guint    *out_end,
              GError  **error)
{
  g_autofree char *column = g_strdup_printf ("t.%s", plan->table->number_column);
  sqlite3_stmt *stmt = prepare_by_rowid (plan, column, error);
  guint bounds[2] = { 0, 0 };

  if (stmt == NULL)
    return FALSE;

  for (guint pass = 0; pass < 2; pass++)
    {
      guint low = pass == 0 ? 0 : bounds[0], high = numbers->n_rows;

      while (low < high)
        {
          guint middle = low + (high - low) / 2;
          g_autoptr(GError) local_error = NULL;
          const char *number;
          gboolean past;

          if (!step_rowid (plan, stmt, numbers->rowids[middle], &local_error) &&
              local_error != NULL)
            {
              sqlite3_reset (stmt);
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
          number = (const char *) sqlite3_column_text (stmt, 0);
          /* Rows without a number come first. */
          if (pass == 0)
            past = number != NULL && strcmp (number, plan->number) >= 0;
          else
            past = number != NULL && !g_str_has_prefix (number, plan->number);
          sqlite3_reset (stmt);

          if (past)
            high = middle;
          else
            low = middle + 1;
        }
      bounds[pass] = low;
    }

  *out_start = bounds[0];
  *out_end = bounds[1];

  return TRUE;
}

/* The units of the name order that hold every phrase of the plan. A
 * phrase of several tokens ("al-sit" gives al, sit) is looked up by each
 * of them, then checked in the texts of the unit. */
static guint64 *
match_units (Plan       *plan,
             Order      *names,
             WordIndex  *words,
             GError    **error)
{
  guint n_words = n_words_for (words->n_units);
  g_autofree guint64 *units = NULL;
  g_autofree guint64 *word_bits = g_new (guint64, n_words);
  gboolean check = FALSE;

  for (guint p = 0; p < plan->phrases->len; p++)
    {
      char **phrase = g_ptr_array_index (plan->phrases, p);
      guint n_tokens = g_strv_length (phrase);

      for (guint i = 0; i < n_tokens; i++)
        {
          memset (word_bits, 0, n_words * sizeof (guint64));
          set_word_bits (words, phrase[i], i + 1 == n_tokens, word_bits);
          if (units == NULL)
            units = g_memdup2 (word_bits, n_words * sizeof (guint64));
          else
            and_bits (units, word_bits, n_words);
        }
      check = check || n_tokens > 1;
    }

  if (check)
    {
      g_autoptr(GString) columns = g_string_new (NULL);
      sqlite3_stmt *stmt;

      g_string_printf (columns, "t.%s", plan->table->name_column);
      if (plan->table->address_column != NULL)
        g_string_append_printf (columns, ", t.%s", plan->table->address_column);
      stmt = prepare_by_rowid (plan, columns->str, error);
      if (stmt == NULL)
        return NULL;

      for (guint u = next_bit (units, words->n_units, 0); u < words->n_units;
           u = next_bit (units, words->n_units, u + 1))
        {
          gint64 rowid = names->rowids[words->unit_starts[u]];
          g_autoptr(GError) local_error = NULL;
          const char *texts[2] = { NULL, NULL };
          guint n_texts = (guint) sqlite3_column_count (stmt);
          gboolean found = step_rowid (plan, stmt, rowid, &local_error);

          for (guint c = 0; found && c < n_texts; c++)
            texts[c] = (const char *) sqlite3_column_text (stmt, c);
          if (!found || !texts_match (plan->search, plan->phrases, texts, n_texts))
            units[u / 64] &= ~(G_GUINT64_CONSTANT (1) << (u % 64));
          sqlite3_reset (stmt);
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
        }
    }

  return g_steal_pointer (&units);
}

/* Sets the bits of @order's ranks of rows in @units of the name order. */
static void
set_unit_bits (Order         *order,
               Order         *names,
               WordIndex     *words,
               const guint64 *units,
               guint64       *bits)
{
  for (guint u = next_bit (units, words->n_units, 0); u < words->n_units;
       u = next_bit (units, words->n_units, u + 1))
    {
      guint start = words->unit_starts[u], end = words->unit_starts[u + 1];

      if (order == names)
        set_bits (bits, start, end);
      else
        set_rowid_bits (order, names->rowids + start, end - start, bits);
    }
}

/* The bits of the rows in @order that pass the plan's filters, kept
 * apart from the query's: text typed in a kelurahan's list does not read
 * the kelurahan again at every key. */
static const guint64 *
get_filter_bits (Plan     *plan,
                 Order    *order,
                 GError  **error)
{
  PdmSearch *self = plan->search;
  g_autoptr(GString) key = g_string_new (NULL);
  g_autoptr(GString) sql = NULL;
  g_autoptr(GArray) rowids = NULL;
  g_autofree guint64 *bits = NULL;
  const guint64 *found;
  sqlite3_stmt *stmt;

  g_string_printf (key, "%d|", plan->order);
  append_filter_key (key, plan->query);
  found = g_hash_table_lookup (self->filters, key->str);
  if (found != NULL)
    return found;

  sql = g_string_new ("SELECT t.rowid");
  append_from_where (sql, plan, FALSE);
  rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  stmt = prepare_plan (plan, sql->str, error);
  if (stmt == NULL || !collect_rowids (self, stmt, rowids, error))
    return NULL;

  bits = g_new0 (guint64, n_words_for (order->n_rows));
  set_rowid_bits (order, (const gint64 *) rowids->data, rowids->len, bits);
  if (g_hash_table_size (self->filters) >= MAX_STATES)
    g_hash_table_remove_all (self->filters);
  g_hash_table_insert (self->filters, g_strdup (key->str), bits);

  return g_steal_pointer (&bits);
}

/* The bits of the rows of the plan in its order, made when missing: the
 * rows not deleted, of the number, text and filters asked. */
static gboolean
select_rows (Plan     *plan,
             GError  **error)
{
  QueryState *state = plan->state;
  Order *order = get_order (plan, plan->order, error);
  g_autofree guint64 *bits = NULL;
  g_autofree guint64 *other = NULL;
  gsize size;

  if (order == NULL)
    return FALSE;
  if (state->bits != NULL)
    return TRUE;
  /* Most of what follows is in memory, out of the progress handler's
   * reach. */
  if (g_cancellable_set_error_if_cancelled (plan->search->cancellable, error))
    return FALSE;

  size = n_words_for (order->n_rows) * sizeof (guint64);
  bits = g_malloc0 (size);
  other = g_malloc (size);
  if (plan->query->include_deleted)
    set_bits (bits, 0, order->n_rows);
  else
    memcpy (bits, order->live, size);

  if (plan->number != NULL)
    {
      Order *numbers = get_order (plan, ORDER_NUMBER, error);
      guint start, end;

      if (numbers == NULL || !number_range (plan, numbers, &start, &end, error))
        return FALSE;
      memset (other, 0, size);
      if (numbers == order)
        set_bits (other, start, end);
      else
        set_rowid_bits (order, numbers->rowids + start, end - start, other);
      and_bits (bits, other, size / sizeof (guint64));
    }

  if (plan->phrases != NULL)
    {
      Order *names = get_order (plan, ORDER_NAME, error);
      WordIndex *words = names != NULL ? get_words (plan, names, error) : NULL;
      g_autofree guint64 *units = words != NULL ? match_units (plan, names, words, error) : NULL;

      if (units == NULL)
        return FALSE;
      memset (other, 0, size);
      set_unit_bits (order, names, words, units, other);
      and_bits (bits, other, size / sizeof (guint64));
    }

  if (plan->filtered)
    {
      const guint64 *filter = get_filter_bits (plan, order, error);

      if (filter == NULL)
        return FALSE;
      and_bits (bits, filter, size / sizeof (guint64));
    }

  state->bits = g_steal_pointer (&bits);
  count_bits (state, order->n_rows);

  return TRUE;
}

/* The order of a list's rows, as SQLite's BINARY collation and NULL-first
 * sorting would put them; strcmp() orders UTF-8 the same way. */
static int
compare_keys (const char *a,
              const char *b)
{
  if (a == NULL || b == NULL)
    return (a != NULL) - (b != NULL);

  return strcmp (a, b);
}

/* The first rank of @order after @after: a binary search, each step a
 * lookup of one row. In the number order, rows with one number are in
 * rowid order; when the cursor's row is gone, those with its number are
 * all taken as read. */
static gboolean
rank_after (Plan                 *plan,
            Order                *order,
            const PdmPageCursor  *after,
            guint                *out_rank,
            GError              **error)
{
  g_autofree char *columns = NULL;
  gint64 after_rowid = G_MAXINT64;
  guint low = 0, high = order->n_rows;
  sqlite3_stmt *stmt;

  if (plan->order == ORDER_NUMBER)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT t.rowid FROM %s t WHERE t.id = ?1",
                                              plan->table->name);

      stmt = prepare (plan->search, sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, after->id, -1, SQLITE_STATIC);
      if (!step_int (plan->search, stmt, &after_rowid, NULL))
        after_rowid = G_MAXINT64;
    }

  columns = g_strdup_printf ("%s%s, t.id", key_column (plan) != NULL ? "t." : "NULL",
                             key_column (plan) != NULL ? key_column (plan) : "");
  stmt = prepare_by_rowid (plan, columns, error);
  if (stmt == NULL)
    return FALSE;

  while (low < high)
    {
      guint middle = low + (high - low) / 2;
      gint64 rowid = order->rowids[middle];
      g_autoptr(GError) local_error = NULL;
      const char *key, *id;
      int order_to_cursor;

      /* The order was read in this snapshot: its rows are all there. */
      if (!step_rowid (plan, stmt, rowid, &local_error))
        {
          sqlite3_reset (stmt);
          g_assert (local_error != NULL);
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      key = (const char *) sqlite3_column_text (stmt, 0);
      id = (const char *) sqlite3_column_text (stmt, 1);

      if (plan->order == ORDER_NEWEST)
        order_to_cursor = -strcmp (id, after->id);
      else if ((order_to_cursor = compare_keys (key, after->key)) == 0)
        order_to_cursor = plan->order == ORDER_NUMBER
                          ? (rowid > after_rowid) - (rowid < after_rowid)
                          : strcmp (id, after->id);
      sqlite3_reset (stmt);

      if (order_to_cursor <= 0)
        low = middle + 1;
      else
        high = middle;
    }

  *out_rank = low;

  return TRUE;
}

/* Reading rows */

static PdmRecord *
read_record (const PdmTableInfo *info,
             sqlite3_stmt       *stmt)
{
  PdmRecord *record = pdm_record_new (info->table);

  record->id = column_dup (stmt, 0);
  for (guint i = 0; i < info->n_fields; i++)
    record->values[i] = column_dup (stmt, i + 1);

  return record;
}

static void
set_cursor (PdmPageCursor *cursor,
            const char    *key,
            const char    *id)
{
  if (cursor == NULL)
    return;

  pdm_page_cursor_clear (cursor);
  cursor->key = g_strdup (key);
  cursor->id = g_strdup (id);
}

/* Up to @limit selected rows after @after (NULL: from the start), @offset
 * skipped. */
static gboolean
fetch_selected (Plan                 *plan,
                const PdmPageCursor  *after,
                guint                 offset,
                guint                 limit,
                GPtrArray            *records,
                GError              **error)
{
  QueryState *state = plan->state;
  g_autoptr(GString) columns = g_string_new (NULL);
  Order *order;
  sqlite3_stmt *stmt;
  guint rank, n_rows, taken = 0;

  if (!select_rows (plan, error))
    return FALSE;
  order = get_order (plan, plan->order, error);
  n_rows = order->n_rows;

  if (after != NULL)
    {
      if (!rank_after (plan, order, after, &rank, error))
        return FALSE;
      rank = offset > 0 ? nth_bit (state, n_rows, bits_before (state, rank) + offset)
                        : next_bit (state->bits, n_rows, rank);
    }
  else
    rank = nth_bit (state, n_rows, offset);

  /* The key last: the cursor of a page is read from it. */
  append_columns (columns, plan->info);
  if (key_column (plan) != NULL)
    g_string_append_printf (columns, ", t.%s", key_column (plan));
  else
    g_string_append (columns, ", NULL");
  stmt = prepare_by_rowid (plan, columns->str, error);
  if (stmt == NULL)
    return FALSE;

  for (; rank < n_rows && taken < limit; rank = next_bit (state->bits, n_rows, rank + 1))
    {
      g_autoptr(GError) local_error = NULL;

      if (step_rowid (plan, stmt, order->rowids[rank], &local_error))
        {
          g_ptr_array_add (records, read_record (plan->info, stmt));
          g_free (plan->last_key);
          plan->last_key = column_dup (stmt, plan->info->n_fields + 1);
          taken++;
        }
      sqlite3_reset (stmt);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  return TRUE;
}

/* Walks */

/* Appends the rows of one phase of a walk to @records. */
static gboolean
run_phase (Plan                 *plan,
           Phase                 phase,
           const PdmPageCursor  *after,
           guint                 offset,
           guint                 limit,
           GPtrArray            *records,
           GError              **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare_phase (plan, SELECT_ROWS, phase, after, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":limit"), limit);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":offset"), offset);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (records, read_record (plan->info, stmt));
      g_free (plan->last_key);
      plan->last_key = column_dup (stmt, plan->info->n_fields + 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (plan->search, rc, error);
      return FALSE;
    }

  return TRUE;
}

/* Up to @limit rows after @after (NULL: from the start), @offset skipped,
 * by walking an index. */
static gboolean
fetch_walked (Plan                 *plan,
              const PdmPageCursor  *after,
              guint                 offset,
              guint                 limit,
              GPtrArray            *records,
              GError              **error)
{
  guint before = records->len;

  if (plan->key == NULL || (after != NULL && after->key != NULL))
    return run_phase (plan, PHASE_KEY, after, offset, limit, records, error);

  /* Still among the rows without a key, or before them. */
  if (!run_phase (plan, PHASE_NULL_KEY, after, offset, limit, records, error))
    return FALSE;

  if (records->len == before && offset > 0)
    {
      sqlite3_stmt *stmt = prepare_phase (plan, SELECT_COUNT, PHASE_NULL_KEY, after, error);
      gint64 n_null = 0;

      if (stmt == NULL || !step_int (plan->search, stmt, &n_null, error))
        return FALSE;
      offset -= MIN (offset, (guint) n_null);
    }
  else
    offset = 0;

  limit -= records->len - before;
  if (limit == 0)
    return TRUE;

  return run_phase (plan, PHASE_KEY, NULL, offset, limit, records, error);
}

/* Up to @limit rows after @after (NULL: from the start), @offset skipped;
 * @out_last is set from the last row. */
static gboolean
fetch (Plan                 *plan,
       const PdmPageCursor  *after,
       guint                 offset,
       guint                 limit,
       GPtrArray            *records,
       PdmPageCursor        *out_last,
       GError              **error)
{
  guint before = records->len;
  gboolean ok;

  if (plan->mode == MODE_SELECTED)
    ok = fetch_selected (plan, after, offset, limit, records, error);
  else
    ok = fetch_walked (plan, after, offset, limit, records, error);

  if (ok && records->len > before)
    set_cursor (out_last, plan->last_key,
                ((const PdmRecord *) g_ptr_array_index (records, records->len - 1))->id);

  return ok;
}

/* Walks all rows of a list once, keeping the cursor that starts every
 * LANDMARK_SPACING-th row (the first is NULL: the start) and the count. */
static gboolean
walk (Plan    *plan,
      GError **error)
{
  g_autoptr(GPtrArray) landmarks = g_ptr_array_new_with_free_func ((GDestroyNotify) cursor_free);
  Phase phases[] = { PHASE_NULL_KEY, PHASE_KEY };
  guint n = 0;

  g_ptr_array_add (landmarks, NULL);

  for (guint p = plan->key != NULL ? 0 : 1; p < G_N_ELEMENTS (phases); p++)
    {
      sqlite3_stmt *stmt;
      int rc;

      stmt = prepare_phase (plan, SELECT_KEYS, phases[p], NULL, error);
      if (stmt == NULL)
        return FALSE;

      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        if (++n % LANDMARK_SPACING == 0)
          g_ptr_array_add (landmarks,
                           cursor_new ((const char *) sqlite3_column_text (stmt, 0),
                                       (const char *) sqlite3_column_text (stmt, 1)));
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          set_sqlite_error (plan->search, rc, error);
          return FALSE;
        }
    }

  g_clear_pointer (&plan->state->landmarks, g_ptr_array_unref);
  plan->state->landmarks = g_steal_pointer (&landmarks);
  plan->state->count = n;
  plan->state->counted = TRUE;

  return TRUE;
}

static gboolean
count_walked (Plan    *plan,
              gint64  *out_count,
              GError **error)
{
  PdmSearch *self = plan->search;
  const SearchTable *table = plan->table;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;

  if (plan->mode == MODE_LIST && !plan->filtered && table->fts != NULL)
    {
      /* SQLite counts a whole table from an index without reading rows. */
      sql = g_strdup_printf ("SELECT count(*) FROM %s", table->name);
      stmt = prepare (self, sql, error);
      if (stmt == NULL || !step_int (self, stmt, out_count, error))
        return FALSE;
      if (!plan->query->include_deleted)
        {
          GArray *tombstones = get_tombstones (self, table, plan->query->table, error);

          if (tombstones == NULL)
            return FALSE;
          *out_count -= tombstones->len;
        }
      return TRUE;
    }

  sql = build_sql (plan, SELECT_COUNT, PHASE_ALL, FALSE);
  stmt = prepare_plan (plan, sql, error);

  return stmt != NULL && step_int (self, stmt, out_count, error);
}

static gboolean
count (Plan    *plan,
       guint   *out_count,
       GError **error)
{
  QueryState *state = plan->state;

  if (plan->mode == MODE_SELECTED && !select_rows (plan, error))
    return FALSE;

  if (!state->counted)
    {
      gint64 n = 0;

      if (!count_walked (plan, &n, error))
        return FALSE;
      state->count = (guint) CLAMP (n, 0, G_MAXUINT);
      state->counted = TRUE;
    }

  *out_count = state->count;

  return TRUE;
}

static void
plan_init (PdmSearch      *self,
           Plan           *plan,
           const PdmQuery *query)
{
  g_autofree char *text = g_strstrip (g_strdup (query->text != NULL ? query->text : ""));
  g_autofree char *key = NULL;
  gboolean broad;

  plan->search = self;
  plan->query = query;
  plan->table = &search_tables[query->table];
  plan->info = pdm_table_info_get (query->table);
  plan->household_join = query->table == PDM_TABLE_PERSON &&
                         (query->kelurahan_code != NULL || query->desil != 0 ||
                          query->program != NULL || query->volunteer_id != NULL);
  plan->filtered = query->kelurahan_code != NULL || query->desil != 0 ||
                   query->program != NULL || query->volunteer_id != NULL ||
                   query->household_id != NULL || query->visit_kind != NULL;
  /* Filters that keep many rows scattered over the list order; a PSM's
   * households and a household's members have an index of their own. */
  broad = query->kelurahan_code != NULL || query->desil != 0 || query->program != NULL;
  plan->mode = MODE_LIST;

  if (plan->table->fts == NULL)
    ;  /* no text search: the text is ignored */
  else if (*text != '\0' && (plan->number = parse_number (text)) != NULL)
    plan->mode = strlen (plan->number) == 16 ? MODE_NUMBER : MODE_SELECTED;
  else if (*text != '\0')
    {
      plan->phrases = parse_phrases (self, text);
      if (plan->phrases->len > 0)
        plan->mode = MODE_SELECTED;
      else
        g_clear_pointer (&plan->phrases, g_ptr_array_unref);
    }
  if (plan->mode == MODE_LIST && plan->table->fts != NULL && broad)
    plan->mode = MODE_SELECTED;

  if (query->sort == PDM_SORT_NEWEST)
    plan->order = ORDER_NEWEST;
  else
    plan->order = plan->number != NULL ? ORDER_NUMBER : ORDER_NAME;

  if (query->table == PDM_TABLE_VISIT && query->sort == PDM_SORT_FOLLOW_UP)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      plan->today = g_date_time_format (now, "%Y-%m-%d");
      plan->key = g_strdup (FOLLOW_UP_KEY);
    }
  else if (query->table == PDM_TABLE_VISIT)
    {
      plan->key = g_strdup ("t.visit_date");
      plan->descending = TRUE;
    }
  else if (key_column (plan) != NULL)
    plan->key = g_strdup_printf ("t.%s", key_column (plan));

  key = plan_cache_key (plan);
  plan->state = get_state (self, key);
}
/* Public API */

/**
 * pdm_search_new:
 * @database: an open local replica, at schema 3 or newer
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a search on @database's connection
 */
PdmSearch *
pdm_search_new (PdmDatabase  *database,
                GError      **error)
{
  g_autoptr(PdmSearch) self = NULL;

  g_return_val_if_fail (PDM_IS_DATABASE (database), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (PDM_TYPE_SEARCH, NULL);
  self->database = g_object_ref (database);
  self->db = pdm_database_get_handle (database);
  self->seen_changes = -1;

  if (!load_tokenizer (self, error))
    return NULL;

  /* The test only works with a pointer bound by this file, so it is
   * useless, and harmless, anywhere else. */
  if (sqlite3_create_function_v2 (self->db, "pdm_search_in", 2,
                                  SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL, in_func,
                                  NULL, NULL, NULL) != SQLITE_OK)
    {
      set_sqlite_error (self, SQLITE_ERROR, error);
      return NULL;
    }

  return g_steal_pointer (&self);
}

/**
 * pdm_search_count:
 * @self: a #PdmSearch
 * @query: what to count
 * @out_count: (out): the number of rows the pages of @query hold
 * @cancellable: (nullable): stops the count while SQLite works
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
pdm_search_count (PdmSearch       *self,
                  const PdmQuery  *query,
                  guint           *out_count,
                  GCancellable    *cancellable,
                  GError         **error)
{
  g_auto(Plan) plan = { 0 };
  gboolean ok;

  g_return_val_if_fail (PDM_IS_SEARCH (self), FALSE);
  g_return_val_if_fail (query != NULL && query_is_valid (query), FALSE);
  g_return_val_if_fail (out_count != NULL, FALSE);

  ok = begin_work (self, cancellable, error);
  if (ok)
    {
      plan_init (self, &plan, query);
      ok = count (&plan, out_count, error);
    }
  end_work (self);

  return ok;
}

/**
 * pdm_search_page:
 * @self: a #PdmSearch
 * @query: the list
 * @after: (nullable): the cursor of the previous page, %NULL for the first
 * @limit: the most rows to return
 * @out_last: (out) (optional): set to the cursor of the last row returned,
 *   left alone when no row is
 * @cancellable: (nullable): stops the query while SQLite works
 * @error: return location for a #GError
 *
 * Reads the rows that follow @after in the list's order. Pages read one
 * after another never skip or repeat a row, even while names repeat, and
 * go on from @after when rows were written in between. The first search
 * by text, number or filter of a table after a write reads the order it
 * picks rows from (a million persons: about 0.2 s; text as much again for
 * the word index); later pages and searches take a fraction of a
 * millisecond.
 *
 * Returns: (transfer container) (element-type PdmRecord): the rows, or
 *   %NULL on error
 */
GPtrArray *
pdm_search_page (PdmSearch            *self,
                 const PdmQuery       *query,
                 const PdmPageCursor  *after,
                 guint                 limit,
                 PdmPageCursor        *out_last,
                 GCancellable         *cancellable,
                 GError              **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) pdm_record_free);
  g_auto(Plan) plan = { 0 };
  gboolean ok;

  g_return_val_if_fail (PDM_IS_SEARCH (self), NULL);
  g_return_val_if_fail (query != NULL && query_is_valid (query), NULL);
  g_return_val_if_fail (after == NULL || after->id != NULL, NULL);

  if (limit == 0)
    return g_steal_pointer (&records);

  ok = begin_work (self, cancellable, error);
  if (ok)
    {
      plan_init (self, &plan, query);
      ok = fetch (&plan, after, 0, limit, records, out_last, error);
    }
  end_work (self);

  return ok ? g_steal_pointer (&records) : NULL;
}

/**
 * pdm_search_page_at:
 * @self: a #PdmSearch
 * @query: the list
 * @position: the place in the list of the first row wanted, from 0
 * @limit: the most rows to return
 * @out_last: (out) (optional): as for pdm_search_page()
 * @cancellable: (nullable): stops the query while SQLite works
 * @error: return location for a #GError
 *
 * Reads the rows from @position on, as a list view does when it scrolls
 * far. The first jump into a long plain list walks it once (about 0.2 s
 * for a million persons); later jumps are as quick as a page, until the
 * next write. A search by text, number or filter jumps as quickly as it
 * reads on, as pdm_search_page() does.
 *
 * Returns: (transfer container) (element-type PdmRecord): the rows, empty
 *   past the end, or %NULL on error
 */
GPtrArray *
pdm_search_page_at (PdmSearch      *self,
                    const PdmQuery *query,
                    guint           position,
                    guint           limit,
                    PdmPageCursor  *out_last,
                    GCancellable   *cancellable,
                    GError        **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) pdm_record_free);
  g_auto(Plan) plan = { 0 };
  gboolean ok;

  g_return_val_if_fail (PDM_IS_SEARCH (self), NULL);
  g_return_val_if_fail (query != NULL && query_is_valid (query), NULL);

  if (limit == 0)
    return g_steal_pointer (&records);

  ok = begin_work (self, cancellable, error);
  if (ok)
    plan_init (self, &plan, query);
  /* Selected rows are counted by blocks: a jump is as quick as a page. */
  if (ok && (plan.mode == MODE_SELECTED || position < LANDMARK_SPACING))
    ok = fetch (&plan, NULL, position, limit, records, out_last, error);
  else if (ok && (plan.state->landmarks != NULL || walk (&plan, error)))
    {
      guint landmark = position / LANDMARK_SPACING;

      if (landmark < plan.state->landmarks->len)
        ok = fetch (&plan, g_ptr_array_index (plan.state->landmarks, landmark),
                    position - landmark * LANDMARK_SPACING, limit, records, out_last, error);
    }
  else
    ok = FALSE;
  end_work (self);

  return ok ? g_steal_pointer (&records) : NULL;
}

static PdmRecord *
lookup_number (PdmSearch   *self,
               PdmTable     table,
               const char  *number,
               GError     **error)
{
  const SearchTable *search_table = &search_tables[table];
  const PdmTableInfo *info = pdm_table_info_get (table);
  g_autoptr(GString) sql = g_string_new ("SELECT t.id");
  PdmRecord *record = NULL;
  sqlite3_stmt *stmt;
  int rc;

  for (guint i = 0; i < info->n_fields; i++)
    g_string_append_printf (sql, ", t.%s", info->fields[i].name);
  g_string_append_printf (sql, " FROM %s t WHERE t.%s = ?1 AND t.deleted = 0 ORDER BY t.id LIMIT 1",
                          search_table->name, search_table->number_column);

  stmt = prepare (self, sql->str, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    record = read_record (info, stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    set_sqlite_error (self, rc, error);

  return record;
}

/**
 * pdm_search_lookup_nik:
 * @self: a #PdmSearch
 * @nik: a NIK, exactly
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the person with @nik (the oldest
 *   record when several have it); %NULL without an error when nobody has it
 */
PdmRecord *
pdm_search_lookup_nik (PdmSearch   *self,
                       const char  *nik,
                       GError     **error)
{
  g_return_val_if_fail (PDM_IS_SEARCH (self), NULL);
  g_return_val_if_fail (nik != NULL, NULL);

  return lookup_number (self, PDM_TABLE_PERSON, nik, error);
}

/**
 * pdm_search_lookup_kk:
 * @self: a #PdmSearch
 * @kk_number: a KK number, exactly
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the household with @kk_number;
 *   %NULL without an error when none has it
 */
PdmRecord *
pdm_search_lookup_kk (PdmSearch   *self,
                      const char  *kk_number,
                      GError     **error)
{
  g_return_val_if_fail (PDM_IS_SEARCH (self), NULL);
  g_return_val_if_fail (kk_number != NULL, NULL);

  return lookup_number (self, PDM_TABLE_HOUSEHOLD, kk_number, error);
}

/**
 * pdm_search_list_proposals:
 * @self: a #PdmSearch
 * @target_id: (nullable): the proposals for this record only
 * @status: (nullable): the proposals with this status only ("diajukan")
 * @error: return location for a #GError
 *
 * Proposals are few (a handful a month per kelurahan): no index beyond
 * their target's is needed, nor paging.
 *
 * Returns: (transfer container) (element-type PdmRecord): the proposals,
 *   oldest first; %NULL on error
 */
GPtrArray *
pdm_search_list_proposals (PdmSearch   *self,
                           const char  *target_id,
                           const char  *status,
                           GError     **error)
{
  const PdmTableInfo *info = pdm_table_info_get (PDM_TABLE_PROPOSAL);
  g_autoptr(GString) sql = g_string_new ("SELECT t.id");
  g_autoptr(GPtrArray) proposals = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PDM_IS_SEARCH (self), NULL);

  for (guint i = 0; i < info->n_fields; i++)
    g_string_append_printf (sql, ", t.%s", info->fields[i].name);
  g_string_append (sql, " FROM proposal t WHERE t.deleted = 0"
                        " AND (?1 IS NULL OR t.target_id = ?1)"
                        " AND (?2 IS NULL OR t.status = ?2)"
                        " ORDER BY t._created, t.id");

  stmt = prepare (self, sql->str, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, target_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, status, -1, SQLITE_STATIC);

  proposals = g_ptr_array_new_with_free_func ((GDestroyNotify) pdm_record_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (proposals, read_record (info, stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, error);
      return NULL;
    }

  return g_steal_pointer (&proposals);
}

static void
pdm_search_finalize (GObject *object)
{
  PdmSearch *self = (PdmSearch *)object;

  if (self->tokenizer != NULL)
    self->tokenizer_class.xDelete (self->tokenizer);
  token_list_clear (&self->scratch);
  forget_all (self);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->states, g_hash_table_unref);
  g_clear_pointer (&self->filters, g_hash_table_unref);
  g_clear_object (&self->database);

  G_OBJECT_CLASS (pdm_search_parent_class)->finalize (object);
}

static void
pdm_search_class_init (PdmSearchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pdm_search_finalize;
}

static void
pdm_search_init (PdmSearch *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) sqlite3_finalize);
  self->states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) query_state_free);
  self->filters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  token_list_init (&self->scratch);
}
