/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-search"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "pdm-error.h"
#include "pdm-search.h"

/*
 * The lists of the UI read through here. A list is in (key, id) order, the
 * key being the name, or the number of a number search; rows without a key
 * come first, as SQLite sorts NULL. Rows are found in one of three ways:
 *
 *  - a plain list or a number search walks an index in order: a page is a
 *    keyset seek `(key, id) > (?, ?)` and a LIMIT, never a long OFFSET. Rows
 *    without a key are read in a phase of their own, because a row value
 *    holding NULL compares as unknown;
 *  - text with few matches asks the FTS index (migration 3) once and keeps
 *    the matches sorted: pages, jumps and the count are slices of them;
 *  - text with many matches walks the name index and tests each name with
 *    FTS5's own tokenizer, which stops after a page instead of reading every
 *    match; when matches cluster far away (first names do), the walk gives
 *    up after a budget of names and the search is ranked: a rank map, every
 *    row's place in the list order made by one walk of the name index, turns
 *    the matches into bits in a bitmap of places, and a page reads the next
 *    set bits. Sorting would cost a row lookup a match.
 *
 * Jumping to row N of a long list walks it once and keeps the cursor of
 * every LANDMARK_SPACING-th row, so a jump seeks to a landmark and skips
 * fewer rows than that. Landmarks, counts, matches, rank maps and the
 * tombstones are kept until the database changes.
 */

/* As in migration 3: queries must be folded the way the index was. */
#define TOKENIZER_NAME "unicode61"
static const char *tokenizer_args[] = { "remove_diacritics", "2" };

#define LANDMARK_SPACING 256
/* Before a rank map is made, matches are sorted by looking up each row,
 * up to a sixteenth of the table (the map walks all rows, cheaply) and at
 * most MAX_SORTED_MATCHES, a couple of milliseconds. */
#define MIN_SORTED_MATCHES 256
#define MAX_SORTED_MATCHES 2000
/* Many matches are first looked for by walking the name order, when at
 * most about SCAN_BUDGET / 2 names should be tested for a page of
 * PAGE_ROWS; a walk stops at SCAN_BUDGET names, when matches cluster far
 * away (first names do), and the search is ranked instead. */
#define PAGE_ROWS 50
#define SCAN_BUDGET 4000
/* Rank maps hold 12 bytes a rowid: 16 Mi rowids at most (SQLite numbers
 * rows from 1 up, and rows are tombstoned, not deleted). */
#define MAX_RANKED_ROWID (16 * 1024 * 1024)
#define NO_RANK G_MAXUINT32
#define PROGRESS_STEPS 1000
#define MAX_STATES 32

#define ROWID_SET_TYPE "pdm-search-rowid-set"
#define PLAN_TYPE "pdm-search-plan"

typedef struct
{
  const char *name;
  const char *fts;
  const char *fts_columns;      /* the searched columns, as an FTS5 column filter */
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
    "volunteer", "volunteer_fts", "{full_name address}", "full_name", "address", "nik",
    NULL, NULL,
  },
  [PDM_TABLE_HOUSEHOLD] = {
    "household", "household_fts", "{head_name address}", "head_name", "address", "kk_number",
    "t.id IN (SELECT household_id FROM person WHERE nik = :number)", "t",
  },
  [PDM_TABLE_PERSON] = {
    "person", "person_fts", "{full_name}", "full_name", NULL, "nik",
    "t.household_id IN (SELECT id FROM household WHERE kk_number = :number)", "h",
  },
  /* No FTS index: no text search, and tombstones are told by `deleted`. */
  [PDM_TABLE_VISIT] = {
    "visit", NULL, NULL, NULL, NULL, NULL, NULL, NULL,
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
  MODE_UNKNOWN,
  MODE_LIST,
  MODE_NUMBER,
  MODE_TEXT_FEW,
  MODE_TEXT_WALKED,
  MODE_TEXT_RANKED,
} Mode;

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

/* One row of a sorted set of matches. */
typedef struct
{
  gint64      rowid;
  const char *key;
  const char *id;
} Match;

/* Every row's place in one list order. */
typedef struct
{
  guint32 *ranks;     /* by rowid: NO_RANK where no row has it */
  gsize    n_ranks;   /* the highest rowid + 1 */
  GArray  *rowids;    /* gint64, by rank */
} RankMap;

