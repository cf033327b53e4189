/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "pdm-database.h"
#include "pdm-hlc.h"
#include "pdm-merge.h"
#include "pdm-record.h"

G_BEGIN_DECLS

/* One field write as sync carries it between replicas. */
typedef struct
{
  char *table;
  char *row_id;
  char *field;
  char *stamp;
  char *base;
  char *value;
} PdmChange;

#define PDM_TYPE_CHANGE (pdm_change_get_type ())

GType      pdm_change_get_type (void) G_GNUC_CONST;
PdmChange *pdm_change_new      (const char      *table,
                                const char      *row_id,
                                const char      *field,
                                const char      *stamp,
                                const char      *base,
                                const char      *value);
PdmChange *pdm_change_copy     (const PdmChange *change);
void       pdm_change_free     (PdmChange       *change);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdmChange, pdm_change_free)

#define PDM_TYPE_REPOSITORY (pdm_repository_get_type ())

G_DECLARE_FINAL_TYPE (PdmRepository, pdm_repository, PDM, REPOSITORY, GObject)

PdmRepository *pdm_repository_new            (PdmDatabase      *database,
                                              GError          **error);
PdmDatabase   *pdm_repository_get_database   (PdmRepository    *self);
guint64        pdm_repository_get_device_id  (PdmRepository    *self);
PdmHlc        *pdm_repository_get_hlc        (PdmRepository    *self);

sqlite3_stmt  *pdm_repository_prepare_cached (PdmRepository    *self,
                                              const char       *sql,
                                              GError          **error);
const char    *pdm_repository_record_columns (PdmTable          table);
PdmRecord     *pdm_repository_read_record    (PdmTable          table,
                                              sqlite3_stmt     *stmt,
                                              int               first_column);

gboolean       pdm_repository_begin          (PdmRepository    *self,
                                              GError          **error);
gboolean       pdm_repository_commit         (PdmRepository    *self,
                                              GError          **error);
void           pdm_repository_rollback       (PdmRepository    *self);

gboolean       pdm_repository_insert         (PdmRepository    *self,
                                              PdmRecord        *record,
                                              GError          **error);
gboolean       pdm_repository_update         (PdmRepository    *self,
                                              const PdmRecord  *record,
                                              guint            *out_n_changed,
                                              GError          **error);
PdmRecord     *pdm_repository_get            (PdmRepository    *self,
                                              PdmTable          table,
                                              const char       *id,
                                              GError          **error);
gboolean       pdm_repository_delete         (PdmRepository    *self,
                                              PdmTable          table,
                                              const char       *id,
                                              GError          **error);
gboolean       pdm_repository_restore        (PdmRepository    *self,
                                              PdmTable          table,
                                              const char       *id,
                                              GError          **error);

char          *pdm_repository_get_field_stamp (PdmRepository   *self,
                                               PdmTable         table,
                                               const char      *id,
                                               const char      *field,
                                               char           **out_base,
                                               GError         **error);
guint          pdm_repository_count_outbox    (PdmRepository   *self);
GPtrArray     *pdm_repository_collect_outbox  (PdmRepository   *self,
                                               guint            max_writes,
                                               guint64         *out_last_hlc,
                                               GError         **error);
gboolean       pdm_repository_clear_outbox    (PdmRepository   *self,
                                               guint64          up_to_hlc,
                                               GError         **error);
gboolean       pdm_repository_apply_changes   (PdmRepository   *self,
                                               GPtrArray       *changes,
                                               guint           *out_n_changed,
                                               GError         **error);
gboolean       pdm_repository_apply_change    (PdmRepository   *self,
                                               const PdmChange *change,
                                               gboolean        *out_changed,
                                               GError         **error);
gboolean       pdm_repository_resolve_conflict (PdmRepository  *self,
                                                PdmTable        table,
                                                const char     *id,
                                                const char     *field,
                                                const char     *value,
                                                GError        **error);
gboolean       pdm_repository_rewrite_fields  (PdmRepository      *self,
                                               PdmTable            table,
                                               const char         *id,
                                               const char * const *fields,
                                               GError            **error);
GPtrArray     *pdm_repository_list_conflicted_fields (PdmRepository  *self,
                                                      GError        **error);
GPtrArray     *pdm_repository_list_conflicts  (PdmRepository   *self,
                                               PdmTable         table,
                                               const char      *id,
                                               const char      *field,
                                               GError         **error);

G_END_DECLS
