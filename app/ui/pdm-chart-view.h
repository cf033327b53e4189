/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pdm-report-doc.h"

G_BEGIN_DECLS

#define PDM_TYPE_CHART_VIEW (pdm_chart_view_get_type ())

G_DECLARE_FINAL_TYPE (PdmChartView, pdm_chart_view, PDM, CHART_VIEW, GtkWidget)

GtkWidget            *pdm_chart_view_new             (PdmReportDoc         *doc,
                                                      const PdmReportChart *chart);
const PdmReportChart *pdm_chart_view_get_chart       (PdmChartView         *self);
const char           *pdm_chart_view_get_label       (PdmChartView         *self);
const char           *pdm_chart_view_get_description (PdmChartView         *self);

G_END_DECLS
