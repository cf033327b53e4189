/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What every benchmark program needs to turn timings into figures. */
void   pdm_bench_sort            (double     *values,
                                  guint       n_values);
double pdm_bench_median          (double     *values,
                                  guint       n_values);
double pdm_bench_percentile      (double     *values,
                                  guint       n_values,
                                  double      percent);
double pdm_bench_ms_since        (gint64      start);
void   pdm_bench_remove_database (const char *path);

G_END_DECLS
