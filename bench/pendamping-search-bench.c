/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pendamping-search-bench"

#include "config.h"

#include <glib/gstdio.h>

#include "pdm-bench-util.h"
#include "pdm-database.h"
#include "pdm-search.h"

/* Prints one `NAME VALUE UNIT` line per figure, on a city of a million
 * persons in 250,000 households: what the lists of the app cost through
 * pdm-search.c, beside the raw SQLite query each one stands for.
 *
 * Usage: pendamping-search-bench [N_PERSONS [SQL]]
 * SQL runs on the connection before the measures, e.g. to try
 * "PRAGMA mmap_size = 1000000000" or a larger cache_size. */

#define N_QUERIES 2000
#define PAGE 50
#define ROUNDS 200

/* Minang names, the most common first: a draw favours the head of a list,
 * as real names do. */
static const char * const men[] = {
  "Muhammad", "Rahmat", "Afrizal", "Zulkifli", "Syafri", "Hendra", "Yusuf", "Budi", "Fauzi",
  "Irwan", "Zainal", "Syahrial", "Amril", "Dasrul", "Jasman", "Nofrizal", "Darmawan", "Efendi",
  "Indra", "Fadli", "Reza", "Aldi", "Mulyadi", "Yulizar", "Erizal", "Nasrul", "Khairul", "Masril",
  "Yondri", "Alfian", "Rudi", "Ahmad", "Ilham", "Rizki", "Fajri", "Arif", "Hafiz", "Riko", "Edi",
  "Jon",
};
static const char * const women[] = {
  "Siti", "Nurhayati", "Dewi", "Rina", "Aisyah", "Yulianti", "Erniwati", "Desmawati", "Yusnimar",
  "Rosmaniar", "Jusmaniar", "Asnimar", "Mardiah", "Nurlela", "Yenni", "Elfi", "Rosna", "Hasnah",
  "Wirda", "Fitri", "Yulia", "Novi", "Rahmi", "Putri", "Intan", "Wulan", "Habibah", "Zahara",
  "Nurul", "Rosmawati", "Syamsinar", "Yusniar", "Elmawati", "Nelly", "Lusi", "Mega", "Sri",
  "Ratna", "Yanti", "Zurniati",
};
static const char * const second_names[] = {
  "Aminah", "Rahmah", "Yanti", "Wati", "Hayati", "Nengsih", "Sari", "Putra", "Putri", "Efendi",
  "Saputra", "Rahman", "Hidayat", "Fitriani", "Marlina", "Yusra", "Akmal", "Rizal", "Asri",
  "Zulfahmi", "Safitri", "Anggraini", "Maulana", "Ramadhan", "Kurniawan", "Susanti",
  "Handayani", "Ningsih", "Zulhendri", "Erianto", "Syafitri", "Hidayati", "Amelia", "Oktaviani",
  "Novita", "Pratama", "Firdaus", "Hasanah", "Azizah", "Yulius",
};
/* Titles (gala) and clan names some men carry. */
static const char * const men_suffixes[] = {
  "Datuak Rajo Mudo", "Sutan Pamenan", "Malin Kayo", "Bagindo Ali", "Chaniago", "Piliang",
  "Koto", "Sikumbang", "Tanjung", "Jambak", "Guci", "Melayu", "Pisang", "St. Mangkuto",
};
static const char * const streets[] = {
  "Sudirman", "Soekarno-Hatta", "Perintis Kemerdekaan", "Ahmad Yani", "Panorama",
  "Kusuma Bhakti", "Haji Agus Salim", "Binuang", "Pemuda", "Diponegoro", "Veteran", "By Pass",
  "Tengku Umar", "M. Syafei", "Hamka", "Sutan Syahrir", "Ateh Ngarai", "Tigo Baleh",
  "Birugo Puhun", "Kubu Tanjung", "Pintu Kabun", "Guguak Bulek", "Cindua Mato",
  "Bundo Kanduang", "Syech Jamil Jambek", "Kesehatan", "Bukik Ambacang", "Sawah Laweh",
  "Parak Kongsi", "Mandiangin",
};
static const char * const kelurahan_codes[] = {
  "13.75.01.1001", "13.75.01.1002", "13.75.01.1003", "13.75.01.1004", "13.75.01.1005",
  "13.75.01.1006", "13.75.01.1007", "13.75.02.1001", "13.75.02.1002", "13.75.02.1003",
  "13.75.02.1004", "13.75.02.1005", "13.75.02.1006", "13.75.02.1007", "13.75.02.1008",
  "13.75.02.1009", "13.75.03.1001", "13.75.03.1002", "13.75.03.1003", "13.75.03.1004",
  "13.75.03.1005", "13.75.03.1006", "13.75.03.1007", "13.75.03.1008",
};
static const char * const programs[] = { "PKH", "BPNT", "PKH,BPNT", "PBI-JK", "BPNT,PBI-JK", NULL };

