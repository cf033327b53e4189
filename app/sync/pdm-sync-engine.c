/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-sync-engine"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "pdm-error.h"
#include "pdm-repository.h"
#include "pdm-sync-client-private.h"
#include "pdm-sync-engine.h"
#include "pdm-sync-page.h"
#include "pdm-util.h"

/*
 * One sync run, as docs/sync-protocol.md describes it: push the outbox in
 * batches, then pull pages and merge them. The run happens in a GTask
 * worker with its own database connection and repository on the same file
 * (WAL lets the app keep reading and writing meanwhile) and its own
 * SoupSession, since a libsoup 3 session belongs to one thread. Progress
 * reaches the main context through pdm_main_context_post().
 *
 * Nothing is lost on a kill: the outbox is cleared only for what the server
 * acknowledged, and each pulled page is merged together with its cursor in
 * one local transaction.
 */

#define PUSH_BATCH_WRITES 1000

/* Writes per pull page: a fresh device's first pull merges whole records,
 * and each page is a transaction, so big pages pay (the server's maximum:
 * about 10 MB of JSON, 17,000 households in six pages). */
#define PULL_PAGE_LIMIT 100000

/* How often (in SQLite VM steps) a long statement checks for cancellation. */
#define CANCEL_CHECK_STEPS 1000

struct _PdmSyncEngine
{
  GObject        parent_instance;

  char          *database_path;
  char          *server_url;
  PdmTokenStore *token_store;
  gboolean       busy;
};

