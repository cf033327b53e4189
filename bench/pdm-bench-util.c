/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-bench-util"

#include "config.h"

#include <stdlib.h>

#include <glib/gstdio.h>

#include "pdm-bench-util.h"

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Sorts @values in place, smallest first. */
void
pdm_bench_sort (double *values,
                guint   n_values)
{
  qsort (values, n_values, sizeof (double), compare_doubles);
}

/* The median of @values (sorted in place as a side effect); an even count
 * takes the mean of the middle two. */
double
pdm_bench_median (double *values,
                  guint   n_values)
{
  g_return_val_if_fail (n_values > 0, 0);

  pdm_bench_sort (values, n_values);
  if (n_values % 2 == 1)
    return values[n_values / 2];

  return (values[n_values / 2 - 1] + values[n_values / 2]) / 2;
}

/* The value under which @percent % of @values lie, by the nearest rank
 * (sorted in place as a side effect). */
double
pdm_bench_percentile (double *values,
                      guint   n_values,
                      double  percent)
{
  guint rank;

  g_return_val_if_fail (n_values > 0, 0);

  pdm_bench_sort (values, n_values);
  rank = (guint) (percent / 100.0 * n_values + 0.999999);
  rank = CLAMP (rank, 1, n_values);

  return values[rank - 1];
}

/* Milliseconds since @start, a g_get_monotonic_time() reading. */
double
pdm_bench_ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* Removes the SQLite file @path with its WAL and shared-memory files. */
void
pdm_bench_remove_database (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_remove (wal);
  g_remove (shm);
  g_remove (path);
}
