/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pdm-application.h"
#include "pdm-search.h"

G_BEGIN_DECLS

#define PDM_TYPE_RECORD_LIST_MODEL (pdm_record_list_model_get_type ())

G_DECLARE_FINAL_TYPE (PdmRecordListModel, pdm_record_list_model, PDM, RECORD_LIST_MODEL, GObject)

/* A GListModel of PdmRecordItem over one PdmQuery. It reads pages of rows
 * in the application's PdmListReader, in worker threads, as a view asks
 * for them, and keeps only a few, so a list of a million rows costs what a
 * screenful does and the window never waits for it. It reads again
 * whenever PdmApplication::records-changed is emitted. A read that fails
 * emits PdmRecordListModel::read-failed. */
PdmRecordListModel *pdm_record_list_model_new        (PdmApplication     *application,
                                                      PdmTable            table);
const PdmQuery     *pdm_record_list_model_get_query  (PdmRecordListModel *self);
void                pdm_record_list_model_set_query  (PdmRecordListModel *self,
                                                      const PdmQuery     *query);
void                pdm_record_list_model_reload     (PdmRecordListModel *self);
gboolean            pdm_record_list_model_is_loading (PdmRecordListModel *self);

G_END_DECLS
