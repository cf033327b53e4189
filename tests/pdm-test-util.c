/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-test-util"

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "pdm-test-util.h"

/* The Indonesian locale, with this build's catalogue: what the people who
 * use Pendamping read, numbers and dates included. */
void
pdm_test_use_indonesian (void)
{
  g_autofree char *localedir = NULL;

  g_setenv ("LANGUAGE", "id", TRUE);
  g_setenv ("LC_ALL", "id_ID.UTF-8", TRUE);
  if (setlocale (LC_ALL, "") == NULL)
    g_error ("The locale id_ID.UTF-8 is missing: run the setup script (locale-gen)");
  localedir = g_build_filename (g_getenv ("PDM_BUILD_ROOT"), "po", NULL);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

/* A fresh folder per test, so tests never share a database. */
char *
pdm_test_make_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir;

  dir = g_dir_make_tmp ("pendamping-test-XXXXXX", &error);
  g_assert_no_error (error);

  return dir;
}

void
pdm_test_remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      g_chmod (path, 0700);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          pdm_test_remove_tree (child);
        }
    }

  g_remove (path);
}

/* Starts the real pendamping-server of this build on a free port of
 * 127.0.0.1 and returns once it listens; *out_url is its base URL. */
GSubprocess *
pdm_test_server_start (const char  *data_dir,
                       char       **out_url)
{
  const char *server_path = g_getenv ("PDM_SERVER_PATH");
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) output = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  const char *prefix = "Listening on ";

  g_assert_nonnull (server_path);

  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                             server_path, "serve",
                             "--listen", "127.0.0.1:0",
                             "--data-dir", data_dir,
                             NULL);
  g_assert_no_error (error);

  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line_utf8 (output, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, prefix));

  /* "http://127.0.0.1:PORT/" without the trailing slash. */
  *out_url = g_strndup (line + strlen (prefix), strlen (line) - strlen (prefix) - 1);

  return g_steal_pointer (&server);
}

void
pdm_test_server_stop (GSubprocess *server)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, &error);
  g_assert_no_error (error);
}

/* A loopback URL where nothing listens: bind a port, then let it go. */
char *
pdm_test_closed_port_url (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any_port, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  return g_strdup_printf ("http://127.0.0.1:%u", port);
}

static gboolean
on_timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs @context until @condition holds; FALSE when @timeout_ms passed
 * first, so a broken feature fails the test instead of hanging it. */
gboolean
pdm_test_wait_for (GMainContext  *context,
                   gboolean     (*condition) (gpointer data),
                   gpointer       data,
                   guint          timeout_ms)
{
  gboolean timed_out = FALSE;
  GSource *timeout = g_timeout_source_new (timeout_ms);

  g_source_set_callback (timeout, on_timeout_cb, &timed_out, NULL);
  g_source_attach (timeout, context);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (timeout);
  g_source_unref (timeout);

  return !timed_out;
}

/* The single value a test's SQL selects; the test fails if there is none. */
gint64
pdm_test_query_int (sqlite3    *db,
                    const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

char *
pdm_test_query_text (sqlite3    *db,
                     const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return value;
}

/* Opens (again) the replica's file, as the app does at start. */
void
pdm_test_replica_open (PdmTestReplica *replica)
{
  g_autoptr(GError) error = NULL;

  replica->database = pdm_database_open (replica->path, &error);
  g_assert_no_error (error);
  replica->repository = pdm_repository_new (replica->database, &error);
  g_assert_no_error (error);
}

void
pdm_test_replica_close (PdmTestReplica *replica)
{
  g_clear_object (&replica->repository);
  g_clear_object (&replica->database);
}

void
pdm_test_replica_set_up (PdmTestReplica *replica,
                         gconstpointer   data)
{
  replica->dir = pdm_test_make_tmp_dir ();
  replica->path = g_build_filename (replica->dir, "pendamping.db", NULL);
  pdm_test_replica_open (replica);
}

void
pdm_test_replica_tear_down (PdmTestReplica *replica,
                            gconstpointer   data)
{
  pdm_test_replica_close (replica);
  pdm_test_remove_tree (replica->dir);
  g_clear_pointer (&replica->dir, g_free);
  g_clear_pointer (&replica->path, g_free);
}

/* Sends what @from wrote since its last send to @to, as a push that the
 * server acknowledged; returns how many field writes changed something. */
guint
pdm_test_send_all (PdmRepository *from,
                   PdmRepository *to)
{
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GError) error = NULL;
  guint n_changed = 0;
  guint64 last_hlc = 0;

  changes = pdm_repository_collect_outbox (from, G_MAXUINT, &last_hlc, &error);
  g_assert_no_error (error);
  g_assert_true (pdm_repository_clear_outbox (from, last_hlc, &error));

  for (guint i = 0; i < changes->len; i++)
    {
      gboolean changed = FALSE;

      g_assert_true (pdm_repository_apply_change (to, g_ptr_array_index (changes, i),
                                                  &changed, &error));
      g_assert_no_error (error);
      n_changed += changed;
    }

  return n_changed;
}
