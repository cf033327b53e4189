/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sync-engine"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "pdm-repository.h"
#include "pdm-rules.h"
#include "pdm-sync-client.h"
#include "pdm-sync-engine.h"
#include "pdm-sync-scheduler.h"
#include "pdm-test-process.h"
#include "pdm-test-util.h"
#include "pdm-training.h"

/*
 * The client sync engine against the real pendamping-server: devices are
 * databases in temporary folders, each with the repository the app would
 * write through and a PdmSyncEngine. A proxy in this process sits between
 * them and the server where a test must lose an answer or stop a pull.
 */

#define KELURAHAN       "13.75.02.1002"
#define OTHER_KELURAHAN "13.75.03.1001"
#define WAIT_MS         30000

static const char *self_exe = "/proc/self/exe";

/* --- waiting for async results ----------------------------------------------- */

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} Waited;

static void
on_done_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Waited *waited = user_data;

  waited->result = g_object_ref (result);
  waited->done = TRUE;
}

static GAsyncResult *
wait_result (Waited *waited)
{
  g_assert_true (pdm_test_wait_for (NULL, pdm_test_flag_is_set, &waited->done, WAIT_MS));

  return waited->result;
}

/* --- devices ------------------------------------------------------------------ */

typedef struct
{
  char          *dir;
  char          *db_path;
  PdmDatabase   *database;
  PdmRepository *repository;
  PdmSyncEngine *engine;
} Device;

static void
device_free (Device *device)
{
  g_clear_object (&device->engine);
  g_clear_object (&device->repository);
  g_clear_object (&device->database);
  pdm_test_remove_tree (device->dir);
  g_free (device->dir);
  g_free (device->db_path);
  g_free (device);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Device, device_free)

static Device *
device_new (const char *url)
{
  Device *device = g_new0 (Device, 1);
  g_autoptr(GError) error = NULL;

  device->dir = pdm_test_make_tmp_dir ();
  device->db_path = g_build_filename (device->dir, "pendamping.db", NULL);
  device->database = pdm_database_open (device->db_path, &error);
  g_assert_no_error (error);
  device->repository = pdm_repository_new (device->database, &error);
  g_assert_no_error (error);
  device->engine = pdm_sync_engine_new (device->db_path, url);

  return device;
}

static char *
make_code (PdmTestProcess *server,
           const char     *kelurahan)
{
  const char *args[] = { "enroll", "--kelurahan", kelurahan, "--data-dir", server->data_dir, NULL };
  const char *dinas_args[] = { "enroll", "--dinas", "--data-dir", server->data_dir, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) words = NULL;
  char *newline;
  int status;

  status = pdm_test_process_run (kelurahan != NULL ? args : dinas_args, &out, &err);
  g_assert_cmpint (status, ==, 0);

  /* "Enrollment code: K7QX-2MDP" on the first line. */
  newline = strchr (out, '\n');
  if (newline != NULL)
    *newline = '\0';
  words = g_strsplit (g_strstrip (out), " ", -1);
  g_assert_cmpuint (g_strv_length (words), >, 0);

  return g_strdup (words[g_strv_length (words) - 1]);
}

static void
device_enroll (Device         *device,
               PdmTestProcess *server,
               const char     *kelurahan)
{
  g_autofree char *code = make_code (server, kelurahan);
  Waited waited = { FALSE, NULL };
  g_autoptr(GError) error = NULL;

  pdm_sync_engine_enroll_async (device->engine, code, "PC Kelurahan Campago Ipuh", NULL,
                                on_done_cb, &waited);
  g_assert_true (pdm_sync_engine_enroll_finish (device->engine, wait_result (&waited), &error));
  g_assert_no_error (error);
  g_object_unref (waited.result);
}