/* Deterministic draws: a hash of the row number and what is drawn. */
static guint32
draw (guint32 i,
      guint32 what)
{
  guint32 x = i * 2654435761u ^ (what + 1) * 40503u;

  x ^= x >> 15;
  x *= 0x2c1b3c6du;
  x ^= x >> 12;
  x *= 0x297a2d39u;
  x ^= x >> 15;

  return x;
}

/* An index into @n items, the first ones far more often. */
static guint
draw_skewed (guint32 i,
             guint32 what,
             guint   n)
{
  double u = (draw (i, what) & 0xffffff) / (double) 0x1000000;

  return (guint) (n * u * u);
}

static char *
person_name (guint32 i)
{
  gboolean woman = i % 2 == 1;
  const char *given = woman ? women[draw_skewed (i, 1, G_N_ELEMENTS (women))]
                            : men[draw_skewed (i, 1, G_N_ELEMENTS (men))];
  const char *second = second_names[draw_skewed (i, 2, G_N_ELEMENTS (second_names))];

  if (!woman && draw (i, 3) % 4 == 0)
    return g_strdup_printf ("%s %s %s", given, second,
                            men_suffixes[draw (i, 4) % G_N_ELEMENTS (men_suffixes)]);

  return g_strdup_printf ("%s %s", given, second);
}

static void
make_id (char    id[37],
         guint   kind,
         guint32 i)
{
  /* Time-ordered like UUIDv7: the row number stands for the time. */
  g_snprintf (id, 37, "0190%04x-%04x-7%03x-8%03x-%012x", i >> 16, i & 0xffff, kind,
              draw (i, kind) & 0xfff, draw (i, 9 + kind));
}

static void
check (sqlite3 *db,
       int      rc)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    g_error ("%s", sqlite3_errmsg (db));
}

static void
bind_texts (sqlite3_stmt       *stmt,
            const char * const *values,
            guint               n_values)
{
  for (guint i = 0; i < n_values; i++)
    sqlite3_bind_text (stmt, i + 1, values[i], -1, SQLITE_TRANSIENT);
}

/* The city, through plain prepared inserts into the real schema, whose
 * triggers fill the search index. */
