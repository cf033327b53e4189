/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-regions"

#include "config.h"

#include <glib/gi18n.h>

#include "pdm-core-resources.h"
#include "pdm-csv.h"
#include "pdm-error.h"
#include "pdm-regions.h"

#define REGIONS_PATH "/io/github/pendamping/Pendamping/core/regions/13.75-kota-bukittinggi.csv"

struct _PdmRegions
{
  GObject     parent_instance;

  /* code → name, code → parent code */
  GHashTable *names;
  GHashTable *parents;
  /* In the file's order, which is the order of the codes. */
  GPtrArray  *kecamatan;
  GPtrArray  *kelurahan;
};

G_DEFINE_FINAL_TYPE (PdmRegions, pdm_regions, G_TYPE_OBJECT)

static gboolean
load (PdmRegions  *self,
      GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(PdmCsvReader) reader = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  GError *local_error = NULL;

  bytes = g_resource_lookup_data (pdm_core_get_resource (), REGIONS_PATH,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return FALSE;

  reader = pdm_csv_reader_new (bytes, error);
  if (reader == NULL)
    return FALSE;

  /* code,level,name,parent_code */
  if (!pdm_csv_reader_read_row (reader, &fields, NULL, error))
    return FALSE;
  g_clear_pointer (&fields, g_ptr_array_unref);

  while (pdm_csv_reader_read_row (reader, &fields, NULL, &local_error))
    {
      g_autoptr(GPtrArray) row = g_steal_pointer (&fields);
      const char *code, *level;

      if (row->len < 4)
        continue;
      code = g_ptr_array_index (row, 0);
      level = g_ptr_array_index (row, 1);

      g_hash_table_insert (self->names, g_strdup (code), g_strdup (g_ptr_array_index (row, 2)));
      g_hash_table_insert (self->parents, g_strdup (code), g_strdup (g_ptr_array_index (row, 3)));
      if (g_str_equal (level, "kecamatan"))
        g_ptr_array_add (self->kecamatan, g_strdup (code));
      else if (g_str_equal (level, "kelurahan"))
        g_ptr_array_add (self->kelurahan, g_strdup (code));
    }

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  g_ptr_array_add (self->kecamatan, NULL);
  g_ptr_array_add (self->kelurahan, NULL);

  return TRUE;
}

PdmRegions *
pdm_regions_new (GError **error)
{
  g_autoptr(PdmRegions) self = g_object_new (PDM_TYPE_REGIONS, NULL);

  if (!load (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* The name of a region, or @code itself when it is not known. */
const char *
pdm_regions_get_name (PdmRegions *self,
                      const char *code)
{
  const char *name;

  g_return_val_if_fail (PDM_IS_REGIONS (self), NULL);

  if (code == NULL)
    return NULL;

  name = g_hash_table_lookup (self->names, code);

  return name != NULL ? name : code;
}

/* The code of the region @code belongs to: a kelurahan's kecamatan. */
const char *
pdm_regions_get_parent (PdmRegions *self,
                        const char *code)
{
  const char *parent;

  g_return_val_if_fail (PDM_IS_REGIONS (self), NULL);

  parent = code != NULL ? g_hash_table_lookup (self->parents, code) : NULL;

  return parent != NULL && *parent != '\0' ? parent : NULL;
}

const char * const *
pdm_regions_get_kecamatan (PdmRegions *self)
{
  g_return_val_if_fail (PDM_IS_REGIONS (self), NULL);

  return (const char * const *) self->kecamatan->pdata;
}

const char * const *
pdm_regions_get_kelurahan (PdmRegions *self)
{
  g_return_val_if_fail (PDM_IS_REGIONS (self), NULL);

  return (const char * const *) self->kelurahan->pdata;
}

static void
pdm_regions_finalize (GObject *object)
{
  PdmRegions *self = (PdmRegions *)object;

  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_pointer (&self->parents, g_hash_table_unref);
  g_clear_pointer (&self->kecamatan, g_ptr_array_unref);
  g_clear_pointer (&self->kelurahan, g_ptr_array_unref);

  G_OBJECT_CLASS (pdm_regions_parent_class)->finalize (object);
}

static void
pdm_regions_class_init (PdmRegionsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = pdm_regions_finalize;
}

static void
pdm_regions_init (PdmRegions *self)
{
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->parents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->kecamatan = g_ptr_array_new_with_free_func (g_free);
  self->kelurahan = g_ptr_array_new_with_free_func (g_free);
}