G_DEFINE_FINAL_TYPE (PdmSyncEngine, pdm_sync_engine, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (PdmSyncPhase, pdm_sync_phase,
                    G_DEFINE_ENUM_VALUE (PDM_SYNC_PHASE_CONNECTING, "connecting"),
                    G_DEFINE_ENUM_VALUE (PDM_SYNC_PHASE_PUSHING, "pushing"),
                    G_DEFINE_ENUM_VALUE (PDM_SYNC_PHASE_PULLING, "pulling"))

G_DEFINE_BOXED_TYPE (PdmSyncReport, pdm_sync_report, pdm_sync_report_copy, pdm_sync_report_free)

G_DEFINE_BOXED_TYPE (PdmSyncStatus, pdm_sync_status, pdm_sync_status_copy, pdm_sync_status_free)

enum {
  PROP_0,
  PROP_DATABASE_PATH,
  PROP_SERVER_URL,
  PROP_BUSY,
  N_PROPS
};

enum {
  PROGRESS,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

PdmSyncReport *
pdm_sync_report_copy (const PdmSyncReport *report)
{
  g_return_val_if_fail (report != NULL, NULL);

  return g_memdup2 (report, sizeof *report);
}

void
pdm_sync_report_free (PdmSyncReport *report)
{
  g_free (report);
}

PdmSyncStatus *
pdm_sync_status_copy (const PdmSyncStatus *status)
{
  PdmSyncStatus *copy;

  g_return_val_if_fail (status != NULL, NULL);

  copy = g_memdup2 (status, sizeof *status);
  copy->server_id = g_strdup (status->server_id);
  copy->kelurahan_code = g_strdup (status->kelurahan_code);
  copy->device_name = g_strdup (status->device_name);
  copy->last_error = g_strdup (status->last_error);

  return copy;
}

void
pdm_sync_status_free (PdmSyncStatus *status)
{
  if (status == NULL)
    return;

  g_free (status->server_id);
  g_free (status->kelurahan_code);
  g_free (status->device_name);
  g_free (status->last_error);
  g_free (status);
}

/* The state of one run, owned by its GTask; only the worker touches it
 * while the run lasts. */
typedef struct
{
  PdmSyncEngine *engine;
  GMainContext  *context;
  char          *database_path;
  char          *server_url;
  PdmTokenStore *token_store;
  char          *code;
  char          *device_name;

  PdmDatabase   *database;
  PdmRepository *repository;
  sqlite3       *db;
  SoupSession   *session;
  char          *token;
  gint64         newest_stamp_ms;
  PdmSyncReport  report;
} SyncRun;

static void
sync_run_free (SyncRun *run)
{
  if (run->db != NULL)
    sqlite3_progress_handler (run->db, 0, NULL, NULL);
  g_clear_object (&run->engine);
  g_clear_pointer (&run->context, g_main_context_unref);
  g_clear_pointer (&run->database_path, g_free);
  g_clear_pointer (&run->server_url, g_free);
  g_clear_object (&run->token_store);
  g_clear_pointer (&run->code, g_free);
  g_clear_pointer (&run->device_name, g_free);
  g_clear_object (&run->repository);
  g_clear_object (&run->database);
  g_clear_object (&run->session);
  g_clear_pointer (&run->token, g_free);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SyncRun, sync_run_free)

static SyncRun *
sync_run_new (PdmSyncEngine *self)
{
  SyncRun *run = g_new0 (SyncRun, 1);

  run->engine = g_object_ref (self);
  run->context = g_main_context_ref_thread_default ();
  run->database_path = g_strdup (self->database_path);
  run->server_url = g_strdup (self->server_url);
  run->token_store = g_object_ref (self->token_store);

  return run;
}

/* Progress, carried from the worker to the engine's main context. */
typedef struct
{
  PdmSyncEngine *engine;
  PdmSyncPhase   phase;
  guint          done;
  guint          total;
} Progress;

static void
progress_free (gpointer data)
{
  Progress *progress = data;

  g_object_unref (progress->engine);
  g_free (progress);
}

static gboolean
emit_progress_cb (gpointer data)
{
  Progress *progress = data;

  g_signal_emit (progress->engine, signals[PROGRESS], 0,
                 progress->phase, progress->done, progress->total);

  return G_SOURCE_REMOVE;
}

static void
report_progress (SyncRun      *run,
                 PdmSyncPhase  phase,
                 guint         done,
                 guint         total)
{
  Progress *progress = g_new0 (Progress, 1);

  progress->engine = g_object_ref (run->engine);
  progress->phase = phase;
  progress->done = done;
  progress->total = total;

  pdm_main_context_post (run->context, emit_progress_cb, progress, progress_free);
}

/* --- local state ---------------------------------------------------------- */

static void
set_sqlite_error (SyncRun  *run,
                  GError  **error)
{
  g_set_error (error, PDM_ERROR, PDM_ERROR_DATABASE,
               /* Translators: the first %s is a file path, the second SQLite's reason */
               _("The database “%s” failed: %s"),
               run->database_path, sqlite3_errmsg (run->db));
}

/* @sql with text parameters bound (NULL binds SQL NULL). */
static sqlite3_stmt *
prepare_bound (SyncRun             *run,
               const char          *sql,
               const char * const  *params,
               guint                n_params,
               GError             **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (run->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (run, error);
      return NULL;
    }

  for (guint i = 0; i < n_params; i++)
    sqlite3_bind_text (stmt, i + 1, params[i], -1, SQLITE_TRANSIENT);

  return stmt;
}

static gboolean
run_sql (SyncRun             *run,
         const char          *sql,
         const char * const  *params,
         guint                n_params,
         GError             **error)
{
  sqlite3_stmt *stmt = prepare_bound (run, sql, params, n_params, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      set_sqlite_error (run, error);
      return FALSE;
    }

  return TRUE;
}

/* The first column of the first row of @sql, or NULL. */
static char *
query_text (SyncRun             *run,
            const char          *sql,
            const char * const  *params,
            guint                n_params,
            GError             **error)
{
  sqlite3_stmt *stmt = prepare_bound (run, sql, params, n_params, error);
  char *value = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    set_sqlite_error (run, error);
  sqlite3_finalize (stmt);

  return value;
}

static char *
state_get (SyncRun     *run,
           const char  *key,
           GError     **error)
{
  const char *params[] = { key };

  return query_text (run, "SELECT value FROM sync_state WHERE key = ?1", params, 1, error);
}

static gboolean
state_set (SyncRun     *run,
           const char  *key,
           const char  *value,
           GError     **error)
{
  const char *params[] = { key, value };

  return run_sql (run, "INSERT OR REPLACE INTO sync_state (key, value) VALUES (?1, ?2)",
                  params, 2, error);
}

static guint
count_rows (SyncRun    *run,
            const char *sql)
{
  g_autofree char *count = query_text (run, sql, NULL, 0, NULL);

  return count != NULL ? (guint) g_ascii_strtoull (count, NULL, 10) : 0;
}

/* SQLite calls this during long statements; a non-zero answer interrupts
 * the statement, and the repository rolls the page back. */
static int
on_sqlite_progress_cb (void *user_data)
{
  return g_cancellable_is_cancelled (G_CANCELLABLE (user_data));
}

static gboolean
open_database (SyncRun       *run,
               GCancellable  *cancellable,
               GError       **error)
{
  run->database = pdm_database_open (run->database_path, error);
  if (run->database == NULL || !pdm_database_use_bulk_cache (run->database, error))
    return FALSE;

  run->repository = pdm_repository_new (run->database, error);
  if (run->repository == NULL)
    return FALSE;

  run->db = pdm_database_get_handle (run->database);
  if (cancellable != NULL)
    sqlite3_progress_handler (run->db, CANCEL_CHECK_STEPS, on_sqlite_progress_cb, cancellable);

  return TRUE;
}

/* A sync_history row and the state the header bar shows. Written after the
 * run, so a cancelled run is recorded too. */
static void
record_run (SyncRun      *run,
            const char   *kind,
            gint64        started_us,
            const GError *run_error)
{
  g_autofree char *time = g_strdup_printf ("%" G_GINT64_FORMAT, started_us / G_USEC_PER_SEC);
  g_autofree char *duration = g_strdup_printf ("%" G_GINT64_FORMAT,
                                               (g_get_real_time () - started_us) / 1000);
  g_autofree char *pushed = g_strdup_printf ("%u", run->report.pushed);
  g_autofree char *refused = g_strdup_printf ("%u", run->report.refused);
  g_autofree char *pulled = g_strdup_printf ("%u", run->report.pulled);
  g_autofree char *removed = g_strdup_printf ("%u", run->report.removed);
  const char *message = run_error != NULL ? run_error->message : NULL;
  const char *params[] = { time, kind, pushed, refused, pulled, removed, duration, message };
  g_autoptr(GError) error = NULL;

  if (run->db == NULL)
    return;

  /* The history must be written even when the run was cancelled. */
  sqlite3_progress_handler (run->db, 0, NULL, NULL);

  if (!run_sql (run,
                "INSERT INTO sync_history (time, kind, pushed, refused, pulled, removed, "
                "duration_ms, error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params, G_N_ELEMENTS (params), &error) ||
      (run_error == NULL && !state_set (run, "last_sync", time, &error)) ||
      !state_set (run, "last_error", message, &error))
    g_warning ("Could not record the sync run: %s", error->message);
}

/* --- the wire ------------------------------------------------------------- */

static char *
format_time_ms (gint64 ms)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (ms / 1000);

  char *text;

  if (time == NULL)
    return g_strdup ("?");

  /* Some locales' %c (id_ID's among them) asks for an AM/PM they do not
   * have, and GLib then gives NULL. */
  text = g_date_time_format (time, "%x %X");
  if (text == NULL)
    text = g_date_time_format (time, "%Y-%m-%d %H:%M:%S");

  return text;
}

/* The server's 409 for stamps ahead of its clock. */
static void
set_clock_error (SyncRun     *run,
                 JsonObject  *object,
                 GError     **error)
{
  g_autofree char *ours = format_time_ms (run->newest_stamp_ms);
  g_autofree char *theirs = NULL;
  JsonNode *server_time = json_object_get_member (object, "server_time");

  if (server_time != NULL && json_node_get_value_type (server_time) == G_TYPE_INT64)
    theirs = format_time_ms (json_node_get_int (server_time));
  else
    theirs = g_strdup ("?");

  g_set_error (error, PDM_SYNC_ERROR, PDM_SYNC_ERROR_CLOCK,
               /* Translators: both %s are a date and time */
               _("The clock of this computer is wrong: its changes are dated %s, but the "
                 "server’s clock says %s. Set the correct date and time of this computer; "
                 "the changes stay here and are sent once its clock is right"),
               ours, theirs);
}

/* Sends @msg with the device token and reads the whole answer. */
static GBytes *
send_message (SyncRun       *run,
              SoupMessage   *msg,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  GBytes *body;

  if (run->token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", run->token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg),
                                    "Authorization", authorization);
    }

  body = soup_session_send_and_read (run->session, msg, cancellable, &local_error);
  if (body == NULL)
    *error = _pdm_sync_transport_error (run->server_url, local_error);

  return body;
}

/* Sends @msg and reads the JSON object of the answer, or sets the error
 * the protocol gives its status. */
static JsonObject *
exchange (SyncRun       *run,
          SoupMessage   *msg,
          GCancellable  *cancellable,
          GError       **error)
{
  g_autoptr(GBytes) body = send_message (run, msg, cancellable, error);

  if (body == NULL)
    return NULL;

  if (soup_message_get_status (msg) == SOUP_STATUS_CONFLICT)
    {
      g_autoptr(JsonNode) node = json_from_string (g_bytes_get_data (body, NULL), NULL);

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node) &&
          g_strcmp0 (_pdm_sync_get_string_member (json_node_get_object (node), "error"),
                     "clock-ahead") == 0)
        {
          set_clock_error (run, json_node_get_object (node), error);
          return NULL;
        }
    }

  return _pdm_sync_read_answer (run->server_url, msg, body, error);
}