static void
fill (PdmDatabase *database,
      guint        n_persons)
{
  sqlite3 *db = pdm_database_get_handle (database);
  sqlite3_stmt *household = NULL, *person = NULL, *volunteer = NULL;
  guint n_households = n_persons / 4;
  char volunteer_id[37];

  check (db, sqlite3_prepare_v2 (db,
                                 "INSERT INTO household (id, kk_number, head_name, address, rt, rw,"
                                 " kelurahan_code, desil, programs, volunteer_id, deleted, _created)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, '')",
                                 -1, &household, NULL));
  check (db, sqlite3_prepare_v2 (db,
                                 "INSERT INTO person (id, household_id, nik, full_name, sex,"
                                 " birth_place, birth_date, relationship, deleted, _created)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, 'Bukittinggi', ?6, ?7, ?8, '')",
                                 -1, &person, NULL));
  check (db, sqlite3_prepare_v2 (db,
                                 "INSERT INTO volunteer (id, nik, full_name, address,"
                                 " kelurahan_code, deleted, _created)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, 0, '')",
                                 -1, &volunteer, NULL));

  check (db, sqlite3_exec (db, "BEGIN", NULL, NULL, NULL));

  for (guint32 v = 0; v < 600; v++)
    {
      g_autofree char *name = person_name (v * 7919);
      g_autofree char *address = g_strdup_printf ("Jl. %s No. %u",
                                                  streets[draw (v, 20) % G_N_ELEMENTS (streets)],
                                                  1 + draw (v, 21) % 150);
      char nik[17];

      make_id (volunteer_id, 3, v);
      g_snprintf (nik, sizeof nik, "137501%02u%02u%02u%04u", 1 + draw (v, 22) % 28,
                  1 + draw (v, 23) % 12, 70 + draw (v, 24) % 30, 1 + v);
      bind_texts (volunteer, (const char *[]) { volunteer_id, nik, name, address,
                                                kelurahan_codes[v % G_N_ELEMENTS (kelurahan_codes)] }, 5);
      check (db, sqlite3_step (volunteer));
      sqlite3_reset (volunteer);
    }

  for (guint32 h = 0; h < n_households; h++)
    {
      char household_id[37], kk[17], rt[4], rw[4], v_id[37];
      g_autofree char *head = person_name (h * 4);
      g_autofree char *address = g_strdup_printf ("Jl. %s No. %u",
                                                  streets[draw_skewed (h, 5, G_N_ELEMENTS (streets))],
                                                  1 + draw (h, 6) % 200);
      const char *kelurahan_code = kelurahan_codes[draw (h, 7) % G_N_ELEMENTS (kelurahan_codes)];

      make_id (household_id, 1, h);
      make_id (v_id, 3, draw (h, 8) % 600);
      g_snprintf (kk, sizeof kk, "1375%.2s%02u%02u%02u%04u", kelurahan_code + 6,
                  1 + draw (h, 9) % 28, 1 + draw (h, 10) % 12, 10 + draw (h, 11) % 15,
                  1 + h % 9999);
      g_snprintf (rt, sizeof rt, "%03u", 1 + draw (h, 12) % 9);
      g_snprintf (rw, sizeof rw, "%03u", 1 + draw (h, 13) % 6);
      bind_texts (household, (const char *[]) { household_id, kk, head, address, rt, rw,
                                                kelurahan_code }, 7);
      sqlite3_bind_int (household, 8, 1 + draw (h, 14) % 10);
      sqlite3_bind_text (household, 9, programs[draw (h, 15) % G_N_ELEMENTS (programs)], -1,
                         SQLITE_STATIC);
      sqlite3_bind_text (household, 10, v_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int (household, 11, draw (h, 16) % 100 == 0);
      check (db, sqlite3_step (household));
      sqlite3_reset (household);

      for (guint32 m = 0; m < 4; m++)
        {
          guint32 i = h * 4 + m;
          gboolean woman = i % 2 == 1;
          guint day = 1 + draw (i, 17) % 28, month = 1 + draw (i, 18) % 12;
          guint year = 1940 + draw (i, 19) % 80;
          g_autofree char *name = person_name (i);
          char id[37], nik[17], birth_date[11];

          make_id (id, 2, i);
          g_snprintf (nik, sizeof nik, "1375%.2s%02u%02u%02u%04u", kelurahan_code + 6,
                      day + (woman ? 40 : 0), month, year % 100, 1 + i % 9999);
          g_snprintf (birth_date, sizeof birth_date, "%04u-%02u-%02u", year, month, day);
          bind_texts (person, (const char *[]) { id, household_id, nik, name,
                                                 woman ? "P" : "L", birth_date,
                                                 m == 0 ? "Kepala Keluarga" : "Anak" }, 7);
          sqlite3_bind_int (person, 8, draw (i, 16) % 100 == 0);
          check (db, sqlite3_step (person));
          sqlite3_reset (person);
        }
    }

  check (db, sqlite3_exec (db, "COMMIT", NULL, NULL, NULL));
  sqlite3_finalize (household);
  sqlite3_finalize (person);
  sqlite3_finalize (volunteer);
}

/* Prints the median and 99th percentile of @ms (sorting it). */
static void
print_spread (const char *name,
              GArray     *ms)
{
  double *values = (double *) (gpointer) ms->data;

  g_print ("%s_median %.3f ms\n", name, pdm_bench_median (values, ms->len));
  g_print ("%s_p99 %.3f ms\n", name, pdm_bench_percentile (values, ms->len, 99));
}

/* What people type: the start of a word of a real name, two to six
 * letters, and now and then a whole first name and the start of another
 * (two to four letters: the index keeps prefixes of two to four). */
static GPtrArray *
make_queries (guint32 seed,
              guint   n_persons)
{
  GPtrArray *queries = g_ptr_array_new_with_free_func (g_free);

  for (guint32 q = 0; q < N_QUERIES; q++)
    {
      g_autofree char *name = person_name (draw (q, seed) % n_persons);
      g_auto(GStrv) words = g_strsplit (name, " ", -1);
      guint n_words = g_strv_length (words);
      const char *word = words[draw (q, seed + 1) % n_words];
      guint length = MIN (strlen (word), 2 + draw (q, seed + 2) % 5);

      if (n_words > 1 && draw (q, seed + 3) % 4 == 0)
        g_ptr_array_add (queries, g_strdup_printf ("%s %.*s", words[0],
                                                   (int) (2 + draw (q, seed + 4) % 3), words[1]));
      else
        g_ptr_array_add (queries, g_strndup (word, length));
    }

  return queries;
}

/* The same words as a raw FTS5 query: every word a quoted prefix. */
static char *
raw_match (const char *text)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  GString *match = g_string_new ("full_name : (");

  for (guint i = 0; words[i] != NULL; i++)
    g_string_append_printf (match, "%s\"%s\"*", i > 0 ? " " : "", words[i]);
  g_string_append (match, ")");

  return g_string_free (match, FALSE);
}

