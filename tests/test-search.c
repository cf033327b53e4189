/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-search"

#include "config.h"

#include "pdm-error.h"
#include "pdm-repository.h"
#include "pdm-search.h"
#include "pdm-test-util.h"

typedef struct
{
  char          *dir;
  char          *path;
  PdmDatabase   *database;
  PdmRepository *repository;
  PdmSearch     *search;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = pdm_test_make_tmp_dir ();
  fixture->path = g_build_filename (fixture->dir, "pendamping.db", NULL);
  fixture->database = pdm_database_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->repository = pdm_repository_new (fixture->database, &error);
  g_assert_no_error (error);
  fixture->search = pdm_search_new (fixture->database, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->search);
  g_clear_object (&fixture->repository);
  g_clear_object (&fixture->database);
  pdm_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static sqlite3 *
handle (Fixture *fixture)
{
  return pdm_database_get_handle (fixture->database);
}

static char *
add_household (Fixture    *fixture,
               const char *head_name,
               const char *address,
               const char *kk_number,
               const char *kelurahan_code,
               int         desil,
               const char *programs,
               const char *volunteer_id)
{
  g_autoptr(PdmRecord) household = pdm_record_new (PDM_TABLE_HOUSEHOLD);
  g_autoptr(GError) error = NULL;

  pdm_record_set (household, "head_name", head_name);
  pdm_record_set (household, "address", address);
  pdm_record_set (household, "kk_number", kk_number);
  pdm_record_set (household, "kelurahan_code", kelurahan_code);
  pdm_record_set_int (household, "desil", desil);
  pdm_record_set (household, "programs", programs);
  pdm_record_set (household, "volunteer_id", volunteer_id);
  g_assert_true (pdm_repository_insert (fixture->repository, household, &error));
  g_assert_no_error (error);

  return g_strdup (household->id);
}

static char *
add_person (Fixture    *fixture,
            const char *household_id,
            const char *full_name,
            const char *nik)
{
  g_autoptr(PdmRecord) person = pdm_record_new (PDM_TABLE_PERSON);
  g_autoptr(GError) error = NULL;

  pdm_record_set (person, "household_id", household_id);
  pdm_record_set (person, "full_name", full_name);
  pdm_record_set (person, "nik", nik);
  g_assert_true (pdm_repository_insert (fixture->repository, person, &error));
  g_assert_no_error (error);

  return g_strdup (person->id);
}

/* The ids of a whole list, read page by page through the cursors. */
static GPtrArray *
walk_ids (Fixture        *fixture,
          const PdmQuery *query,
          guint           page_size)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_auto(PdmPageCursor) cursor = { 0 };

  for (;;)
    {
      g_autoptr(GPtrArray) page = NULL;
      g_autoptr(GError) error = NULL;
      g_auto(PdmPageCursor) last = { 0 };

      page = pdm_search_page (fixture->search, query, cursor.id != NULL ? &cursor : NULL,
                              page_size, &last, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (page);
      g_assert_cmpuint (page->len, <=, page_size);

      for (guint i = 0; i < page->len; i++)
        g_ptr_array_add (ids, g_strdup (((PdmRecord *) g_ptr_array_index (page, i))->id));
      if (page->len < page_size)
        break;

      g_assert_cmpstr (last.id, ==, ((PdmRecord *) g_ptr_array_index (page, page->len - 1))->id);
      pdm_page_cursor_clear (&cursor);
      cursor = last;
      last = (PdmPageCursor) { 0 };
    }

  return ids;
}

/* The names found for @text in @table, sorted the list's way. */
static char *
find_names (Fixture    *fixture,
            PdmTable    table,
            const char *text)
{
  PdmQuery query = { .table = table, .text = text };
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) names = g_string_new (NULL);
  const char *field = table == PDM_TABLE_HOUSEHOLD ? "head_name" : "full_name";

  page = pdm_search_page (fixture->search, &query, NULL, 100, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < page->len; i++)
    g_string_append_printf (names, "%s%s", i > 0 ? ", " : "",
                            pdm_record_get (g_ptr_array_index (page, i), field));

  return g_string_free (g_steal_pointer (&names), FALSE);
}

static guint
count (Fixture        *fixture,
       const PdmQuery *query)
{
  g_autoptr(GError) error = NULL;
  guint n = G_MAXUINT;

  g_assert_true (pdm_search_count (fixture->search, query, &n, NULL, &error));
  g_assert_no_error (error);

  return n;
}

/* The ids an SQL statement of the test returns, for reference orders. */
static GPtrArray *
query_ids (Fixture    *fixture,
           const char *sql)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (handle (fixture), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);

  return ids;
}

static void
assert_same_ids (GPtrArray *found,
                 GPtrArray *expected)
{
  for (guint i = 0; i < MIN (found->len, expected->len); i++)
    g_assert_cmpstr (g_ptr_array_index (found, i), ==, g_ptr_array_index (expected, i));
  g_assert_cmpuint (found->len, ==, expected->len);
}

static void
add_aminah_family (Fixture *fixture)
{
  g_autofree char *household = add_household (fixture, "Syafri Yanto", "Jl. Soekarno-Hatta No. 12",
                                               "1375021203150004", "13.75.02.1002", 2, "BPNT,PKH",
                                               NULL);

  g_free (add_person (fixture, household, "Siti Aminah", "1375024512800001"));
  g_free (add_person (fixture, household, "Aminah Putri", "1375025506050002"));
  g_free (add_person (fixture, household, "Syafri Yanto", "1375021203780003"));
  g_free (add_person (fixture, household, "Nursiti Rahmah", "1375026001100004"));
  g_free (add_person (fixture, household, "Zülkifli Dèsmawati", "1375020101900005"));
}

static void
test_prefix (Fixture       *fixture,
             gconstpointer  data)
{
  add_aminah_family (fixture);

  g_assert_cmpstr (find_names (fixture, PDM_TABLE_PERSON, "sit"), ==, "Siti Aminah");
  g_assert_cmpstr (find_names (fixture, PDM_TABLE_PERSON, "amin"), ==, "Aminah Putri, Siti Aminah");
  g_assert_cmpstr (find_names (fixture, PDM_TABLE_PERSON, "SITI AM"), ==, "Siti Aminah");
  g_assert_cmpstr (find_names (fixture, PDM_TABLE_PERSON, "  am   siti "), ==, "Siti Aminah");
  /* Accents are ignored on both sides. */
  g_assert_cmpstr (find_names (fixture, PDM_TABLE_PERSON, "zulk des"), ==, "Zülkifli Dèsmawati");
  g_assert_cmpstr (find_names (fixture, PDM_TABLE_PERSON, "sîtî"), ==, "Siti Aminah");
  /* A word matches from its start only. */
  g_assert_cmpstr (find_names (fixture, PDM_TABLE_PERSON, "iti"), ==, "");
  /* Households are found by head and address. */
  g_assert_cmpstr (find_names (fixture, PDM_TABLE_HOUSEHOLD, "hatta"), ==, "Syafri Yanto");
  g_assert_cmpstr (find_names (fixture, PDM_TABLE_HOUSEHOLD, "syaf soek"), ==, "Syafri Yanto");
}

