/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* One numbered step of a schema. It runs inside the transaction that also
 * sets PRAGMA user_version to @version, so a step is applied whole or not at
 * all. @sql runs first, then @apply for steps that need code (loading data). */
typedef struct
{
  int          version;
  const char  *sql;
  gboolean   (*apply) (sqlite3  *db,
                       GError  **error);
} PdmMigration;

/* A kind of database file: the app's local replica, the server's store. */
typedef struct
{
  /* PRAGMA application_id stamped on every file of this kind, so a foreign
   * SQLite file is recognised and left alone. */
  gint32              application_id;
  const PdmMigration *migrations;
  guint               n_migrations;
} PdmSchema;

#define PDM_TYPE_DATABASE (pdm_database_get_type ())

G_DECLARE_FINAL_TYPE (PdmDatabase, pdm_database, PDM, DATABASE, GObject)

/* The schema of the app's local replica. */
const PdmSchema *pdm_database_get_local_schema    (void);
char            *pdm_database_get_default_path    (void);

PdmDatabase     *pdm_database_open                (const char       *path,
                                                   GError          **error);
PdmDatabase     *pdm_database_open_with_schema    (const char       *path,
                                                   const PdmSchema  *schema,
                                                   GError          **error);
const char      *pdm_database_get_path            (PdmDatabase      *self);
int              pdm_database_get_schema_version  (PdmDatabase      *self);
sqlite3         *pdm_database_get_handle          (PdmDatabase      *self);

gboolean         pdm_database_use_bulk_cache      (PdmDatabase      *self,
                                                   GError          **error);
gboolean         pdm_database_exec                (PdmDatabase      *self,
                                                   const char       *sql,
                                                   GError          **error);
gboolean         pdm_database_count_regions       (PdmDatabase      *self,
                                                   const char       *level,
                                                   guint            *out_count,
                                                   GError          **error);

G_END_DECLS
