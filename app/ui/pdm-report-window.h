/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdm-application.h"
#include "pdm-report-doc.h"

G_BEGIN_DECLS

#define PDM_TYPE_REPORT_WINDOW (pdm_report_window_get_type ())

G_DECLARE_FINAL_TYPE (PdmReportWindow, pdm_report_window, PDM, REPORT_WINDOW, AdwWindow)

PdmReportWindow *pdm_report_window_new           (PdmApplication  *application,
                                                  PdmReportDoc    *doc);
PdmReportDoc    *pdm_report_window_get_doc       (PdmReportWindow *self);
void             pdm_report_window_export        (PdmReportWindow *self,
                                                  GFile           *file,
                                                  const char      *format);
gboolean         pdm_report_window_is_exporting  (PdmReportWindow *self);

G_END_DECLS
