/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdm-application.h"

G_BEGIN_DECLS

#define PDM_TYPE_SYNC_HISTORY_WINDOW (pdm_sync_history_window_get_type ())

G_DECLARE_FINAL_TYPE (PdmSyncHistoryWindow, pdm_sync_history_window, PDM, SYNC_HISTORY_WINDOW,
                      AdwWindow)

PdmSyncHistoryWindow *pdm_sync_history_window_new         (PdmApplication       *application);
guint                 pdm_sync_history_window_get_n_items (PdmSyncHistoryWindow *self);

G_END_DECLS
