/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "pdm-application.h"

G_BEGIN_DECLS

typedef enum
{
  PDM_SYNC_INDICATOR_NO_SERVER,
  PDM_SYNC_INDICATOR_CHECKING,
  PDM_SYNC_INDICATOR_CONNECTED,
  PDM_SYNC_INDICATOR_FAILED,
  /* Once a server is set and this computer is enrolled (or was): */
  PDM_SYNC_INDICATOR_NOT_ENROLLED,
  PDM_SYNC_INDICATOR_OFFLINE,
  PDM_SYNC_INDICATOR_PENDING,
  PDM_SYNC_INDICATOR_SYNCING,
  PDM_SYNC_INDICATOR_SYNCED,
  PDM_SYNC_INDICATOR_ERROR,
} PdmSyncIndicatorState;

#define PDM_TYPE_SYNC_INDICATOR (pdm_sync_indicator_get_type ())

G_DECLARE_FINAL_TYPE (PdmSyncIndicator, pdm_sync_indicator, PDM, SYNC_INDICATOR, GtkWidget)

void                   pdm_sync_indicator_set_application (PdmSyncIndicator *self,
                                                           PdmApplication   *application);
const char            *pdm_sync_indicator_get_server_url (PdmSyncIndicator *self);
void                   pdm_sync_indicator_set_server_url (PdmSyncIndicator *self,
                                                          const char       *server_url);
PdmSyncIndicatorState  pdm_sync_indicator_get_state      (PdmSyncIndicator *self);
const char            *pdm_sync_indicator_get_summary    (PdmSyncIndicator *self);
const char            *pdm_sync_indicator_get_detail     (PdmSyncIndicator *self);
void                   pdm_sync_indicator_check          (PdmSyncIndicator *self);
guint                  pdm_sync_indicator_get_n_conflicts (PdmSyncIndicator *self);
guint                  pdm_sync_indicator_get_n_quarantined (PdmSyncIndicator *self);

G_END_DECLS
