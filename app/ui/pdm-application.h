/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdm-database.h"
#include "pdm-list-reader.h"
#include "pdm-record.h"
#include "pdm-regions.h"
#include "pdm-repository.h"
#include "pdm-search.h"
#include "pdm-sync-scheduler.h"

G_BEGIN_DECLS

#define PDM_TYPE_APPLICATION (pdm_application_get_type ())

G_DECLARE_FINAL_TYPE (PdmApplication, pdm_application, PDM, APPLICATION, AdwApplication)

PdmApplication *pdm_application_new            (void);
GSettings      *pdm_application_get_settings   (PdmApplication *self);
PdmDatabase    *pdm_application_get_database   (PdmApplication *self);
PdmRepository  *pdm_application_get_repository (PdmApplication *self);
PdmSearch      *pdm_application_get_search     (PdmApplication *self);
PdmListReader  *pdm_application_get_list_reader (PdmApplication *self);
PdmRegions     *pdm_application_get_regions    (PdmApplication *self);
void            pdm_application_records_changed (PdmApplication *self,
                                                 PdmTable        table);
const char     *pdm_application_get_server_url (PdmApplication *self);
void            pdm_application_set_server_url (PdmApplication *self,
                                                const char     *server_url);
PdmSyncEngine    *pdm_application_get_sync_engine    (PdmApplication *self);
PdmSyncScheduler *pdm_application_get_sync_scheduler (PdmApplication *self);
void              pdm_application_reload_sync        (PdmApplication *self);

G_END_DECLS