/* What the lists learnt about one query, until the next write. */
typedef struct
{
  Mode          text_mode;
  gboolean      counted;
  guint         count;
  GPtrArray    *landmarks;
  GArray       *matches;     /* of Match, in list order (MODE_TEXT_FEW) */
  GStringChunk *strings;
  gulong       *ranked;      /* bits by rank (MODE_TEXT_RANKED) */
  guint         n_ranked;
} QueryState;

struct _PdmSearch
{
  GObject         parent_instance;

  PdmDatabase    *database;
  sqlite3        *db;
  GHashTable     *statements;
  GHashTable     *states;
  GArray         *tombstones[PDM_N_TABLES];
  RankMap        *rank_maps[PDM_N_TABLES][2];   /* by name, newest first */
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
  char               *number;
  GPtrArray          *phrases;    /* of GStrv: folded tokens, the last a prefix */
  char               *match;
  gboolean            household_join;
  gboolean            filtered;
  /* The SQL of the list order's key (NULL: by id, newest first), whether
   * it is descending, and the key of the last row a walk read. */
  char               *key;
  gboolean            descending;
  char               *today;
  char               *last_key;
  QueryState         *state;
  /* The name walk's last test and how many rows it tested. */
  GString            *tested;
  GString            *testing;
  gboolean            tested_result;
  guint               n_tested;
  gboolean            over_budget;
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
  g_clear_pointer (&state->matches, g_array_unref);
  g_clear_pointer (&state->strings, g_string_chunk_free);
  g_clear_pointer (&state->ranked, g_free);
  g_free (state);
}