static void
set_bad_response (SyncRun  *run,
                  GError  **error)
{
  g_set_error (error, PDM_SYNC_ERROR, PDM_SYNC_ERROR_BAD_RESPONSE,
               _("The server at %s did not answer in the Pendamping protocol"),
               run->server_url);
}

static GBytes *
gzip_bytes (GBytes  *data,
            GError **error)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(GInputStream) plain = g_memory_input_stream_new_from_bytes (data);
  g_autoptr(GInputStream) compressed = g_converter_input_stream_new (plain,
                                                                     G_CONVERTER (compressor));
  g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();

  if (g_output_stream_splice (output, compressed,
                              G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                              G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                              NULL, error) < 0)
    return NULL;

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (output));
}

static SoupMessage *
new_json_post (SyncRun     *run,
               const char  *endpoint,
               JsonNode    *root,
               gboolean     compress,
               GError     **error)
{
  g_autoptr(SoupMessage) msg = _pdm_sync_message_new (run->server_url, SOUP_METHOD_POST, endpoint);
  g_autofree char *text = json_to_string (root, FALSE);
  gsize length = strlen (text);
  g_autoptr(GBytes) body = g_bytes_new_take (g_steal_pointer (&text), length);

  if (compress)
    {
      g_autoptr(GBytes) compressed = gzip_bytes (body, error);

      if (compressed == NULL)
        return NULL;
      g_bytes_unref (body);
      body = g_steal_pointer (&compressed);
      soup_message_headers_replace (soup_message_get_request_headers (msg),
                                    "Content-Encoding", "gzip");
    }

  soup_message_set_request_body_from_bytes (msg, "application/json", body);

  return g_steal_pointer (&msg);
}

/* Starts a run on the server: the session, the token and a health check
 * that the server is the one this computer enrolled with. */
static gboolean
connect_server (SyncRun       *run,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(PdmServerHealth) health = NULL;
  g_autofree char *server_id = NULL;
  g_autoptr(GError) local_error = NULL;

  report_progress (run, PDM_SYNC_PHASE_CONNECTING, 0, 0);

  server_id = state_get (run, "server_id", &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (server_id != NULL)
    run->token = pdm_token_store_load (run->token_store, server_id, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (run->token == NULL)
    {
      g_set_error (error, PDM_SYNC_ERROR, PDM_SYNC_ERROR_UNAUTHORIZED,
                   _("This computer is not enrolled with a server yet; enter the enrollment "
                     "code from the Dinas in Preferences"));
      return FALSE;
    }

  run->session = _pdm_sync_session_new ();

  msg = _pdm_sync_message_new (run->server_url, SOUP_METHOD_GET, "api/v1/health");
  answer = exchange (run, msg, cancellable, error);
  if (answer == NULL)
    return FALSE;
  health = _pdm_sync_health_from_json (run->server_url, answer, error);
  if (health == NULL)
    return FALSE;

  /* A re-created server database has other cursors and other tokens. */
  if (g_strcmp0 (health->server_id, server_id) != 0)
    {
      g_set_error (error, PDM_SYNC_ERROR, PDM_SYNC_ERROR_UNAUTHORIZED,
                   _("The server at %s is not the one this computer enrolled with (its "
                     "database was replaced); ask the Dinas for a new enrollment code"),
                   run->server_url);
      return FALSE;
    }

  return TRUE;
}

/* --- push ----------------------------------------------------------------- */

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value == NULL || (g_str_equal (name, "base") && *value == '\0'))
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, value);
}

