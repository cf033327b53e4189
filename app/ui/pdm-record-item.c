/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-record-item"

#include "config.h"

#include "pdm-record-item.h"

struct _PdmRecordItem
{
  GObject    parent_instance;

  PdmRecord *record;
  int        n_members;
};

G_DEFINE_FINAL_TYPE (PdmRecordItem, pdm_record_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RECORD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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

/* A row whose record is still being read: its fields are all NULL. */
PdmRecordItem *
pdm_record_item_new_pending (void)
{
  return g_object_new (PDM_TYPE_RECORD_ITEM, NULL);
}

/* NULL while the item is pending. */
const PdmRecord *
pdm_record_item_get_record (PdmRecordItem *self)
{
  g_return_val_if_fail (PDM_IS_RECORD_ITEM (self), NULL);

  return self->record;
}

/**
 * pdm_record_item_set_record:
 * @record: (transfer full): the row as it was read now
 * @n_members: of a household, how many members it has; -1 when not counted
 *
 * Gives a pending item its record, or an item a newer version of the same
 * row (same id), and notifies PdmRecordItem:record.
 */
void
pdm_record_item_set_record (PdmRecordItem *self,
                            PdmRecord     *record,
                            int            n_members)
{
  g_return_if_fail (PDM_IS_RECORD_ITEM (self));
  g_return_if_fail (record != NULL);
  g_return_if_fail (self->record == NULL || g_strcmp0 (self->record->id, record->id) == 0);

  g_clear_pointer (&self->record, pdm_record_free);
  self->record = record;
  self->n_members = n_members;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORD]);
}

/* NULL while the item is pending. */
const char *
pdm_record_item_get_id (PdmRecordItem *self)
{
  g_return_val_if_fail (PDM_IS_RECORD_ITEM (self), NULL);

  return self->record != NULL ? self->record->id : NULL;
}

/* NULL while the item is pending, as for a field without a value. */
const char *
pdm_record_item_get (PdmRecordItem *self,
                     const char    *field)
{
  g_return_val_if_fail (PDM_IS_RECORD_ITEM (self), NULL);

  return self->record != NULL ? pdm_record_get (self->record, field) : NULL;
}

/* Of a household read by a household list: how many members it has;
 * -1 when that was not counted. */
int
pdm_record_item_get_n_members (PdmRecordItem *self)
{
  g_return_val_if_fail (PDM_IS_RECORD_ITEM (self), -1);

  return self->n_members;
}

static void
pdm_record_item_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PdmRecordItem *self = PDM_RECORD_ITEM (object);

  switch (prop_id)
    {
    case PROP_RECORD:
      g_value_set_pointer (value, self->record);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
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
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pdm_record_item_finalize;
  object_class->get_property = pdm_record_item_get_property;

  /* The PdmRecord, NULL while pending; set by pdm_record_item_set_record(). */
  properties[PROP_RECORD] =
    g_param_spec_pointer ("record", NULL, NULL,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pdm_record_item_init (PdmRecordItem *self)
{
  self->n_members = -1;
}
