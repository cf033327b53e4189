/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-server"

#include "config.h"

#include <signal.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sqlite3.h>

#include "pdm-test-process.h"
#include "pdm-test-util.h"

typedef struct
{
  guint       status;
  char       *content_type;
  char       *protocol_header;
  JsonObject *body;
} Answer;

static void
answer_clear (Answer *answer)
{
  g_free (answer->content_type);
  g_free (answer->protocol_header);
  g_clear_pointer (&answer->body, json_object_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Answer, answer_clear)

static void
request (PdmTestProcess *server,
         const char     *method,
         const char     *path,
         Answer         *answer)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 10, NULL);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s", server->port, path);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  JsonNode *root;

  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);

  headers = soup_message_get_response_headers (msg);
  answer->status = soup_message_get_status (msg);
  answer->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  answer->protocol_header = g_strdup (soup_message_headers_get_one (headers,
                                                                    "X-Pendamping-Protocol"));

  json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                              &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  answer->body = json_object_ref (json_node_get_object (root));
}

static char *
get_server_id (PdmTestProcess *server)
{
  g_auto(Answer) answer = { 0, };

  request (server, "GET", "/api/v1/health", &answer);
  g_assert_cmpuint (answer.status, ==, SOUP_STATUS_OK);

  return g_strdup (json_object_get_string_member (answer.body, "server_id"));
}

