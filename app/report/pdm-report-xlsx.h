/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "pdm-report-doc.h"

G_BEGIN_DECLS

/* Excel's rules for a worksheet's name. */
#define PDM_XLSX_SHEET_NAME_MAX 31

gboolean  pdm_report_doc_write_xlsx  (PdmReportDoc  *doc,
                                      const char    *path,
                                      GError       **error);

char     *pdm_xlsx_sheet_name        (const char    *name,
                                      GPtrArray     *taken);

G_END_DECLS
