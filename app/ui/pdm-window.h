/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdm-application.h"

G_BEGIN_DECLS

#define PDM_TYPE_WINDOW (pdm_window_get_type ())

G_DECLARE_FINAL_TYPE (PdmWindow, pdm_window, PDM, WINDOW, AdwApplicationWindow)

PdmWindow  *pdm_window_new                 (PdmApplication *application);
void        pdm_window_show_database_error (PdmWindow      *self,
                                            const GError   *error);
const char *pdm_window_get_visible_page    (PdmWindow      *self);
void        pdm_window_add_toast           (PdmWindow      *self,
                                            AdwToast       *toast);
void        pdm_window_export_households   (PdmWindow      *self,
                                            GFile          *file);

G_END_DECLS