static void
bench_search (PdmSearch *search,
              sqlite3   *db,
              guint      n_persons)
{
  g_autoptr(GPtrArray) warm = make_queries (100, n_persons);
  g_autoptr(GPtrArray) queries = make_queries (200, n_persons);
  g_autoptr(GArray) api_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) raw_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) one_word_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) two_words_ms = g_array_new (FALSE, FALSE, sizeof (double));
  sqlite3_stmt *raw = NULL;

  check (db, sqlite3_prepare_v2 (db, "SELECT rowid FROM person_fts WHERE person_fts MATCH ?1 "
                                     "LIMIT 50", -1, &raw, NULL));

  for (guint pass = 0; pass < 2; pass++)
    {
      GPtrArray *texts = pass == 0 ? warm : queries;

      for (guint q = 0; q < texts->len; q++)
        {
          const char *text = g_ptr_array_index (texts, q);
          PdmQuery query = { .table = PDM_TABLE_PERSON, .text = text };
          g_autoptr(GPtrArray) page = NULL;
          g_autoptr(GError) error = NULL;
          g_autofree char *match = raw_match (text);
          gint64 start;
          double ms;

          start = g_get_monotonic_time ();
          page = pdm_search_page (search, &query, NULL, PAGE, NULL, NULL, &error);
          ms = (g_get_monotonic_time () - start) / 1000.0;
          if (page == NULL)
            g_error ("%s", error->message);
          if (pass == 1)
            {
              g_array_append_val (api_ms, ms);
              g_array_append_val (strchr (text, ' ') != NULL ? two_words_ms : one_word_ms, ms);
            }

          start = g_get_monotonic_time ();
          sqlite3_bind_text (raw, 1, match, -1, SQLITE_TRANSIENT);
          while (sqlite3_step (raw) == SQLITE_ROW)
            ;
          check (db, sqlite3_reset (raw));
          ms = (g_get_monotonic_time () - start) / 1000.0;
          if (pass == 1)
            g_array_append_val (raw_ms, ms);
        }
    }
  sqlite3_finalize (raw);

  print_spread ("search_prefix_api", api_ms);
  print_spread ("search_prefix_raw_fts5", raw_ms);
  print_spread ("search_prefix_api_one_word", one_word_ms);
  print_spread ("search_prefix_api_two_words", two_words_ms);

  /* The first search after a write, then after a rename, which changes
   * the name order. */
  {
    static const char * const writes[] = {
      "UPDATE person SET notes = notes WHERE rowid = 1",
      "UPDATE person SET full_name = 'Siti Zahara' WHERE rowid = 1",
    };
    static const char * const names[] = { "search_first_after_write", "search_first_after_rename" };
    PdmQuery query = { .table = PDM_TABLE_PERSON, .text = "sit" };

    for (guint w = 0; w < G_N_ELEMENTS (writes); w++)
      {
        g_autoptr(GPtrArray) page = NULL;
        gint64 start;

        check (db, sqlite3_exec (db, writes[w], NULL, NULL, NULL));
        start = g_get_monotonic_time ();
        page = pdm_search_page (search, &query, NULL, PAGE, NULL, NULL, NULL);
        g_print ("%s %.1f ms\n", names[w], (g_get_monotonic_time () - start) / 1000.0);
      }
  }
}

