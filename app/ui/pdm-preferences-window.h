/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdm-application.h"

G_BEGIN_DECLS

#define PDM_TYPE_PREFERENCES_WINDOW (pdm_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (PdmPreferencesWindow, pdm_preferences_window, PDM, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

PdmPreferencesWindow *pdm_preferences_window_new (PdmApplication *application);

G_END_DECLS
