/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-sqlite-store"

#include "config.h"

#include <sqlite3.h>

#include <glib/gi18n.h>

#include "pdm-database.h"
#include "pdm-error.h"
#include "pdm-sqlite-store.h"

/* "PDMS": told apart from the app's replica, so neither program ever
 * migrates the other's file. */
#define SERVER_APPLICATION_ID 0x50444D53

struct _PdmSqliteStore
{
  GObject      parent_instance;

  PdmDatabase *database;
  char        *server_id;
};

static void pdm_store_iface_init (PdmStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PdmSqliteStore, pdm_sqlite_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PDM_TYPE_STORE, pdm_store_iface_init))

static gboolean
set_meta (sqlite3     *db,
          const char  *key,
          const char  *value,
          GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "INSERT INTO server_meta (key, value) VALUES (?1, ?2)",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      g_set_error (error, PDM_ERROR, PDM_ERROR_DATABASE,
                   _("Could not record the server identity: %s"), sqlite3_errmsg (db));
      return FALSE;
    }

  return TRUE;
}

/* The server id is made once, when the file is created, so that a client
 * can tell a restored or replaced server from the one it enrolled with. */
static gboolean
migration_1_apply (sqlite3  *db,
                   GError  **error)
{
  g_autofree char *server_id = g_uuid_string_random ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *created_at = g_date_time_format_iso8601 (now);

  return set_meta (db, "server_id", server_id, error) &&
         set_meta (db, "created_at", created_at, error);
}

static const PdmMigration server_migrations[] = {
  {
    1,
    "CREATE TABLE server_meta ("
    "  key   TEXT PRIMARY KEY NOT NULL,"
    "  value TEXT NOT NULL"
    ") STRICT, WITHOUT ROWID;",
    migration_1_apply,
  },
};

static const PdmSchema server_schema = {
  SERVER_APPLICATION_ID,
  server_migrations,
  G_N_ELEMENTS (server_migrations),
};

/* Reads one server_meta value; %NULL with @error set when it is missing. */
static char *
get_meta (PdmSqliteStore  *self,
          const char      *key,
          GError         **error)
{
  sqlite3 *db = pdm_database_get_handle (self->database);
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, "SELECT value FROM server_meta WHERE key = ?1", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    }
  sqlite3_finalize (stmt);

  if (value == NULL)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, PDM_ERROR, PDM_ERROR_DATABASE,
                     _("The server database %s has no “%s” entry"),
                     pdm_database_get_path (self->database), key);
      else
        g_set_error (error, PDM_ERROR, PDM_ERROR_DATABASE,
                     _("The server database %s does not answer: %s"),
                     pdm_database_get_path (self->database), sqlite3_errmsg (db));
    }

  return value;
}

static const char *
pdm_sqlite_store_get_server_id (PdmStore *store)
{
  return PDM_SQLITE_STORE (store)->server_id;
}

static gboolean
pdm_sqlite_store_check (PdmStore  *store,
                        GError   **error)
{
  g_autofree char *server_id = get_meta (PDM_SQLITE_STORE (store), "server_id", error);

  return server_id != NULL;
}

static void
pdm_store_iface_init (PdmStoreInterface *iface)
{
  iface->get_server_id = pdm_sqlite_store_get_server_id;
  iface->check = pdm_sqlite_store_check;
}

static void
pdm_sqlite_store_finalize (GObject *object)
{
  PdmSqliteStore *self = (PdmSqliteStore *) object;

  g_clear_object (&self->database);
  g_clear_pointer (&self->server_id, g_free);

  G_OBJECT_CLASS (pdm_sqlite_store_parent_class)->finalize (object);
}

static void
pdm_sqlite_store_class_init (PdmSqliteStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pdm_sqlite_store_finalize;
}

static void
pdm_sqlite_store_init (PdmSqliteStore *self)
{
}

/**
 * pdm_sqlite_store_new:
 * @data_dir: an existing, writable directory
 * @error: return location for a #GError
 *
 * Opens (creating or migrating it as needed) the store file
 * `pendamping-server.db` in @data_dir. A file of another program or of a
 * newer server is refused and left as it is.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
PdmStore *
pdm_sqlite_store_new (const char  *data_dir,
                      GError     **error)
{
  g_autoptr(PdmSqliteStore) self = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (data_dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (PDM_TYPE_SQLITE_STORE, NULL);
  path = g_build_filename (data_dir, PDM_SQLITE_STORE_FILENAME, NULL);

  self->database = pdm_database_open_with_schema (path, &server_schema, error);
  if (self->database == NULL)
    return NULL;

  self->server_id = get_meta (self, "server_id", error);
  if (self->server_id == NULL)
    return NULL;

  return PDM_STORE (g_steal_pointer (&self));
}

const char *
pdm_sqlite_store_get_path (PdmSqliteStore *self)
{
  g_return_val_if_fail (PDM_IS_SQLITE_STORE (self), NULL);

  return pdm_database_get_path (self->database);
}