/* The push body: the changes of one local write (one stamp, one record)
 * form one mutation whose id is the stamp's HLC half. */
static JsonNode *
build_push_body (SyncRun   *run,
                 GPtrArray *changes,
                 guint     *out_n_mutations)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const PdmChange *previous = NULL;
  guint n_mutations = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "schema_version");
  json_builder_add_int_value (builder, PDM_RECORD_SCHEMA_VERSION);
  json_builder_set_member_name (builder, "mutations");
  json_builder_begin_array (builder);

  for (guint i = 0; i < changes->len; i++)
    {
      const PdmChange *change = g_ptr_array_index (changes, i);
      guint64 hlc = 0;

      if (previous == NULL || strncmp (previous->stamp, change->stamp, 16) != 0 ||
          !g_str_equal (previous->table, change->table) ||
          !g_str_equal (previous->row_id, change->row_id))
        {
          g_autofree char *id = g_strndup (change->stamp, 16);

          if (previous != NULL)
            {
              json_builder_end_object (builder);
              json_builder_end_object (builder);
            }
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, id);
          json_builder_set_member_name (builder, "table");
          json_builder_add_string_value (builder, change->table);
          json_builder_set_member_name (builder, "row");
          json_builder_add_string_value (builder, change->row_id);
          json_builder_set_member_name (builder, "fields");
          json_builder_begin_object (builder);
          n_mutations++;

          if (pdm_stamp_parse (change->stamp, &hlc, NULL))
            run->newest_stamp_ms = MAX (run->newest_stamp_ms, pdm_hlc_get_wall_ms (hlc));
        }

      json_builder_set_member_name (builder, change->field);
      json_builder_begin_object (builder);
      add_nullable_string (builder, "value", change->value);
      add_nullable_string (builder, "base", change->base);
      json_builder_end_object (builder);

      previous = change;
    }

  if (previous != NULL)
    {
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  *out_n_mutations = n_mutations;

  return json_builder_get_root (builder);
}

static gboolean
parse_hex_id (const char *text,
              guint64    *out_id)
{
  return text != NULL && strlen (text) == 16 &&
         g_ascii_string_to_unsigned (text, 16, 0, G_MAXUINT64, out_id, NULL);
}

