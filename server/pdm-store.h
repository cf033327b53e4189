/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PDM_TYPE_STORE (pdm_store_get_type ())

G_DECLARE_INTERFACE (PdmStore, pdm_store, PDM, STORE, GObject)

/* Where the server keeps its data. The protocol code (PdmServer) speaks only
 * to this interface, so that a PostgreSQL store can stand beside the SQLite
 * one without the HTTP side changing. Sync adds push, pull and devices here.
 *
 * Calls are synchronous: each one is a short transaction, and the caller
 * decides whether it runs on the main context or in a worker thread. */
struct _PdmStoreInterface
{
  GTypeInterface parent_iface;

  const char *(*get_server_id) (PdmStore  *self);
  gboolean    (*check)         (PdmStore  *self,
                                GError   **error);
};

const char *pdm_store_get_server_id (PdmStore  *self);
gboolean    pdm_store_check         (PdmStore  *self,
                                     GError   **error);

G_END_DECLS