static void
rank_map_free (RankMap *map)
{
  g_free (map->ranks);
  g_array_unref (map->rowids);
  g_free (map);
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

/* Testing names without the index */

/* FALSE only when @text is ASCII and does not hold @token in any case: then
 * no word of it starts with @token, as for ASCII the tokenizer only cuts
 * and lowercases. Anything else is left to the tokenizer. */
static gboolean
may_hold (const char *text,
          const char *token)
{
  gboolean ascii = TRUE;

  for (const char *p = text; *p != '\0'; p++)
    {
      gsize i;

      if ((guchar) *p >= 0x80)
        ascii = FALSE;
      for (i = 0; token[i] != '\0' && g_ascii_tolower (p[i]) == token[i]; i++)
        ;
      if (token[i] == '\0')
        return TRUE;
    }

  return !ascii;
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

/* The MATCH expression's meaning for one row: every phrase in one of the
 * searched texts. */
static gboolean
texts_match (Plan           *plan,
             sqlite3_value **texts,
             int             n_texts)
{
  PdmSearch *self = plan->search;
  guint n_phrases = plan->phrases->len;
  guint64 found = 0;

  for (guint p = 0; p < n_phrases; p++)
    {
      char **phrase = g_ptr_array_index (plan->phrases, p);
      gboolean possible = FALSE;

      for (int t = 0; t < n_texts && !possible; t++)
        {
          const char *text = (const char *) sqlite3_value_text (texts[t]);

          possible = text != NULL && may_hold (text, phrase[0]);
        }
      if (!possible)
        return FALSE;
    }

  for (int t = 0; t < n_texts; t++)
    {
      const char *text = (const char *) sqlite3_value_text (texts[t]);

      if (text == NULL || !tokenize (self, FTS5_TOKENIZE_DOCUMENT, text, &self->scratch))
        continue;
      for (guint p = 0; p < n_phrases; p++)
        if ((found & (G_GUINT64_CONSTANT (1) << p)) == 0 &&
            phrase_in_tokens (g_ptr_array_index (plan->phrases, p), &self->scratch))
          found |= G_GUINT64_CONSTANT (1) << p;
    }

  return found == (n_phrases == 64 ? G_MAXUINT64 : (G_GUINT64_CONSTANT (1) << n_phrases) - 1);
}

/* pdm_search_match(plan, text, ...): the name walk's test of one row. A
 * sorted list repeats names, so the last answer is kept; past the plan's
 * budget of rows the walk stops, and the search is ranked instead. */
static void
match_func (sqlite3_context  *context,
            int               argc,
            sqlite3_value   **argv)
{
  Plan *plan = sqlite3_value_pointer (argv[0], PLAN_TYPE);
  GString *swap;

  if (plan == NULL)
    {
      sqlite3_result_error (context, "pdm_search_match() needs a bound plan", -1);
      return;
    }

  if (++plan->n_tested > SCAN_BUDGET)
    {
      plan->over_budget = TRUE;
      sqlite3_result_error_code (context, SQLITE_ABORT);
      return;
    }

  g_string_truncate (plan->testing, 0);
  for (int t = 1; t < argc; t++)
    {
      const char *text = (const char *) sqlite3_value_text (argv[t]);

      /* A unit separator ends each text; \x02 stands for no text. */
      g_string_append (plan->testing, text != NULL ? text : "\x02");
      g_string_append_c (plan->testing, '\x1f');
    }
  if (!g_string_equal (plan->testing, plan->tested))
    {
      plan->tested_result = texts_match (plan, argv + 1, argc - 1);
      swap = plan->tested;
      plan->tested = plan->testing;
      plan->testing = swap;
    }

  sqlite3_result_int (context, plan->tested_result);
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

/* Forgets what was learnt when anything was written since, by this
 * connection (total changes) or another one (data_version). */
static gboolean
check_fresh (PdmSearch  *self,
             GError    **error)
{
  sqlite3_int64 changes = sqlite3_total_changes64 (self->db);
  sqlite3_stmt *stmt;
  gint64 data_version;
  int rc;

  stmt = prepare (self, "PRAGMA data_version", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (self, rc, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  data_version = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (changes != self->seen_changes || data_version != self->seen_data_version)
    {
      g_hash_table_remove_all (self->states);
      for (guint i = 0; i < PDM_N_TABLES; i++)
        {
          g_clear_pointer (&self->tombstones[i], g_array_unref);
          g_clear_pointer (&self->rank_maps[i][0], rank_map_free);
          g_clear_pointer (&self->rank_maps[i][1], rank_map_free);
        }
      self->seen_changes = changes;
      self->seen_data_version = data_version;
    }

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

  return check_fresh (self, error);
}

static void
end_work (PdmSearch *self)
{
  if (self->cancellable != NULL)
    sqlite3_progress_handler (self->db, 0, NULL, NULL);
  self->cancellable = NULL;
  if (self->in_savepoint)
    sqlite3_exec (self->db, "RELEASE pdm_search", NULL, NULL, NULL);
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

  /* The row test keeps one bit a phrase. */
  if (phrases->len > 64)
    g_ptr_array_set_size (phrases, 64);

  return g_steal_pointer (&phrases);
}

/* `{full_name} : ("siti"* "am"*) NOT deleted : "1"`: every token quoted, so
 * nothing the user typed is read as FTS5 syntax. */
static char *
build_match (const SearchTable *table,
             GPtrArray         *phrases,
             gboolean           include_deleted)
{
  GString *match = g_string_new (table->fts_columns);

  g_string_append (match, " : (");
  for (guint p = 0; p < phrases->len; p++)
    {
      char **phrase = g_ptr_array_index (phrases, p);

      g_string_append (match, p > 0 ? " \"" : "\"");
      for (guint i = 0; phrase[i] != NULL; i++)
        {
          if (i > 0)
            g_string_append_c (match, ' ');
          for (const char *c = phrase[i]; *c != '\0'; c++)
            {
              if (*c == '"')
                g_string_append_c (match, '"');
              g_string_append_c (match, *c);
            }
        }
      g_string_append (match, "\"*");
    }
  g_string_append_c (match, ')');
  if (!include_deleted)
    g_string_append (match, " NOT deleted : \"1\"");

  return g_string_free (match, FALSE);
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

/* What identifies the rows of a query and their order. */
static char *
plan_cache_key (const Plan *plan)
{
  const PdmQuery *query = plan->query;
  GString *key = g_string_new (NULL);

  g_string_append_printf (key, "%d|%d|%d|%d|%d|", query->table, plan->mode == MODE_NUMBER,
                          query->desil, query->include_deleted, query->sort);
  append_key_part (key, plan->number);
  append_key_part (key, plan->match);
  append_key_part (key, query->kelurahan_code);
  append_key_part (key, query->program);
  append_key_part (key, query->volunteer_id);
  append_key_part (key, query->household_id);
  append_key_part (key, query->visit_kind);
  append_key_part (key, plan->today);

  return g_string_free (key, FALSE);
}

static void
plan_clear (Plan *plan)
{
  g_clear_pointer (&plan->number, g_free);
  g_clear_pointer (&plan->phrases, g_ptr_array_unref);
  g_clear_pointer (&plan->match, g_free);
  g_clear_pointer (&plan->key, g_free);
  g_clear_pointer (&plan->today, g_free);
  g_clear_pointer (&plan->last_key, g_free);
  if (plan->tested != NULL)
    g_string_free (plan->tested, TRUE);
  if (plan->testing != NULL)
    g_string_free (plan->testing, TRUE);
  plan->tested = plan->testing = NULL;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Plan, plan_clear)

static const char *
key_column (const Plan *plan)
{
  if (plan->query->sort == PDM_SORT_NEWEST)
    return NULL;

  return plan->mode == MODE_NUMBER ? plan->table->number_column : plan->table->name_column;
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

/* The SQL of one phase of a walk in index order (a list, a number, text
 * with many matches). With
 * @after, rows follow the cursor bound as :after_key and :after_id. */
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

  if (plan->mode == MODE_TEXT_WALKED)
    g_string_append_printf (sql, " AND pdm_search_match (:plan, t.%s%s%s)", table->name_column,
                            table->address_column != NULL ? ", t." : "",
                            table->address_column != NULL ? table->address_column : "");
  else if (plan->mode == MODE_NUMBER && strlen (plan->number) == 16)
    g_string_append_printf (sql, " AND (t.%s = :number%s%s)", table->number_column,
                            table->other_number != NULL ? " OR " : "",
                            table->other_number != NULL ? table->other_number : "");
  else if (plan->mode == MODE_NUMBER)
    g_string_append_printf (sql, " AND t.%s >= :number AND t.%s < :number || '~'",
                            table->number_column, table->number_column);

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

  if ((index = sqlite3_bind_parameter_index (stmt, ":match")) > 0)
    sqlite3_bind_text (stmt, index, plan->match, -1, SQLITE_STATIC);
  if ((index = sqlite3_bind_parameter_index (stmt, ":number")) > 0)
    sqlite3_bind_text (stmt, index, plan->number, -1, SQLITE_STATIC);
  if ((index = sqlite3_bind_parameter_index (stmt, ":plan")) > 0)
    sqlite3_bind_pointer (stmt, index, plan, PLAN_TYPE, NULL);
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

/* Text */

/* The rank map of the plan's table and order, made when missing; NULL
 * without an error when the rowids do not suit one. */
static RankMap *
get_rank_map (Plan     *plan,
              GError  **error)
{
  PdmSearch *self = plan->search;
  RankMap **slot = &self->rank_maps[plan->query->table][plan->query->sort == PDM_SORT_NEWEST];
  const char *key = key_column (plan);
  g_autofree char *sql = NULL;
  RankMap *map;
  sqlite3_stmt *stmt;
  gint64 max_rowid = 0, min_rowid = 1;
  int rc;

  if (*slot != NULL)
    return *slot;

  sql = g_strdup_printf ("SELECT ifnull (min (rowid), 1), max (rowid) FROM %s",
                         plan->table->name);
  stmt = prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      min_rowid = sqlite3_column_int64 (stmt, 0);
      max_rowid = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (self, rc, error);
      return NULL;
    }
  if (min_rowid < 1 || max_rowid > MAX_RANKED_ROWID)
    return NULL;

  /* The walk reads one index only: (name, id) or the key. */
  g_free (sql);
  if (key != NULL)
    sql = g_strdup_printf ("SELECT rowid FROM %s ORDER BY %s, id", plan->table->name, key);
  else
    sql = g_strdup_printf ("SELECT rowid FROM %s ORDER BY id DESC", plan->table->name);
  stmt = prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;

  map = g_new0 (RankMap, 1);
  map->n_ranks = (gsize) MAX (max_rowid, 0) + 1;
  map->ranks = g_new (guint32, map->n_ranks);
  memset (map->ranks, 0xff, map->n_ranks * sizeof (guint32));
  map->rowids = g_array_new (FALSE, FALSE, sizeof (gint64));

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);

      /* Rows written since max(rowid) was read have none. */
      if (rowid <= max_rowid)
        map->ranks[rowid] = map->rowids->len;
      g_array_append_val (map->rowids, rowid);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, error);
      rank_map_free (map);
      return NULL;
    }

  *slot = map;

  return map;
}

/* The bits of the matches' places in the list. */
static void
rank_matches (QueryState *state,
              RankMap    *map,
              GArray     *rowids)
{
  guint bits = GLIB_SIZEOF_LONG * 8;

  state->ranked = g_new0 (gulong, map->rowids->len / bits + 1);
  for (guint i = 0; i < rowids->len; i++)
    {
      gint64 rowid = g_array_index (rowids, gint64, i);
      guint32 rank = rowid > 0 && (gsize) rowid < map->n_ranks ? map->ranks[rowid] : NO_RANK;

      if (rank != NO_RANK)
        {
          state->ranked[rank / bits] |= 1UL << (rank % bits);
          state->n_ranked++;
        }
    }
}

/* The matches in list order, each row looked up, from the rowids the
 * index gave. */
static gboolean
sort_matches (Plan    *plan,
              GArray  *rowids,
              GError **error)
{
  QueryState *state = plan->state;
  const char *key = key_column (plan);
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GString) json = g_string_new ("[");
  sqlite3_stmt *stmt;
  int rc;

  for (guint i = 0; i < rowids->len; i++)
    g_string_append_printf (json, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "",
                            g_array_index (rowids, gint64, i));
  g_string_append_c (json, ']');

  g_string_append (sql, "SELECT t.rowid, ");
  append_key (sql, plan);
  g_string_append (sql, ", t.id");
  append_from_where (sql, plan, FALSE);
  g_string_append (sql, " AND t.rowid IN (SELECT value FROM json_each (:rowids))");
  if (key != NULL)
    g_string_append_printf (sql, " ORDER BY t.%s, t.id", key);
  else
    g_string_append (sql, " ORDER BY t.id DESC");

  stmt = prepare_plan (plan, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":rowids"), json->str, -1,
                     SQLITE_STATIC);

  state->matches = g_array_sized_new (FALSE, FALSE, sizeof (Match), rowids->len);
  state->strings = g_string_chunk_new (4096);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *match_key = (const char *) sqlite3_column_text (stmt, 1);
      Match match = {
        sqlite3_column_int64 (stmt, 0),
        match_key != NULL ? g_string_chunk_insert (state->strings, match_key) : NULL,
        g_string_chunk_insert (state->strings, (const char *) sqlite3_column_text (stmt, 2)),
      };

      g_array_append_val (state->matches, match);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (plan->search, rc, error);
      g_clear_pointer (&state->matches, g_array_unref);
      return FALSE;
    }

  state->count = state->matches->len;
  state->counted = TRUE;

  return TRUE;
}

