/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-server-main"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <glib-unix.h>

#include "pdm-server.h"
#include "pdm-sqlite-store.h"

#define PROGRAM_NAME   "pendamping-server"
#define DEFAULT_LISTEN "127.0.0.1:8080"

/* 1 for a failure at run time, 2 for a command line that makes no sense,
 * as GNU tools do, so scripts can tell a typo from a broken server. */
#define EXIT_USAGE 2

static char *opt_listen;
static char *opt_data_dir;
static gboolean opt_version;

static const GOptionEntry entries[] = {
  { "listen", 'l', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &opt_listen,
    N_("Address and port to listen on (default: 127.0.0.1:8080; port 0 picks a free port)"),
    N_("HOST:PORT") },
  { "data-dir", 'd', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &opt_data_dir,
    N_("Directory that holds the server’s database"), N_("DIR") },
  { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &opt_version,
    N_("Show the version and exit"), NULL },
  { NULL }
};

static int
fail (const GError *error)
{
  g_printerr ("%s: %s\n", PROGRAM_NAME, error->message);
  return EXIT_FAILURE;
}

static int usage_error (const char *format,
                        ...) G_GNUC_PRINTF (1, 2);

static int
usage_error (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("%s: %s\n", PROGRAM_NAME, message);
  return EXIT_USAGE;
}

/* Only IP literals: resolving a name here would hide which interface the
 * server really listens on. */
static GInetSocketAddress *
parse_listen (const char  *value,
              GError     **error)
{
  g_autoptr(GInetAddress) inet_address = NULL;
  g_autofree char *host = NULL;
  const char *colon = strrchr (value, ':');
  guint64 port;

  if (colon != NULL && colon != value)
    {
      host = g_strndup (value, colon - value);

      /* IPv6 takes brackets, as in a URL, so the port is not ambiguous. */
      if (host[0] == '[' && g_str_has_suffix (host, "]"))
        {
          char *inner = g_strndup (host + 1, strlen (host) - 2);

          g_free (host);
          host = inner;
        }
      else if (strchr (host, ':') != NULL)
        {
          g_clear_pointer (&host, g_free);
        }
    }

  if (host != NULL)
    inet_address = g_inet_address_new_from_string (host);

  if (inet_address == NULL ||
      !g_ascii_string_to_unsigned (colon + 1, 10, 0, G_MAXUINT16, &port, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("invalid --listen value “%s”: expected HOST:PORT with an IP address "
                     "as HOST, such as 127.0.0.1:8080, 0.0.0.0:8080 or [::1]:8080"),
                   value);
      return NULL;
    }

  return G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (inet_address, port));
}

/* Checked before SQLite sees the path, whose own message ("unable to open
 * database file") would not say which directory is at fault. */
static gboolean
ensure_data_dir (const char  *data_dir,
                 GError     **error)
{
  g_autofree char *display = g_filename_display_name (data_dir);
  int saved_errno;

  /* Private: the store will hold device token hashes. */
  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("cannot create the data directory %s: %s"),
                   display, g_strerror (saved_errno));
      return FALSE;
    }

  if (g_access (data_dir, W_OK) != 0)
    {
      saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("the data directory %s is not writable: %s"),
                   display, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

static gboolean
on_stop_signal_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);

  return G_SOURCE_CONTINUE;
}

static int
run_serve (void)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GInetSocketAddress) address = NULL;
  g_autoptr(PdmStore) store = NULL;
  g_autoptr(PdmServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *url = NULL;
  guint sigint_id;
  guint sigterm_id;

  /* Taken before anything slow, so a signal during start-up still ends in
   * a clean exit once the loop runs. */
  sigint_id = g_unix_signal_add (SIGINT, on_stop_signal_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, on_stop_signal_cb, loop);

  address = parse_listen (opt_listen != NULL ? opt_listen : DEFAULT_LISTEN, &error);
  if (address == NULL)
    return fail (error);

  if (opt_data_dir != NULL)
    data_dir = g_strdup (opt_data_dir);
  else
    data_dir = g_build_filename (g_get_user_data_dir (), PROGRAM_NAME, NULL);

  if (!ensure_data_dir (data_dir, &error))
    return fail (error);

  store = pdm_sqlite_store_new (data_dir, &error);
  if (store == NULL)
    return fail (error);

  server = pdm_server_new (store);
  if (!pdm_server_listen (server, address, &error))
    return fail (error);

  /* Not translated: scripts and the tests read the port from this line. */
  url = pdm_server_get_url (server);
  g_print ("Listening on %s\n", url);
  fflush (stdout);

  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  pdm_server_stop (server);

  return EXIT_SUCCESS;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  const char *command;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_prgname (PROGRAM_NAME);

  context = g_option_context_new (_("COMMAND"));
  summary = g_strdup_printf ("%s\n\n%s\n  %-8s %s",
                             _("The central server that Pendamping devices sync with."),
                             _("Commands:"),
                             "serve",
                             _("Answer Pendamping clients over HTTP until stopped"));
  g_option_context_set_summary (context, summary);
  g_option_context_set_description (context,
                                    _("The database is kept in DIR/pendamping-server.db; "
                                      "without --data-dir, DIR is "
                                      "$XDG_DATA_HOME/pendamping-server."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("%s", error->message);

  if (opt_version)
    {
      g_print ("%s %s\n", PROGRAM_NAME, PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  if (argc < 2)
    return usage_error ("%s", _("no command given; run “pendamping-server --help” "
                                "to see the commands"));

  command = argv[1];

  if (argc > 2)
    return usage_error (_("unexpected argument “%s” after “%s”"), argv[2], command);

  if (g_str_equal (command, "serve"))
    return run_serve ();

  return usage_error (_("unknown command “%s”; run “pendamping-server --help” "
                        "to see the commands"), command);
}