static double
time_page_at (PdmSearch      *search,
              const PdmQuery *query,
              guint           position)
{
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  page = pdm_search_page_at (search, query, position, PAGE, NULL, NULL, &error);
  if (page == NULL)
    g_error ("%s", error->message);
  if (page->len != PAGE)
    g_error ("page at %u has %u rows", position, page->len);

  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
bench_pages (PdmSearch *search,
             sqlite3   *db,
             guint      n_persons)
{
  static const double where[] = { 0.0, 0.5, 0.9 };
  PdmQuery list = { .table = PDM_TABLE_PERSON };
  PdmQuery kelurahan = { .table = PDM_TABLE_PERSON, .kelurahan_code = "13.75.02.1002" };
  sqlite3_stmt *offset = NULL;
  guint count;
  gint64 start;

  check (db, sqlite3_prepare_v2 (db, "SELECT * FROM person WHERE deleted = 0 "
                                     "ORDER BY full_name, id LIMIT 50 OFFSET ?1",
                                 -1, &offset, NULL));

  /* The first jump walks the list once. */
  g_print ("page_at_first_jump_walk %.1f ms\n", time_page_at (search, &list, n_persons / 2));

  for (guint w = 0; w < G_N_ELEMENTS (where); w++)
    {
      g_autoptr(GArray) keyset_ms = g_array_new (FALSE, FALSE, sizeof (double));
      guint position = (guint) (where[w] * n_persons);
      g_autofree char *name = g_strdup_printf ("page_at_%uk", position / 1000);
      double offset_ms;

      for (guint r = 0; r < ROUNDS; r++)
        {
          double ms = time_page_at (search, &list, position + (r * 37) % 1000);

          g_array_append_val (keyset_ms, ms);
        }
      print_spread (name, keyset_ms);

      start = g_get_monotonic_time ();
      sqlite3_bind_int (offset, 1, position);
      while (sqlite3_step (offset) == SQLITE_ROW)
        ;
      check (db, sqlite3_reset (offset));
      offset_ms = (g_get_monotonic_time () - start) / 1000.0;
      g_print ("page_offset_%uk_raw_sql %.3f ms\n", position / 1000, offset_ms);
    }
  sqlite3_finalize (offset);

  /* Reading on from a cursor, as a list does when scrolled. */
  {
    g_autoptr(GArray) next_ms = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GPtrArray) first = NULL;
    g_auto(PdmPageCursor) cursor = { 0 };

    first = pdm_search_page_at (search, &list, n_persons / 3, PAGE, &cursor, NULL, NULL);
    for (guint r = 0; r < ROUNDS; r++)
      {
        g_autoptr(GPtrArray) page = NULL;
        g_auto(PdmPageCursor) last = { 0 };

        double ms;

        start = g_get_monotonic_time ();
        page = pdm_search_page (search, &list, &cursor, PAGE, &last, NULL, NULL);
        ms = (g_get_monotonic_time () - start) / 1000.0;
        g_array_append_val (next_ms, ms);
        pdm_page_cursor_clear (&cursor);
        cursor = last;
        last = (PdmPageCursor) { 0 };
      }
    print_spread ("page_next", next_ms);
  }

  /* A write forgets the count, so each figure is a first count. */
  {
    PdmQuery text = { .table = PDM_TABLE_PERSON, .text = "siti" };
    const PdmQuery *counted[] = { &list, &text, &kelurahan };
    const char *names[] = { "count_all", "count_text_siti", "count_kelurahan" };

    for (guint c = 0; c < G_N_ELEMENTS (counted); c++)
      {
        check (db, sqlite3_exec (db, "UPDATE person SET notes = notes WHERE rowid = 1", NULL, NULL,
                                 NULL));
        start = g_get_monotonic_time ();
        if (!pdm_search_count (search, counted[c], &count, NULL, NULL))
          g_error ("count failed");
        g_print ("%s %.3f ms\n", names[c], (g_get_monotonic_time () - start) / 1000.0);
        g_print ("%s_rows %u rows\n", names[c], count);
      }
  }

  {
    g_autoptr(GArray) filtered_ms = g_array_new (FALSE, FALSE, sizeof (double));

    for (guint r = 0; r < ROUNDS / 10; r++)
      {
        g_autoptr(GPtrArray) page = NULL;
        double ms;

        start = g_get_monotonic_time ();
        page = pdm_search_page_at (search, &kelurahan, r * 97, PAGE, NULL, NULL, NULL);
        ms = (g_get_monotonic_time () - start) / 1000.0;
        g_array_append_val (filtered_ms, ms);
      }
    print_spread ("page_kelurahan_filter", filtered_ms);
  }
}

