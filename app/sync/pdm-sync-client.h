/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PDM_SYNC_ERROR (pdm_sync_error_quark ())

/* What can go wrong between the app and the server; each error carries a
 * translated message that names the server. */
typedef enum
{
  PDM_SYNC_ERROR_INVALID_URL,   /* the configured address is not an http(s) URL */
  PDM_SYNC_ERROR_UNREACHABLE,   /* no connection: refused, DNS, timeout, TLS */
  PDM_SYNC_ERROR_BAD_RESPONSE,  /* an answer that is not the Pendamping protocol */
  PDM_SYNC_ERROR_INCOMPATIBLE,  /* the server speaks another protocol version */
  PDM_SYNC_ERROR_SERVER_ERROR,  /* the server answered 5xx */
  PDM_SYNC_ERROR_UNAUTHORIZED,  /* not enrolled, or the token was revoked */
  PDM_SYNC_ERROR_CLOCK,         /* the server refused stamps from a clock ahead of its own */
  PDM_SYNC_ERROR_REFUSED,       /* the enrollment code is unknown, used or expired */
} PdmSyncError;

GQuark pdm_sync_error_quark (void);

#define PDM_TYPE_SERVER_HEALTH (pdm_server_health_get_type ())

typedef struct
{
  char *status;
  char *version;
  int   protocol_version;
  char *server_id;
} PdmServerHealth;

GType            pdm_server_health_get_type (void) G_GNUC_CONST;
PdmServerHealth *pdm_server_health_copy     (const PdmServerHealth *health);
void             pdm_server_health_free     (PdmServerHealth       *health);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdmServerHealth, pdm_server_health_free)

#define PDM_TYPE_SYNC_CLIENT (pdm_sync_client_get_type ())

G_DECLARE_FINAL_TYPE (PdmSyncClient, pdm_sync_client, PDM, SYNC_CLIENT, GObject)

gboolean         pdm_sync_client_validate_url        (const char           *url,
                                                      GError              **error);

PdmSyncClient   *pdm_sync_client_new                 (const char           *server_url);
const char      *pdm_sync_client_get_server_url      (PdmSyncClient        *self);

void             pdm_sync_client_check_health_async  (PdmSyncClient        *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
PdmServerHealth *pdm_sync_client_check_health_finish (PdmSyncClient        *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

G_END_DECLS
