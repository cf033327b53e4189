/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pendamping-bench"

#include "config.h"

#include <glib/gstdio.h>

#include "pdm-bench-util.h"
#include "pdm-database.h"
#include "pdm-repository.h"
#include "pdm-uuid.h"

/* Prints one `NAME VALUE UNIT` line per figure. Each figure is the median of
 * several rounds, and each stands beside a plain-SQLite baseline measured in
 * the same run on the same disk. */

#define ROUNDS 25
#define N_PERSONS 100000

/* Median time of pdm_database_open(): on a fresh file (create and migrate)
 * when @fresh, else on the file the previous round left. */
static double
bench_open (const char *path,
            gboolean    fresh)
{
  double ms[ROUNDS];

  for (guint i = 0; i < ROUNDS; i++)
    {
      g_autoptr(PdmDatabase) database = NULL;
      g_autoptr(GError) error = NULL;
      gint64 start;

      if (fresh)
        pdm_bench_remove_database (path);
      start = g_get_monotonic_time ();
      database = pdm_database_open (path, &error);
      ms[i] = (g_get_monotonic_time () - start) / 1000.0;
      if (database == NULL)
        g_error ("%s", error->message);
    }

  return pdm_bench_median (ms, ROUNDS);
}

/* The least any open can cost: sqlite3_open and one read of the header. */
static double
bench_plain_sqlite_open (const char *path)
{
  double ms[ROUNDS];

  for (guint i = 0; i < ROUNDS; i++)
    {
      sqlite3 *db = NULL;
      gint64 start;

      start = g_get_monotonic_time ();
      if (sqlite3_open (path, &db) != SQLITE_OK ||
          sqlite3_exec (db, "PRAGMA user_version", NULL, NULL, NULL) != SQLITE_OK)
        g_error ("%s", sqlite3_errmsg (db));
      sqlite3_close (db);
      ms[i] = (g_get_monotonic_time () - start) / 1000.0;
    }

  return pdm_bench_median (ms, ROUNDS);
}

static const char * const given_names[] = {
  "Siti", "Nurhayati", "Rahmat", "Yusuf", "Dewi", "Hendra", "Rina", "Fauzi", "Aisyah", "Budi",
};
static const char * const family_names[] = {
  "Chaniago", "Piliang", "Koto", "Sikumbang", "Tanjung", "Jambak", "Caniago", "Guci",
};

/* The person fields of the i-th synthetic member, the same for both runs. */
static void
fill_person (PdmRecord  *person,
             guint       i,
             const char *household_id)
{
  char nik[17], name[64], birth_date[11];
  guint day = 1 + i % 28, month = 1 + i % 12, year = 1950 + i % 60;
  gboolean woman = i % 2 == 1;

  g_snprintf (nik, sizeof nik, "13750%u%02u%02u%02u%04u", 1 + i % 3, day + (woman ? 40 : 0),
              month, year % 100, 1 + i % 9999);
  g_snprintf (name, sizeof name, "%s %s", given_names[i % G_N_ELEMENTS (given_names)],
              family_names[(i / 7) % G_N_ELEMENTS (family_names)]);
  g_snprintf (birth_date, sizeof birth_date, "%04u-%02u-%02u", year, month, day);

  pdm_record_set (person, "household_id", household_id);
  pdm_record_set (person, "nik", nik);
  pdm_record_set (person, "full_name", name);
  pdm_record_set (person, "sex", woman ? "P" : "L");
  pdm_record_set (person, "birth_place", "Bukittinggi");
  pdm_record_set (person, "birth_date", birth_date);
  pdm_record_set (person, "relationship", i % 4 == 0 ? "Kepala Keluarga" : "Anak");
  pdm_record_set (person, "deleted", "0");
}

static void
check_sqlite (sqlite3 *db,
              int      rc)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    g_error ("%s", sqlite3_errmsg (db));
}

/* The baseline: the same rows through one prepared INSERT into the same
 * schema (tables, indexes, search triggers, pragmas), without change
 * capture: no clock, no field stamps, no outbox. */