/* Reads @n_pages pages of @query one after another from its start, as a
 * list does when scrolled down, and prints what a page cost. */
static void
bench_scroll (PdmSearch      *search,
              const PdmQuery *query,
              guint           n_pages,
              const char     *name)
{
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_auto(PdmPageCursor) cursor = { 0 };
  gint64 start = g_get_monotonic_time ();

  for (guint p = 0; p < n_pages; p++)
    {
      g_autoptr(GPtrArray) page = NULL;
      g_autoptr(GError) error = NULL;
      g_auto(PdmPageCursor) last = { 0 };
      gint64 page_start = g_get_monotonic_time ();
      double page_ms;

      page = pdm_search_page (search, query, cursor.id != NULL ? &cursor : NULL, PAGE, &last,
                              NULL, &error);
      page_ms = (g_get_monotonic_time () - page_start) / 1000.0;
      if (page == NULL)
        g_error ("%s", error->message);
      if (page->len < PAGE)
        g_error ("%s: page %u has %u rows", name, p, page->len);
      g_array_append_val (ms, page_ms);
      pdm_page_cursor_clear (&cursor);
      cursor = last;
      last = (PdmPageCursor) { 0 };
    }

  g_print ("%s_%u_pages %.1f ms\n", name, n_pages, (g_get_monotonic_time () - start) / 1000.0);
  print_spread (name, ms);
}

/* Counts @query and prints what it cost and the count. */
static guint
time_count (PdmSearch      *search,
            const PdmQuery *query,
            const char     *name)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  guint count;

  if (!pdm_search_count (search, query, &count, NULL, &error))
    g_error ("%s", error->message);
  g_print ("%s %.3f ms\n", name, (g_get_monotonic_time () - start) / 1000.0);
  g_print ("%s_rows %u rows\n", name, count);

  return count;
}

/* A long list: counted, read on from its start, and jumped into twice. */
static void
bench_long_list (PdmSearch      *search,
                 const PdmQuery *query,
                 const char     *name)
{
  g_autofree char *count_name = g_strconcat (name, "_count", NULL);
  g_autofree char *next_name = g_strconcat (name, "_page_next", NULL);
  guint count = time_count (search, query, count_name);

  bench_scroll (search, query, 2 * ROUNDS, next_name);
  g_print ("%s_page_at_middle %.3f ms\n", name, time_page_at (search, query, count / 2));
  g_print ("%s_page_at_middle_again %.3f ms\n", name,
           time_page_at (search, query, count / 2 + 1000));
}

/* The start of a NIK or KK as it is typed: four digits (the city's code,
 * which every number of the city starts with), as a list read on and
 * jumped into, then four to twelve digits, the count the list asks first
 * and its first page. */
