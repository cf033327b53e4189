/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-store"

#include "config.h"

#include "pdm-store.h"

G_DEFINE_INTERFACE (PdmStore, pdm_store, G_TYPE_OBJECT)

static void
pdm_store_default_init (PdmStoreInterface *iface)
{
}

/**
 * pdm_store_get_server_id:
 * @self: a #PdmStore
 *
 * Returns: the identity of this server's data, made once when the store was
 *   created; clients use it to notice that they now talk to another server.
 */
const char *
pdm_store_get_server_id (PdmStore *self)
{
  g_return_val_if_fail (PDM_IS_STORE (self), NULL);

  return PDM_STORE_GET_IFACE (self)->get_server_id (self);
}

/**
 * pdm_store_check:
 * @self: a #PdmStore
 * @error: return location for a #GError
 *
 * Proves that the store still answers queries, for the health endpoint.
 *
 * Returns: %TRUE when the store works
 */
gboolean
pdm_store_check (PdmStore  *self,
                 GError   **error)
{
  g_return_val_if_fail (PDM_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return PDM_STORE_GET_IFACE (self)->check (self, error);
}
