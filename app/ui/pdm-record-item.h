/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pdm-record.h"

G_BEGIN_DECLS

#define PDM_TYPE_RECORD_ITEM (pdm_record_item_get_type ())

G_DECLARE_FINAL_TYPE (PdmRecordItem, pdm_record_item, PDM, RECORD_ITEM, GObject)

/* One row of a list: a record as it was read. A list that reads in the
 * background hands out pending items first, without a record, and gives
 * them their record when it arrives (PdmRecordItem:record is notified), so
 * a row shows it without being built again. */
PdmRecordItem   *pdm_record_item_new           (PdmRecord     *record);
PdmRecordItem   *pdm_record_item_new_pending   (void);
const PdmRecord *pdm_record_item_get_record    (PdmRecordItem *self);
void             pdm_record_item_set_record    (PdmRecordItem *self,
                                                PdmRecord     *record,
                                                int            n_members);
const char      *pdm_record_item_get_id        (PdmRecordItem *self);
const char      *pdm_record_item_get           (PdmRecordItem *self,
                                                const char    *field);
int              pdm_record_item_get_n_members (PdmRecordItem *self);

G_END_DECLS