static double
bench_plain_insert (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "plain.db", NULL);
  g_autoptr(PdmRecord) person = pdm_record_new (PDM_TABLE_PERSON);
  g_autoptr(PdmDatabase) database = NULL;
  g_autoptr(GError) error = NULL;
  const PdmTableInfo *info = person->info;
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  char household_id[PDM_UUID_LEN + 1];
  gint64 start;
  double seconds;

  pdm_bench_remove_database (path);
  database = pdm_database_open (path, &error);
  if (database == NULL)
    g_error ("%s", error->message);
  db = pdm_database_get_handle (database);
  check_sqlite (db, sqlite3_prepare_v2 (db,
                                        "INSERT INTO person (id, household_id, nik, full_name,"
                                        " sex, birth_place, birth_date, relationship, disability,"
                                        " notes, deleted, _created)"
                                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, '')",
                                        -1, &stmt, NULL));

  start = g_get_monotonic_time ();
  check_sqlite (db, sqlite3_exec (db, "BEGIN", NULL, NULL, NULL));
  for (guint i = 0; i < N_PERSONS; i++)
    {
      char id[PDM_UUID_LEN + 1];

      if (i % 4 == 0)
        pdm_uuid_v7_generate (household_id);
      fill_person (person, i, household_id);
      pdm_uuid_v7_generate (id);
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      for (guint f = 0; f < info->n_fields; f++)
        sqlite3_bind_text (stmt, f + 2, person->values[f], -1, SQLITE_TRANSIENT);
      check_sqlite (db, sqlite3_step (stmt));
      sqlite3_reset (stmt);
    }
  check_sqlite (db, sqlite3_exec (db, "COMMIT", NULL, NULL, NULL));
  seconds = (g_get_monotonic_time () - start) / 1e6;

  sqlite3_finalize (stmt);
  g_clear_object (&database);
  pdm_bench_remove_database (path);

  return seconds;
}

/* The same rows through the repository: each insert is stamped with the
 * device clock and appended to the outbox in the same transaction. */
static double
bench_captured_insert (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "captured.db", NULL);
  g_autoptr(PdmDatabase) database = NULL;
  g_autoptr(PdmRepository) repository = NULL;
  g_autoptr(GError) error = NULL;
  char household_id[PDM_UUID_LEN + 1];
  gint64 start;
  double seconds;

  pdm_bench_remove_database (path);
  database = pdm_database_open (path, &error);
  if (database != NULL)
    repository = pdm_repository_new (database, &error);
  if (repository == NULL)
    g_error ("%s", error->message);

  start = g_get_monotonic_time ();
  if (!pdm_repository_begin (repository, &error))
    g_error ("%s", error->message);
  for (guint i = 0; i < N_PERSONS; i++)
    {
      g_autoptr(PdmRecord) person = pdm_record_new (PDM_TABLE_PERSON);

      if (i % 4 == 0)
        pdm_uuid_v7_generate (household_id);
      fill_person (person, i, household_id);
      if (!pdm_repository_insert (repository, person, &error))
        g_error ("%s", error->message);
    }
  if (!pdm_repository_commit (repository, &error))
    g_error ("%s", error->message);
  seconds = (g_get_monotonic_time () - start) / 1e6;

  g_clear_object (&repository);
  g_clear_object (&database);
  pdm_bench_remove_database (path);

  return seconds;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  double create_ms, open_ms, baseline_ms;

  dir = g_dir_make_tmp ("pendamping-bench-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  path = g_build_filename (dir, "pendamping.db", NULL);

  create_ms = bench_open (path, TRUE);
  open_ms = bench_open (path, FALSE);
  baseline_ms = bench_plain_sqlite_open (path);

  g_print ("database_create_and_migrate %.3f ms\n", create_ms);
  g_print ("database_open_existing %.3f ms\n", open_ms);
  g_print ("baseline_sqlite_open %.3f ms\n", baseline_ms);
  g_print ("database_open_existing_vs_baseline %.2f x\n", open_ms / baseline_ms);

  {
    double plain_s = bench_plain_insert (dir);
    double captured_s = bench_captured_insert (dir);

    g_print ("insert_persons_plain %.0f rows/s\n", N_PERSONS / plain_s);
    g_print ("insert_persons_captured %.0f rows/s\n", N_PERSONS / captured_s);
    g_print ("insert_persons_capture_overhead %.2f x\n", captured_s / plain_s);
  }

  pdm_bench_remove_database (path);
  g_rmdir (dir);

  return 0;
}