/* Keeps the fields of a refused mutation where a person can see them. */
static gboolean
quarantine_mutation (SyncRun     *run,
                     GPtrArray   *changes,
                     JsonObject  *refusal,
                     GError     **error)
{
  const char *id = _pdm_sync_get_string_member (refusal, "id");
  const char *reason = _pdm_sync_get_string_member (refusal, "reason");
  const char *message = _pdm_sync_get_string_member (refusal, "message");
  g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT,
                                          g_get_real_time () / G_USEC_PER_SEC);

  if (id == NULL || reason == NULL)
    {
      set_bad_response (run, error);
      return FALSE;
    }

  for (guint i = 0; i < changes->len; i++)
    {
      const PdmChange *change = g_ptr_array_index (changes, i);
      const char *params[] = {
        id, change->table, change->row_id, change->field, change->value, reason, message, now,
      };

      if (strncmp (change->stamp, id, 16) != 0)
        continue;

      if (!run_sql (run,
                    "INSERT OR REPLACE INTO quarantine "
                    "(id, tbl, row_id, field, value, reason, message, time) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params, G_N_ELEMENTS (params), error))
        return FALSE;
    }

  return TRUE;
}

/* Forgets what the server acknowledged and quarantines what it refused,
 * in one transaction. */
static gboolean
acknowledge_batch (SyncRun     *run,
                   GPtrArray   *changes,
                   guint64      last_hlc,
                   JsonObject  *answer,
                   GError     **error)
{
  JsonNode *refused_node = json_object_get_member (answer, "refused");
  JsonArray *refused = NULL;
  guint64 applied_through = 0;
  guint64 first_id = 0, last_id = 0;
  guint64 clear_up_to;

  if (changes->len > 0)
    {
      const PdmChange *first = g_ptr_array_index (changes, 0);
      const PdmChange *last = g_ptr_array_index (changes, changes->len - 1);

      pdm_stamp_parse (first->stamp, &first_id, NULL);
      pdm_stamp_parse (last->stamp, &last_id, NULL);
    }

  if (!parse_hex_id (_pdm_sync_get_string_member (answer, "applied_through"), &applied_through) ||
      (refused_node != NULL && !JSON_NODE_HOLDS_ARRAY (refused_node) &&
       !JSON_NODE_HOLDS_NULL (refused_node)))
    {
      set_bad_response (run, error);
      return FALSE;
    }
  if (refused_node != NULL && JSON_NODE_HOLDS_ARRAY (refused_node))
    refused = json_node_get_array (refused_node);

  /* The outbox entries after the last mutation had nothing left to send
   * (later edits carry their fields), so they go with the batch. */
  if (applied_through >= last_id)
    clear_up_to = last_hlc;
  else if (applied_through >= first_id)
    clear_up_to = applied_through;
  else
    {
      set_bad_response (run, error);
      return FALSE;
    }

  if (!pdm_repository_begin (run->repository, error))
    return FALSE;

  for (guint i = 0; refused != NULL && i < json_array_get_length (refused); i++)
    {
      JsonNode *item = json_array_get_element (refused, i);

      if (!JSON_NODE_HOLDS_OBJECT (item))
        {
          pdm_repository_rollback (run->repository);
          set_bad_response (run, error);
          return FALSE;
        }
      if (!quarantine_mutation (run, changes, json_node_get_object (item), error))
        {
          pdm_repository_rollback (run->repository);
          return FALSE;
        }
      run->report.refused++;
    }

  if (!pdm_repository_clear_outbox (run->repository, clear_up_to, error))
    {
      pdm_repository_rollback (run->repository);
      return FALSE;
    }

  return pdm_repository_commit (run->repository, error);
}

/* Sends the outbox in batches, oldest first. Writes made while the run
 * pushes are sent too, up to those made after it started pulling. */
static gboolean
push_outbox (SyncRun       *run,
             GCancellable  *cancellable,
             GError       **error)
{
  guint total = pdm_repository_count_outbox (run->repository);
  guint done = 0;

  for (;;)
    {
      g_autoptr(GPtrArray) changes = NULL;
      g_autoptr(JsonNode) body = NULL;
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(JsonObject) answer = NULL;
      guint64 last_hlc = 0;
      guint n_mutations = 0;
      guint refused_before = run->report.refused;
      guint n_before = pdm_repository_count_outbox (run->repository);
      guint n_after;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      report_progress (run, PDM_SYNC_PHASE_PUSHING, done, MAX (total, done + n_before));

      changes = pdm_repository_collect_outbox (run->repository, PUSH_BATCH_WRITES,
                                               &last_hlc, error);
      if (changes == NULL)
        return FALSE;
      if (last_hlc == 0)
        break;

      if (changes->len == 0)
        {
          /* Every field of these writes was overwritten by later ones. */
          if (!pdm_repository_clear_outbox (run->repository, last_hlc, error))
            return FALSE;
          continue;
        }

      run->newest_stamp_ms = 0;
      body = build_push_body (run, changes, &n_mutations);
      msg = new_json_post (run, "api/v1/push", body, TRUE, error);
      if (msg == NULL)
        return FALSE;
      answer = exchange (run, msg, cancellable, error);
      if (answer == NULL)
        return FALSE;

      if (!acknowledge_batch (run, changes, last_hlc, answer, error))
        return FALSE;

      run->report.pushed += n_mutations - (run->report.refused - refused_before);
      n_after = pdm_repository_count_outbox (run->repository);
      /* Edits made meanwhile grow the outbox. */
      done += n_before > n_after ? n_before - n_after : 0;
    }

  return TRUE;
}

/* --- pull ----------------------------------------------------------------- */

/* Deletes the local copy of a record that left this device's scope. */
static gboolean
remove_record (SyncRun     *run,
               const char  *table,
               const char  *row,
               GError     **error)
{
  const PdmTableInfo *info = table != NULL ? pdm_table_info_lookup (table) : NULL;
  g_autofree char *delete_sql = NULL;
  g_autofree char *unsent = NULL;

  if (info == NULL || row == NULL)
    {
      g_warning ("Skipping a malformed removal from the server");
      return TRUE;
    }

  {
    const char *params[] = { info->name, row };

    /* The run pushed before it pulled, so a write still in the outbox was
     * made during this run: keep the record rather than lose that write.
     * It is pushed next time, and the server's refusal shows it in the
     * quarantine. */
    unsent = query_text (run, "SELECT 1 FROM outbox WHERE tbl = ?1 AND row_id = ?2 LIMIT 1",
                         params, 2, error);
    if (unsent != NULL)
      return TRUE;
    if (error != NULL && *error != NULL)
      return FALSE;

    /* Raw deletes: leaving the scope is no edit, so nothing goes to the
     * outbox. The table name comes from the known table list. */
    delete_sql = g_strdup_printf ("DELETE FROM %s WHERE id = ?1", info->name);
    if (!run_sql (run, delete_sql, params + 1, 1, error) ||
        !run_sql (run, "DELETE FROM conflict WHERE tbl = ?1 AND row_id = ?2", params, 2, error))
      return FALSE;
  }

  run->report.removed++;

  return TRUE;
}

/* Merges one page with its removals and its cursor in one transaction, so
 * a kill leaves either the whole page or none of it. */
static gboolean
apply_page (SyncRun      *run,
            PdmSyncPage  *page,
            GError      **error)
{
  g_autofree char *cursor_text = g_strdup_printf ("%" G_GINT64_FORMAT, page->cursor);

  /* The repository rolls the whole transaction back when a step fails. */
  if (!pdm_repository_begin (run->repository, error))
    return FALSE;

  if (!pdm_repository_apply_changes (run->repository, page->changes, NULL, error))
    {
      pdm_repository_rollback (run->repository);
      return FALSE;
    }

  for (guint i = 0; i + 1 < page->removed->len; i += 2)
    if (!remove_record (run, g_ptr_array_index (page->removed, i),
                        g_ptr_array_index (page->removed, i + 1), error))
      {
        pdm_repository_rollback (run->repository);
        return FALSE;
      }

  if (!state_set (run, "cursor", cursor_text, error))
    {
      pdm_repository_rollback (run->repository);
      return FALSE;
    }

  return pdm_repository_commit (run->repository, error);
}

/* One pulled page, fetched and read by a helper thread. */
typedef struct
{
  SyncRun      *run;
  GCancellable *cancellable;
  gint64        cursor;   /* asked for */
  PdmSyncPage  *read;     /* NULL on error */
  GError       *error;
} PulledPage;

static void
pulled_page_free (PulledPage *page)
{
  g_clear_pointer (&page->read, pdm_sync_page_free);
  g_clear_error (&page->error);
  g_free (page);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PulledPage, pulled_page_free)

static gpointer
fetch_page_thread (gpointer data)
{
  PulledPage *page = data;
  g_autofree char *endpoint = g_strdup_printf ("api/v1/pull?cursor=%" G_GINT64_FORMAT
                                               "&limit=%u", page->cursor, PULL_PAGE_LIMIT);
  g_autoptr(SoupMessage) msg = _pdm_sync_message_new (page->run->server_url, SOUP_METHOD_GET,
                                                      endpoint);
  g_autoptr(GBytes) body = NULL;
  gsize offset = 0;

  body = send_message (page->run, msg, page->cancellable, &page->error);
  if (body == NULL)
    return page;

  /* Refusals (a revoked device, a failing server) are small objects that
   * the shared reader turns into the protocol's errors. */
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (msg)))
    {
      g_autoptr(JsonObject) answer = _pdm_sync_read_answer (page->run->server_url, msg, body,
                                                            &page->error);

      if (answer != NULL)
        set_bad_response (page->run, &page->error);
      return page;
    }

  /* A page is 100,000 writes: pdm-sync-page.c reads it without a tree. */
  page->read = pdm_sync_page_parse (body, &offset);
  if (page->read == NULL)
    {
      g_debug ("The pull answer stops being JSON at byte %" G_GSIZE_FORMAT, offset);
      set_bad_response (page->run, &page->error);
    }

  return page;
}

