/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pdm-sync-engine.h"

G_BEGIN_DECLS

/* What the header bar shows about sync. */
typedef enum
{
  PDM_SYNC_STATE_IDLE,           /* nothing to do, or waiting for the next trigger */
  PDM_SYNC_STATE_SYNCING,        /* a run is under way */
  PDM_SYNC_STATE_WAITING_RETRY,  /* the last run failed; another follows after a delay */
  PDM_SYNC_STATE_OFFLINE,        /* no network: sync resumes when it is back */
  PDM_SYNC_STATE_UNAUTHORIZED,   /* not enrolled, or the token was revoked */
} PdmSyncState;

#define PDM_TYPE_SYNC_STATE (pdm_sync_state_get_type ())
GType pdm_sync_state_get_type (void) G_GNUC_CONST;

#define PDM_TYPE_SYNC_SCHEDULER (pdm_sync_scheduler_get_type ())

G_DECLARE_FINAL_TYPE (PdmSyncScheduler, pdm_sync_scheduler, PDM, SYNC_SCHEDULER, GObject)

PdmSyncScheduler *pdm_sync_scheduler_new                 (PdmSyncEngine    *engine,
                                                          GNetworkMonitor  *network_monitor);
PdmSyncEngine    *pdm_sync_scheduler_get_engine          (PdmSyncScheduler *self);
void              pdm_sync_scheduler_start               (PdmSyncScheduler *self);
void              pdm_sync_scheduler_notify_local_change (PdmSyncScheduler *self);
void              pdm_sync_scheduler_sync_now            (PdmSyncScheduler *self);

PdmSyncState      pdm_sync_scheduler_get_state           (PdmSyncScheduler *self);
guint             pdm_sync_scheduler_get_pending         (PdmSyncScheduler *self);
gint64            pdm_sync_scheduler_get_last_sync       (PdmSyncScheduler *self);
const char       *pdm_sync_scheduler_get_last_error      (PdmSyncScheduler *self);
guint             pdm_sync_scheduler_get_retry_delay_ms  (PdmSyncScheduler *self);

G_END_DECLS