static gint64
device_query_int (Device     *device,
                  const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (pdm_database_get_handle (device->database), sql, -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

/* Runs one sync. The app's repository then observes the clock the engine
 * advanced while merging, as the app must, so its next edit is stamped
 * after what it saw. */
static PdmSyncReport *
device_sync_with (Device        *device,
                  GCancellable  *cancellable,
                  GError       **error)
{
  Waited waited = { FALSE, NULL };
  PdmSyncReport *report;

  pdm_sync_engine_sync_async (device->engine, cancellable, on_done_cb, &waited);
  report = pdm_sync_engine_sync_finish (device->engine, wait_result (&waited), error);
  g_object_unref (waited.result);

  pdm_hlc_observe (pdm_repository_get_hlc (device->repository),
                   (guint64) device_query_int (device, "SELECT last_hlc FROM replica"));

  return report;
}

static void
device_sync (Device *device)
{
  g_autoptr(PdmSyncReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = device_sync_with (device, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);
  g_assert_cmpuint (report->pending, ==, 0);
}

static char *
household_new (Device     *device,
               const char *head_name,
               const char *kelurahan)
{
  g_autoptr(PdmRecord) record = pdm_record_new (PDM_TABLE_HOUSEHOLD);
  g_autoptr(GError) error = NULL;

  pdm_record_set (record, "head_name", head_name);
  pdm_record_set (record, "address", "Jl. Sudirman No. 1");
  pdm_record_set (record, "kelurahan_code", kelurahan);
  pdm_record_set (record, "rt", "001");
  pdm_record_set (record, "rw", "002");
  g_assert_true (pdm_repository_insert (device->repository, record, &error));
  g_assert_no_error (error);

  return g_strdup (record->id);
}

static void
household_set (Device     *device,
               const char *id,
               const char *field,
               const char *value)
{
  g_autoptr(PdmRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  record = pdm_repository_get (device->repository, PDM_TABLE_HOUSEHOLD, id, &error);
  g_assert_no_error (error);
  pdm_record_set (record, field, value);
  g_assert_true (pdm_repository_update (device->repository, record, NULL, &error));
  g_assert_no_error (error);
}

static char *
household_get (Device     *device,
               const char *id,
               const char *field)
{
  g_autoptr(PdmRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  record = pdm_repository_get (device->repository, PDM_TABLE_HOUSEHOLD, id, &error);
  if (record == NULL)
    return NULL;

  return g_strdup (pdm_record_get (record, field));
}

static void
assert_field (Device     *device,
              const char *id,
              const char *field,
              const char *expected)
{
  g_autofree char *value = household_get (device, id, field);

  g_assert_cmpstr (value, ==, expected);
}

static guint
count_conflicts (Device     *device,
                 const char *id,
                 const char *field)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;

  conflicts = pdm_repository_list_conflicts (device->repository, PDM_TABLE_HOUSEHOLD, id,
                                             field, &error);
  g_assert_no_error (error);

  return conflicts->len;
}

static void
append_query (Device     *device,
              GString    *out,
              const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (pdm_database_get_handle (device->database), sql, -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, i);

          g_string_append_printf (out, "%s|", text != NULL ? text : "∅");
        }
      g_string_append_c (out, '\n');
    }
  sqlite3_finalize (stmt);
}

/* What a person could see: every field of every record and every kept
 * conflict. Creation stamps differ between the writer and the others.
 * With @live_only, only the conflicts the field's winner has not seen:
 * pdm_repository_update() leaves those in the table on the device that
 * wrote the winner, and they go with the next merge of the field. */
static char *
device_dump (Device   *device,
             gboolean  live_only)
{
  GString *out = g_string_new (NULL);

  for (guint t = 0; t < PDM_N_TABLES; t++)
    {
      const PdmTableInfo *info = pdm_table_info_get (t);
      g_autoptr(GString) sql = g_string_new ("SELECT id");

      for (guint f = 0; f < info->n_fields; f++)
        g_string_append_printf (sql, ", %s", info->fields[f].name);
      g_string_append_printf (sql, " FROM %s ORDER BY id", info->name);
      g_string_append_printf (out, "[%s]\n", info->name);
      append_query (device, out, sql->str);
    }

  g_string_append (out, "[conflict]\n");
  if (!live_only)
    append_query (device, out,
                  "SELECT tbl, row_id, field, stamp, base, value FROM conflict "
                  "ORDER BY tbl, row_id, field, stamp");
  else
    append_query (device, out,
                  "SELECT c.tbl, c.row_id, c.field, c.stamp, c.base, c.value "
                  "FROM conflict c JOIN household h ON c.tbl = 'household' AND h.id = c.row_id "
                  "WHERE c.stamp > coalesce (json_extract (h._clock, "
                  "                          '$.\"' || c.field || '\"[1]'), '') "
                  "ORDER BY c.tbl, c.row_id, c.field, c.stamp");

  return g_string_free (out, FALSE);
}

static void
assert_dumps_equal (const char *dump_a,
                    const char *dump_b)
{
  g_auto(GStrv) lines_a = NULL;
  g_auto(GStrv) lines_b = NULL;

  if (g_str_equal (dump_a, dump_b))
    return;

  /* The first lines that differ, rather than two whole databases. */
  lines_a = g_strsplit (dump_a, "\n", -1);
  lines_b = g_strsplit (dump_b, "\n", -1);
  for (guint i = 0; lines_a[i] != NULL && lines_b[i] != NULL; i++)
    if (!g_str_equal (lines_a[i], lines_b[i]))
      {
        g_assert_cmpstr (lines_a[i], ==, lines_b[i]);
        break;
      }
  g_assert_cmpuint (g_strv_length (lines_a), ==, g_strv_length (lines_b));
}

static void
assert_same (Device   *a,
             Device   *b,
             gboolean  live_only)
{
  g_autofree char *dump_a = device_dump (a, live_only);
  g_autofree char *dump_b = device_dump (b, live_only);

  assert_dumps_equal (dump_a, dump_b);
}

#define assert_same_content(a, b)      assert_same ((a), (b), FALSE)
#define assert_same_live_content(a, b) assert_same ((a), (b), TRUE)

/* --- a proxy that loses answers and stops pulls -------------------------------- */

typedef struct
{
  SoupServer  *server;
  SoupSession *session;
  char        *upstream;
  char        *url;
  guint        pull_limit;
  guint        drop_push_answers;
  guint        n_pulls;
  guint        kill_after_pulls;
  GSubprocess *child;
  /* Called as a request arrives, while the device's run waits for it. */
  void       (*on_request) (const char *path,
                            gpointer    user_data);
  gpointer     on_request_data;
} Proxy;

typedef struct
{
  Proxy             *proxy;
  SoupServerMessage *msg;
  SoupMessage       *forward;
  gboolean           is_push;
  gboolean           is_pull;
} Forwarded;

static void
copy_header_cb (const char *name,
                const char *value,
                gpointer    user_data)
{
  const char *skipped[] = { "Host", "Content-Length", "Connection", "Accept-Encoding" };

  for (guint i = 0; i < G_N_ELEMENTS (skipped); i++)
    if (g_ascii_strcasecmp (name, skipped[i]) == 0)
      return;

  soup_message_headers_append (user_data, name, value);
}

static void
on_forwarded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Forwarded *forwarded = user_data;
  Proxy *proxy = forwarded->proxy;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  if (body == NULL || (forwarded->is_push && proxy->drop_push_answers > 0))
    {
      /* The server has done the work; the device never hears of it. */
      if (body != NULL)
        proxy->drop_push_answers--;
      soup_server_message_set_status (forwarded->msg, SOUP_STATUS_BAD_GATEWAY, NULL);
    }
  else
    {
      SoupMessageHeaders *in = soup_message_get_response_headers (forwarded->forward);
      const char *type = soup_message_headers_get_content_type (in, NULL);

      soup_server_message_set_status (forwarded->msg,
                                      soup_message_get_status (forwarded->forward), NULL);
      soup_message_headers_replace (soup_server_message_get_response_headers (forwarded->msg),
                                    "X-Pendamping-Protocol",
                                    soup_message_headers_get_one (in, "X-Pendamping-Protocol"));
      soup_server_message_set_response (forwarded->msg, type != NULL ? type : "application/json",
                                        SOUP_MEMORY_COPY,
                                        g_bytes_get_data (body, NULL), g_bytes_get_size (body));
    }

  soup_server_message_unpause (forwarded->msg);

  /* Killed right after a page left the server: mid-page or between pages. */
  if (forwarded->is_pull && proxy->child != NULL && proxy->n_pulls == proxy->kill_after_pulls)
    {
      g_usleep (g_random_int_range (0, 3000));
      g_subprocess_send_signal (proxy->child, SIGKILL);
    }

  g_object_unref (forwarded->msg);
  g_object_unref (forwarded->forward);
  g_free (forwarded);
}

static void
on_proxy_request_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query,
                     gpointer           user_data)
{
  Proxy *proxy = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  Forwarded *forwarded = g_new0 (Forwarded, 1);
  g_autoptr(GString) target = g_string_new (proxy->upstream);
  g_autoptr(GBytes) body = NULL;

  forwarded->proxy = proxy;
  forwarded->msg = g_object_ref (msg);
  forwarded->is_push = g_str_has_suffix (path, "/push");
  forwarded->is_pull = g_str_has_suffix (path, "/pull");

  g_string_append (target, path + 1);
  if (g_uri_get_query (uri) != NULL)
    g_string_append_printf (target, "?%s", g_uri_get_query (uri));
  if (forwarded->is_pull)
    {
      proxy->n_pulls++;
      if (proxy->pull_limit > 0)
        g_string_append_printf (target, "&limit=%u", proxy->pull_limit);
    }

  forwarded->forward = soup_message_new (soup_server_message_get_method (msg), target->str);
  soup_message_headers_foreach (soup_server_message_get_request_headers (msg), copy_header_cb,
                                soup_message_get_request_headers (forwarded->forward));
  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  if (g_bytes_get_size (body) > 0)
    soup_message_set_request_body_from_bytes (forwarded->forward, NULL, body);

  if (proxy->on_request != NULL)
    proxy->on_request (path, proxy->on_request_data);

  soup_server_message_pause (msg);
  soup_session_send_and_read_async (proxy->session, forwarded->forward, G_PRIORITY_DEFAULT,
                                    NULL, on_forwarded_cb, forwarded);
}

static Proxy *
proxy_new (const char *upstream)
{
  Proxy *proxy = g_new0 (Proxy, 1);
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) error = NULL;
  GSList *listeners;

  proxy->upstream = g_strdup (upstream);
  proxy->session = soup_session_new ();
  proxy->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (proxy->server, NULL, on_proxy_request_cb, proxy, NULL);
  soup_server_listen_local (proxy->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  /* Not soup_server_get_uris(), which leaks in libsoup 3.2. */
  listeners = soup_server_get_listeners (proxy->server);
  address = g_socket_get_local_address (listeners->data, &error);
  g_slist_free (listeners);
  g_assert_no_error (error);
  proxy->url = g_strdup_printf ("http://127.0.0.1:%u/",
                                g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address)));

  return proxy;
}