/* Starts fetching the page after @cursor in a helper thread (libsoup 3.2
 * sends from any thread), so the next page travels and is read while
 * this thread merges the current one. */
static GThread *
fetch_page (SyncRun      *run,
            gint64        cursor,
            GCancellable *cancellable)
{
  PulledPage *page = g_new0 (PulledPage, 1);

  page->run = run;
  page->cancellable = cancellable;
  page->cursor = cursor;

  return g_thread_new ("pdm-pull", fetch_page_thread, page);
}

static gboolean
pull_pages (SyncRun       *run,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autofree char *cursor_text = NULL;
  g_autoptr(GError) local_error = NULL;
  GThread *fetching;
  gint64 cursor;

  cursor_text = state_get (run, "cursor", &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  cursor = cursor_text != NULL ? g_ascii_strtoll (cursor_text, NULL, 10) : 0;

  report_progress (run, PDM_SYNC_PHASE_PULLING, run->report.pulled, 0);
  fetching = fetch_page (run, cursor, cancellable);

  while (fetching != NULL)
    {
      g_autoptr(PulledPage) page = g_thread_join (g_steal_pointer (&fetching));
      PdmSyncPage *read = page->read;
      gboolean more;

      if (read == NULL)
        {
          g_propagate_error (error, g_steal_pointer (&page->error));
          return FALSE;
        }

      if (read->reset)
        {
          /* A second reset for cursor 0 would loop forever. */
          if (cursor == 0)
            {
              set_bad_response (run, error);
              return FALSE;
            }
          g_debug ("The server asked for a full resync from cursor %" G_GINT64_FORMAT, cursor);
          cursor = 0;
          if (!state_set (run, "cursor", "0", error))
            return FALSE;
          fetching = fetch_page (run, cursor, cancellable);
          continue;
        }

      if (!read->has_cursor || !read->has_rows)
        {
          set_bad_response (run, error);
          return FALSE;
        }
      cursor = read->cursor;
      more = read->more;

      /* One bad write must not stop the device for good. */
      if (read->n_bad > 0)
        g_warning ("Skipping %u malformed changes from the server", read->n_bad);

      if (more && !g_cancellable_is_cancelled (cancellable))
        fetching = fetch_page (run, cursor, cancellable);

      if (!apply_page (run, read, error))
        {
          /* The page in flight is not needed any more. */
          if (fetching != NULL)
            pulled_page_free (g_thread_join (g_steal_pointer (&fetching)));
          return FALSE;
        }

      run->report.pulled += read->changes->len;
      report_progress (run, PDM_SYNC_PHASE_PULLING, run->report.pulled, 0);

      if (more && fetching == NULL &&
          g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }

  report_progress (run, PDM_SYNC_PHASE_PULLING, run->report.pulled, run->report.pulled);

  return TRUE;
}

/* --- the runs ------------------------------------------------------------- */

/* A cancelled run says so, whatever layer noticed it first. */
static GError *
finish_error (GError       *error,
              GCancellable *cancellable)
{
  if (g_cancellable_is_cancelled (cancellable) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_error_free (error);
      return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Sync was cancelled"));
    }

  return error;
}

static void
sync_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SyncRun *run = task_data;
  gint64 started_us = g_get_real_time ();
  g_autoptr(GError) error = NULL;

  if (open_database (run, cancellable, &error) &&
      connect_server (run, cancellable, &error) &&
      push_outbox (run, cancellable, &error) &&
      pull_pages (run, cancellable, &error))
    {
      run->report.pending = pdm_repository_count_outbox (run->repository);
      record_run (run, "sync", started_us, NULL);
      g_task_return_pointer (task, pdm_sync_report_copy (&run->report),
                             (GDestroyNotify) pdm_sync_report_free);
      return;
    }

  error = finish_error (g_steal_pointer (&error), cancellable);
  record_run (run, "sync", started_us, error);
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
on_run_done_cb (GObject    *object,
                GParamSpec *pspec,
                gpointer    user_data)
{
  PdmSyncEngine *self = user_data;

  self->busy = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Marks the engine busy until @task completes: one run at a time, since
 * two runs would push the same outbox twice. */
static gboolean
start_run (PdmSyncEngine *self,
           GTask         *task)
{
  if (self->busy)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("A sync is already running"));
      return FALSE;
    }

  self->busy = TRUE;
  g_signal_connect_object (task, "notify::completed", G_CALLBACK (on_run_done_cb), self, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);

  return TRUE;
}

/**
 * pdm_sync_engine_sync_async:
 * @self: a #PdmSyncEngine
 * @cancellable: (nullable): a #GCancellable; cancelling stops the run
 *   between requests or inside a page, which then is not applied
 * @callback: called on the thread-default main context when done
 * @user_data: data for @callback
 *
 * Runs one sync in a worker thread: pushes the outbox, then pulls and
 * merges what the server has. The ::progress signal tells how it goes.
 */
void
pdm_sync_engine_sync_async (PdmSyncEngine       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PDM_IS_SYNC_ENGINE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pdm_sync_engine_sync_async);
  g_task_set_return_on_cancel (task, FALSE);

  if (!start_run (self, task))
    return;

  g_task_set_task_data (task, sync_run_new (self), (GDestroyNotify) sync_run_free);
  g_task_run_in_thread (task, sync_thread);
}

