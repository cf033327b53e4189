/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pdm-token-store.h"

G_BEGIN_DECLS

/* What a running sync is doing, for the progress shown in the header bar. */
typedef enum
{
  PDM_SYNC_PHASE_CONNECTING,
  PDM_SYNC_PHASE_PUSHING,
  PDM_SYNC_PHASE_PULLING,
} PdmSyncPhase;

#define PDM_TYPE_SYNC_PHASE (pdm_sync_phase_get_type ())
GType pdm_sync_phase_get_type (void) G_GNUC_CONST;

/* What one sync run did. */
typedef struct
{
  guint pushed;    /* local writes the server took */
  guint refused;   /* local writes it refused, now in the quarantine */
  guint pulled;    /* remote writes merged here */
  guint removed;   /* records deleted here because they left the scope */
  guint pending;   /* local writes still to send (made during the run) */
} PdmSyncReport;

#define PDM_TYPE_SYNC_REPORT (pdm_sync_report_get_type ())

GType          pdm_sync_report_get_type (void) G_GNUC_CONST;
PdmSyncReport *pdm_sync_report_copy     (const PdmSyncReport *report);
void           pdm_sync_report_free     (PdmSyncReport       *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdmSyncReport, pdm_sync_report_free)

/* What the database says about sync, for the header bar and Preferences. */
typedef struct
{
  char   *server_id;       /* NULL while not enrolled */
  char   *kelurahan_code;  /* NULL for a city-wide (Dinas) device */
  char   *device_name;
  gint64  last_sync;       /* Unix time of the last good sync, 0 for never */
  char   *last_error;      /* the last run's error, NULL after a good one */
  guint   pending;         /* local writes still to send */
  guint   quarantined;     /* records with writes the server refused */
} PdmSyncStatus;

#define PDM_TYPE_SYNC_STATUS (pdm_sync_status_get_type ())

GType          pdm_sync_status_get_type (void) G_GNUC_CONST;
PdmSyncStatus *pdm_sync_status_copy     (const PdmSyncStatus *status);
void           pdm_sync_status_free     (PdmSyncStatus       *status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdmSyncStatus, pdm_sync_status_free)

#define PDM_TYPE_SYNC_ENGINE (pdm_sync_engine_get_type ())

G_DECLARE_FINAL_TYPE (PdmSyncEngine, pdm_sync_engine, PDM, SYNC_ENGINE, GObject)

PdmSyncEngine *pdm_sync_engine_new               (const char           *database_path,
                                                  const char           *server_url);
const char    *pdm_sync_engine_get_database_path (PdmSyncEngine        *self);
const char    *pdm_sync_engine_get_server_url    (PdmSyncEngine        *self);
PdmTokenStore *pdm_sync_engine_get_token_store   (PdmSyncEngine        *self);
gboolean       pdm_sync_engine_get_busy          (PdmSyncEngine        *self);

void           pdm_sync_engine_enroll_async      (PdmSyncEngine        *self,
                                                  const char           *code,
                                                  const char           *device_name,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean       pdm_sync_engine_enroll_finish     (PdmSyncEngine        *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

void           pdm_sync_engine_sync_async        (PdmSyncEngine        *self,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
PdmSyncReport *pdm_sync_engine_sync_finish       (PdmSyncEngine        *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

void           pdm_sync_engine_get_status_async  (PdmSyncEngine        *self,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
PdmSyncStatus *pdm_sync_engine_get_status_finish (PdmSyncEngine        *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

G_END_DECLS
