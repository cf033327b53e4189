/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-record-item"

#include "config.h"

#include "pdm-record-item.h"

struct _PdmRecordItem
{
  GObject    parent_instance;

  PdmRecord *record;
};

G_DEFINE_FINAL_TYPE (PdmRecordItem, pdm_record_item, G_TYPE_OBJECT)

/* Takes @record. */
PdmRecordItem *
pdm_record_item_new (PdmRecord *record)
{
  PdmRecordItem *self;

  g_return_val_if_fail (record != NULL, NULL);

  self = g_object_new (PDM_TYPE_RECORD_ITEM, NULL);
  self->record = record;

  return self;
}

const PdmRecord *
pdm_record_item_get_record (PdmRecordItem *self)
{
  g_return_val_if_fail (PDM_IS_RECORD_ITEM (self), NULL);

  return self->record;
}

const char *
pdm_record_item_get_id (PdmRecordItem *self)
{
  g_return_val_if_fail (PDM_IS_RECORD_ITEM (self), NULL);

  return self->record->id;
}

const char *
pdm_record_item_get (PdmRecordItem *self,
                     const char    *field)
{
  g_return_val_if_fail (PDM_IS_RECORD_ITEM (self), NULL);

  return pdm_record_get (self->record, field);
}

static void
pdm_record_item_finalize (GObject *object)
{
  PdmRecordItem *self = (PdmRecordItem *)object;

  g_clear_pointer (&self->record, pdm_record_free);

  G_OBJECT_CLASS (pdm_record_item_parent_class)->finalize (object);
}

static void
pdm_record_item_class_init (PdmRecordItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pdm_record_item_finalize;
}

static void
pdm_record_item_init (PdmRecordItem *self)
{
}
