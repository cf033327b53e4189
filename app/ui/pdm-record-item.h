/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "pdm-record.h"

G_BEGIN_DECLS

#define PDM_TYPE_RECORD_ITEM (pdm_record_item_get_type ())

G_DECLARE_FINAL_TYPE (PdmRecordItem, pdm_record_item, PDM, RECORD_ITEM, GObject)

/* One row of a list: a record as it was read. */
PdmRecordItem   *pdm_record_item_new        (PdmRecord     *record);
const PdmRecord *pdm_record_item_get_record (PdmRecordItem *self);
const char      *pdm_record_item_get_id     (PdmRecordItem *self);
const char      *pdm_record_item_get        (PdmRecordItem *self,
                                             const char    *field);

G_END_DECLS