static void
proxy_free (Proxy *proxy)
{
  soup_server_disconnect (proxy->server);
  g_clear_object (&proxy->server);
  g_clear_object (&proxy->session);
  g_clear_object (&proxy->child);
  g_free (proxy->upstream);
  g_free (proxy->url);
  g_free (proxy);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Proxy, proxy_free)

/* --- tests -------------------------------------------------------------------- */

static void
test_enroll_token_file (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autoptr(Device) device = device_new (server->url);
  PdmTokenStore *store = pdm_sync_engine_get_token_store (device->engine);
  g_autofree char *token_path = g_build_filename (device->dir, "token.txt", NULL);
  g_autofree char *server_id = NULL;
  g_autofree char *token = NULL;
  g_autoptr(GError) error = NULL;
  Waited waited = { FALSE, NULL };
  struct stat st;

  /* A used code is refused. */
  {
    g_autofree char *code = make_code (server, KELURAHAN);
    g_autoptr(Device) other = device_new (server->url);

    pdm_sync_engine_enroll_async (other->engine, code, "PC 1", NULL, on_done_cb, &waited);
    g_assert_true (pdm_sync_engine_enroll_finish (other->engine, wait_result (&waited), &error));
    g_clear_object (&waited.result);
    waited.done = FALSE;

    pdm_sync_engine_enroll_async (device->engine, code, "PC 2", NULL, on_done_cb, &waited);
    g_assert_false (pdm_sync_engine_enroll_finish (device->engine, wait_result (&waited),
                                                   &error));
    g_assert_error (error, PDM_SYNC_ERROR, PDM_SYNC_ERROR_REFUSED);
    g_clear_error (&error);
    g_clear_object (&waited.result);
  }

  device_enroll (device, server, KELURAHAN);

  g_assert_cmpint (g_stat (token_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_false (pdm_token_store_uses_keyring (store));
  g_assert_cmpstr (pdm_token_store_get_backend_name (store), ==, "kept in a file (no keyring)");

  {
    sqlite3_stmt *stmt = NULL;

    sqlite3_prepare_v2 (pdm_database_get_handle (device->database),
                        "SELECT value FROM sync_state WHERE key = 'server_id'", -1, &stmt, NULL);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    server_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    sqlite3_finalize (stmt);
  }
  g_assert_true (g_uuid_string_is_valid (server_id));
  token = pdm_token_store_load (store, server_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  g_assert_null (pdm_token_store_load (store, "another-server", NULL, &error));
  g_assert_no_error (error);

  /* An enrolled device with nothing to send syncs cleanly. */
  device_sync (device);
  g_assert_cmpint (device_query_int (device, "SELECT count(*) FROM sync_history "
                                             "WHERE kind = 'sync' AND error IS NULL"), ==, 1);
}

static void
test_not_enrolled (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autoptr(Device) device = device_new (server->url);
  g_autoptr(PdmSyncReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = household_new (device, "Siti Aminah", KELURAHAN);

  report = device_sync_with (device, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, PDM_SYNC_ERROR, PDM_SYNC_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (pdm_repository_count_outbox (device->repository), ==, 1);
  g_assert_cmpint (device_query_int (device, "SELECT count(*) FROM sync_history "
                                             "WHERE error IS NOT NULL"), ==, 1);
}

/* Two devices that hold one household, both offline from now on. */
typedef struct
{
  PdmTestProcess *server;
  Device         *a;
  Device         *b;
  char           *id;
} TwoDevices;

static void
two_devices_setup (TwoDevices    *fixture,
                   gconstpointer  data)
{
  fixture->server = pdm_test_process_serve (NULL);
  fixture->a = device_new (fixture->server->url);
  fixture->b = device_new (fixture->server->url);

  device_enroll (fixture->a, fixture->server, KELURAHAN);
  device_enroll (fixture->b, fixture->server, KELURAHAN);
  fixture->id = household_new (fixture->a, "Siti Aminah", KELURAHAN);
  device_sync (fixture->a);
  device_sync (fixture->b);
  assert_field (fixture->b, fixture->id, "head_name", "Siti Aminah");
}

static void
two_devices_teardown (TwoDevices    *fixture,
                      gconstpointer  data)
{
  g_clear_pointer (&fixture->a, device_free);
  g_clear_pointer (&fixture->b, device_free);
  g_clear_pointer (&fixture->server, pdm_test_process_free);
  g_clear_pointer (&fixture->id, g_free);
}

/* Each device syncs its offline edit, then the first one again. */
static void
sync_both (TwoDevices *fixture)
{
  device_sync (fixture->a);
  device_sync (fixture->b);
  device_sync (fixture->a);
}

static void
test_different_fields (TwoDevices    *fixture,
                       gconstpointer  data)
{
  household_set (fixture->a, fixture->id, "address", "Jl. Panorama No. 4");
  household_set (fixture->b, fixture->id, "rt", "007");
  sync_both (fixture);

  for (Device *d = fixture->a; d != NULL; d = d == fixture->a ? fixture->b : NULL)
    {
      assert_field (d, fixture->id, "address", "Jl. Panorama No. 4");
      assert_field (d, fixture->id, "rt", "007");
      g_assert_cmpuint (count_conflicts (d, fixture->id, "address"), ==, 0);
      g_assert_cmpuint (count_conflicts (d, fixture->id, "rt"), ==, 0);
    }
  assert_same_content (fixture->a, fixture->b);
}

static void
test_same_field (TwoDevices    *fixture,
                 gconstpointer  data)
{
  g_autofree char *winner_a = NULL;
  g_autofree char *winner_b = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;

  household_set (fixture->a, fixture->id, "head_name", "Siti Aminah Lubis");
  household_set (fixture->b, fixture->id, "head_name", "Siti Aminah Tanjung");
  sync_both (fixture);

  winner_a = household_get (fixture->a, fixture->id, "head_name");
  winner_b = household_get (fixture->b, fixture->id, "head_name");
  g_assert_cmpstr (winner_a, ==, winner_b);

  /* The loser is kept on both, for a person to pick. */
  conflicts = pdm_repository_list_conflicts (fixture->a->repository, PDM_TABLE_HOUSEHOLD,
                                             fixture->id, "head_name", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  g_assert_cmpstr (((PdmVersion *) conflicts->pdata[0])->value, ==,
                   g_str_equal (winner_a, "Siti Aminah Lubis") ? "Siti Aminah Tanjung"
                                                               : "Siti Aminah Lubis");
  g_assert_cmpuint (count_conflicts (fixture->b, fixture->id, "head_name"), ==, 1);
  assert_same_content (fixture->a, fixture->b);
}

static void
test_delete_edit (TwoDevices    *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (pdm_repository_delete (fixture->a->repository, PDM_TABLE_HOUSEHOLD,
                                        fixture->id, &error));
  g_assert_no_error (error);
  household_set (fixture->b, fixture->id, "address", "Jl. Panorama No. 4");
  sync_both (fixture);

  /* Both writes survive: the household is deleted everywhere and keeps
   * the correction, which a restore shows. */
  for (Device *d = fixture->a; d != NULL; d = d == fixture->a ? fixture->b : NULL)
    {
      assert_field (d, fixture->id, "deleted", "1");
      assert_field (d, fixture->id, "address", "Jl. Panorama No. 4");
    }
  assert_same_content (fixture->a, fixture->b);
}

/* A person resolves a conflict by writing the value anew: the loser goes
 * from every device, the one that resolved it included. */
static void
test_edit_resolves_conflict (TwoDevices    *fixture,
                             gconstpointer  data)
{
  household_set (fixture->a, fixture->id, "notes", "pindah rumah");
  household_set (fixture->b, fixture->id, "notes", "sakit");
  sync_both (fixture);
  g_assert_cmpuint (count_conflicts (fixture->a, fixture->id, "notes"), ==, 1);
  g_assert_cmpuint (count_conflicts (fixture->b, fixture->id, "notes"), ==, 1);

  household_set (fixture->a, fixture->id, "notes", "pindah rumah, sakit");
  device_sync (fixture->a);
  device_sync (fixture->b);

  g_assert_cmpuint (count_conflicts (fixture->b, fixture->id, "notes"), ==, 0);
  g_assert_cmpuint (count_conflicts (fixture->a, fixture->id, "notes"), ==, 0);
  assert_same_live_content (fixture->a, fixture->b);
}

static void
test_refused_quarantined (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autoptr(Device) a = device_new (server->url);
  g_autoptr(Device) b = device_new (server->url);
  g_autoptr(PdmSyncReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *outside = NULL;
  g_autofree char *inside = NULL;

  device_enroll (a, server, KELURAHAN);
  device_enroll (b, server, KELURAHAN);
  outside = household_new (a, "Rahmat Hidayat", OTHER_KELURAHAN);
  inside = household_new (a, "Nurhayati", KELURAHAN);

  /* One bad record does not hold back the rest. */
  report = device_sync_with (a, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->refused, ==, 1);
  g_assert_cmpuint (report->pushed, ==, 1);
  g_assert_cmpuint (pdm_repository_count_outbox (a->repository), ==, 0);
  g_assert_cmpint (device_query_int (a, "SELECT count(*) FROM quarantine "
                                        "WHERE reason = 'out-of-scope' AND field = 'head_name' "
                                        "AND value = 'Rahmat Hidayat'"), ==, 1);

  device_sync (b);
  assert_field (b, outside, "head_name", NULL);
  assert_field (b, inside, "head_name", "Nurhayati");
}

static void
test_removed_from_scope (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autoptr(Device) kelurahan = device_new (server->url);
  g_autoptr(Device) dinas = device_new (server->url);
  g_autofree char *moved = NULL;
  g_autofree char *stays = NULL;
  g_autoptr(PdmSyncReport) report = NULL;
  g_autoptr(GError) error = NULL;

  device_enroll (kelurahan, server, KELURAHAN);
  device_enroll (dinas, server, NULL);
  moved = household_new (kelurahan, "Yusuf Chaniago", KELURAHAN);
  stays = household_new (kelurahan, "Ratna Sari", KELURAHAN);
  household_set (kelurahan, moved, "head_name", "Yusuf Chaniago Datuak");
  device_sync (kelurahan);
  device_sync (dinas);

  /* The Dinas moves the household to another kelurahan. */
  household_set (dinas, moved, "kelurahan_code", OTHER_KELURAHAN);
  device_sync (dinas);

  report = device_sync_with (kelurahan, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->removed, >=, 1);
  assert_field (kelurahan, moved, "head_name", NULL);
  assert_field (kelurahan, stays, "head_name", "Ratna Sari");
  /* Leaving the scope is no edit: nothing to push. */
  g_assert_cmpuint (pdm_repository_count_outbox (kelurahan->repository), ==, 0);
  g_assert_cmpint (device_query_int (kelurahan, "SELECT count(*) FROM conflict"), ==, 0);
}

/* The Dinas compacts the server's change log (pendamping-server compact):
 * a device whose cursor is older than what went is told to start again,
 * and ends with what everyone has; one that read past it goes on from its
 * cursor. */
static void
test_compacted_log (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autoptr(Device) writer = device_new (server->url);
  g_autoptr(Device) other = device_new (server->url);
  g_autoptr(Device) early = device_new (server->url);
  g_autoptr(Device) late = device_new (server->url);
  g_autoptr(Device) fresh = device_new (server->url);
  g_autoptr(PdmSyncReport) early_report = NULL;
  g_autoptr(PdmSyncReport) late_report = NULL;
  g_autoptr(PdmSyncReport) fresh_report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *out = NULL;
  const char *args[] = { "compact", "--keep-days", "0", "--data-dir", server->data_dir, NULL };

  device_enroll (writer, server, KELURAHAN);
  device_enroll (other, server, KELURAHAN);
  device_enroll (early, server, KELURAHAN);
  device_enroll (late, server, KELURAHAN);

  id = household_new (writer, "Yusuf Chaniago", KELURAHAN);
  device_sync (writer);
  device_sync (other);
  device_sync (early);

  /* Corrections that replace one another, and a conflict that must stay. */
  household_set (writer, id, "head_name", "Yusuf Chaniago Dt.");
  device_sync (writer);
  household_set (writer, id, "head_name", "Yusuf Chaniago Datuak");
  household_set (other, id, "address", "Jl. Sudirman No. 3");
  household_set (writer, id, "address", "Jl. Sudirman No. 5");
  device_sync (other);
  device_sync (writer);
  device_sync (other);
  device_sync (late);
  g_assert_cmpuint (count_conflicts (late, id, "address"), ==, 1);

  g_assert_cmpint (pdm_test_process_run (args, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Horizon:"));

  /* Everything again for the device that was away... */
  early_report = device_sync_with (early, NULL, &error);
  g_assert_no_error (error);
  device_enroll (fresh, server, KELURAHAN);
  fresh_report = device_sync_with (fresh, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fresh_report->pulled, >, 0);
  g_assert_cmpuint (early_report->pulled, ==, fresh_report->pulled);

  /* ... nothing for the one that was not. */
  late_report = device_sync_with (late, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (late_report->pulled, ==, 0);

  assert_field (early, id, "head_name", "Yusuf Chaniago Datuak");
  g_assert_cmpuint (count_conflicts (early, id, "address"), ==, 1);
  assert_same_content (early, late);
  assert_same_content (fresh, late);
  assert_same_live_content (writer, late);
}

/* A DTSEN extract with a household in KELURAHAN (two members) and one in
 * OTHER_KELURAHAN; "@@" stands for the NIK of the last row. */
#define SERVER_IMPORT_CSV \
  "No KK;ID DTSEN;Nama Kepala Keluarga;Alamat;RT;RW;Kecamatan;Kelurahan;Desil;Program;NIK;" \
  "Nama;Jenis Kelamin;Tempat Lahir;Tanggal Lahir;Hubungan Keluarga;Disabilitas\r\n" \
  "1375020101200001;;Syafri Yanto;Jl. Sudirman No. 3;2;4;Mandiangin Koto Selayan;" \
  "Campago Ipuh;2;PKH;1375021203800001;Syafri Yanto;L;Bukittinggi;12/03/1980;" \
  "Kepala Keluarga;\r\n" \
  "1375020101200001;;Syafri Yanto;Jl. Sudirman No. 3;2;4;Mandiangin Koto Selayan;" \
  "Campago Ipuh;2;PKH;1375025505850002;Rosna;P;Agam;15/05/1985;Istri;\r\n" \
  "1375030202210001;;Yenni Marlina;Jl. Hamka No. 9;1;1;Aur Birugo Tigo Baleh;Aur Kuning;1;" \
  "BPNT;@@;Yenni Marlina;P;Bukittinggi;01/07/1990;Kepala Keluarga;\r\n"

static int
server_import (PdmTestProcess *server,
               const char     *nik,
               char          **out_stderr)
{
  g_autofree char *path = g_build_filename (server->data_dir, "dtsen.csv", NULL);
  g_auto(GStrv) parts = g_strsplit (SERVER_IMPORT_CSV, "@@", -1);
  g_autofree char *csv = g_strjoinv (nik, parts);
  const char *args[] = { "import", path, "--data-dir", server->data_dir, NULL };
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, csv, -1, &error);
  g_assert_no_error (error);

  return pdm_test_process_run (args, NULL, out_stderr);
}

/* `pendamping-server import` while the server runs: a file with a bad row
 * imports nothing and names the row; a good one reaches each kelurahan's
 * devices with that kelurahan's households only. */
static void
test_server_import (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autoptr(Device) campago_ipuh = device_new (server->url);
  g_autoptr(Device) aur_kuning = device_new (server->url);
  g_autofree char *problems = NULL;
  const char *household_count = "SELECT count(*) FROM household WHERE deleted = 0";
  const char *person_count = "SELECT count(*) FROM person WHERE deleted = 0";

  device_enroll (campago_ipuh, server, KELURAHAN);
  device_enroll (aur_kuning, server, OTHER_KELURAHAN);

  /* A woman's NIK without the day + 40, on row 4. */
  g_assert_cmpint (server_import (server, "1375030107900001", &problems), ==, 1);
  if (strstr (problems, "Row 4, column NIK") == NULL || strstr (problems, "nothing") == NULL)
    g_error ("The refused import did not name row 4: %s", problems);
  device_sync (campago_ipuh);
  device_sync (aur_kuning);
  g_assert_cmpint (device_query_int (campago_ipuh, household_count), ==, 0);
  g_assert_cmpint (device_query_int (aur_kuning, household_count), ==, 0);

  g_assert_cmpint (server_import (server, "1375034107900001", NULL), ==, 0);
  device_sync (campago_ipuh);
  device_sync (aur_kuning);
  g_assert_cmpint (device_query_int (campago_ipuh, household_count), ==, 1);
  g_assert_cmpint (device_query_int (campago_ipuh, person_count), ==, 2);
  g_assert_cmpint (device_query_int (campago_ipuh,
                                     "SELECT count(*) FROM household "
                                     "WHERE head_name = 'Syafri Yanto' AND kelurahan_code = '"
                                     KELURAHAN "'"), ==, 1);
  g_assert_cmpint (device_query_int (aur_kuning, household_count), ==, 1);
  g_assert_cmpint (device_query_int (aur_kuning, person_count), ==, 1);
  g_assert_cmpint (device_query_int (aur_kuning,
                                     "SELECT count(*) FROM person WHERE nik = '1375034107900001'"),
                   ==, 1);
}

/* The training records of @device, as text to compare. */
static char *
device_training_dump (Device *device)
{
  GString *out = g_string_new (NULL);

  append_query (device, out, "SELECT id, title, start_date, venue FROM training ORDER BY id");
  append_query (device, out, "SELECT id, training_id, topic FROM training_session ORDER BY id");
  append_query (device, out, "SELECT id, training_id, volunteer_id, kelurahan_code, deleted "
                             "FROM participant ORDER BY id");
  append_query (device, out, "SELECT id, session_id, participant_id, present FROM attendance "
                             "ORDER BY id");
  append_query (device, out, "SELECT id, form_id, participant_id, answers, score, submitted_at "
                             "FROM response ORDER BY id");
  /* Forms byte for byte, stamps and all: seeded here, merged from the server. */
  append_query (device, out, "SELECT id, form_key, version, title, kind, definition, deleted, "
                             "  _created, _clock FROM form ORDER BY id");
  append_query (device, out, "SELECT tbl, row_id, field, value FROM conflict ORDER BY 1, 2, 3");

  return g_string_free (out, FALSE);
}

/* A Dinas laptop sets up a training with a PSM of another kelurahan; a
 * kelurahan PC receives it, both check the PSM in at once, the kelurahan PC
 * sends a pre-test, then tries to change it behind the repository's back. */
static void
test_training_sync (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autoptr(Device) dinas = device_new (server->url);
  g_autoptr(Device) kelurahan = device_new (server->url);
  g_autoptr(PdmRecord) volunteer = pdm_record_new (PDM_TABLE_VOLUNTEER);
  g_autoptr(PdmRecord) training = pdm_record_new (PDM_TABLE_TRAINING);
  g_autoptr(PdmRecord) session = pdm_record_new (PDM_TABLE_TRAINING_SESSION);
  g_autoptr(PdmRecord) participant = NULL;
  g_autoptr(PdmRecord) pretest = NULL;
  g_autoptr(PdmRecord) response = pdm_record_new (PDM_TABLE_RESPONSE);
  g_autoptr(PdmRecord) kept = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) trainings = NULL;
  g_autoptr(PdmSyncReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dump_dinas = NULL;
  g_autofree char *dump_kelurahan = NULL;
  PdmParticipantRow *row;

  device_enroll (dinas, server, NULL);
  device_enroll (kelurahan, server, KELURAHAN);

  pdm_record_set (volunteer, "full_name", "Rina Marlina");
  pdm_record_set (volunteer, "kelurahan_code", OTHER_KELURAHAN);
  g_assert_true (pdm_repository_insert (dinas->repository, volunteer, &error));
  pdm_record_set (training, "title", "Pelatihan Dasar PSM");
  pdm_record_set (training, "start_date", "2025-11-25");
  g_assert_true (pdm_rules_save (dinas->repository, training, NULL, NULL, &error));
  pdm_record_set (session, "training_id", training->id);
  pdm_record_set (session, "topic", "Peran PSM");
  g_assert_true (pdm_rules_save (dinas->repository, session, NULL, NULL, &error));
  participant = pdm_training_add_participant (dinas->repository, training->id, volunteer->id,
                                              &error);
  g_assert_no_error (error);
  device_sync (dinas);

  /* The kelurahan PC has the training, though the PSM is of another
   * kelurahan (whose PSM list it does not hold). */
  device_sync (kelurahan);
  trainings = pdm_training_list (kelurahan->repository, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (trainings->len, ==, 1);
  rows = pdm_training_list_participants (kelurahan->repository, training->id, NULL, &error);
  g_assert_cmpuint (rows->len, ==, 1);
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpstr (row->participant->id, ==, participant->id);
  g_assert_cmpstr (row->kelurahan_name, ==, "Aur Kuning");
  g_assert_null (row->full_name);

  /* Both check her in, and the kelurahan PC sends her pre-test. */
  g_assert_true (pdm_training_set_attendance (dinas->repository, session->id, participant->id,
                                              TRUE, &error));
  g_assert_true (pdm_training_set_attendance (kelurahan->repository, session->id,
                                              participant->id, TRUE, &error));
  pretest = pdm_training_get_form (kelurahan->repository, "psm-basic-pretest", 0, &error);
  g_assert_no_error (error);
  pdm_record_set (response, "form_id", pretest->id);
  pdm_record_set (response, "training_id", training->id);
  pdm_record_set (response, "participant_id", participant->id);
  pdm_record_set (response, "answers", "{\"q01\": \"a\"}");
  pdm_record_set_int (response, "score", 1);
  g_assert_true (pdm_training_submit_response (kelurahan->repository, response, &error));
  g_assert_no_error (error);

  device_sync (kelurahan);
  device_sync (dinas);
  device_sync (kelurahan);

  dump_dinas = device_training_dump (dinas);
  dump_kelurahan = device_training_dump (kelurahan);
  g_assert_cmpstr (dump_dinas, ==, dump_kelurahan);
  g_assert_cmpint (device_query_int (dinas, "SELECT count(*) FROM attendance WHERE present = 1"),
                   ==, 1);
  g_assert_cmpint (device_query_int (dinas, "SELECT count(*) FROM conflict"), ==, 0);
  g_assert_cmpint (device_query_int (dinas, "SELECT count(*) FROM response"), ==, 1);

  /* A changed response (an older or broken client) is refused and kept in
   * quarantine; nobody else sees the change. */
  {
    char stamp[PDM_STAMP_LEN + 1];
    g_autofree char *sql = NULL;
    guint64 hlc = pdm_hlc_tick (pdm_repository_get_hlc (kelurahan->repository));

    pdm_stamp_format (hlc, pdm_repository_get_device_id (kelurahan->repository), stamp);
    sql = g_strdup_printf ("UPDATE response SET score = 20, _clock = "
                           "  json_object ('score', json_array ('%s', NULL)) WHERE id = '%s';"
                           "INSERT INTO outbox (hlc, tbl, row_id, fields) "
                           "VALUES (%" G_GUINT64_FORMAT ", 'response', '%s', '[\"score\"]');"
                           "UPDATE replica SET last_hlc = %" G_GUINT64_FORMAT ";",
                           stamp, response->id, hlc, response->id, hlc);
    g_assert_true (pdm_database_exec (kelurahan->database, sql, &error));
    g_assert_no_error (error);
  }
  report = device_sync_with (kelurahan, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->refused, ==, 1);
  g_assert_cmpint (device_query_int (kelurahan, "SELECT count(*) FROM quarantine "
                                                "WHERE reason = 'immutable' AND tbl = 'response' "
                                                "AND field = 'score' AND value = '20'"), ==, 1);
  device_sync (dinas);
  kept = pdm_repository_get (dinas->repository, PDM_TABLE_RESPONSE, response->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pdm_record_get (kept, "score"), ==, "1");
}

static void
test_dropped_answer (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autoptr(Proxy) proxy = proxy_new (server->url);
  g_autoptr(Device) a = device_new (proxy->url);
  g_autoptr(Device) b = device_new (server->url);
  g_autoptr(PdmSyncReport) report = NULL;
  g_autoptr(GError) error = NULL;
  guint n_fields = pdm_table_info_get (PDM_TABLE_HOUSEHOLD)->n_fields;

  device_enroll (a, server, KELURAHAN);
  device_enroll (b, server, KELURAHAN);
  for (guint i = 0; i < 3; i++)
    g_free (household_new (a, "Anwar", KELURAHAN));

  proxy->drop_push_answers = 1;
  report = device_sync_with (a, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, PDM_SYNC_ERROR, PDM_SYNC_ERROR_SERVER_ERROR);
  g_assert_cmpuint (pdm_repository_count_outbox (a->repository), ==, 3);
  g_clear_error (&error);

  /* The retry is acknowledged, and the server kept one copy of each write. */
  device_sync (a);
  g_assert_cmpuint (pdm_repository_count_outbox (a->repository), ==, 0);

  /* B also receives the forms shipped with the server, which it holds
   * already (the same build seeded them). */
  report = device_sync_with (b, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->pulled, ==,
                    3 * n_fields + device_query_int (b, "SELECT count(*) FROM form") *
                    pdm_table_info_get (PDM_TABLE_FORM)->n_fields);
  assert_same_content (a, b);
}

static void
test_revoked (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autoptr(Device) a = device_new (server->url);
  g_autoptr(PdmSyncReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  device_enroll (a, server, KELURAHAN);
  id = household_new (a, "Zulkifli", KELURAHAN);
  household_set (a, id, "rw", "005");

  /* The Dinas revokes this PC. */
  {
    g_autofree char *device_id = g_strdup_printf ("%016" G_GINT64_MODIFIER "x",
                                                  pdm_repository_get_device_id (a->repository));
    const char *args[] = { "revoke", device_id, "--data-dir", server->data_dir, NULL };

    g_assert_cmpint (pdm_test_process_run (args, NULL, NULL), ==, 0);
  }

  report = device_sync_with (a, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, PDM_SYNC_ERROR, PDM_SYNC_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (pdm_repository_count_outbox (a->repository), ==, 2);
  assert_field (a, id, "rw", "005");
}

static gint64
clock_hour_ahead (gpointer user_data)
{
  return g_get_real_time () / 1000 + 3600 * 1000;
}

static void
test_clock_ahead (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autoptr(Device) a = device_new (server->url);
  g_autoptr(PdmSyncReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  device_enroll (a, server, KELURAHAN);

  /* The PC's clock runs an hour ahead while someone types. */
  pdm_hlc_set_clock_func (pdm_repository_get_hlc (a->repository), clock_hour_ahead, NULL);
  id = household_new (a, "Darmawati", KELURAHAN);
  pdm_hlc_set_clock_func (pdm_repository_get_hlc (a->repository), NULL, NULL);

  report = device_sync_with (a, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, PDM_SYNC_ERROR, PDM_SYNC_ERROR_CLOCK);
  g_assert_true (g_str_has_prefix (error->message, "The clock of this computer is wrong"));
  g_assert_cmpuint (pdm_repository_count_outbox (a->repository), ==, 1);
  g_assert_cmpint (device_query_int (a, "SELECT count(*) FROM sync_state "
                                        "WHERE key = 'last_error' AND value IS NOT NULL"), ==, 1);
}

static void
test_cancelled (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autoptr(Device) a = device_new (server->url);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(PdmSyncReport) report = NULL;
  g_autoptr(GError) error = NULL;

  device_enroll (a, server, KELURAHAN);
  g_free (household_new (a, "Hendra", KELURAHAN));

  g_cancellable_cancel (cancellable);
  report = device_sync_with (a, cancellable, &error);
  g_assert_null (report);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (pdm_repository_count_outbox (a->repository), ==, 1);

  device_sync (a);
}

typedef struct
{
  Device *device;
  char   *id;
  guint   n_pushes;
  guint   n_pulls;
} EditsDuringSync;

/* A person keeps typing while the run waits for the server. */
static void
edit_during_request (const char *path,
                     gpointer    user_data)
{
  EditsDuringSync *edits = user_data;

  if (g_str_has_suffix (path, "/push") && edits->n_pushes++ == 0)
    household_set (edits->device, edits->id, "address", "Jl. Kusuma Bhakti No. 9");
  else if (g_str_has_suffix (path, "/pull") && edits->n_pulls++ == 0)
    household_set (edits->device, edits->id, "rt", "003");
}

static void
test_edits_during_sync (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autoptr(Proxy) proxy = proxy_new (server->url);
  g_autoptr(Device) a = device_new (proxy->url);
  g_autoptr(Device) b = device_new (server->url);
  g_autoptr(PdmSyncReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  EditsDuringSync edits = { NULL, NULL, 0, 0 };

  device_enroll (a, server, KELURAHAN);
  device_enroll (b, server, KELURAHAN);
  id = household_new (a, "Syafrizal", KELURAHAN);
  household_set (a, id, "notes", "lansia");

  edits.device = a;
  edits.id = id;
  proxy->on_request = edit_during_request;
  proxy->on_request_data = &edits;
  report = device_sync_with (a, NULL, &error);
  g_assert_no_error (error);

  /* The edit made while pushing went in the next batch; the one made while
   * pulling waits for the next run, and the merged page left it alone. */
  g_assert_cmpuint (report->pending, ==, 1);
  assert_field (a, id, "address", "Jl. Kusuma Bhakti No. 9");
  assert_field (a, id, "rt", "003");
  g_clear_pointer (&report, pdm_sync_report_free);

  proxy->on_request = NULL;
  device_sync (a);
  device_sync (b);
  assert_field (b, id, "address", "Jl. Kusuma Bhakti No. 9");
  assert_field (b, id, "rt", "003");
  assert_field (b, id, "notes", "lansia");
  assert_same_content (a, b);
}

/* The child half of test_killed_mid_pull: one sync, then exit. */
static int
run_sync_child (const char *db_path,
                const char *url)
{
  g_autoptr(PdmSyncEngine) engine = pdm_sync_engine_new (db_path, url);
  g_autoptr(PdmSyncReport) report = NULL;
  g_autoptr(GError) error = NULL;
  Waited waited = { FALSE, NULL };

  pdm_sync_engine_sync_async (engine, NULL, on_done_cb, &waited);
  report = pdm_sync_engine_sync_finish (engine, wait_result (&waited), &error);
  g_object_unref (waited.result);

  return report != NULL ? 0 : 1;
}

static void
test_killed_mid_pull (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autoptr(Proxy) proxy = proxy_new (server->url);
  g_autoptr(Device) writer = device_new (server->url);
  g_autoptr(Device) reader = device_new (proxy->url);
  g_autoptr(GError) error = NULL;
  Waited waited = { FALSE, NULL };
  gint64 cursor;

  device_enroll (writer, server, KELURAHAN);
  device_enroll (reader, server, KELURAHAN);
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *id = household_new (writer, "Ismail", KELURAHAN);

      household_set (writer, id, "notes", "dikunjungi");
    }
  device_sync (writer);

  /* Small pages, and the reader dies after the third left the server. */
  proxy->pull_limit = 40;
  proxy->kill_after_pulls = 3;
  proxy->child = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, self_exe, "--sync-child",
                                   reader->db_path, proxy->url, NULL);
  g_assert_no_error (error);
  /* The proxy lives on this main context: wait without blocking it. */
  g_subprocess_wait_async (proxy->child, NULL, on_done_cb, &waited);
  g_assert_true (g_subprocess_wait_finish (proxy->child, wait_result (&waited), &error));
  g_clear_object (&waited.result);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (proxy->child));

  /* Whole pages only: the cursor moved, and the file is sound. */
  cursor = device_query_int (reader, "SELECT value FROM sync_state WHERE key = 'cursor'");
  g_assert_cmpint (cursor, >, 0);
  g_assert_cmpint (device_query_int (reader, "SELECT count(*) FROM pragma_integrity_check "
                                             "WHERE integrity_check != 'ok'"), ==, 0);

  g_clear_object (&proxy->child);
  device_sync (reader);
  assert_same_content (writer, reader);
}

/* Three devices make a few hundred random creates, edits, deletes and
 * syncs; afterwards every database shows the same records and conflicts. */
static void
test_convergence (void)
{
  static const char *fields[] = { "head_name", "address", "rt", "rw", "notes", "desil" };
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  guint32 seed = g_test_rand_int ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  Device *devices[3];

  g_test_message ("convergence seed %u", seed);

  for (guint i = 0; i < G_N_ELEMENTS (devices); i++)
    {
      devices[i] = device_new (server->url);
      device_enroll (devices[i], server, KELURAHAN);
    }

  for (guint op = 0; op < 300; op++)
    {
      Device *device = devices[g_rand_int_range (rand, 0, G_N_ELEMENTS (devices))];
      int kind = g_rand_int_range (rand, 0, 100);
      g_autoptr(GPtrArray) known = g_ptr_array_new_with_free_func (g_free);

      /* A device edits only the records it has. */
      for (guint i = 0; i < ids->len; i++)
        {
          g_autofree char *name = household_get (device, ids->pdata[i], "head_name");

          if (name != NULL)
            g_ptr_array_add (known, g_strdup (ids->pdata[i]));
        }

      if (kind < 15 || known->len == 0)
        {
          g_autofree char *name = g_strdup_printf ("Kepala %u", op);

          g_ptr_array_add (ids, household_new (device, name, KELURAHAN));
        }
      else if (kind < 70)
        {
          const char *id = known->pdata[g_rand_int_range (rand, 0, known->len)];
          const char *field = fields[g_rand_int_range (rand, 0, G_N_ELEMENTS (fields))];
          g_autofree char *value = g_str_equal (field, "desil")
                                   ? g_strdup_printf ("%d", g_rand_int_range (rand, 1, 11))
                                   : g_strdup_printf ("%s %u", field, op);

          household_set (device, id, field, value);
        }
      else if (kind < 80)
        {
          const char *id = known->pdata[g_rand_int_range (rand, 0, known->len)];

          household_set (device, id, "deleted", g_rand_boolean (rand) ? "1" : "0");
        }
      else
        device_sync (device);
    }

  /* Two rounds: the last device's writes reach the first ones. */
  for (guint round = 0; round < 2; round++)
    for (guint i = 0; i < G_N_ELEMENTS (devices); i++)
      device_sync (devices[i]);

  assert_same_live_content (devices[0], devices[1]);
  assert_same_live_content (devices[0], devices[2]);
  g_test_message ("%u households, %" G_GINT64_FORMAT " conflicts", ids->len,
                  device_query_int (devices[0], "SELECT count(*) FROM conflict"));

  for (guint i = 0; i < G_N_ELEMENTS (devices); i++)
    device_free (devices[i]);
}

/* --- the scheduler ----------------------------------------------------------- */

static gboolean
state_is (gpointer data)
{
  gpointer *pair = data;

  return (int) pdm_sync_scheduler_get_state (pair[0]) == GPOINTER_TO_INT (pair[1]);
}

static void
wait_state (PdmSyncScheduler *scheduler,
            PdmSyncState      state)
{
  gpointer pair[] = { scheduler, GINT_TO_POINTER (state) };

  g_assert_true (pdm_test_wait_for (NULL, state_is, pair, WAIT_MS));
}

/* A network monitor the test switches on and off. */
#define TEST_TYPE_NETWORK_MONITOR (test_network_monitor_get_type ())
G_DECLARE_FINAL_TYPE (TestNetworkMonitor, test_network_monitor, TEST, NETWORK_MONITOR, GObject)

struct _TestNetworkMonitor
{
  GObject  parent_instance;
  gboolean available;
};

enum {
  MONITOR_PROP_0,
  MONITOR_PROP_AVAILABLE,
  MONITOR_PROP_METERED,
  MONITOR_PROP_CONNECTIVITY,
};

static gboolean
test_network_monitor_initable_init (GInitable     *initable,
                                    GCancellable  *cancellable,
                                    GError       **error)
{
  return TRUE;
}

static void
test_network_monitor_initable_iface_init (GInitableIface *iface)
{
  iface->init = test_network_monitor_initable_init;
}

static void
test_network_monitor_iface_init (GNetworkMonitorInterface *iface)
{
}

G_DEFINE_FINAL_TYPE_WITH_CODE (TestNetworkMonitor, test_network_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      test_network_monitor_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR,
                                                      test_network_monitor_iface_init))

static void
test_network_monitor_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  TestNetworkMonitor *self = TEST_NETWORK_MONITOR (object);

  switch (prop_id)
    {
    case MONITOR_PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;

    case MONITOR_PROP_METERED:
      g_value_set_boolean (value, FALSE);
      break;

    case MONITOR_PROP_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL
                                               : G_NETWORK_CONNECTIVITY_LOCAL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_network_monitor_class_init (TestNetworkMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_network_monitor_get_property;
  g_object_class_override_property (object_class, MONITOR_PROP_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, MONITOR_PROP_METERED, "network-metered");
  g_object_class_override_property (object_class, MONITOR_PROP_CONNECTIVITY, "connectivity");
}

static void
test_network_monitor_init (TestNetworkMonitor *self)
{
  self->available = TRUE;
}

static void
test_network_monitor_set_available (GNetworkMonitor *monitor,
                                    gboolean         available)
{
  TEST_NETWORK_MONITOR (monitor)->available = available;
  g_object_notify (G_OBJECT (monitor), "network-available");
  g_signal_emit_by_name (monitor, "network-changed", available);
}

static GNetworkMonitor *
new_network_monitor (void)
{
  return g_object_new (TEST_TYPE_NETWORK_MONITOR, NULL);
}

static void
test_scheduler_debounce (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autoptr(Device) a = device_new (server->url);
  g_autoptr(GNetworkMonitor) monitor = new_network_monitor ();
  g_autoptr(PdmSyncScheduler) scheduler = NULL;
  g_autofree char *id = NULL;

  device_enroll (a, server, KELURAHAN);
  scheduler = pdm_sync_scheduler_new (a->engine, monitor);
  g_object_set (scheduler, "debounce-ms", 200, NULL);

  pdm_sync_scheduler_start (scheduler);
  g_assert_cmpint (pdm_sync_scheduler_get_state (scheduler), ==, PDM_SYNC_STATE_SYNCING);
  wait_state (scheduler, PDM_SYNC_STATE_IDLE);
  g_assert_cmpint (pdm_sync_scheduler_get_last_sync (scheduler), >, 0);

  /* Three quick edits make one run, after the pause. */
  for (guint i = 0; i < 3; i++)
    {
      g_free (id);
      id = household_new (a, "Fitri", KELURAHAN);
      pdm_sync_scheduler_notify_local_change (scheduler);
    }
  g_assert_cmpint (pdm_sync_scheduler_get_state (scheduler), ==, PDM_SYNC_STATE_IDLE);
  wait_state (scheduler, PDM_SYNC_STATE_SYNCING);
  wait_state (scheduler, PDM_SYNC_STATE_IDLE);
  g_assert_cmpuint (pdm_sync_scheduler_get_pending (scheduler), ==, 0);
  g_assert_cmpuint (pdm_repository_count_outbox (a->repository), ==, 0);
  g_assert_null (pdm_sync_scheduler_get_last_error (scheduler));
  g_assert_cmpint (device_query_int (a, "SELECT count(*) FROM sync_history "
                                        "WHERE kind = 'sync'"), ==, 2);
}

static void
test_scheduler_backoff (void)
{
  g_autofree char *closed = pdm_test_closed_port_url ();
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autoptr(Device) enrolled = device_new (server->url);
  g_autoptr(Device) a = NULL;
  g_autoptr(GNetworkMonitor) monitor = new_network_monitor ();
  g_autoptr(PdmSyncScheduler) scheduler = NULL;
  g_autoptr(PdmSyncScheduler) unenrolled = NULL;
  g_autoptr(GNetworkMonitor) other_monitor = new_network_monitor ();
  g_autoptr(Device) fresh = device_new (server->url);
  guint first, second;

  /* Enrolled, then the server goes away. */
  device_enroll (enrolled, server, KELURAHAN);
  g_clear_object (&enrolled->engine);
  enrolled->engine = pdm_sync_engine_new (enrolled->db_path, closed);
  a = g_steal_pointer (&enrolled);

  scheduler = pdm_sync_scheduler_new (a->engine, monitor);
  g_object_set (scheduler, "retry-initial-ms", 100, "retry-max-ms", 300, NULL);
  pdm_sync_scheduler_start (scheduler);
  wait_state (scheduler, PDM_SYNC_STATE_WAITING_RETRY);
  first = pdm_sync_scheduler_get_retry_delay_ms (scheduler);
  g_assert_cmpuint (first, >=, 80);
  g_assert_cmpuint (first, <=, 120);
  g_assert_nonnull (strstr (pdm_sync_scheduler_get_last_error (scheduler), closed));

  wait_state (scheduler, PDM_SYNC_STATE_SYNCING);
  wait_state (scheduler, PDM_SYNC_STATE_WAITING_RETRY);
  second = pdm_sync_scheduler_get_retry_delay_ms (scheduler);
  g_assert_cmpuint (second, >=, 160);
  g_assert_cmpuint (second, <=, 240);

  /* Offline: no more retries until the network is back. */
  test_network_monitor_set_available (monitor, FALSE);
  wait_state (scheduler, PDM_SYNC_STATE_OFFLINE);
  g_usleep (400 * 1000);
  g_main_context_iteration (NULL, FALSE);
  g_assert_cmpint (pdm_sync_scheduler_get_state (scheduler), ==, PDM_SYNC_STATE_OFFLINE);

  /* Back online: it tries at once. */
  test_network_monitor_set_available (monitor, TRUE);
  g_assert_cmpint (pdm_sync_scheduler_get_state (scheduler), ==, PDM_SYNC_STATE_SYNCING);
  wait_state (scheduler, PDM_SYNC_STATE_WAITING_RETRY);

  /* Not enrolled: no retry helps. */
  unenrolled = pdm_sync_scheduler_new (fresh->engine, other_monitor);
  pdm_sync_scheduler_start (unenrolled);
  wait_state (unenrolled, PDM_SYNC_STATE_UNAUTHORIZED);
  g_assert_cmpuint (pdm_sync_scheduler_get_retry_delay_ms (unenrolled), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  /* Tests never touch the keyring of whoever runs them. */
  g_setenv ("PENDAMPING_TOKEN_STORE", "file", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);

  if (argc == 4 && g_str_equal (argv[1], "--sync-child"))
    return run_sync_child (argv[2], argv[3]);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/engine/enroll-token-file", test_enroll_token_file);
  g_test_add_func ("/sync/engine/not-enrolled", test_not_enrolled);
  g_test_add ("/sync/engine/different-fields", TwoDevices, NULL,
              two_devices_setup, test_different_fields, two_devices_teardown);
  g_test_add ("/sync/engine/same-field", TwoDevices, NULL,
              two_devices_setup, test_same_field, two_devices_teardown);
  g_test_add ("/sync/engine/delete-edit", TwoDevices, NULL,
              two_devices_setup, test_delete_edit, two_devices_teardown);
  g_test_add ("/sync/engine/edit-resolves-conflict", TwoDevices, NULL,
              two_devices_setup, test_edit_resolves_conflict, two_devices_teardown);
  g_test_add_func ("/sync/engine/refused-quarantined", test_refused_quarantined);
  g_test_add_func ("/sync/engine/removed-from-scope", test_removed_from_scope);
  g_test_add_func ("/sync/engine/compacted-log", test_compacted_log);
  g_test_add_func ("/sync/engine/server-import", test_server_import);
  g_test_add_func ("/sync/engine/dropped-answer", test_dropped_answer);
  g_test_add_func ("/sync/engine/revoked", test_revoked);
  g_test_add_func ("/sync/engine/clock-ahead", test_clock_ahead);
  g_test_add_func ("/sync/engine/cancelled", test_cancelled);
  g_test_add_func ("/sync/engine/edits-during-sync", test_edits_during_sync);
  g_test_add_func ("/sync/engine/killed-mid-pull", test_killed_mid_pull);
  g_test_add_func ("/sync/engine/convergence", test_convergence);
  g_test_add_func ("/sync/engine/training", test_training_sync);
  g_test_add_func ("/sync/scheduler/debounce", test_scheduler_debounce);
  g_test_add_func ("/sync/scheduler/backoff", test_scheduler_backoff);

  return g_test_run ();
}
