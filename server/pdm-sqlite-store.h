/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "pdm-store.h"

G_BEGIN_DECLS

#define PDM_TYPE_SQLITE_STORE (pdm_sqlite_store_get_type ())

G_DECLARE_FINAL_TYPE (PdmSqliteStore, pdm_sqlite_store, PDM, SQLITE_STORE, GObject)

#define PDM_SQLITE_STORE_FILENAME "pendamping-server.db"

PdmStore      *pdm_sqlite_store_new            (const char      *data_dir,
                                                GError         **error);
const char    *pdm_sqlite_store_get_path       (PdmSqliteStore  *self);
PdmRepository *pdm_sqlite_store_get_repository (PdmSqliteStore  *self);
gboolean       pdm_sqlite_store_publish_outbox (PdmSqliteStore  *self,
                                                guint           *out_n_changes,
                                                GError         **error);
gboolean       pdm_sqlite_store_compact        (PdmSqliteStore  *self,
                                                gint64           spare_since,
                                                guint           *out_n_removed,
                                                gint64          *out_horizon,
                                                GError         **error);

G_END_DECLS
