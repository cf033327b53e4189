/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-database"

#include "config.h"

#include <glib/gstdio.h>

#include "pdm-database.h"
#include "pdm-error.h"
#include "pdm-test-util.h"

/* Writes @path with a raw connection, bypassing PdmDatabase. */
static void
raw_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
test_new_database_has_regions (void)
{
  g_autofree char *dir = pdm_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "nested", "pendamping.db", NULL);
  g_autoptr(PdmDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *journal_mode = NULL;
  g_autofree char *campago_ipuh = NULL;
  guint n_kelurahan = 0;
  guint n_kecamatan = 0;
  int newest;
  sqlite3 *db;

  database = pdm_database_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (database);
  db = pdm_database_get_handle (database);

  newest = (int) pdm_database_get_local_schema ()->n_migrations;
  g_assert_cmpint (pdm_database_get_schema_version (database), ==, newest);
  g_assert_cmpint (pdm_test_query_int (db, "PRAGMA user_version"), ==, newest);
  g_assert_cmpint (pdm_test_query_int (db, "PRAGMA foreign_keys"), ==, 1);
  journal_mode = pdm_test_query_text (db, "PRAGMA journal_mode");
  g_assert_cmpstr (journal_mode, ==, "wal");

  g_assert_true (pdm_database_count_regions (database, "kelurahan", &n_kelurahan, &error));
  g_assert_true (pdm_database_count_regions (database, "kecamatan", &n_kecamatan, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_kelurahan, ==, 24);
  g_assert_cmpuint (n_kecamatan, ==, 3);

  campago_ipuh = pdm_test_query_text (db, "SELECT name || '/' || parent_code FROM region "
                                 "WHERE code = '13.75.02.1002'");
  g_assert_cmpstr (campago_ipuh, ==, "Campago Ipuh/13.75.02");
  /* Every kelurahan hangs under one of the three kecamatan. */
  g_assert_cmpint (pdm_test_query_int (db, "SELECT count(*) FROM region k JOIN region p "
                                  "ON p.code = k.parent_code AND p.level = 'kecamatan' "
                                  "WHERE k.level = 'kelurahan'"), ==, 24);

  pdm_test_remove_tree (dir);
}

static void
test_reopen_keeps_data (void)
{
  g_autofree char *dir = pdm_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "pendamping.db", NULL);
  g_autoptr(GError) error = NULL;
  guint n_kelurahan = 0;

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(PdmDatabase) database = pdm_database_open (path, &error);

      g_assert_no_error (error);
      g_assert_true (pdm_database_count_regions (database, "kelurahan", &n_kelurahan, &error));
      g_assert_cmpuint (n_kelurahan, ==, 24);
    }

  pdm_test_remove_tree (dir);
}

/* Opening must refuse @path with @code and leave its bytes as they were,
 * with no WAL or journal files beside it. */
static void
assert_refused_untouched (const char *path,
                          int         code)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(PdmDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  gsize before_len, after_len;

  g_assert_true (g_file_get_contents (path, &before, &before_len, NULL));

  database = pdm_database_open (path, &error);
  g_assert_null (database);
  g_assert_error (error, PDM_ERROR, code);
  g_assert_nonnull (strstr (error->message, path));

  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
}

static void
test_foreign_file_refused (void)
{
  g_autofree char *dir = pdm_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "pendamping.db", NULL);
  g_autoptr(GString) text = g_string_new (NULL);

  /* A spreadsheet saved over the database by mistake. */
  for (guint i = 0; i < 200; i++)
    g_string_append_printf (text, "NIK;NAMA;ALAMAT\n137501%010u;Siti;Jl. Sudirman\n", i);
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));

  assert_refused_untouched (path, PDM_ERROR_DATABASE_FOREIGN);
  pdm_test_remove_tree (dir);
}

