/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  PDM_SYNC_INDICATOR_NO_SERVER,
  PDM_SYNC_INDICATOR_CHECKING,
  PDM_SYNC_INDICATOR_CONNECTED,
  PDM_SYNC_INDICATOR_FAILED,
} PdmSyncIndicatorState;

#define PDM_TYPE_SYNC_INDICATOR (pdm_sync_indicator_get_type ())

G_DECLARE_FINAL_TYPE (PdmSyncIndicator, pdm_sync_indicator, PDM, SYNC_INDICATOR, GtkWidget)

const char            *pdm_sync_indicator_get_server_url (PdmSyncIndicator *self);
void                   pdm_sync_indicator_set_server_url (PdmSyncIndicator *self,
                                                          const char       *server_url);
PdmSyncIndicatorState  pdm_sync_indicator_get_state      (PdmSyncIndicator *self);
const char            *pdm_sync_indicator_get_summary    (PdmSyncIndicator *self);
const char            *pdm_sync_indicator_get_detail     (PdmSyncIndicator *self);
void                   pdm_sync_indicator_check          (PdmSyncIndicator *self);

G_END_DECLS
