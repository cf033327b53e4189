/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PDM_TYPE_TOKEN_STORE (pdm_token_store_get_type ())

G_DECLARE_FINAL_TYPE (PdmTokenStore, pdm_token_store, PDM, TOKEN_STORE, GObject)

PdmTokenStore *pdm_token_store_new              (const char     *directory);
const char    *pdm_token_store_get_directory    (PdmTokenStore  *self);
const char    *pdm_token_store_get_backend_name (PdmTokenStore  *self);
gboolean       pdm_token_store_uses_keyring     (PdmTokenStore  *self);

gboolean       pdm_token_store_save             (PdmTokenStore  *self,
                                                 const char     *server_id,
                                                 const char     *token,
                                                 GCancellable   *cancellable,
                                                 GError        **error);
char          *pdm_token_store_load             (PdmTokenStore  *self,
                                                 const char     *server_id,
                                                 GCancellable   *cancellable,
                                                 GError        **error);
gboolean       pdm_token_store_clear            (PdmTokenStore  *self,
                                                 const char     *server_id,
                                                 GCancellable   *cancellable,
                                                 GError        **error);

G_END_DECLS
