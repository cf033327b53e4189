/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pdm-report-doc.h"

G_BEGIN_DECLS

gboolean pdm_report_doc_write_pdf (PdmReportDoc  *doc,
                                   const char    *path,
                                   GCancellable  *cancellable,
                                   GError       **error);

G_END_DECLS
