/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The version of the synced tables and fields as docs/sync-protocol.md
 * ("Records") lists them, which push names as `schema_version`: the local
 * migration that made them. Raise it when a synced field is added. */
#define PDM_RECORD_SCHEMA_VERSION 2

/* The synced record kinds, in the order sync sends them: a household comes
 * before its members and visits. */
typedef enum
{
  PDM_TABLE_VOLUNTEER,
  PDM_TABLE_HOUSEHOLD,
  PDM_TABLE_PERSON,
  PDM_TABLE_VISIT,
  PDM_TABLE_PROPOSAL,
  PDM_N_TABLES
} PdmTable;

typedef struct
{
  const char *name;
  gboolean    is_integer;
} PdmFieldInfo;

typedef struct
{
  PdmTable            table;
  const char         *name;
  /* Every synced field but the key; `deleted` is one of them. */
  const PdmFieldInfo *fields;
  guint               n_fields;
} PdmTableInfo;

const PdmTableInfo *pdm_table_info_get        (PdmTable            table);
const PdmTableInfo *pdm_table_info_lookup     (const char         *name);
int                 pdm_table_info_find_field (const PdmTableInfo *info,
                                               const char         *field);

/* One row of a synced table: its key and its fields as text (integers in
 * decimal), NULL where the field is empty. */
typedef struct
{
  const PdmTableInfo  *info;
  char                *id;
  char               **values;
} PdmRecord;

#define PDM_TYPE_RECORD (pdm_record_get_type ())

GType       pdm_record_get_type  (void) G_GNUC_CONST;
PdmRecord  *pdm_record_new       (PdmTable         table);
PdmRecord  *pdm_record_copy      (const PdmRecord *record);
void        pdm_record_free      (PdmRecord       *record);
const char *pdm_record_get       (const PdmRecord *record,
                                  const char      *field);
void        pdm_record_set       (PdmRecord       *record,
                                  const char      *field,
                                  const char      *value);
void        pdm_record_set_int   (PdmRecord       *record,
                                  const char      *field,
                                  gint64           value);
gboolean    pdm_record_is_deleted (const PdmRecord *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdmRecord, pdm_record_free)

G_END_DECLS