/**
 * pdm_sync_engine_sync_finish:
 * @self: a #PdmSyncEngine
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError in %PDM_SYNC_ERROR, %PDM_ERROR
 *   (the local database) or %G_IO_ERROR (cancelled, already running)
 *
 * Returns: (transfer full): what the run did, or %NULL on error; what was
 *   not acknowledged stays in the outbox
 */
PdmSyncReport *
pdm_sync_engine_sync_finish (PdmSyncEngine  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (PDM_IS_SYNC_ENGINE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        pdm_sync_engine_sync_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
save_enrollment (SyncRun     *run,
                 JsonObject  *answer,
                 GError     **error)
{
  JsonNode *scope_node = json_object_get_member (answer, "scope");
  const char *server_id = _pdm_sync_get_string_member (answer, "server_id");
  const char *token = _pdm_sync_get_string_member (answer, "token");
  const char *kelurahan = NULL;
  g_autofree char *old_server_id = NULL;
  g_autofree char *old_kelurahan = NULL;
  g_autofree char *device_hex = g_strdup_printf ("%016" G_GINT64_MODIFIER "x",
                                                 pdm_repository_get_device_id (run->repository));

  if (scope_node == NULL || !JSON_NODE_HOLDS_OBJECT (scope_node) ||
      server_id == NULL || token == NULL ||
      g_strcmp0 (_pdm_sync_get_string_member (answer, "device_id"), device_hex) != 0)
    {
      set_bad_response (run, error);
      return FALSE;
    }
  kelurahan = _pdm_sync_get_string_member (json_node_get_object (scope_node), "kelurahan_code");

  if (!pdm_token_store_save (run->token_store, server_id, token, NULL, error))
    return FALSE;

  if (!pdm_repository_begin (run->repository, error))
    return FALSE;

  old_server_id = state_get (run, "server_id", NULL);
  old_kelurahan = state_get (run, "kelurahan_code", NULL);

  /* Another server or another scope: what was pulled says nothing about
   * what the new one holds, so pulling starts from the beginning. */
  if (((old_server_id != NULL && g_strcmp0 (old_server_id, server_id) != 0) ||
       g_strcmp0 (old_kelurahan, kelurahan) != 0) &&
      !state_set (run, "cursor", "0", error))
    goto failed;

  if (!state_set (run, "server_id", server_id, error) ||
      !state_set (run, "kelurahan_code", kelurahan, error) ||
      !state_set (run, "device_name", run->device_name, error))
    goto failed;

  return pdm_repository_commit (run->repository, error);

failed:
  pdm_repository_rollback (run->repository);
  return FALSE;
}

static void
enroll_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SyncRun *run = task_data;
  gint64 started_us = g_get_real_time ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *device_hex = NULL;

  if (!open_database (run, cancellable, &error))
    goto failed;

  device_hex = g_strdup_printf ("%016" G_GINT64_MODIFIER "x",
                                pdm_repository_get_device_id (run->repository));
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, run->code);
  json_builder_set_member_name (builder, "device_id");
  json_builder_add_string_value (builder, device_hex);
  json_builder_set_member_name (builder, "device_name");
  json_builder_add_string_value (builder, run->device_name);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  run->session = _pdm_sync_session_new ();
  msg = new_json_post (run, "api/v1/enroll", body, FALSE, &error);
  if (msg == NULL)
    goto failed;
  answer = exchange (run, msg, cancellable, &error);
  if (answer == NULL || !save_enrollment (run, answer, &error))
    goto failed;

  record_run (run, "enroll", started_us, NULL);
  g_task_return_boolean (task, TRUE);
  return;

failed:
  error = finish_error (g_steal_pointer (&error), cancellable);
  record_run (run, "enroll", started_us, error);
  g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * pdm_sync_engine_enroll_async:
 * @self: a #PdmSyncEngine
 * @code: the one-time enrollment code from the Dinas
 * @device_name: a name that tells the Dinas which computer this is
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context when done
 * @user_data: data for @callback
 *
 * Trades @code for a device token, kept by the engine's #PdmTokenStore,
 * and records the server and the scope in the database.
 */
void
pdm_sync_engine_enroll_async (PdmSyncEngine       *self,
                              const char          *code,
                              const char          *device_name,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *trimmed = NULL;
  SyncRun *run;

  g_return_if_fail (PDM_IS_SYNC_ENGINE (self));
  g_return_if_fail (code != NULL);
  g_return_if_fail (device_name != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pdm_sync_engine_enroll_async);

  if (!start_run (self, task))
    return;

  run = sync_run_new (self);
  /* People copy codes with spaces around them and in lower case. */
  trimmed = g_strstrip (g_strdup (code));
  run->code = g_ascii_strup (trimmed, -1);
  run->device_name = g_strdup (device_name);
  g_task_set_task_data (task, run, (GDestroyNotify) sync_run_free);
  g_task_run_in_thread (task, enroll_thread);
}

gboolean
pdm_sync_engine_enroll_finish (PdmSyncEngine  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (PDM_IS_SYNC_ENGINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        pdm_sync_engine_enroll_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
status_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SyncRun *run = task_data;
  g_autoptr(PdmSyncStatus) status = g_new0 (PdmSyncStatus, 1);
  g_autofree char *last_sync = NULL;
  g_autoptr(GError) error = NULL;

  if (!open_database (run, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  status->server_id = state_get (run, "server_id", NULL);
  status->kelurahan_code = state_get (run, "kelurahan_code", NULL);
  status->device_name = state_get (run, "device_name", NULL);
  status->last_error = state_get (run, "last_error", NULL);
  last_sync = state_get (run, "last_sync", NULL);
  status->last_sync = last_sync != NULL ? g_ascii_strtoll (last_sync, NULL, 10) : 0;
  status->pending = pdm_repository_count_outbox (run->repository);
  status->quarantined = count_rows (run, "SELECT count(*) "
                                         "FROM (SELECT DISTINCT tbl, row_id FROM quarantine)");

  g_task_return_pointer (task, g_steal_pointer (&status), (GDestroyNotify) pdm_sync_status_free);
}

/**
 * pdm_sync_engine_get_status_async:
 * @self: a #PdmSyncEngine
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the thread-default main context when done
 * @user_data: data for @callback
 *
 * Reads what the database says about sync (enrollment, last run, pending
 * writes) in a worker thread; it may run beside a sync.
 */
void
pdm_sync_engine_get_status_async (PdmSyncEngine       *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PDM_IS_SYNC_ENGINE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, pdm_sync_engine_get_status_async);
  g_task_set_task_data (task, sync_run_new (self), (GDestroyNotify) sync_run_free);
  g_task_run_in_thread (task, status_thread);
}

PdmSyncStatus *
pdm_sync_engine_get_status_finish (PdmSyncEngine  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  g_return_val_if_fail (PDM_IS_SYNC_ENGINE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        pdm_sync_engine_get_status_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- the object ----------------------------------------------------------- */

static void
pdm_sync_engine_constructed (GObject *object)
{
  PdmSyncEngine *self = PDM_SYNC_ENGINE (object);
  g_autofree char *directory = g_path_get_dirname (self->database_path);

  G_OBJECT_CLASS (pdm_sync_engine_parent_class)->constructed (object);

  self->token_store = pdm_token_store_new (directory);
}

static void
pdm_sync_engine_finalize (GObject *object)
{
  PdmSyncEngine *self = PDM_SYNC_ENGINE (object);

  g_clear_object (&self->token_store);
  g_clear_pointer (&self->database_path, g_free);
  g_clear_pointer (&self->server_url, g_free);

  G_OBJECT_CLASS (pdm_sync_engine_parent_class)->finalize (object);
}

static void
pdm_sync_engine_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PdmSyncEngine *self = PDM_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_DATABASE_PATH:
      g_value_set_string (value, self->database_path);
      break;

    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdm_sync_engine_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PdmSyncEngine *self = PDM_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_DATABASE_PATH:
      self->database_path = g_value_dup_string (value);
      break;

    case PROP_SERVER_URL:
      self->server_url = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdm_sync_engine_class_init (PdmSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = pdm_sync_engine_constructed;
  object_class->finalize = pdm_sync_engine_finalize;
  object_class->get_property = pdm_sync_engine_get_property;
  object_class->set_property = pdm_sync_engine_set_property;

  properties[PROP_DATABASE_PATH] =
    g_param_spec_string ("database-path", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  properties[PROP_SERVER_URL] =
    g_param_spec_string ("server-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS));

  /* TRUE while an enrollment or a sync runs. */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE |
                           G_PARAM_EXPLICIT_NOTIFY |
                           G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PdmSyncEngine::progress:
   * @self: the engine
   * @phase: a #PdmSyncPhase
   * @done: writes pushed or pulled so far in this phase
   * @total: writes to push, or 0 while pulling (the server does not say)
   *
   * Emitted on the main context of the caller of the run.
   */
  signals[PROGRESS] =
    g_signal_new ("progress",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  PDM_TYPE_SYNC_PHASE, G_TYPE_UINT, G_TYPE_UINT);
}

static void
pdm_sync_engine_init (PdmSyncEngine *self)
{
}

/**
 * pdm_sync_engine_new:
 * @database_path: the local replica's file; each run opens it anew
 * @server_url: the server's base URL
 *
 * Returns: (transfer full): an engine
 */
PdmSyncEngine *
pdm_sync_engine_new (const char *database_path,
                     const char *server_url)
{
  g_return_val_if_fail (database_path != NULL, NULL);
  g_return_val_if_fail (server_url != NULL, NULL);

  return g_object_new (PDM_TYPE_SYNC_ENGINE,
                       "database-path", database_path,
                       "server-url", server_url,
                       NULL);
}

const char *
pdm_sync_engine_get_database_path (PdmSyncEngine *self)
{
  g_return_val_if_fail (PDM_IS_SYNC_ENGINE (self), NULL);

  return self->database_path;
}

const char *
pdm_sync_engine_get_server_url (PdmSyncEngine *self)
{
  g_return_val_if_fail (PDM_IS_SYNC_ENGINE (self), NULL);

  return self->server_url;
}

/**
 * pdm_sync_engine_get_token_store:
 * @self: a #PdmSyncEngine
 *
 * Returns: (transfer none): where the device token is kept, for the UI to
 *   say (pdm_token_store_get_backend_name())
 */
PdmTokenStore *
pdm_sync_engine_get_token_store (PdmSyncEngine *self)
{
  g_return_val_if_fail (PDM_IS_SYNC_ENGINE (self), NULL);

  return self->token_store;
}

gboolean
pdm_sync_engine_get_busy (PdmSyncEngine *self)
{
  g_return_val_if_fail (PDM_IS_SYNC_ENGINE (self), FALSE);

  return self->busy;
}