/* The rowids of the matches, up to @limit. */
static gboolean
read_matches (Plan    *plan,
              gint64   limit,
              GArray  *rowids,
              GError **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;

  sql = g_strdup_printf ("SELECT rowid FROM %s WHERE %s MATCH :match LIMIT :limit",
                         plan->table->fts, plan->table->fts);
  stmt = prepare_plan (plan, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":limit"), limit);

  return collect_rowids (plan->search, stmt, rowids, error);
}

/* Ranks the matches (all of them, or @rowids when not NULL), or sorts
 * them all when the table can have no map. */
static gboolean
rank_or_sort (Plan    *plan,
              GArray  *rowids,
              GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (gint64));
  RankMap *map = get_rank_map (plan, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (rowids == NULL)
    {
      if (!read_matches (plan, -1, all, error))
        return FALSE;
      rowids = all;
    }

  if (map == NULL)
    {
      plan->state->text_mode = plan->mode = MODE_TEXT_FEW;
      return sort_matches (plan, rowids, error);
    }

  plan->state->text_mode = plan->mode = MODE_TEXT_RANKED;
  if (plan->state->ranked == NULL)
    rank_matches (plan->state, map, rowids);

  return TRUE;
}

/* Few matches are sorted and kept. Many are found by a walk of the names
 * when they look dense enough, judged by the rowid the first few reach;
 * else they are ranked. */