static void
test_health (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_auto(Answer) answer = { 0, };
  const char *server_id;

  request (server, "GET", "/api/v1/health", &answer);

  g_assert_cmpuint (answer.status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (answer.content_type, ==, "application/json");
  g_assert_cmpstr (answer.protocol_header, ==, G_STRINGIFY (PDM_PROTOCOL_VERSION));
  g_assert_cmpstr (json_object_get_string_member (answer.body, "status"), ==, "ok");
  g_assert_cmpstr (json_object_get_string_member (answer.body, "version"), ==, PACKAGE_VERSION);
  g_assert_cmpint (json_object_get_int_member (answer.body, "protocol_version"), ==,
                   PDM_PROTOCOL_VERSION);
  server_id = json_object_get_string_member (answer.body, "server_id");
  g_assert_true (g_uuid_string_is_valid (server_id));

  g_assert_true (g_file_test (server->data_dir, G_FILE_TEST_IS_DIR));
}

/* What an administrator would see if the database broke under a running
 * server: health says so instead of claiming all is well. */
static void
test_health_store_broken (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autofree char *path = g_build_filename (server->data_dir, "pendamping-server.db", NULL);
  g_auto(Answer) answer = { 0, };
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP TABLE server_meta", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  request (server, "GET", "/api/v1/health", &answer);

  g_assert_cmpuint (answer.status, ==, SOUP_STATUS_SERVICE_UNAVAILABLE);
  g_assert_cmpstr (json_object_get_string_member (answer.body, "status"), ==, "error");
  g_assert_nonnull (strstr (json_object_get_string_member (answer.body, "message"), path));
}

static void
test_not_found (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_auto(Answer) unknown = { 0, };
  g_auto(Answer) below_health = { 0, };

  request (server, "GET", "/api/v1/nothing-here", &unknown);
  g_assert_cmpuint (unknown.status, ==, SOUP_STATUS_NOT_FOUND);
  g_assert_cmpstr (unknown.content_type, ==, "application/json");
  g_assert_cmpstr (json_object_get_string_member (unknown.body, "error"), ==, "not-found");
  g_assert_nonnull (strstr (json_object_get_string_member (unknown.body, "message"),
                            "/api/v1/nothing-here"));

  /* libsoup hands sub-paths to a handler too; the protocol does not. */
  request (server, "GET", "/api/v1/health/extra", &below_health);
  g_assert_cmpuint (below_health.status, ==, SOUP_STATUS_NOT_FOUND);
}

static void
test_wrong_method (void)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_auto(Answer) answer = { 0, };

  request (server, "DELETE", "/api/v1/health", &answer);

  g_assert_cmpuint (answer.status, ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
  g_assert_cmpstr (json_object_get_string_member (answer.body, "error"), ==,
                   "method-not-allowed");
  g_assert_nonnull (strstr (json_object_get_string_member (answer.body, "message"), "GET"));
}

static void
test_stop_on_signal (gconstpointer data)
{
  g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gint64 start = g_get_monotonic_time ();
  int status;

  status = pdm_test_process_signal (server, GPOINTER_TO_INT (data), &out, &err);

  g_assert_cmpint (status, ==, 0);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpstr (err, ==, "");
}

static void
test_port_in_use (void)
{
  g_autoptr(PdmTestProcess) first = pdm_test_process_serve (NULL);
  g_autofree char *data_dir = pdm_test_make_tmp_dir ();
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", first->port);
  g_autofree char *expected = g_strdup_printf ("port %u on 127.0.0.1 is already in use",
                                               first->port);
  g_autofree char *err = NULL;
  g_autofree char *server_id = NULL;
  const char *args[] = { "serve", "--listen", listen, "--data-dir", data_dir, NULL };
  int status;

  status = pdm_test_process_run (args, NULL, &err);

  g_assert_cmpint (status, ==, 1);
  g_assert_true (g_str_has_prefix (err, "pendamping-server: "));
  g_assert_nonnull (strstr (err, expected));

  /* The first server must not notice. */
  server_id = get_server_id (first);
  g_assert_nonnull (server_id);

  pdm_test_remove_tree (data_dir);
}

static void
test_data_dir_not_writable (void)
{
  g_autofree char *tmp = pdm_test_make_tmp_dir ();
  g_autofree char *file = g_build_filename (tmp, "afile", NULL);
  g_autofree char *data_dir = g_build_filename (file, "sub", NULL);
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *args[] = { "serve", "--listen", "127.0.0.1:0", "--data-dir", data_dir, NULL };
  int status;

  /* A directory below a regular file cannot be made, not even by root, who
   * is allowed to write into a chmod 0500 directory and runs the tests in
   * containers. */
  g_file_set_contents (file, "", 0, &error);
  g_assert_no_error (error);

  status = pdm_test_process_run (args, NULL, &err);

  g_assert_cmpint (status, ==, 1);
  g_assert_true (g_str_has_prefix (err, "pendamping-server: "));
  g_assert_nonnull (strstr (err, data_dir));
  g_assert_true (strchr (err, '\n') == err + strlen (err) - 1);

  pdm_test_remove_tree (tmp);
}

static void
test_help (void)
{
  const char *args[] = { "--help", NULL };
  g_autofree char *out = NULL;
  int status;

  status = pdm_test_process_run (args, &out, NULL);

  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "serve"));
  g_assert_nonnull (strstr (out, "--listen"));
  g_assert_nonnull (strstr (out, "--data-dir"));
}

static void
test_unknown_command (void)
{
  const char *args[] = { "frobnicate", NULL };
  g_autofree char *err = NULL;
  int status;

  status = pdm_test_process_run (args, NULL, &err);

  g_assert_cmpint (status, ==, 2);
  g_assert_true (g_str_has_prefix (err, "pendamping-server: "));
  g_assert_nonnull (strstr (err, "frobnicate"));
}

static void
test_bad_listen (void)
{
  const char *values[] = {
    "localhost:8080", "127.0.0.1", "127.0.0.1:", "127.0.0.1:70000", "::1:8080", ":8080",
  };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      const char *args[] = { "serve", "--listen", values[i], NULL };
      g_autofree char *err = NULL;
      int status;

      status = pdm_test_process_run (args, NULL, &err);

      g_assert_cmpint (status, ==, 1);
      g_assert_true (g_str_has_prefix (err, "pendamping-server: "));
      g_assert_nonnull (strstr (err, values[i]));
      g_assert_nonnull (strstr (err, "HOST:PORT"));
    }
}

/* Runs the server on @data_dir holding @path and checks that it refuses to
 * start, names the file, and leaves every byte of it as it was. */