static void
test_foreign_sqlite_refused (void)
{
  g_autofree char *dir = pdm_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "pendamping.db", NULL);

  raw_exec (path, "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL);"
                  "INSERT INTO invoices (total) VALUES (12.5);");

  assert_refused_untouched (path, PDM_ERROR_DATABASE_FOREIGN);
  pdm_test_remove_tree (dir);
}

static void
test_newer_version_refused (void)
{
  g_autofree char *dir = pdm_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "pendamping.db", NULL);
  g_autoptr(PdmDatabase) database = NULL;
  g_autoptr(GError) error = NULL;

  database = pdm_database_open (path, &error);
  g_assert_no_error (error);
  g_clear_object (&database);

  /* As a future Pendamping would leave it: checkpointed, schema 99. */
  raw_exec (path, "PRAGMA user_version = 99; PRAGMA journal_mode = DELETE;");

  assert_refused_untouched (path, PDM_ERROR_DATABASE_TOO_NEW);
  pdm_test_remove_tree (dir);
}

static void
test_folder_in_the_way (void)
{
  g_autofree char *dir = pdm_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "pendamping.db", NULL);
  g_autoptr(PdmDatabase) database = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);

  database = pdm_database_open (path, &error);
  g_assert_null (database);
  g_assert_error (error, PDM_ERROR, PDM_ERROR_DATABASE_OPEN);

  pdm_test_remove_tree (dir);
}

static gboolean
fail_migration (sqlite3  *db,
                GError  **error)
{
  g_set_error_literal (error, PDM_ERROR, PDM_ERROR_INVALID_DATA, "broken step");
  return FALSE;
}

static void
test_failed_migration_changes_nothing (void)
{
  g_autofree char *dir = pdm_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "pendamping.db", NULL);
  const PdmSchema *local = pdm_database_get_local_schema ();
  guint newest = local->n_migrations;
  g_autofree PdmMigration *migrations = g_new0 (PdmMigration, newest + 1);
  PdmSchema broken;
  g_autoptr(PdmDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  database = pdm_database_open (path, &error);
  g_assert_no_error (error);
  g_clear_object (&database);

  /* The next step creates a table and then fails: the table must not survive. */
  memcpy (migrations, local->migrations, newest * sizeof (PdmMigration));
  migrations[newest] = (PdmMigration) { newest + 1, "CREATE TABLE half_done (x);", fail_migration };
  broken = (PdmSchema) { local->application_id, migrations, newest + 1 };

  database = pdm_database_open_with_schema (path, &broken, &error);
  g_assert_null (database);
  g_assert_error (error, PDM_ERROR, PDM_ERROR_INVALID_DATA);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (pdm_test_query_int (db, "PRAGMA user_version"), ==, newest);
  g_assert_cmpint (pdm_test_query_int (db, "SELECT count(*) FROM sqlite_master WHERE name = 'half_done'"),
                   ==, 0);
  sqlite3_close (db);

  pdm_test_remove_tree (dir);
}

static void
test_default_path_override (void)
{
  g_autofree char *dir = pdm_test_make_tmp_dir ();
  g_autofree char *expected = g_build_filename (dir, "pendamping.db", NULL);
  g_autofree char *path = NULL;

  g_setenv ("PENDAMPING_DATA_DIR", dir, TRUE);
  path = pdm_database_get_default_path ();
  g_unsetenv ("PENDAMPING_DATA_DIR");

  g_assert_cmpstr (path, ==, expected);
  pdm_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/database/new-file/regions", test_new_database_has_regions);
  g_test_add_func ("/database/reopen", test_reopen_keeps_data);
  g_test_add_func ("/database/refuse/foreign-file", test_foreign_file_refused);
  g_test_add_func ("/database/refuse/foreign-sqlite", test_foreign_sqlite_refused);
  g_test_add_func ("/database/refuse/newer-version", test_newer_version_refused);
  g_test_add_func ("/database/refuse/folder", test_folder_in_the_way);
  g_test_add_func ("/database/migration/atomic", test_failed_migration_changes_nothing);
  g_test_add_func ("/database/default-path/override", test_default_path_override);

  return g_test_run ();
}
