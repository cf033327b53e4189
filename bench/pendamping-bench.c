/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pendamping-bench"

#include "config.h"

#include <glib/gstdio.h>

#include "pdm-database.h"

/* Prints one `NAME VALUE UNIT` line per figure. Each figure is the median of
 * several rounds, and each stands beside a plain-SQLite baseline measured in
 * the same run on the same disk. */

#define ROUNDS 25

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n_values)
{
  qsort (values, n_values, sizeof (double), compare_doubles);

  return values[n_values / 2];
}

static void
remove_database (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_remove (wal);
  g_remove (shm);
  g_remove (path);
}

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
        remove_database (path);
      start = g_get_monotonic_time ();
      database = pdm_database_open (path, &error);
      ms[i] = (g_get_monotonic_time () - start) / 1000.0;
      if (database == NULL)
        g_error ("%s", error->message);
    }

  return median (ms, ROUNDS);
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

  return median (ms, ROUNDS);
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

  remove_database (path);
  g_rmdir (dir);

  return 0;
}