static gboolean
choose_text_mode (Plan    *plan,
                  GError **error)
{
  PdmSearch *self = plan->search;
  g_autoptr(GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gint64 n_rows = 0, reached;
  guint limit;

  sql = g_strdup_printf ("SELECT max(rowid) FROM %s", plan->table->name);
  stmt = prepare (self, sql, error);
  if (stmt == NULL || !step_int (self, stmt, &n_rows, error))
    return FALSE;
  limit = CLAMP (n_rows / 16, MIN_SORTED_MATCHES, MAX_SORTED_MATCHES);

  if (!read_matches (plan, limit + 1, rowids, error))
    return FALSE;

  /* A map ranks any number of matches cheaper than sorting them. */
  if (rowids->len <= limit &&
      self->rank_maps[plan->query->table][plan->query->sort == PDM_SORT_NEWEST] != NULL)
    return rank_or_sort (plan, rowids, error);

  if (rowids->len <= limit)
    {
      plan->state->text_mode = plan->mode = MODE_TEXT_FEW;
      return sort_matches (plan, rowids, error);
    }

  /* About PAGE_ROWS * reached / limit names hold a page of matches. */
  reached = g_array_index (rowids, gint64, limit);
  g_debug ("%s: over %u matches up to rowid %" G_GINT64_FORMAT, plan->match, limit, reached);
  if (PAGE_ROWS * reached / limit <= SCAN_BUDGET / 2)
    {
      plan->state->text_mode = plan->mode = MODE_TEXT_WALKED;
      return TRUE;
    }

  return rank_or_sort (plan, NULL, error);
}

static gboolean
plan_init (PdmSearch       *self,
           Plan            *plan,
           const PdmQuery  *query,
           GError         **error)
{
  g_autofree char *text = g_strstrip (g_strdup (query->text != NULL ? query->text : ""));
  g_autofree char *key = NULL;

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
  plan->tested = g_string_new (NULL);
  plan->testing = g_string_new (NULL);
  plan->mode = MODE_LIST;

  if (plan->table->fts == NULL)
    ;  /* no text search: the text is ignored */
  else if (*text != '\0' && (plan->number = parse_number (text)) != NULL)
    plan->mode = MODE_NUMBER;
  else if (*text != '\0')
    {
      plan->phrases = parse_phrases (self, text);
      if (plan->phrases->len > 0)
        {
          plan->match = build_match (plan->table, plan->phrases, query->include_deleted);
          plan->mode = MODE_UNKNOWN;
        }
    }

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

  if (plan->mode == MODE_UNKNOWN)
    {
      if (plan->state->text_mode == MODE_UNKNOWN && !choose_text_mode (plan, error))
        {
          g_hash_table_remove (self->states, key);
          plan->state = NULL;
          return FALSE;
        }
      plan->mode = plan->state->text_mode;
    }

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

/* The order of the lists: rows without a key first, as SQLite sorts NULL;
 * strcmp() orders UTF-8 as SQLite's BINARY collation does. */
static int
compare_to_cursor (const char          *key,
                   const char          *id,
                   const PdmPageCursor *cursor,
                   gboolean             newest)
{
  int order;

  if (newest)
    return -strcmp (id, cursor->id);
  if (key == NULL || cursor->key == NULL)
    order = (key != NULL) - (cursor->key != NULL);
  else
    order = strcmp (key, cursor->key);

  return order != 0 ? order : strcmp (id, cursor->id);
}

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

/* Reads one row by rowid, if it passes the filters. */
static sqlite3_stmt *
prepare_row (Plan    *plan,
             GError **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT ");

  append_columns (sql, plan->info);
  append_from_where (sql, plan, FALSE);
  g_string_append (sql, " AND t.rowid = :rowid");

  return prepare_plan (plan, sql->str, error);
}

/* Steps @stmt, prepared by prepare_row(), for @rowid. */
static gboolean
read_row (Plan        *plan,
          sqlite3_stmt *stmt,
          gint64       rowid,
          PdmRecord  **out_record,
          GError     **error)
{
  int rc;

  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":rowid"), rowid);
  rc = sqlite3_step (stmt);
  *out_record = rc == SQLITE_ROW ? read_record (plan->info, stmt) : NULL;
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      set_sqlite_error (plan->search, rc, error);
      return FALSE;
    }

  return TRUE;
}

