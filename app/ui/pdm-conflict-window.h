/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdm-application.h"

G_BEGIN_DECLS

#define PDM_TYPE_CONFLICT_WINDOW (pdm_conflict_window_get_type ())

G_DECLARE_FINAL_TYPE (PdmConflictWindow, pdm_conflict_window, PDM, CONFLICT_WINDOW, AdwWindow)

PdmConflictWindow *pdm_conflict_window_new          (PdmApplication    *application);
guint              pdm_conflict_window_get_n_fields (PdmConflictWindow *self);

G_END_DECLS
