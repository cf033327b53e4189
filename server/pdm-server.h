/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pdm-store.h"

G_BEGIN_DECLS

#define PDM_TYPE_SERVER (pdm_server_get_type ())

G_DECLARE_FINAL_TYPE (PdmServer, pdm_server, PDM, SERVER, GObject)

PdmServer *pdm_server_new       (PdmStore            *store);
gboolean   pdm_server_listen    (PdmServer           *self,
                                 GInetSocketAddress  *address,
                                 GError             **error);
char      *pdm_server_get_url   (PdmServer           *self);
void       pdm_server_stop      (PdmServer           *self);

G_END_DECLS
