/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "pdm-sync-client.h"

G_BEGIN_DECLS

/* The wire helpers the health check shares with the sync engine. They hold
 * no state, so the engine's worker thread may call them with its own session. */

#define PDM_SYNC_TIMEOUT_SECONDS 10

SoupSession     *_pdm_sync_session_new        (void);
SoupMessage     *_pdm_sync_message_new        (const char    *server_url,
                                               const char    *method,
                                               const char    *endpoint);
GError          *_pdm_sync_transport_error    (const char    *server_url,
                                               const GError  *error);
const char      *_pdm_sync_get_string_member  (JsonObject    *object,
                                               const char    *name);
JsonObject      *_pdm_sync_read_answer        (const char    *server_url,
                                               SoupMessage   *msg,
                                               GBytes        *body,
                                               GError       **error);
PdmServerHealth *_pdm_sync_health_from_json   (const char    *server_url,
                                               JsonObject    *object,
                                               GError       **error);

G_END_DECLS
