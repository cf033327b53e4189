/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdm-application.h"
#include "pdm-import.h"

G_BEGIN_DECLS

#define PDM_TYPE_IMPORT_WINDOW (pdm_import_window_get_type ())

G_DECLARE_FINAL_TYPE (PdmImportWindow, pdm_import_window, PDM, IMPORT_WINDOW, AdwWindow)

/* The DTSEN import: a file is chosen, checked (nothing saved), its report
 * read, then applied; "import.choose", "import.apply" and "import.cancel"
 * are its actions. */
PdmImportWindow       *pdm_import_window_new        (PdmApplication  *application);
void                   pdm_import_window_check_file (PdmImportWindow *self,
                                                     GFile           *file);
const PdmImportReport *pdm_import_window_get_report (PdmImportWindow *self);

G_END_DECLS
