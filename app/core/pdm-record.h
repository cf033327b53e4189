/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The version of the synced tables and fields as docs/sync-protocol.md
 * ("Records") lists them, which push names as `schema_version`: the local
 * migration that made them. Raise it when a synced field is added. */
#define PDM_RECORD_SCHEMA_VERSION 5

/* The synced record kinds, in the order sync sends them: a household comes
 * before its members and visits, a training before its sessions and
 * participants, and those before attendance; a form before its responses. */
typedef enum
{
  PDM_TABLE_VOLUNTEER,
  PDM_TABLE_HOUSEHOLD,
  PDM_TABLE_PERSON,
  PDM_TABLE_VISIT,
  PDM_TABLE_PROPOSAL,
  PDM_TABLE_TRAINING,
  PDM_TABLE_TRAINING_SESSION,
  PDM_TABLE_PARTICIPANT,
  PDM_TABLE_ATTENDANCE,
  PDM_TABLE_FORM,
  PDM_TABLE_RESPONSE,
  PDM_N_TABLES
} PdmTable;

/* How sync treats the records of a table (docs/sync-protocol.md). */
typedef enum
{
  PDM_TABLE_FLAG_NONE         = 0,
  /* City-wide data every device receives and may write, whatever its
   * kelurahan (DESIGN.md, sync rule 6). */
  PDM_TABLE_FLAG_SHARED       = 1 << 0,
  /* Concurrent writes of a field are settled by the last writer alone:
   * the loser is dropped, never kept in the conflict inbox. */
  PDM_TABLE_FLAG_NO_CONFLICTS = 1 << 1,
  /* Append-only: once written, a record never changes. */
  PDM_TABLE_FLAG_IMMUTABLE    = 1 << 2,
  /* Written by the server alone (shipped data); devices only read it. */
  PDM_TABLE_FLAG_SERVER_ONLY  = 1 << 3,
} PdmTableFlags;

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
  PdmTableFlags       flags;
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
