/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>

#include "pdm-report-doc.h"

G_BEGIN_DECLS

/* Sizes are in user units: points on paper. A widget that wants larger text
 * scales @cr and divides its size by the same factor. */
double pdm_chart_get_height_for_width (const PdmReportChart *chart,
                                       double                width);
void   pdm_chart_draw                 (cairo_t              *cr,
                                       const PdmReportChart *chart,
                                       double                width,
                                       double                height);

G_END_DECLS