static void
bench_numbers (PdmSearch *search,
               sqlite3   *db,
               guint      n_persons)
{
  g_autoptr(GArray) count_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) first_ms = g_array_new (FALSE, FALSE, sizeof (double));
  PdmQuery city = { .table = PDM_TABLE_PERSON, .text = "1375" };
  PdmQuery households = { .table = PDM_TABLE_HOUSEHOLD, .text = "1375" };
  sqlite3_stmt *nik = NULL;

  /* Typing "1375" lists the whole city; the first count after a write
   * pays for what a number search needs. */
  bench_long_list (search, &households, "number_1375_households");
  bench_long_list (search, &city, "number_1375_persons");

  check (db, sqlite3_prepare_v2 (db, "SELECT nik FROM person WHERE rowid = ?1", -1, &nik, NULL));
  for (guint32 q = 0; q < ROUNDS; q++)
    {
      g_autofree char *prefix = NULL;
      g_autoptr(GPtrArray) page = NULL;
      g_autoptr(GError) error = NULL;
      PdmQuery query = { .table = q % 4 == 0 ? PDM_TABLE_HOUSEHOLD : PDM_TABLE_PERSON };
      gint64 start;
      guint count;
      double ms;

      sqlite3_bind_int64 (nik, 1, 1 + draw (q, 30) % n_persons);
      check (db, sqlite3_step (nik));
      prefix = g_strndup ((const char *) sqlite3_column_text (nik, 0), 4 + q % 9);
      check (db, sqlite3_reset (nik));
      query.text = prefix;

      start = g_get_monotonic_time ();
      if (!pdm_search_count (search, &query, &count, NULL, &error))
        g_error ("%s", error->message);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (count_ms, ms);

      start = g_get_monotonic_time ();
      page = pdm_search_page (search, &query, NULL, PAGE, NULL, NULL, &error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      if (page == NULL)
        g_error ("%s", error->message);
      g_array_append_val (first_ms, ms);
    }
  sqlite3_finalize (nik);
  print_spread ("number_prefix_count", count_ms);
  print_spread ("number_prefix_first_page", first_ms);

}

/* The lists of one kelurahan and of one desil in it, read on page after
 * page, and text searched in one kelurahan. */
static void
bench_filters (PdmSearch *search)
{
  PdmQuery persons = { .table = PDM_TABLE_PERSON, .kelurahan_code = "13.75.02.1002" };
  PdmQuery households = { .table = PDM_TABLE_HOUSEHOLD, .kelurahan_code = "13.75.02.1002",
                          .desil = 3 };
  PdmQuery text = { .table = PDM_TABLE_PERSON, .kelurahan_code = "13.75.02.1002", .text = "si" };

  bench_scroll (search, &persons, ROUNDS, "page_kelurahan_next");
  bench_scroll (search, &households, 10, "page_kelurahan_desil_households_next");
  time_count (search, &text, "count_kelurahan_text_si");
  bench_scroll (search, &text, 20, "page_kelurahan_text_si_next");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PdmDatabase) database = NULL;
  g_autoptr(PdmSearch) search = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  guint n_persons = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 1000000;
  sqlite3 *db;
  gint64 start;

  if (n_persons < 20000)
    g_error ("Usage: %s [N_PERSONS (at least 20000) [SQL]]", argv[0]);

  dir = g_dir_make_tmp ("pendamping-search-bench-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  path = g_build_filename (dir, "pendamping.db", NULL);

  database = pdm_database_open (path, &error);
  if (database == NULL)
    g_error ("%s", error->message);

  /* Statement journals of the trigger-laden inserts stay in memory. */
  db = pdm_database_get_handle (database);
  check (db, sqlite3_exec (db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL));
  start = g_get_monotonic_time ();
  fill (database, n_persons);
  g_print ("fill_persons %u rows\n", n_persons);
  g_print ("fill_time %.1f s\n", (g_get_monotonic_time () - start) / 1e6);
  check (db, sqlite3_exec (db, "PRAGMA temp_store = DEFAULT", NULL, NULL, NULL));
  if (argc > 2)
    check (db, sqlite3_exec (db, argv[2], NULL, NULL, NULL));

  search = pdm_search_new (database, &error);
  if (search == NULL)
    g_error ("%s", error->message);

  bench_search (search, db, n_persons);
  bench_pages (search, db, n_persons);
  bench_filters (search);
  bench_numbers (search, db, n_persons);

  g_clear_object (&search);
  g_clear_object (&database);
  pdm_bench_remove_database (path);
  g_rmdir (dir);

  return 0;
}