static void
test_special_characters (Fixture       *fixture,
                         gconstpointer  data)
{
  static const char * const nothing[] = {
    "siti OR budi", "NEAR", "NEAR(siti aminah)", "siti AND NOT aminah", "deleted:1",
    "{full_name}:siti", "'; DROP TABLE person; --", "\"siti\" OR \"aminah\"",
    "full_name : siti OR syafri",
  };
  static const char * const sitis[] = { "sit*", "-siti", "^siti", "\"siti\"", "siti*am*",
                                        "(siti)", "siti\"", "siti)" };
  g_autofree char *household = NULL;
  g_autofree char *deleted = NULL;
  g_autoptr(GError) error = NULL;

  add_aminah_family (fixture);
  household = add_household (fixture, "Budi", NULL, NULL, NULL, 0, NULL, NULL);
  deleted = add_person (fixture, household, "Siti Deleted", NULL);
  g_assert_true (pdm_repository_delete (fixture->repository, PDM_TABLE_PERSON, deleted, &error));

  /* Operators and column filters are words like any other. */
  for (guint i = 0; i < G_N_ELEMENTS (nothing); i++)
    g_assert_cmpstr (find_names (fixture, PDM_TABLE_PERSON, nothing[i]), ==, "");
  for (guint i = 0; i < G_N_ELEMENTS (sitis); i++)
    g_assert_cmpstr (find_names (fixture, PDM_TABLE_PERSON, sitis[i]), ==, "Siti Aminah");
  g_assert_cmpint (pdm_test_query_int (handle (fixture), "SELECT count(*) FROM person"), ==, 6);

  /* Text with nothing to search for lists everyone. */
  {
    PdmQuery query = { .table = PDM_TABLE_PERSON, .text = "\" * - ( ) :" };

    g_assert_cmpuint (count (fixture, &query), ==, 5);
  }
}

