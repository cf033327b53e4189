/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdm-application.h"

G_BEGIN_DECLS

#define PDM_TYPE_QUARANTINE_WINDOW (pdm_quarantine_window_get_type ())

G_DECLARE_FINAL_TYPE (PdmQuarantineWindow, pdm_quarantine_window, PDM, QUARANTINE_WINDOW, AdwWindow)

PdmQuarantineWindow *pdm_quarantine_window_new         (PdmApplication      *application);
guint                pdm_quarantine_window_get_n_items (PdmQuarantineWindow *self);

G_END_DECLS
