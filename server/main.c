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

#include "pdm-import.h"
#include "pdm-server.h"
#include "pdm-sqlite-store.h"

#define PROGRAM_NAME   "pendamping-server"
#define DEFAULT_LISTEN "127.0.0.1:8080"

/* How long an enrollment code stays valid. */
#define ENROLLMENT_DAYS 7

/* What compact spares by default: a device that synced within a month
 * goes on from its cursor; one away longer pulls everything again. */
#define DEFAULT_KEEP_DAYS 30

/* 1 for a failure at run time, 2 for a command line that makes no sense,
 * as GNU tools do, so scripts can tell a typo from a broken server. */
#define EXIT_USAGE 2

static char *opt_listen;
static char *opt_data_dir;
static char *opt_kelurahan;
static gboolean opt_dinas;
static gboolean opt_version;
static int opt_keep_days = -1;

static const GOptionEntry entries[] = {
  { "kelurahan", 'k', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &opt_kelurahan,
    N_("enroll: the kelurahan the device will work in, such as 13.75.02.1002"), N_("CODE") },
  { "dinas", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, &opt_dinas,
    N_("enroll: a Dinas device, which sees the whole city"), NULL },
  { "listen", 'l', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, &opt_listen,
    N_("Address and port to listen on (default: 127.0.0.1:8080; port 0 picks a free port)"),
    N_("HOST:PORT") },
  { "data-dir", 'd', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, &opt_data_dir,
    N_("Directory that holds the server’s database"), N_("DIR") },
  { "keep-days", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_INT, &opt_keep_days,
    N_("compact: spare the changes of the last N days (default 30)"), N_("N") },
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

/* The store of --data-dir, or of the default directory. */
static PdmStore *
open_store (GError **error)
{
  g_autofree char *data_dir = NULL;

  if (opt_data_dir != NULL)
    data_dir = g_strdup (opt_data_dir);
  else
    data_dir = g_build_filename (g_get_user_data_dir (), PROGRAM_NAME, NULL);

  if (!ensure_data_dir (data_dir, error))
    return NULL;

  return pdm_sqlite_store_new (data_dir, error);
}

/* A time for people, in the local time zone; "never" for 0. */
static char *
format_time (gint64 ms)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (ms <= 0)
    return g_strdup (_("never"));

  utc = g_date_time_new_from_unix_utc (ms / 1000);
  local = g_date_time_to_local (utc);

  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static int
run_enroll (void)
{
  g_autoptr(PdmStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *expiry = NULL;
  gint64 expires;

  if ((opt_kelurahan != NULL) == opt_dinas)
    return usage_error ("%s", _("enroll needs either --kelurahan CODE or --dinas"));

  store = open_store (&error);
  if (store == NULL)
    return fail (error);

  expires = g_get_real_time () / 1000 + (gint64) ENROLLMENT_DAYS * 24 * 3600 * 1000;
  code = pdm_store_create_enrollment_code (store, opt_kelurahan, expires, &error);
  if (code == NULL)
    return fail (error);

  shown = pdm_store_format_code (code);
  expiry = format_time (expires);
  g_print (_("Enrollment code: %s\n"), shown);
  if (opt_kelurahan != NULL)
    g_print (_("Scope: kelurahan %s\n"), opt_kelurahan);
  else
    g_print ("%s\n", _("Scope: the whole city (Dinas)"));
  g_print (_("Valid until %s, for one device\n"), expiry);

  return EXIT_SUCCESS;
}

/* Pads @text to @width characters, not bytes: names are UTF-8. */
static void
print_cell (const char *text,
            guint       width)
{
  glong length = g_utf8_strlen (text, -1);

  g_print ("%s", text);
  for (glong i = length; i < (glong) width + 2; i++)
    g_print (" ");
}

static int
run_devices (void)
{
  g_autoptr(PdmStore) store = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  const char *headers[] = {
    N_("ID"), N_("NAME"), N_("SCOPE"), N_("LAST PUSH"), N_("LAST PULL"), N_("STATE"),
  };
  guint widths[G_N_ELEMENTS (headers)];
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);

  store = open_store (&error);
  if (store == NULL)
    return fail (error);

  devices = pdm_store_list_devices (store, &error);
  if (devices == NULL)
    return fail (error);

  if (devices->len == 0)
    {
      g_print ("%s\n", _("No device is enrolled yet; make a code with “enroll”."));
      return EXIT_SUCCESS;
    }

  for (guint c = 0; c < G_N_ELEMENTS (headers); c++)
    {
      g_ptr_array_add (cells, g_strdup (_(headers[c])));
      widths[c] = g_utf8_strlen (_(headers[c]), -1);
    }
  for (guint i = 0; i < devices->len; i++)
    {
      const PdmDevice *device = g_ptr_array_index (devices, i);

      g_ptr_array_add (cells, g_strdup (device->id));
      g_ptr_array_add (cells, g_strdup (device->name));
      g_ptr_array_add (cells, g_strdup (device->kelurahan_code != NULL ? device->kelurahan_code
                                                                      : _("city")));
      g_ptr_array_add (cells, format_time (device->last_push));
      g_ptr_array_add (cells, format_time (device->last_pull));
      g_ptr_array_add (cells, g_strdup (device->revoked ? _("revoked") : _("active")));
    }

  for (guint i = 0; i < cells->len; i++)
    widths[i % G_N_ELEMENTS (headers)] = MAX (widths[i % G_N_ELEMENTS (headers)],
                                             g_utf8_strlen (g_ptr_array_index (cells, i), -1));

  for (guint i = 0; i < cells->len; i++)
    {
      guint column = i % G_N_ELEMENTS (headers);

      if (column == G_N_ELEMENTS (headers) - 1)
        g_print ("%s\n", (const char *) g_ptr_array_index (cells, i));
      else
        print_cell (g_ptr_array_index (cells, i), widths[column]);
    }

  return EXIT_SUCCESS;
}

static int
run_revoke (const char *device_id)
{
  g_autoptr(PdmStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = open_store (&error);
  if (store == NULL)
    return fail (error);

  if (!pdm_store_revoke (store, device_id, &error))
    return fail (error);

  g_print (_("Device %s is revoked: the server refuses its token from now on.\n"), device_id);

  return EXIT_SUCCESS;
}

static int
run_status (void)
{
  static const char * const table_labels[PDM_N_TABLES] = {
    [PDM_TABLE_VOLUNTEER] = N_("Volunteers (PSM):"),
    [PDM_TABLE_HOUSEHOLD] = N_("Households:"),
    [PDM_TABLE_PERSON] = N_("Persons:"),
    [PDM_TABLE_VISIT] = N_("Visits:"),
    [PDM_TABLE_PROPOSAL] = N_("Proposals:"),
    [PDM_TABLE_TRAINING] = N_("Trainings:"),
    [PDM_TABLE_TRAINING_SESSION] = N_("Training sessions:"),
    [PDM_TABLE_PARTICIPANT] = N_("Participants:"),
    [PDM_TABLE_ATTENDANCE] = N_("Attendance marks:"),
    [PDM_TABLE_FORM] = N_("Forms:"),
    [PDM_TABLE_RESPONSE] = N_("Responses:"),
  };
  g_autoptr(PdmStore) store = NULL;
  g_autoptr(GError) error = NULL;
  PdmStoreStatus status;

  store = open_store (&error);
  if (store == NULL)
    return fail (error);

  if (!pdm_store_get_status (store, &status, &error))
    return fail (error);

  g_print ("%-20s %s\n", _("Server id:"), pdm_store_get_server_id (store));
  for (guint t = 0; t < PDM_N_TABLES; t++)
    g_print ("%-20s %" G_GUINT64_FORMAT "\n", _(table_labels[t]), status.n_records[t]);
  g_print ("%-20s %u (%u %s)\n", _("Devices:"), status.n_devices, status.n_revoked,
           _("revoked"));
  g_print ("%-20s %u\n", _("Codes not yet used:"), status.n_pending_codes);
  g_print ("%-20s %" G_GINT64_FORMAT "\n", _("Last change:"), status.last_seq);
  g_print ("%-20s %" G_GINT64_FORMAT "\n", _("Horizon:"), status.horizon);

  return EXIT_SUCCESS;
}

/* The change log keeps every version ever accepted; compacting drops those
 * no device needs (docs/sync-protocol.md), and devices that have not
 * synced since get "reset". */
static int
run_compact (void)
{
  g_autoptr(PdmStore) store = NULL;
  g_autoptr(GError) error = NULL;
  int keep_days = opt_keep_days >= 0 ? opt_keep_days : DEFAULT_KEEP_DAYS;
  gint64 spare_since = g_get_real_time () / 1000 - (gint64) keep_days * 24 * 3600 * 1000;
  guint n_removed = 0;
  gint64 horizon = 0;

  store = open_store (&error);
  if (store == NULL)
    return fail (error);

  if (!pdm_sqlite_store_compact (PDM_SQLITE_STORE (store), spare_since, &n_removed, &horizon,
                                 &error))
    return fail (error);

  g_print ("%-20s %u\n", _("Changes removed:"), n_removed);
  g_print ("%-20s %" G_GINT64_FORMAT "\n", _("Horizon:"), horizon);

  return EXIT_SUCCESS;
}

static void
print_problems (const PdmImportReport *report)
{
  for (guint i = 0; i < report->problems->len; i++)
    {
      const PdmImportProblem *problem = g_ptr_array_index (report->problems, i);
      g_autofree char *text = pdm_import_problem_to_string (problem);

      g_printerr ("%s: %s %s\n", PROGRAM_NAME,
                  problem->severity == PDM_IMPORT_SEVERITY_ERROR ? _("error:") : _("warning:"),
                  text);
    }
}

/* A DTSEN spreadsheet imported on the server reaches every device of each
 * household's kelurahan at its next pull. */
static int
run_import (const char *path)
{
  g_autoptr(PdmStore) store = NULL;
  g_autoptr(PdmImportReport) check = NULL;
  g_autoptr(PdmImportReport) applied = NULL;
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) error = NULL;
  PdmRepository *repository;
  guint n_published = 0;

  file = g_mapped_file_new (path, FALSE, &error);
  if (file == NULL)
    return fail (error);
  data = g_mapped_file_get_bytes (file);

  store = open_store (&error);
  if (store == NULL)
    return fail (error);
  repository = pdm_sqlite_store_get_repository (PDM_SQLITE_STORE (store));

  check = pdm_import_check (repository, data, NULL, NULL, NULL, &error);
  if (check == NULL)
    return fail (error);
  print_problems (check);
  if (check->n_errors > 0)
    {
      g_printerr (ngettext ("%s: %u error in %s; nothing was imported\n",
                            "%s: %u errors in %s; nothing was imported\n", check->n_errors),
                  PROGRAM_NAME, check->n_errors, path);
      return EXIT_FAILURE;
    }

  if (!pdm_import_apply (repository, data, &applied, NULL, NULL, NULL, &error) ||
      !pdm_sqlite_store_publish_outbox (PDM_SQLITE_STORE (store), &n_published, &error))
    return fail (error);

  g_print (_("Households: %u new, %u updated, %u unchanged\n"), applied->households_created,
           applied->households_updated, applied->households_unchanged);
  g_print (_("Persons: %u new, %u updated, %u unchanged\n"), applied->persons_created,
           applied->persons_updated, applied->persons_unchanged);
  g_print (ngettext ("%u field change is ready for the devices\n",
                     "%u field changes are ready for the devices\n", n_published),
           n_published);

  return EXIT_SUCCESS;
}

static int
run_serve (void)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GInetSocketAddress) address = NULL;
  g_autoptr(PdmStore) store = NULL;
  g_autoptr(PdmServer) server = NULL;
  g_autoptr(GError) error = NULL;
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

  store = open_store (&error);
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
  summary = g_strdup_printf ("%s\n\n%s\n"
                             "  %-16s %s\n  %-16s %s\n  %-16s %s\n  %-16s %s\n"
                             "  %-16s %s\n  %-16s %s\n  %-16s %s",
                             _("The central server that Pendamping devices sync with."),
                             _("Commands:"),
                             "serve",
                             _("Answer Pendamping clients over HTTP until stopped"),
                             "enroll",
                             _("Make a one-time code that enrolls a device "
                               "(--kelurahan CODE or --dinas)"),
                             "devices",
                             _("List the enrolled devices"),
                             "revoke DEVICE",
                             _("Refuse a device’s token from now on"),
                             "status",
                             _("Count the records, devices and changes"),
                             "import FILE",
                             _("Import a DTSEN spreadsheet for the whole city"),
                             "compact",
                             _("Drop the changes no device needs (--keep-days N)"));
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

  /* revoke and import take one argument, the others none. */
  if (g_str_equal (command, "revoke") || g_str_equal (command, "import"))
    {
      if (argc < 3)
        return usage_error (_("“%s” needs an argument; run “pendamping-server --help”"),
                            command);
      if (argc > 3)
        return usage_error (_("unexpected argument “%s” after “%s”"), argv[3], argv[2]);
    }
  else if (argc > 2)
    {
      return usage_error (_("unexpected argument “%s” after “%s”"), argv[2], command);
    }

  if ((opt_kelurahan != NULL || opt_dinas) && !g_str_equal (command, "enroll"))
    return usage_error (_("--kelurahan and --dinas go with “enroll”, not “%s”"), command);
  if (opt_listen != NULL && !g_str_equal (command, "serve"))
    return usage_error (_("--listen goes with “serve”, not “%s”"), command);
  if (opt_keep_days != -1 && !g_str_equal (command, "compact"))
    return usage_error (_("--keep-days goes with “compact”, not “%s”"), command);
  if (opt_keep_days < -1)
    return usage_error ("%s", _("--keep-days takes a number of days from 0"));

  if (g_str_equal (command, "serve"))
    return run_serve ();
  if (g_str_equal (command, "enroll"))
    return run_enroll ();
  if (g_str_equal (command, "devices"))
    return run_devices ();
  if (g_str_equal (command, "revoke"))
    return run_revoke (argv[2]);
  if (g_str_equal (command, "status"))
    return run_status ();
  if (g_str_equal (command, "import"))
    return run_import (argv[2]);
  if (g_str_equal (command, "compact"))
    return run_compact ();

  return usage_error (_("unknown command “%s”; run “pendamping-server --help” "
                        "to see the commands"), command);
}