static void
test_number (Fixture       *fixture,
             gconstpointer  data)
{
  PdmQuery query = { .table = PDM_TABLE_PERSON };
  g_autoptr(PdmRecord) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *other = NULL;

  add_aminah_family (fixture);
  other = add_household (fixture, "Rina", NULL, "1375031111110001", NULL, 0, NULL, NULL);
  g_free (add_person (fixture, other, "Rina Marlina", "1375034101900001"));
  g_free (add_person (fixture, other, "Yusuf", "13750241"));

  /* Exactly, then by prefix, in the order of the numbers. */
  g_assert_cmpstr (find_names (fixture, PDM_TABLE_PERSON, "1375024512800001"), ==, "Siti Aminah");
  g_assert_cmpstr (find_names (fixture, PDM_TABLE_PERSON, "13750241"), ==, "Yusuf");
  g_assert_cmpstr (find_names (fixture, PDM_TABLE_PERSON, "1375024"), ==, "Yusuf, Siti Aminah");
  g_assert_cmpstr (find_names (fixture, PDM_TABLE_PERSON, "1375 0255"), ==, "Aminah Putri");
  g_assert_cmpstr (find_names (fixture, PDM_TABLE_PERSON, "1375"), ==,
                   "Zülkifli Dèsmawati, Syafri Yanto, Yusuf, Siti Aminah, Aminah Putri, "
                   "Nursiti Rahmah, Rina Marlina");
  g_assert_cmpstr (find_names (fixture, PDM_TABLE_PERSON, "1375024512800002"), ==, "");
  /* Fewer than four digits are text. */
  g_assert_cmpstr (find_names (fixture, PDM_TABLE_PERSON, "137"), ==, "");

  query.text = "1375";
  g_assert_cmpuint (count (fixture, &query), ==, 7);
  query.text = "137502";
  g_assert_cmpuint (count (fixture, &query), ==, 6);

  found = pdm_search_lookup_nik (fixture->search, "1375025506050002", &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpstr (pdm_record_get (found, "full_name"), ==, "Aminah Putri");
  g_clear_pointer (&found, pdm_record_free);

  /* Nobody: no record and no error. */
  found = pdm_search_lookup_nik (fixture->search, "1375025506050009", &error);
  g_assert_no_error (error);
  g_assert_null (found);
  found = pdm_search_lookup_nik (fixture->search, "137502", &error);
  g_assert_no_error (error);
  g_assert_null (found);
}

static void
test_kk (Fixture       *fixture,
         gconstpointer  data)
{
  g_autoptr(PdmRecord) found = NULL;
  g_autoptr(GError) error = NULL;

  add_aminah_family (fixture);
  g_free (add_household (fixture, "Rina", NULL, "1375031111110001", NULL, 0, NULL, NULL));
  g_free (add_household (fixture, "Hendra", NULL, "1375021203150099", NULL, 0, NULL, NULL));

  g_assert_cmpstr (find_names (fixture, PDM_TABLE_HOUSEHOLD, "1375021203150004"), ==,
                   "Syafri Yanto");
  g_assert_cmpstr (find_names (fixture, PDM_TABLE_HOUSEHOLD, "13750212"), ==,
                   "Syafri Yanto, Hendra");
  g_assert_cmpstr (find_names (fixture, PDM_TABLE_HOUSEHOLD, "1375"), ==,
                   "Syafri Yanto, Hendra, Rina");
  /* A member's NIK finds the household; a KK finds the members. */
  g_assert_cmpstr (find_names (fixture, PDM_TABLE_HOUSEHOLD, "1375025506050002"), ==,
                   "Syafri Yanto");
  g_assert_cmpstr (find_names (fixture, PDM_TABLE_PERSON, "1375021203150004"), ==,
                   "Zülkifli Dèsmawati, Syafri Yanto, Siti Aminah, Aminah Putri, "
                   "Nursiti Rahmah");

  found = pdm_search_lookup_kk (fixture->search, "1375031111110001", &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpstr (pdm_record_get (found, "head_name"), ==, "Rina");
  g_clear_pointer (&found, pdm_record_free);
  found = pdm_search_lookup_kk (fixture->search, "13750311", &error);
  g_assert_no_error (error);
  g_assert_null (found);
}

static void
test_filters (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *a = add_household (fixture, "Asnimar", "Jl. Ateh Ngarai", NULL, "13.75.01.1001",
                                      1, "PKH,BPNT", "psm-1");
  g_autofree char *b = add_household (fixture, "Bagindo", "Jl. Binuang", NULL, "13.75.01.1001",
                                      3, "BPNT", "psm-2");
  g_autofree char *c = add_household (fixture, "Chairul", "Jl. Cindua Mato", NULL, "13.75.02.1002",
                                      1, "PBI-JK, PKH", "psm-1");
  g_autofree char *d = add_household (fixture, "Dasrul", "Jl. Diponegoro", NULL, "13.75.01.1001",
                                      1, "PKHX", "psm-1");
  PdmQuery households = { .table = PDM_TABLE_HOUSEHOLD };
  PdmQuery persons = { .table = PDM_TABLE_PERSON };
  PdmQuery volunteers = { .table = PDM_TABLE_VOLUNTEER, .kelurahan_code = "13.75.01.1001" };

  g_free (add_person (fixture, a, "Asnimar", NULL));
  g_free (add_person (fixture, a, "Aldi", NULL));
  g_free (add_person (fixture, b, "Bagindo", NULL));
  g_free (add_person (fixture, c, "Chairul", NULL));
  g_free (add_person (fixture, d, "Dasrul", NULL));

  households.kelurahan_code = "13.75.01.1001";
  g_assert_cmpuint (count (fixture, &households), ==, 3);
  households.desil = 1;
  g_assert_cmpuint (count (fixture, &households), ==, 2);
  /* A program is one item of the list, not a part of a word. */
  households.program = "PKH";
  g_assert_cmpuint (count (fixture, &households), ==, 1);
  households.kelurahan_code = NULL;
  g_assert_cmpuint (count (fixture, &households), ==, 2);
  households.volunteer_id = "psm-1";
  households.text = "jl c";
  g_assert_cmpuint (count (fixture, &households), ==, 1);

  /* A person is filtered through the household. */
  persons.kelurahan_code = "13.75.01.1001";
  persons.program = "PKH";
  {
    g_autoptr(GPtrArray) ids = walk_ids (fixture, &persons, 1);

    g_assert_cmpuint (ids->len, ==, 2);
    g_assert_cmpuint (count (fixture, &persons), ==, 2);
  }
  persons.text = "ald";
  g_assert_cmpuint (count (fixture, &persons), ==, 1);
  persons.text = NULL;
  persons.volunteer_id = "psm-2";
  g_assert_cmpuint (count (fixture, &persons), ==, 0);

  g_assert_cmpuint (count (fixture, &volunteers), ==, 0);
}

static void
test_deleted (Fixture       *fixture,
              gconstpointer  data)
{
  PdmQuery text = { .table = PDM_TABLE_PERSON, .text = "siti" };
  PdmQuery list = { .table = PDM_TABLE_PERSON };
  PdmQuery number = { .table = PDM_TABLE_PERSON, .text = "1375024512800001" };
  g_autoptr(PdmRecord) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *siti = NULL;

  add_aminah_family (fixture);
  found = pdm_search_lookup_nik (fixture->search, "1375024512800001", &error);
  siti = g_strdup (found->id);
  g_clear_pointer (&found, pdm_record_free);

  g_assert_true (pdm_repository_delete (fixture->repository, PDM_TABLE_PERSON, siti, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (count (fixture, &text), ==, 0);
  g_assert_cmpuint (count (fixture, &list), ==, 4);
  g_assert_cmpuint (count (fixture, &number), ==, 0);
  g_assert_cmpstr (find_names (fixture, PDM_TABLE_PERSON, "siti"), ==, "");
  g_assert_null (pdm_search_lookup_nik (fixture->search, "1375024512800001", &error));
  {
    g_autoptr(GPtrArray) ids = walk_ids (fixture, &list, 2);

    g_assert_cmpuint (ids->len, ==, 4);
    for (guint i = 0; i < ids->len; i++)
      g_assert_cmpstr (g_ptr_array_index (ids, i), !=, siti);
  }

  /* A list of everything, as a bin would show, still has it. */
  text.include_deleted = list.include_deleted = number.include_deleted = TRUE;
  g_assert_cmpuint (count (fixture, &text), ==, 1);
  g_assert_cmpuint (count (fixture, &list), ==, 5);
  g_assert_cmpuint (count (fixture, &number), ==, 1);

  /* Undo brings it back. */
  g_assert_true (pdm_repository_restore (fixture->repository, PDM_TABLE_PERSON, siti, &error));
  g_assert_cmpstr (find_names (fixture, PDM_TABLE_PERSON, "siti"), ==, "Siti Aminah");
}

/* Repeated names, and a few without one, in a list longer than a landmark
 * stretch; @n persons. */
static void
add_crowd (Fixture *fixture,
           guint    n)
{
  static const char * const names[] = { "Siti Aminah", "Rahmat", "Dewi Sartika", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_true (pdm_repository_begin (fixture->repository, &error));
  for (guint i = 0; i < n; i++)
    {
      const char *name = names[(i * 7) % G_N_ELEMENTS (names)];

      /* A row without a name comes now and then. */
      if (name == NULL && i % 5 != 0)
        name = "Yusuf";
      g_free (add_person (fixture, NULL, name, NULL));
    }
  g_assert_true (pdm_repository_commit (fixture->repository, &error));
}

static void
test_pages (Fixture       *fixture,
            gconstpointer  data)
{
  PdmQuery query = { .table = PDM_TABLE_PERSON };
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GPtrArray) newest = NULL;

  add_crowd (fixture, 120);
  expected = query_ids (fixture, "SELECT id FROM person ORDER BY full_name, id");
  g_assert_cmpint (pdm_test_query_int (handle (fixture),
                                       "SELECT count(*) FROM person WHERE full_name IS NULL"),
                   >, 1);

  /* Every page size walks every row once, in one order. */
  for (guint size = 1; size <= 13; size += 4)
    {
      g_autoptr(GPtrArray) ids = walk_ids (fixture, &query, size);

      assert_same_ids (ids, expected);
    }

  query.sort = PDM_SORT_NEWEST;
  newest = walk_ids (fixture, &query, 7);
  g_clear_pointer (&expected, g_ptr_array_unref);
  expected = query_ids (fixture, "SELECT id FROM person ORDER BY id DESC");
  assert_same_ids (newest, expected);

  /* A text search walks the same way. */
  query.sort = PDM_SORT_NAME;
  query.text = "siti am";
  {
    g_autoptr(GPtrArray) ids = walk_ids (fixture, &query, 6);

    g_clear_pointer (&expected, g_ptr_array_unref);
    expected = query_ids (fixture, "SELECT id FROM person WHERE full_name = 'Siti Aminah' "
                                   "ORDER BY id");
    assert_same_ids (ids, expected);
  }
}

static void
test_page_at (Fixture       *fixture,
              gconstpointer  data)
{
  static const guint positions[] = { 0, 1, 3, 255, 256, 257, 511, 700, 1020, 1023, 1024, 5000 };
  PdmQuery query = { .table = PDM_TABLE_PERSON };
  g_autoptr(GPtrArray) expected = NULL;

  add_crowd (fixture, 1024);
  expected = query_ids (fixture, "SELECT id FROM person ORDER BY full_name, id");
  g_assert_cmpuint (count (fixture, &query), ==, 1024);

  for (guint round = 0; round < 2; round++)
    for (guint p = 0; p < G_N_ELEMENTS (positions); p++)
      {
        g_autoptr(GPtrArray) page = NULL;
        g_autoptr(GError) error = NULL;
        g_auto(PdmPageCursor) last = { 0 };
        guint position = positions[p];

        page = pdm_search_page_at (fixture->search, &query, position, 5, &last, NULL, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (page->len, ==, MIN (5, 1024 - MIN (position, 1024)));
        for (guint i = 0; i < page->len; i++)
          g_assert_cmpstr (((PdmRecord *) g_ptr_array_index (page, i))->id, ==,
                           g_ptr_array_index (expected, position + i));

        /* The page continues from where a jump ended. */
        if (page->len == 5 && position + 10 <= 1024)
          {
            g_autoptr(GPtrArray) next = pdm_search_page (fixture->search, &query, &last, 5,
                                                         NULL, NULL, &error);

            g_assert_no_error (error);
            g_assert_cmpstr (((PdmRecord *) g_ptr_array_index (next, 0))->id, ==,
                             g_ptr_array_index (expected, position + 5));
          }
      }

  /* A write is seen by the next jump. */
  g_free (add_person (fixture, NULL, "Aan", NULL));
  g_clear_pointer (&expected, g_ptr_array_unref);
  expected = query_ids (fixture, "SELECT id FROM person ORDER BY full_name, id");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) page = pdm_search_page_at (fixture->search, &query, 700, 1, NULL, NULL,
                                                    &error);

    g_assert_no_error (error);
    g_assert_cmpstr (((PdmRecord *) g_ptr_array_index (page, 0))->id, ==,
                     g_ptr_array_index (expected, 700));
    g_assert_cmpuint (count (fixture, &query), ==, 1025);
  }
}

static void
test_rename (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(PdmRecord) person = NULL;
  g_autoptr(PdmRecord) household = NULL;
  g_autoptr(GError) error = NULL;

  add_aminah_family (fixture);
  person = pdm_search_lookup_nik (fixture->search, "1375024512800001", &error);
  pdm_record_set (person, "full_name", "Siti Khadijah");
  g_assert_true (pdm_repository_update (fixture->repository, person, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpstr (find_names (fixture, PDM_TABLE_PERSON, "amin"), ==, "Aminah Putri");
  g_assert_cmpstr (find_names (fixture, PDM_TABLE_PERSON, "khad"), ==, "Siti Khadijah");
  g_assert_cmpstr (find_names (fixture, PDM_TABLE_PERSON, "a"), ==, "Aminah Putri");

  household = pdm_search_lookup_kk (fixture->search, "1375021203150004", &error);
  pdm_record_set (household, "address", "Jl. Perintis Kemerdekaan No. 3");
  g_assert_true (pdm_repository_update (fixture->repository, household, NULL, &error));
  g_assert_cmpstr (find_names (fixture, PDM_TABLE_HOUSEHOLD, "hatta"), ==, "");
  g_assert_cmpstr (find_names (fixture, PDM_TABLE_HOUSEHOLD, "perintis"), ==, "Syafri Yanto");

  /* The index is exactly what the tables hold, removal included. */
  g_assert_cmpint (sqlite3_exec (handle (fixture), "DELETE FROM person WHERE nik LIKE '13750255%'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpstr (find_names (fixture, PDM_TABLE_PERSON, "amin"), ==, "");
  g_assert_cmpint (sqlite3_exec (handle (fixture),
                                 "INSERT INTO person_fts (person_fts, rank) "
                                 "VALUES ('integrity-check', 1);"
                                 "INSERT INTO household_fts (household_fts, rank) "
                                 "VALUES ('integrity-check', 1);",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
}

/* Walks @query page by page and holds it against FTS5 itself, given the
 * phrases the user meant (`"siti"* "am"*`): the same rows in the same order,
 * and the same count. */
static void
assert_as_fts (Fixture        *fixture,
               const PdmQuery *query,
               const char     *match)
{
  gboolean households = query->table == PDM_TABLE_HOUSEHOLD;
  const char *table = households ? "household" : "person";
  g_autoptr(GPtrArray) ids = walk_ids (fixture, query, 97);
  g_autoptr(GPtrArray) expected = NULL;
  g_autofree char *sql = NULL;

  sql = g_strdup_printf ("SELECT t.id FROM %s_fts f JOIN %s t ON t.rowid = f.rowid "
                         "WHERE %s_fts MATCH '%s : (%s)' ORDER BY t.%s, t.id",
                         table, table, table, households ? "{head_name address}" : "full_name",
                         match, households ? "head_name" : "full_name");
  expected = query_ids (fixture, sql);

  g_test_message ("“%s”: %u rows", query->text, expected->len);
  assert_same_ids (ids, expected);
  g_assert_cmpuint (count (fixture, query), ==, expected->len);
}

/* @queries: what the user types and what it means as FTS5 phrases. */
static void
assert_all_as_fts (Fixture            *fixture,
                   PdmTable            table,
                   const char * const (*queries)[2],
                   guint               n_queries)
{
  for (guint q = 0; q < n_queries; q++)
    {
      PdmQuery query = { .table = table, .text = queries[q][0] };

      assert_as_fts (fixture, &query, queries[q][1]);
    }
}

/* Past a few hundred matches, names are walked and tested outside the index,
 * or ranked: either way the rows must be the index's own answer. */
static void
test_many_matches (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char * const names[] = {
    "Siti Aminah", "SITI RAHMAH", "Sïti Àisyah", "Nursiti", "Al-Siti Amri", "O'Siti",
    "Rahmat Siti", "Sitinjak", "Yusuf", "Siti", "Sit Amin", "Amin Siti",
  };
  static const char * const queries[][2] = {
    { "siti", "\"siti\"*" }, { "sit", "\"sit\"*" }, { "siti am", "\"siti\"* \"am\"*" },
    { "si a", "\"si\"* \"a\"*" }, { "al-sit", "\"al sit\"*" }, { "o'si", "\"o si\"*" },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *north = NULL;
  g_autofree char *south = NULL;

  g_assert_true (pdm_repository_begin (fixture->repository, &error));
  north = add_household (fixture, "Utara", NULL, NULL, "13.75.01.1001", 1, NULL, NULL);
  south = add_household (fixture, "Selatan", NULL, NULL, "13.75.03.1008", 1, NULL, NULL);
  for (guint i = 0; i < 8000; i++)
    g_free (add_person (fixture, i % 3 == 0 ? north : south, names[i % G_N_ELEMENTS (names)],
                        NULL));
  g_assert_true (pdm_repository_commit (fixture->repository, &error));

  assert_all_as_fts (fixture, PDM_TABLE_PERSON, queries, G_N_ELEMENTS (queries));
}

/* Households are found by head or address, also without a head. */
static void
test_many_households (Fixture       *fixture,
                      gconstpointer  data)
{
  static const char * const heads[] = { "Siti Aminah", NULL, "Rahmat", "Amin Sitompul" };
  static const char * const addresses[] = { "Jl. Siteba No. 1", "Jl. Ateh Ngarai", NULL,
                                            "Jorong Sitapuang" };
  static const char * const queries[][2] = {
    { "sit", "\"sit\"*" }, { "jl sit", "\"jl\"* \"sit\"*" }, { "am", "\"am\"*" },
  };
  g_autoptr(GError) error = NULL;

  g_assert_true (pdm_repository_begin (fixture->repository, &error));
  for (guint i = 0; i < 2000; i++)
    g_free (add_household (fixture, heads[i % G_N_ELEMENTS (heads)],
                           addresses[(i / 4) % G_N_ELEMENTS (addresses)], NULL, NULL, 0, NULL,
                           NULL));
  g_assert_true (pdm_repository_commit (fixture->repository, &error));

  assert_all_as_fts (fixture, PDM_TABLE_HOUSEHOLD, queries, G_N_ELEMENTS (queries));
}

/* Jumps, the newest-first order and filters over many matches. */
static void
test_many_matches_orders (Fixture       *fixture,
                          gconstpointer  data)
{
  static const guint positions[] = { 0, 40, 300, 2999, 5950 };
  PdmQuery query = { .table = PDM_TABLE_PERSON, .text = "siti" };
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError) error = NULL;

  test_many_matches (fixture, data);
  expected = query_ids (fixture, "SELECT p.id FROM person_fts f JOIN person p ON p.rowid = f.rowid "
                                 "WHERE person_fts MATCH 'full_name : \"siti\"*' "
                                 "ORDER BY p.full_name, p.id");

  for (guint p = 0; p < G_N_ELEMENTS (positions); p++)
    {
      g_autoptr(GPtrArray) page = pdm_search_page_at (fixture->search, &query, positions[p], 20,
                                                      NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (page->len, ==, MIN (20, expected->len - positions[p]));
      for (guint i = 0; i < page->len; i++)
        g_assert_cmpstr (((PdmRecord *) g_ptr_array_index (page, i))->id, ==,
                         g_ptr_array_index (expected, positions[p] + i));
    }

  query.sort = PDM_SORT_NEWEST;
  ids = walk_ids (fixture, &query, 500);
  g_clear_pointer (&expected, g_ptr_array_unref);
  expected = query_ids (fixture, "SELECT p.id FROM person_fts f JOIN person p ON p.rowid = f.rowid "
                                 "WHERE person_fts MATCH 'full_name : \"siti\"*' "
                                 "ORDER BY p.id DESC");
  assert_same_ids (ids, expected);

  query.sort = PDM_SORT_NAME;
  query.kelurahan_code = "13.75.01.1001";
  query.text = "sit";
  g_clear_pointer (&ids, g_ptr_array_unref);
  ids = walk_ids (fixture, &query, 300);
  g_clear_pointer (&expected, g_ptr_array_unref);
  expected = query_ids (fixture, "SELECT p.id FROM person_fts f JOIN person p ON p.rowid = f.rowid "
                                 "JOIN household h ON h.id = p.household_id "
                                 "WHERE person_fts MATCH 'full_name : \"sit\"*' "
                                 "AND h.kelurahan_code = '13.75.01.1001' "
                                 "ORDER BY p.full_name, p.id");
  assert_same_ids (ids, expected);
  g_assert_cmpuint (count (fixture, &query), ==, expected->len);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  PdmQuery query = { .table = PDM_TABLE_PERSON };
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  add_crowd (fixture, 2000);
  g_cancellable_cancel (cancellable);

  /* SQLite stops in the middle of the walk, through the progress handler. */
  page = pdm_search_page_at (fixture->search, &query, 1500, 10, NULL, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (page);
  g_clear_error (&error);

  query.text = "siti";
  g_assert_false (pdm_search_count (fixture->search, &query, &n, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* Nothing stays interrupted. */
  query.text = NULL;
  page = pdm_search_page_at (fixture->search, &query, 1500, 10, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 10);
}

/* A replica made before the search index gets one, with its rows. */
static void
test_upgrade (void)
{
  g_autofree char *dir = pdm_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "pendamping.db", NULL);
  const PdmSchema *local = pdm_database_get_local_schema ();
  PdmSchema old = { local->application_id, local->migrations, 2 };
  g_autoptr(PdmDatabase) database = NULL;
  g_autoptr(PdmSearch) search = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;
  PdmQuery query = { .table = PDM_TABLE_PERSON, .text = "amin" };

  database = pdm_database_open_with_schema (path, &old, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (pdm_database_get_handle (database),
                                 "INSERT INTO person (id, full_name, _created) "
                                 "VALUES ('a', 'Siti Aminah', ''), ('b', 'Rahmat', '')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_clear_object (&database);

  database = pdm_database_open (path, &error);
  g_assert_no_error (error);
  search = pdm_search_new (database, &error);
  g_assert_no_error (error);
  page = pdm_search_page (search, &query, NULL, 10, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 1);
  g_assert_cmpstr (((PdmRecord *) g_ptr_array_index (page, 0))->id, ==, "a");

  g_clear_object (&search);
  g_clear_object (&database);
  pdm_test_remove_tree (dir);
}

static char *
add_visit (Fixture    *fixture,
           const char *household_id,
           const char *visit_date,
           const char *kind,
           const char *follow_up_date)
{
  g_autoptr(PdmRecord) visit = pdm_record_new (PDM_TABLE_VISIT);
  g_autoptr(GError) error = NULL;

  pdm_record_set (visit, "household_id", household_id);
  pdm_record_set (visit, "visit_date", visit_date);
  pdm_record_set (visit, "kind", kind);
  pdm_record_set (visit, "follow_up_date", follow_up_date);
  g_assert_true (pdm_repository_insert (fixture->repository, visit, &error));
  g_assert_no_error (error);

  return g_strdup (visit->id);
}

/* The ids of @query's rows from @position on, read by jumping there. */
static GPtrArray *
ids_at (Fixture        *fixture,
        const PdmQuery *query,
        guint           position,
        guint           limit)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GError) error = NULL;

  page = pdm_search_page_at (fixture->search, query, position, limit, NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < page->len; i++)
    g_ptr_array_add (ids, g_strdup (((PdmRecord *) g_ptr_array_index (page, i))->id));

  return ids;
}

static void
assert_slice (GPtrArray *found,
              GPtrArray *expected,
              guint      start)
{
  g_assert_cmpuint (found->len, >, 0);
  for (guint i = 0; i < found->len; i++)
    g_assert_cmpstr (g_ptr_array_index (found, i), ==, g_ptr_array_index (expected, start + i));
}

/* Two households' visits, many on one day, one deleted: by date, newest
 * first, page after page and by jumps, whole or of one household or kind. */
static void
test_visits (Fixture       *fixture,
             gconstpointer  data)
{
  static const char * const kinds[] = { "kunjungan rumah", "groundcheck", "rujukan" };
  PdmQuery query = { .table = PDM_TABLE_VISIT, .text = "siti" };
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = add_household (fixture, "Syafri Yanto", NULL, "1375021203150004",
                                          "13.75.02.1002", 2, NULL, NULL);
  g_autofree char *second = add_household (fixture, "Nursiti Rahmah", NULL, "1375021203150005",
                                           "13.75.02.1002", 3, NULL, NULL);
  g_autofree char *deleted = NULL;

  g_assert_true (pdm_repository_begin (fixture->repository, &error));
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *date = g_strdup_printf ("2025-%02u-%02u", 1 + i % 12, 1 + (i * 7) % 5);

      g_free (add_visit (fixture, i % 3 == 0 ? second : first, date, kinds[i % 3], NULL));
    }
  g_assert_true (pdm_repository_commit (fixture->repository, &error));
  deleted = add_visit (fixture, first, "2026-01-01", "rujukan", NULL);
  g_assert_true (pdm_repository_delete (fixture->repository, PDM_TABLE_VISIT, deleted, &error));
  g_assert_no_error (error);

  /* A visit has no text to search: the text changes nothing. */
  expected = query_ids (fixture, "SELECT id FROM visit WHERE deleted = 0 "
                                 "ORDER BY visit_date DESC, id DESC");
  g_assert_cmpuint (count (fixture, &query), ==, 300);
  for (guint size = 1; size <= 41; size += 20)
    {
      g_autoptr(GPtrArray) ids = walk_ids (fixture, &query, size);

      assert_same_ids (ids, expected);
    }
  {
    g_autoptr(GPtrArray) ids = ids_at (fixture, &query, 270, 50);

    g_assert_cmpuint (ids->len, ==, 30);
    assert_slice (ids, expected, 270);
  }

  /* The visit history of one household, of one kind. */
  query.household_id = second;
  g_clear_pointer (&expected, g_ptr_array_unref);
  expected = query_ids (fixture, "SELECT v.id FROM visit v JOIN household h ON h.id = v.household_id "
                                 "WHERE h.head_name = 'Nursiti Rahmah' "
                                 "ORDER BY v.visit_date DESC, v.id DESC");
  g_assert_cmpuint (count (fixture, &query), ==, 100);
  {
    g_autoptr(GPtrArray) ids = walk_ids (fixture, &query, 9);

    assert_same_ids (ids, expected);
  }

  query.household_id = NULL;
  query.visit_kind = "groundcheck";
  g_clear_pointer (&expected, g_ptr_array_unref);
  expected = query_ids (fixture, "SELECT id FROM visit WHERE kind = 'groundcheck' AND deleted = 0 "
                                 "ORDER BY visit_date DESC, id DESC");
  g_assert_cmpuint (count (fixture, &query), ==, 100);
  {
    g_autoptr(GPtrArray) ids = walk_ids (fixture, &query, 30);

    assert_same_ids (ids, expected);
  }

  /* Undo brings the deleted visit back, first as the newest. */
  g_assert_true (pdm_repository_restore (fixture->repository, PDM_TABLE_VISIT, deleted, &error));
  query.visit_kind = NULL;
  {
    g_autoptr(GPtrArray) ids = ids_at (fixture, &query, 0, 1);

    g_assert_cmpstr (g_ptr_array_index (ids, 0), ==, deleted);
  }
}

/* Follow-ups due by today first, the most overdue first, then the other
 * visits by date, newest first; the order holds across pages. */
static void
test_visit_follow_ups (Fixture       *fixture,
                       gconstpointer  data)
{
  PdmQuery query = { .table = PDM_TABLE_VISIT, .sort = PDM_SORT_FOLLOW_UP };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) tomorrow_time = g_date_time_add_days (now, 1);
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *tomorrow = g_date_time_format (tomorrow_time, "%Y-%m-%d");
  g_autofree char *household = add_household (fixture, "Syafri Yanto", NULL, "1375021203150004",
                                               "13.75.02.1002", 2, NULL, NULL);
  g_autofree char *due_today = add_visit (fixture, household, "2025-01-10", "rujukan", today);
  g_autofree char *overdue = add_visit (fixture, household, "2025-01-05", "rujukan", "2025-02-01");
  g_autofree char *later = add_visit (fixture, household, "2025-03-01", "rujukan", tomorrow);
  g_autofree char *newest = add_visit (fixture, household, "2025-04-01", "groundcheck", NULL);
  g_autofree char *oldest = add_visit (fixture, household, "2024-12-31", "groundcheck", NULL);
  const char *expected[] = { overdue, due_today, newest, later, oldest };

  for (guint size = 1; size <= 5; size += 2)
    {
      g_autoptr(GPtrArray) ids = walk_ids (fixture, &query, size);

      g_assert_cmpuint (ids->len, ==, G_N_ELEMENTS (expected));
      for (guint i = 0; i < ids->len; i++)
        g_assert_cmpstr (g_ptr_array_index (ids, i), ==, expected[i]);
    }
  g_assert_cmpuint (count (fixture, &query), ==, 5);
}

/* The members of one household, by name, whatever the other filters. */
static void
test_members (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *other = add_household (fixture, "Nursiti Rahmah", NULL, "1375021203150005",
                                          "13.75.02.1002", 3, NULL, NULL);
  PdmQuery query = { .table = PDM_TABLE_PERSON };
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) expected = NULL;
  g_autofree char *household = NULL;

  add_aminah_family (fixture);
  g_free (add_person (fixture, other, "Aminah Lain", "1375025506050009"));
  expected = query_ids (fixture, "SELECT id FROM person WHERE household_id = "
                                 "(SELECT id FROM household WHERE head_name = 'Syafri Yanto') "
                                 "ORDER BY full_name, id");
  household = pdm_test_query_text (handle (fixture),
                                     "SELECT id FROM household WHERE head_name = 'Syafri Yanto'");
  query.household_id = household;

  ids = walk_ids (fixture, &query, 2);
  assert_same_ids (ids, expected);
  g_assert_cmpuint (count (fixture, &query), ==, 5);

  /* A search within the household. */
  query.text = "aminah";
  g_assert_cmpuint (count (fixture, &query), ==, 2);
  query.household_id = other;
  g_assert_cmpuint (count (fixture, &query), ==, 1);
}

static char *
add_proposal (Fixture    *fixture,
              const char *target_id,
              const char *new_value,
              const char *status)
{
  g_autoptr(PdmRecord) proposal = pdm_record_new (PDM_TABLE_PROPOSAL);
  g_autoptr(GError) error = NULL;

  pdm_record_set (proposal, "target_table", "household");
  pdm_record_set (proposal, "target_id", target_id);
  pdm_record_set (proposal, "field", "address");
  pdm_record_set (proposal, "new_value", new_value);
  pdm_record_set (proposal, "reason", "Pindah rumah");
  pdm_record_set (proposal, "proposer", "Yusniar");
  pdm_record_set (proposal, "status", status);
  g_assert_true (pdm_repository_insert (fixture->repository, proposal, &error));
  g_assert_no_error (error);

  return g_strdup (proposal->id);
}

/* The open proposals of one household, and all of them for the Dinas. */
static void
test_proposals (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *first = add_household (fixture, "Syafri Yanto", NULL, "1375021203150004",
                                          "13.75.02.1002", 2, NULL, NULL);
  g_autofree char *second = add_household (fixture, "Nursiti Rahmah", NULL, "1375021203150005",
                                           "13.75.02.1002", 3, NULL, NULL);
  g_autofree char *open = add_proposal (fixture, first, "Jl. Baru No. 1", "diajukan");
  g_autofree char *deleted = add_proposal (fixture, first, "Jl. Baru No. 2", "diajukan");
  g_autofree char *refused = add_proposal (fixture, first, "Jl. Baru No. 3", "ditolak");
  g_autofree char *other = add_proposal (fixture, second, "Jl. Baru No. 4", "diajukan");
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  PdmRecord *proposal;

  g_assert_true (pdm_repository_delete (fixture->repository, PDM_TABLE_PROPOSAL, deleted, &error));
  g_assert_no_error (error);

  found = pdm_search_list_proposals (fixture->search, first, "diajukan", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  proposal = g_ptr_array_index (found, 0);
  g_assert_cmpstr (proposal->id, ==, open);
  g_assert_cmpstr (pdm_record_get (proposal, "new_value"), ==, "Jl. Baru No. 1");
  g_clear_pointer (&found, g_ptr_array_unref);

  found = pdm_search_list_proposals (fixture->search, NULL, "diajukan", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 2);
  g_clear_pointer (&found, g_ptr_array_unref);

  found = pdm_search_list_proposals (fixture->search, first, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 2);
  g_assert_cmpstr (((PdmRecord *) g_ptr_array_index (found, 1))->id, ==, refused);
}

/* A small city, written as sync would, straight into the tables: 150
 * households in three kelurahan, four members each, with names that
 * repeat, NIKs of the city (some twice, some missing), ids that do not
 * follow the order rows were written in, and every 13th member deleted. */
static void
add_city (Fixture *fixture)
{
  static const char * const names[] = {
    "Siti Aminah", "Siti Rahmah", "Rahmat Siti", "Aminah", "Budi Santoso", "Sitompul", NULL,
  };
  static const char * const kelurahan[] = { "13.75.01.1001", "13.75.02.1002", "13.75.03.1008" };
  static const char * const programs[] = { "PKH", "BPNT", "PKH,BPNT", NULL };
  sqlite3 *db = handle (fixture);
  sqlite3_stmt *household = NULL, *person = NULL;
  char nik[17] = "";

  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO household (id, head_name, address,"
                                           " kelurahan_code, desil, programs, _created)"
                                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, '')",
                                       -1, &household, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO person (id, household_id, nik,"
                                           " full_name, deleted, _created)"
                                           " VALUES (?1, ?2, ?3, ?4, ?5, '')",
                                       -1, &person, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  for (guint h = 0; h < 150; h++)
    {
      g_autofree char *household_id = g_strdup_printf ("%08x", (h * 2654435761u) >> 1);
      const char *code = kelurahan[h % G_N_ELEMENTS (kelurahan)];

      sqlite3_bind_text (household, 1, household_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (household, 2, names[h % 5], -1, SQLITE_STATIC);
      sqlite3_bind_text (household, 3, h % 2 == 0 ? "Jl. Sudirman" : "Jl. Sitapuang", -1,
                         SQLITE_STATIC);
      sqlite3_bind_text (household, 4, code, -1, SQLITE_STATIC);
      sqlite3_bind_int (household, 5, 1 + (h / 3) % 4);
      sqlite3_bind_text (household, 6, programs[h % G_N_ELEMENTS (programs)], -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (household), ==, SQLITE_DONE);
      sqlite3_reset (household);

      for (guint m = 0; m < 4; m++)
        {
          guint i = h * 4 + m;
          g_autofree char *id = g_strdup_printf ("%08x", (i * 2246822519u) >> 1);

          /* Now and then the NIK of the person before, or none. */
          if (i % 50 != 49)
            g_snprintf (nik, sizeof nik, "1375%.2s%010u", code + 6, (i * 7919) % 1000000);
          sqlite3_bind_text (person, 1, id, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (person, 2, household_id, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (person, 3, i % 31 == 0 ? NULL : nik, -1, SQLITE_TRANSIENT);
          sqlite3_bind_text (person, 4, names[i * 3 % G_N_ELEMENTS (names)], -1, SQLITE_STATIC);
          sqlite3_bind_int (person, 5, i % 13 == 5);
          g_assert_cmpint (sqlite3_step (person), ==, SQLITE_DONE);
          sqlite3_reset (person);
        }
    }
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_finalize (household);
  sqlite3_finalize (person);
}

/* Holds @query against @sql, the same list in plain SQL: page after page
 * in several sizes, by jumps, and counted. */
static void
assert_as_sql (Fixture        *fixture,
               const PdmQuery *query,
               const char     *sql)
{
  g_autoptr(GPtrArray) expected = query_ids (fixture, sql);
  guint positions[] = { 0, 1, 49, 50, 63, 255, 256, 300, 0, 0, 0 };

  g_test_message ("%s: %u rows", sql, expected->len);
  g_assert_cmpuint (expected->len, >, 0);
  g_assert_cmpuint (count (fixture, query), ==, expected->len);

  for (guint size = 1; size <= 50; size += 7)
    {
      g_autoptr(GPtrArray) ids = walk_ids (fixture, query, size);

      assert_same_ids (ids, expected);
    }

  positions[G_N_ELEMENTS (positions) - 3] = expected->len / 2;
  positions[G_N_ELEMENTS (positions) - 2] = expected->len - 1;
  positions[G_N_ELEMENTS (positions) - 1] = expected->len;
  for (guint p = 0; p < G_N_ELEMENTS (positions); p++)
    {
      g_autoptr(GPtrArray) ids = ids_at (fixture, query, positions[p], 7);

      g_assert_cmpuint (ids->len, ==, MIN (7, expected->len - MIN (positions[p], expected->len)));
      for (guint i = 0; i < ids->len; i++)
        g_assert_cmpstr (g_ptr_array_index (ids, i), ==,
                         g_ptr_array_index (expected, positions[p] + i));
    }
}

/* The start of a number, four digits or more, lists every number that
 * starts so, in number order, page by page and by jumps, and counts them. */
static void
test_number_prefix (Fixture       *fixture,
                    gconstpointer  data)
{
  PdmQuery query = { .table = PDM_TABLE_PERSON, .text = "1375" };

  add_city (fixture);
  /* The city has more rows than a page, and numbers twice. */
  g_assert_cmpint (pdm_test_query_int (handle (fixture),
                                       "SELECT count(*) - count(DISTINCT nik) FROM person "
                                       "WHERE nik IS NOT NULL"), >, 5);

  assert_as_sql (fixture, &query, "SELECT id FROM person WHERE deleted = 0 "
                                  "AND nik LIKE '1375%' ORDER BY nik, rowid");
  query.text = "1375 02";
  assert_as_sql (fixture, &query, "SELECT id FROM person WHERE deleted = 0 "
                                  "AND nik LIKE '137502%' ORDER BY nik, rowid");
  query.text = "13750300";
  assert_as_sql (fixture, &query, "SELECT id FROM person WHERE deleted = 0 "
                                  "AND nik LIKE '13750300%' ORDER BY nik, rowid");

  query.text = "1375";
  query.sort = PDM_SORT_NEWEST;
  assert_as_sql (fixture, &query, "SELECT id FROM person WHERE deleted = 0 "
                                  "AND nik LIKE '1375%' ORDER BY id DESC");
  query.sort = PDM_SORT_NAME;
  query.kelurahan_code = "13.75.02.1002";
  query.include_deleted = TRUE;
  assert_as_sql (fixture, &query, "SELECT p.id FROM person p "
                                  "JOIN household h ON h.id = p.household_id "
                                  "WHERE h.kelurahan_code = '13.75.02.1002' "
                                  "AND p.nik LIKE '1375%' ORDER BY p.nik, p.rowid");

  /* A whole number held twice lists both, in the order they were stored
   * (not that of their ids), as its start does. */
  {
    g_autofree char *twice = pdm_test_query_text (handle (fixture),
                                                  "SELECT a.nik FROM person a JOIN person b "
                                                  "ON b.nik = a.nik AND b.rowid > a.rowid "
                                                  "AND b.id < a.id LIMIT 1");
    g_autofree char *sql = g_strdup_printf ("SELECT id FROM person WHERE nik = '%s' "
                                            "ORDER BY rowid", twice);
    g_autoptr(GPtrArray) expected = query_ids (fixture, sql);
    PdmQuery whole = { .table = PDM_TABLE_PERSON, .text = twice };
    g_autoptr(GPtrArray) ids = walk_ids (fixture, &whole, 1);

    g_assert_cmpuint (expected->len, ==, 2);
    assert_same_ids (ids, expected);
  }

  /* No number starts so: an empty list, not everyone. */
  query.text = "1376";
  query.kelurahan_code = NULL;
  g_assert_cmpuint (count (fixture, &query), ==, 0);
  g_assert_cmpstr (find_names (fixture, PDM_TABLE_PERSON, "9999"), ==, "");
}

/* Lists of a kelurahan, a desil or a program, with or without text, read
 * in name and newest order, whole or by jumps, with repeated names. */
static void
test_filtered_lists (Fixture       *fixture,
                     gconstpointer  data)
{
  PdmQuery persons = { .table = PDM_TABLE_PERSON, .kelurahan_code = "13.75.01.1001" };
  PdmQuery households = { .table = PDM_TABLE_HOUSEHOLD, .desil = 2, .program = "PKH" };

  add_city (fixture);

  assert_as_sql (fixture, &persons, "SELECT p.id FROM person p "
                                    "JOIN household h ON h.id = p.household_id "
                                    "WHERE h.kelurahan_code = '13.75.01.1001' "
                                    "AND p.deleted = 0 ORDER BY p.full_name, p.id");
  persons.sort = PDM_SORT_NEWEST;
  persons.desil = 3;
  assert_as_sql (fixture, &persons, "SELECT p.id FROM person p "
                                    "JOIN household h ON h.id = p.household_id "
                                    "WHERE h.kelurahan_code = '13.75.01.1001' AND h.desil = 3 "
                                    "AND p.deleted = 0 ORDER BY p.id DESC");
  persons.sort = PDM_SORT_NAME;
  persons.desil = 0;
  persons.text = "siti";
  assert_as_sql (fixture, &persons, "SELECT p.id FROM person p "
                                    "JOIN household h ON h.id = p.household_id "
                                    "WHERE h.kelurahan_code = '13.75.01.1001' "
                                    "AND p.deleted = 0 AND (p.full_name LIKE 'siti %' "
                                    "OR p.full_name LIKE '% siti') ORDER BY p.full_name, p.id");

  assert_as_sql (fixture, &households, "SELECT id FROM household WHERE desil = 2 "
                                       "AND programs LIKE '%PKH%' ORDER BY head_name, id");
  households.text = "sit";
  households.sort = PDM_SORT_NEWEST;
  assert_as_sql (fixture, &households, "SELECT id FROM household WHERE desil = 2 "
                                       "AND programs LIKE '%PKH%' AND (head_name LIKE '%sit%' "
                                       "OR address LIKE '%sit%') ORDER BY id DESC");
}

/* A page read after a write goes on from where the last one ended: the
 * rows before the cursor are not read again, none after it is skipped. */
static void
test_pages_across_writes (Fixture       *fixture,
                          gconstpointer  data)
{
  PdmQuery query = { .table = PDM_TABLE_PERSON, .text = "siti" };
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) next = NULL;
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdmDatabase) other = NULL;
  g_auto(PdmPageCursor) cursor = { 0 };
  g_autofree char *sql = NULL;
  const char *renamed, *deleted;
  guint n;

  add_city (fixture);
  n = count (fixture, &query);
  first = pdm_search_page (fixture->search, &query, NULL, 40, &cursor, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first->len, ==, 40);
  /* The page ends inside a run of one name. */
  g_assert_cmpstr (cursor.key, ==, "Rahmat Siti");

  /* Another connection renames a row already read, deletes one not yet
   * read and adds one that sorts first. */
  renamed = ((PdmRecord *) g_ptr_array_index (first, 10))->id;
  deleted = ((PdmRecord *) g_ptr_array_index (first, 39))->id;
  other = pdm_database_open (fixture->path, &error);
  g_assert_no_error (error);
  sql = g_strdup_printf ("UPDATE person SET full_name = 'Siti Zahara' WHERE id = '%s';"
                         "UPDATE person SET deleted = 1 WHERE id = '%s';"
                         "INSERT INTO person (id, full_name, _created) "
                         "VALUES ('z', 'Aan Siti', '')",
                         renamed, deleted);
  g_assert_cmpint (sqlite3_exec (pdm_database_get_handle (other), sql, NULL, NULL, NULL), ==,
                   SQLITE_OK);

  g_assert_cmpuint (count (fixture, &query), ==, n);
  next = pdm_search_page (fixture->search, &query, &cursor, 1000, NULL, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT id FROM person WHERE deleted = 0 "
                         "AND (full_name LIKE 'siti %%' OR full_name LIKE '%% siti') "
                         "AND (full_name, id) > ('%s', '%s') ORDER BY full_name, id",
                         cursor.key, cursor.id);
  expected = query_ids (fixture, sql);
  g_assert_cmpuint (expected->len, ==, next->len);
  for (guint i = 0; i < next->len; i++)
    g_assert_cmpstr (((PdmRecord *) g_ptr_array_index (next, i))->id, ==,
                     g_ptr_array_index (expected, i));
  g_assert_cmpstr (((PdmRecord *) g_ptr_array_index (next, next->len - 1))->id, ==, renamed);
  g_assert_cmpstr (find_names (fixture, PDM_TABLE_PERSON, "aan"), ==, "Aan Siti");
}

/* What another connection committed is in the next page, whichever
 * column it changed, and so is what this connection writes in a
 * transaction, until it is rolled back. */
static void
test_writes_seen (Fixture       *fixture,
                  gconstpointer  data)
{
  PdmQuery number = { .table = PDM_TABLE_PERSON, .text = "137599" };
  PdmQuery kelurahan = { .table = PDM_TABLE_HOUSEHOLD, .kelurahan_code = "13.75.01.1001",
                         .text = "jl sud" };
  g_autoptr(PdmDatabase) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  sqlite3 *db;
  guint n_moved;

  add_city (fixture);
  g_assert_cmpuint (count (fixture, &number), ==, 0);
  g_assert_cmpuint (count (fixture, &kelurahan), ==, 25);
  g_assert_cmpstr (find_names (fixture, PDM_TABLE_PERSON, "zahara"), ==, "");

  /* A visit, a NIK and kelurahan move no name: the search still sees them. */
  other = pdm_database_open (fixture->path, &error);
  g_assert_no_error (error);
  db = pdm_database_get_handle (other);
  first = pdm_test_query_text (db, "SELECT id FROM person ORDER BY rowid LIMIT 1");
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO visit (id, visit_date, _created) "
                                     "VALUES ('v', '2025-11-25', '');"
                                     "UPDATE person SET nik = '1375990000000001' "
                                     "WHERE rowid = 1;"
                                     "UPDATE household SET kelurahan_code = '13.75.01.1001' "
                                     "WHERE kelurahan_code = '13.75.02.1002';",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  n_moved = (guint) sqlite3_changes (db);
  g_assert_cmpuint (n_moved, ==, 50);
  {
    g_autoptr(GPtrArray) ids = ids_at (fixture, &number, 0, 10);

    g_assert_cmpuint (ids->len, ==, 1);
    g_assert_cmpstr (g_ptr_array_index (ids, 0), ==, first);
  }
  g_assert_cmpuint (count (fixture, &kelurahan), ==, 50);

  /* This connection, inside a transaction, then after a rollback. */
  g_assert_true (pdm_repository_begin (fixture->repository, &error));
  g_assert_cmpint (sqlite3_exec (handle (fixture), "UPDATE person SET full_name = 'Siti Zahara' "
                                                   "WHERE rowid = 1", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpstr (find_names (fixture, PDM_TABLE_PERSON, "zahara"), ==, "Siti Zahara");
  pdm_repository_rollback (fixture->repository);
  g_assert_cmpstr (find_names (fixture, PDM_TABLE_PERSON, "zahara"), ==, "");
}

/* A row far from the others in rowid (a replica that removed and pulled
 * many rows) is listed like any other. */
static void
test_sparse_rowids (Fixture       *fixture,
                    gconstpointer  data)
{
  PdmQuery query = { .table = PDM_TABLE_PERSON, .text = "siti" };

  add_aminah_family (fixture);
  g_assert_cmpint (sqlite3_exec (handle (fixture),
                                 "INSERT INTO person (rowid, id, nik, full_name, _created) "
                                 "VALUES (4000000000, 'far', '1375029999999999', 'Siti Jauh', '')",
                                 NULL, NULL, NULL), ==, SQLITE_OK);

  g_assert_cmpstr (find_names (fixture, PDM_TABLE_PERSON, "siti"), ==, "Siti Aminah, Siti Jauh");
  g_assert_cmpstr (find_names (fixture, PDM_TABLE_PERSON, "137502"), ==,
                   "Zülkifli Dèsmawati, Syafri Yanto, Siti Aminah, Aminah Putri, "
                   "Nursiti Rahmah, Siti Jauh");
  query.kelurahan_code = "13.75.02.1002";
  assert_as_sql (fixture, &query, "SELECT p.id FROM person p "
                                  "JOIN household h ON h.id = p.household_id "
                                  "WHERE h.kelurahan_code = '13.75.02.1002' "
                                  "AND p.full_name LIKE 'siti %' ORDER BY p.full_name, p.id");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ((path), Fixture, NULL, fixture_set_up, (func), fixture_tear_down)

  ADD ("/search/prefix", test_prefix);
  ADD ("/search/special-characters", test_special_characters);
  ADD ("/search/number", test_number);
  ADD ("/search/kk", test_kk);
  ADD ("/search/filters", test_filters);
  ADD ("/search/deleted", test_deleted);
  ADD ("/search/pages", test_pages);
  ADD ("/search/page-at", test_page_at);
  ADD ("/search/rename", test_rename);
  ADD ("/search/many-matches", test_many_matches);
  ADD ("/search/many-matches-orders", test_many_matches_orders);
  ADD ("/search/many-households", test_many_households);
  ADD ("/search/cancel", test_cancel);
  ADD ("/search/visits", test_visits);
  ADD ("/search/visit-follow-ups", test_visit_follow_ups);
  ADD ("/search/members", test_members);
  ADD ("/search/proposals", test_proposals);
  ADD ("/search/number-prefix", test_number_prefix);
  ADD ("/search/filtered-lists", test_filtered_lists);
  ADD ("/search/pages-across-writes", test_pages_across_writes);
  ADD ("/search/writes-seen", test_writes_seen);
  ADD ("/search/sparse-rowids", test_sparse_rowids);
  g_test_add_func ("/search/upgrade", test_upgrade);

#undef ADD

  return g_test_run ();
}