static void
assert_refuses_database (const char *data_dir,
                         const char *path)
{
  const char *args[] = { "serve", "--listen", "127.0.0.1:0", "--data-dir", data_dir, NULL };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  gsize before_length;
  gsize after_length;
  int status;

  g_file_get_contents (path, &before, &before_length, &error);
  g_assert_no_error (error);

  status = pdm_test_process_run (args, NULL, &err);

  g_assert_cmpint (status, ==, 1);
  g_assert_true (g_str_has_prefix (err, "pendamping-server: "));
  g_assert_nonnull (strstr (err, path));

  g_file_get_contents (path, &after, &after_length, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (before, before_length, after, after_length);
}

static void
test_foreign_file (void)
{
  g_autofree char *data_dir = pdm_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (data_dir, "pendamping-server.db", NULL);
  g_autoptr(GError) error = NULL;
  guint8 noise[8192];

  for (guint i = 0; i < sizeof noise; i++)
    noise[i] = g_random_int_range (0, 256);
  g_file_set_contents (path, (const char *) noise, sizeof noise, &error);
  g_assert_no_error (error);

  assert_refuses_database (data_dir, path);

  pdm_test_remove_tree (data_dir);
}

/* Makes an SQLite file the way another program or a newer server would. */
static void
write_sqlite_file (const char *path,
                   const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static void
test_other_sqlite_file (void)
{
  g_autofree char *data_dir = pdm_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (data_dir, "pendamping-server.db", NULL);

  write_sqlite_file (path, "CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('x');");

  assert_refuses_database (data_dir, path);

  pdm_test_remove_tree (data_dir);
}

static void
test_newer_database (void)
{
  g_autofree char *data_dir = pdm_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (data_dir, "pendamping-server.db", NULL);

  /* 0x50444D53 is the server store's application id. */
  write_sqlite_file (path,
                     "PRAGMA application_id = 1346653523; PRAGMA user_version = 999;"
                     "CREATE TABLE server_meta (key TEXT PRIMARY KEY, value TEXT);");

  assert_refuses_database (data_dir, path);

  pdm_test_remove_tree (data_dir);
}

static void
test_keeps_server_id (void)
{
  g_autofree char *data_dir = pdm_test_make_tmp_dir ();
  g_autofree char *first_id = NULL;
  g_autofree char *second_id = NULL;
  g_autofree char *other_id = NULL;

  {
    g_autoptr(PdmTestProcess) server = pdm_test_process_serve (data_dir);

    first_id = get_server_id (server);
    g_assert_cmpint (pdm_test_process_signal (server, SIGTERM, NULL, NULL), ==, 0);
  }
  {
    g_autoptr(PdmTestProcess) server = pdm_test_process_serve (data_dir);

    second_id = get_server_id (server);
  }
  {
    g_autoptr(PdmTestProcess) server = pdm_test_process_serve (NULL);

    other_id = get_server_id (server);
  }

  g_assert_cmpstr (first_id, ==, second_id);
  g_assert_cmpstr (first_id, !=, other_id);

  pdm_test_remove_tree (data_dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/health", test_health);
  g_test_add_func ("/server/health/store-broken", test_health_store_broken);
  g_test_add_func ("/server/not-found", test_not_found);
  g_test_add_func ("/server/wrong-method", test_wrong_method);
  g_test_add_data_func ("/server/stop/sigterm", GINT_TO_POINTER (SIGTERM), test_stop_on_signal);
  g_test_add_data_func ("/server/stop/sigint", GINT_TO_POINTER (SIGINT), test_stop_on_signal);
  g_test_add_func ("/server/port-in-use", test_port_in_use);
  g_test_add_func ("/server/data-dir-not-writable", test_data_dir_not_writable);
  g_test_add_func ("/server/help", test_help);
  g_test_add_func ("/server/unknown-command", test_unknown_command);
  g_test_add_func ("/server/bad-listen", test_bad_listen);
  g_test_add_func ("/server/database/foreign-file", test_foreign_file);
  g_test_add_func ("/server/database/other-sqlite-file", test_other_sqlite_file);
  g_test_add_func ("/server/database/newer", test_newer_database);
  g_test_add_func ("/server/keeps-server-id", test_keeps_server_id);

  return g_test_run ();
}
