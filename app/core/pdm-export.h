/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pdm-database.h"

G_BEGIN_DECLS

/* Excel in Indonesian settings splits CSV on `;`. */
#define PDM_EXPORT_DEFAULT_SEPARATOR ';'

/* Households and their members as a DTSEN spreadsheet in the template's
 * layout (pdm-import.h), so that an export imports again unchanged. */
GBytes   *pdm_export_dtsen_csv        (PdmDatabase          *database,
                                       const char           *kelurahan_code,
                                       char                  separator,
                                       GCancellable         *cancellable,
                                       GError              **error);

/* The same in a worker thread with its own connection, written to @file. */
void      pdm_export_dtsen_csv_async  (PdmDatabase          *database,
                                       const char           *kelurahan_code,
                                       char                  separator,
                                       GFile                *file,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
gboolean  pdm_export_dtsen_csv_finish (PdmDatabase          *database,
                                       GAsyncResult         *result,
                                       GError              **error);

G_END_DECLS