/* Up to @limit rows of the kept matches after @after, @offset skipped. */
static gboolean
fetch_sorted (Plan                 *plan,
              const PdmPageCursor  *after,
              guint                 offset,
              guint                 limit,
              GPtrArray            *records,
              GError              **error)
{
  GArray *matches = plan->state->matches;
  gboolean newest = plan->query->sort == PDM_SORT_NEWEST;
  guint start = 0, end = matches->len;
  sqlite3_stmt *stmt;

  while (after != NULL && start < end)
    {
      guint middle = start + (end - start) / 2;
      const Match *match = &g_array_index (matches, Match, middle);

      if (compare_to_cursor (match->key, match->id, after, newest) <= 0)
        start = middle + 1;
      else
        end = middle;
    }
  start = MIN ((guint64) start + offset, matches->len);
  end = MIN ((guint64) start + limit, matches->len);

  stmt = prepare_row (plan, error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = start; i < end; i++)
    {
      const Match *match = &g_array_index (matches, Match, i);
      PdmRecord *record;

      if (!read_row (plan, stmt, match->rowid, &record, error))
        return FALSE;
      sqlite3_reset (stmt);
      if (record != NULL)
        g_ptr_array_add (records, record);
    }

  return TRUE;
}

/* The first rank after @after: a binary search over the list's order. */
static gboolean
rank_after (Plan                 *plan,
            RankMap              *map,
            const PdmPageCursor  *after,
            guint                *out_rank,
            GError              **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT ");
  gboolean newest = plan->query->sort == PDM_SORT_NEWEST;
  guint start = 0, end = map->rowids->len;
  sqlite3_stmt *stmt;

  append_key (sql, plan);
  g_string_append_printf (sql, ", t.id FROM %s t WHERE t.rowid = ?1", plan->table->name);
  stmt = prepare (plan->search, sql->str, error);
  if (stmt == NULL)
    return FALSE;

  while (start < end)
    {
      guint middle = start + (end - start) / 2;
      int rc, order = 0;

      sqlite3_bind_int64 (stmt, 1, g_array_index (map->rowids, gint64, middle));
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        order = compare_to_cursor ((const char *) sqlite3_column_text (stmt, 0),
                                   (const char *) sqlite3_column_text (stmt, 1), after, newest);
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW)
        {
          set_sqlite_error (plan->search, rc, error);
          return FALSE;
        }

      if (order <= 0)
        start = middle + 1;
      else
        end = middle;
    }

  *out_rank = start;

  return TRUE;
}

/* The first set bit of @bits at @from or after, or @n_bits. */
static guint
next_bit (const gulong *bits,
          guint         n_bits,
          guint         from)
{
  guint width = GLIB_SIZEOF_LONG * 8;

  while (from < n_bits)
    {
      gint found = g_bit_nth_lsf (bits[from / width], (gint) (from % width) - 1);

      if (found >= 0)
        return MIN (from - from % width + (guint) found, n_bits);
      from += width - from % width;
    }

  return n_bits;
}

/* Up to @limit ranked matches after @after, @offset skipped. */
static gboolean
fetch_ranked (Plan                 *plan,
              const PdmPageCursor  *after,
              guint                 offset,
              guint                 limit,
              GPtrArray            *records,
              GError              **error)
{
  RankMap *map = get_rank_map (plan, error);
  const gulong *bits = plan->state->ranked;
  guint n_ranks, rank = 0, taken = 0;
  sqlite3_stmt *stmt;

  /* The map is kept as long as the matches: it cannot be missing here. */
  g_assert (map != NULL && bits != NULL);
  n_ranks = map->rowids->len;

  if (after != NULL && !rank_after (plan, map, after, &rank, error))
    return FALSE;

  stmt = prepare_row (plan, error);
  if (stmt == NULL)
    return FALSE;

  for (rank = next_bit (bits, n_ranks, rank); rank < n_ranks && taken < limit;
       rank = next_bit (bits, n_ranks, rank + 1))
    {
      PdmRecord *record;

      /* Unfiltered, every match is a row of the list. */
      if (!plan->filtered && offset > 0)
        {
          offset--;
          continue;
        }

      if (!read_row (plan, stmt, g_array_index (map->rowids, gint64, rank), &record, error))
        return FALSE;
      if (record != NULL && offset > 0)
        {
          offset--;
          g_clear_pointer (&record, pdm_record_free);
        }
      if (record != NULL)
        {
          g_ptr_array_add (records, record);
          taken++;
        }
      sqlite3_reset (stmt);
    }

  return TRUE;
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

  if (plan->mode == MODE_TEXT_WALKED)
    {
      g_autoptr(GError) local_error = NULL;

      ok = fetch_walked (plan, after, offset, limit, records, &local_error);
      if (!ok && !plan->over_budget)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else if (!ok)
        {
          g_debug ("%s: over %u names tested, ranked instead", plan->match, SCAN_BUDGET);
          g_ptr_array_set_size (records, before);
          ok = rank_or_sort (plan, NULL, error);
        }
      if (!ok || plan->mode == MODE_TEXT_WALKED)
        goto done;
    }

  if (plan->mode == MODE_TEXT_FEW)
    ok = fetch_sorted (plan, after, offset, limit, records, error);
  else if (plan->mode == MODE_TEXT_RANKED)
    ok = fetch_ranked (plan, after, offset, limit, records, error);
  else
    ok = fetch_walked (plan, after, offset, limit, records, error);

done:
  if (ok && records->len > before && out_last != NULL)
    {
      const PdmRecord *last = g_ptr_array_index (records, records->len - 1);
      const char *key = key_column (plan);

      /* A walk read the key with the row; the kept matches have a column. */
      if (plan->mode == MODE_LIST || plan->mode == MODE_NUMBER || plan->mode == MODE_TEXT_WALKED)
        set_cursor (out_last, plan->last_key, last->id);
      else
        set_cursor (out_last, key != NULL ? pdm_record_get (last, key) : NULL, last->id);
    }

  return ok;
}

/* Walks all rows of a list or number search once, keeping the cursor that
 * starts every LANDMARK_SPACING-th row (the first is NULL: the start) and
 * the count. */
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
count_uncached (Plan    *plan,
                gint64  *out_count,
                GError **error)
{
  PdmSearch *self = plan->search;
  const SearchTable *table = plan->table;
  g_autoptr(GString) sql = g_string_new (NULL);
  sqlite3_stmt *stmt;

  if (plan->mode == MODE_TEXT_RANKED && !plan->filtered)
    {
      *out_count = plan->state->n_ranked;
      return TRUE;
    }

  if (plan->mode == MODE_LIST && !plan->filtered && table->fts != NULL)
    {
      /* SQLite counts a whole table from an index without reading rows. */
      g_string_printf (sql, "SELECT count(*) FROM %s", table->name);
      stmt = prepare (self, sql->str, error);
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

  if (plan->mode == MODE_TEXT_WALKED && !plan->filtered)
    g_string_printf (sql, "SELECT count(*) FROM %s WHERE %s MATCH :match", table->fts, table->fts);
  else if (plan->mode == MODE_TEXT_WALKED || plan->mode == MODE_TEXT_RANKED)
    {
      g_string_append (sql, "SELECT count(*)");
      append_from_where (sql, plan, FALSE);
      g_string_append_printf (sql, " AND t.rowid IN (SELECT rowid FROM %s WHERE %s MATCH :match)",
                              table->fts, table->fts);
    }
  else
    {
      g_autofree char *walked = build_sql (plan, SELECT_COUNT, PHASE_ALL, FALSE);

      g_string_assign (sql, walked);
    }

  stmt = prepare_plan (plan, sql->str, error);

  return stmt != NULL && step_int (self, stmt, out_count, error);
}

static gboolean
count (Plan    *plan,
       guint   *out_count,
       GError **error)
{
  QueryState *state = plan->state;

  if (!state->counted)
    {
      gint64 n = 0;

      if (!count_uncached (plan, &n, error))
        return FALSE;
      state->count = (guint) CLAMP (n, 0, G_MAXUINT);
      state->counted = TRUE;
    }

  *out_count = state->count;

  return TRUE;
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

  /* The two tests only work with a pointer bound by this file, so they
   * are useless, and harmless, anywhere else. */
  if (sqlite3_create_function_v2 (self->db, "pdm_search_in", 2,
                                  SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL, in_func,
                                  NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_create_function_v2 (self->db, "pdm_search_match", -1,
                                  SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL, match_func,
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

  ok = begin_work (self, cancellable, error) &&
       plan_init (self, &plan, query, error) &&
       count (&plan, out_count, error);
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
 * after another never skip or repeat a row, even while names repeat. The
 * first text search with many matches after a write makes the rank map
 * (a walk of the name index: about 0.15 s for a million persons).
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

  ok = begin_work (self, cancellable, error) &&
       plan_init (self, &plan, query, error) &&
       fetch (&plan, after, 0, limit, records, out_last, error);
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
 * far. The first jump into a long list walks it once (about 0.15 s for a
 * million persons); later jumps are as quick as a page, until the next
 * write. Jumps into filtered lists walk them the same way.
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

  ok = begin_work (self, cancellable, error) && plan_init (self, &plan, query, error);
  /* Far into the matches of a name walk, ranking is quicker. */
  if (ok && plan.mode == MODE_TEXT_WALKED && position >= LANDMARK_SPACING)
    ok = rank_or_sort (&plan, NULL, error);
  if (ok && (position < LANDMARK_SPACING || plan.mode == MODE_TEXT_FEW ||
             plan.mode == MODE_TEXT_RANKED))
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
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->states, g_hash_table_unref);
  for (guint i = 0; i < PDM_N_TABLES; i++)
    {
      g_clear_pointer (&self->tombstones[i], g_array_unref);
      g_clear_pointer (&self->rank_maps[i][0], rank_map_free);
      g_clear_pointer (&self->rank_maps[i][1], rank_map_free);
    }
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
  token_list_init (&self->scratch);
}
